from __future__ import annotations

import pytest

from hutch.wire.http import Body, Headers, HttpRequest
from hutch.wire.routing import UnknownService, bucket_from_host, route, to_path_style


def req(method: str = "GET", path: str = "/", query: str = "", **headers: str) -> HttpRequest:
    return HttpRequest(
        method, path, query, Headers((k.replace("_", "-"), v) for k, v in headers.items()), Body.of(b"")
    )


def test_target_prefix_names_the_json_services() -> None:
    assert (
        route(req("POST", x_amz_target="AWSCognitoIdentityProviderService.InitiateAuth"), None, None)
        == "cognito-idp"
    )
    assert (
        route(req("POST", x_amz_target="AWSCognitoIdentityService.GetId"), None, None) == "cognito-identity"
    )


def test_unknown_target_is_refused_with_what_hutch_serves() -> None:
    with pytest.raises(UnknownService) as err:
        route(req("POST", x_amz_target="DynamoDB_20120810.ListTables"), None, None)
    assert "cognito-idp" in err.value.message


def test_scope_service_routes_signed_requests() -> None:
    assert route(req("POST"), "iam", None) == "iam"
    assert route(req("POST"), "sts", None) == "sts"
    assert route(req("GET", "/bucket"), "s3", None) == "s3"
    with pytest.raises(UnknownService):
        route(req("POST"), "dynamodb", None)


def test_unsigned_query_posts_route_by_action() -> None:
    assert route(req("POST"), None, b"Action=AssumeRoleWithWebIdentity&Version=2011-06-15") == "sts"
    assert route(req("POST"), None, b"Action=CreateRole&Version=2010-05-08") == "iam"
    assert route(req("GET", query="Action=GetCallerIdentity"), None, None) == "sts"
    with pytest.raises(UnknownService):
        route(req("POST"), None, b"Action=RunInstances")


def test_everything_else_is_s3() -> None:
    assert route(req("PUT", "/bucket/key"), None, None) == "s3"


@pytest.mark.parametrize(
    ("host", "bucket"),
    [
        ("mybucket.localhost:4577", "mybucket"),
        ("my.dotted.bucket.localhost", "my.dotted.bucket"),
        ("localhost:4577", None),
        ("127.0.0.1:4577", None),
        ("[::1]:4577", None),
        ("x.localhost", None),  # too short to be a bucket name
        ("UPPER.localhost", "upper"),
    ],
)
def test_bucket_from_host(host: str, bucket: str | None) -> None:
    assert bucket_from_host(host, ("localhost",)) == bucket


def test_path_style_rewrite_keeps_the_raw_key() -> None:
    r = to_path_style(req("GET", "/a%20b/c"), "bkt")
    assert r.raw_path == "/bkt/a%20b/c"
    assert r.path == "/bkt/a b/c"

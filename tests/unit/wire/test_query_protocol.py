"""IAM and STS (query protocol) through botocore, and how bad input is answered."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

import pytest

from hutch.errors import ServiceError
from hutch.wire.codec import codec_for
from hutch.wire.http import Body, Headers, HttpRequest
from hutch.wire.models import service_model
from hutch.wire.xml import parse_document
from tests.unit.wire.oracle import REQUEST_ID, Oracle, assert_parsed_as_sent, without_metadata

WHEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
ACCOUNT = "123456789012"
TRUST = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"cognito-identity.amazonaws.com"},"Action":"sts:AssumeRoleWithWebIdentity"}]}'
POLICY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/app/files"
ROLE = {
    "Path": "/app/",
    "RoleName": "files",
    "RoleId": "AROAEXAMPLEEXAMPLE123",
    "Arn": f"arn:aws:iam::{ACCOUNT}:role/app/files",
    "CreateDate": WHEN,
    "AssumeRolePolicyDocument": quote(TRUST),
    "Description": "per-user folders",
    "MaxSessionDuration": 3600,
    "Tags": [{"Key": "team", "Value": "storage"}],
}
USER = {
    "Path": "/",
    "UserName": "alice",
    "UserId": "AIDAEXAMPLEEXAMPLE12",
    "Arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
    "CreateDate": WHEN,
}
POLICY = {
    "PolicyName": "files",
    "PolicyId": "ANPAEXAMPLEEXAMPLE12",
    "Arn": POLICY_ARN,
    "Path": "/app/",
    "DefaultVersionId": "v1",
    "AttachmentCount": 1,
    "IsAttachable": True,
    "CreateDate": WHEN,
    "UpdateDate": WHEN,
}
TAGS = [{"Key": "team", "Value": "storage"}, {"Key": "empty", "Value": ""}]

# (operation, params, result): IAM's role, policy and user operations as hutch serves them.
IAM_CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "CreateRole",
        {
            "RoleName": "files",
            "Path": "/app/",
            "AssumeRolePolicyDocument": TRUST,
            "Description": "d",
            "MaxSessionDuration": 7200,
            "PermissionsBoundary": POLICY_ARN,
            "Tags": TAGS,
        },
        {"Role": ROLE},
    ),
    ("GetRole", {"RoleName": "files"}, {"Role": ROLE}),
    (
        "ListRoles",
        {"PathPrefix": "/app/", "Marker": "m", "MaxItems": 10},
        {"Roles": [ROLE, {**ROLE, "RoleName": "other"}], "IsTruncated": True, "Marker": "next"},
    ),
    ("ListRoles", {}, {"Roles": [], "IsTruncated": False}),
    ("UpdateRole", {"RoleName": "files", "Description": "new", "MaxSessionDuration": 3600}, {}),
    ("UpdateAssumeRolePolicy", {"RoleName": "files", "PolicyDocument": TRUST}, {}),
    ("DeleteRole", {"RoleName": "files"}, {}),
    ("TagRole", {"RoleName": "files", "Tags": TAGS}, {}),
    ("UntagRole", {"RoleName": "files", "TagKeys": ["team", "empty"]}, {}),
    ("ListRoleTags", {"RoleName": "files"}, {"Tags": TAGS, "IsTruncated": False}),
    ("PutRolePolicy", {"RoleName": "files", "PolicyName": "inline", "PolicyDocument": TRUST}, {}),
    (
        "GetRolePolicy",
        {"RoleName": "files", "PolicyName": "inline"},
        {"RoleName": "files", "PolicyName": "inline", "PolicyDocument": quote(TRUST)},
    ),
    ("DeleteRolePolicy", {"RoleName": "files", "PolicyName": "inline"}, {}),
    ("ListRolePolicies", {"RoleName": "files"}, {"PolicyNames": ["inline", "second"], "IsTruncated": False}),
    ("AttachRolePolicy", {"RoleName": "files", "PolicyArn": POLICY_ARN}, {}),
    ("DetachRolePolicy", {"RoleName": "files", "PolicyArn": POLICY_ARN}, {}),
    (
        "ListAttachedRolePolicies",
        {"RoleName": "files", "PathPrefix": "/"},
        {"AttachedPolicies": [{"PolicyName": "files", "PolicyArn": POLICY_ARN}], "IsTruncated": False},
    ),
    ("PutRolePermissionsBoundary", {"RoleName": "files", "PermissionsBoundary": POLICY_ARN}, {}),
    ("DeleteRolePermissionsBoundary", {"RoleName": "files"}, {}),
    (
        "CreatePolicy",
        {"PolicyName": "files", "Path": "/app/", "PolicyDocument": TRUST, "Description": "d", "Tags": TAGS},
        {"Policy": POLICY},
    ),
    ("GetPolicy", {"PolicyArn": POLICY_ARN}, {"Policy": POLICY}),
    (
        "ListPolicies",
        {"Scope": "Local", "OnlyAttached": True, "PolicyUsageFilter": "PermissionsPolicy", "MaxItems": 5},
        {"Policies": [POLICY], "IsTruncated": False},
    ),
    ("DeletePolicy", {"PolicyArn": POLICY_ARN}, {}),
    (
        "CreatePolicyVersion",
        {"PolicyArn": POLICY_ARN, "PolicyDocument": TRUST, "SetAsDefault": True},
        {"PolicyVersion": {"VersionId": "v2", "IsDefaultVersion": True, "CreateDate": WHEN}},
    ),
    (
        "GetPolicyVersion",
        {"PolicyArn": POLICY_ARN, "VersionId": "v2"},
        {
            "PolicyVersion": {
                "Document": quote(TRUST),
                "VersionId": "v2",
                "IsDefaultVersion": False,
                "CreateDate": WHEN,
            }
        },
    ),
    (
        "ListPolicyVersions",
        {"PolicyArn": POLICY_ARN},
        {
            "Versions": [{"VersionId": "v2", "IsDefaultVersion": True, "CreateDate": WHEN}],
            "IsTruncated": False,
        },
    ),
    ("DeletePolicyVersion", {"PolicyArn": POLICY_ARN, "VersionId": "v1"}, {}),
    ("SetDefaultPolicyVersion", {"PolicyArn": POLICY_ARN, "VersionId": "v2"}, {}),
    (
        "ListEntitiesForPolicy",
        {"PolicyArn": POLICY_ARN, "EntityFilter": "Role"},
        {
            "PolicyRoles": [{"RoleName": "files", "RoleId": "AROAEXAMPLEEXAMPLE123"}],
            "PolicyUsers": [],
            "PolicyGroups": [],
            "IsTruncated": False,
        },
    ),
    ("TagPolicy", {"PolicyArn": POLICY_ARN, "Tags": TAGS}, {}),
    ("CreateUser", {"UserName": "alice", "Path": "/", "Tags": TAGS}, {"User": USER}),
    ("GetUser", {"UserName": "alice"}, {"User": {**USER, "PasswordLastUsed": WHEN}}),
    ("GetUser", {}, {"User": USER}),
    ("ListUsers", {"PathPrefix": "/"}, {"Users": [USER], "IsTruncated": False}),
    ("UpdateUser", {"UserName": "alice", "NewUserName": "alice2", "NewPath": "/x/"}, {}),
    ("DeleteUser", {"UserName": "alice"}, {}),
    (
        "CreateAccessKey",
        {"UserName": "alice"},
        {
            "AccessKey": {
                "UserName": "alice",
                "AccessKeyId": "AKIAEXAMPLEEXAMPLE12",
                "Status": "Active",
                "SecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "CreateDate": WHEN,
            }
        },
    ),
    (
        "ListAccessKeys",
        {"UserName": "alice"},
        {
            "AccessKeyMetadata": [
                {
                    "UserName": "alice",
                    "AccessKeyId": "AKIAEXAMPLEEXAMPLE12",
                    "Status": "Inactive",
                    "CreateDate": WHEN,
                }
            ],
            "IsTruncated": False,
        },
    ),
    (
        "UpdateAccessKey",
        {"UserName": "alice", "AccessKeyId": "AKIAEXAMPLEEXAMPLE12", "Status": "Inactive"},
        {},
    ),
    ("DeleteAccessKey", {"UserName": "alice", "AccessKeyId": "AKIAEXAMPLEEXAMPLE12"}, {}),
    ("PutUserPolicy", {"UserName": "alice", "PolicyName": "p", "PolicyDocument": TRUST}, {}),
    ("ListUserPolicies", {"UserName": "alice"}, {"PolicyNames": [], "IsTruncated": False}),
    ("AttachUserPolicy", {"UserName": "alice", "PolicyArn": POLICY_ARN}, {}),
    ("ListAttachedUserPolicies", {"UserName": "alice"}, {"AttachedPolicies": [], "IsTruncated": False}),
    ("TagUser", {"UserName": "alice", "Tags": TAGS}, {}),
    ("ListUserTags", {"UserName": "alice"}, {"Tags": TAGS, "IsTruncated": False}),
    (
        "SimulatePrincipalPolicy",
        {
            "PolicySourceArn": f"arn:aws:iam::{ACCOUNT}:role/app/files",
            "ActionNames": ["s3:GetObject", "s3:PutObject"],
            "ResourceArns": ["arn:aws:s3:::bucket/cognito/app/us-east-1:abc/file.txt"],
            "ContextEntries": [
                {
                    "ContextKeyName": "cognito-identity.amazonaws.com:sub",
                    "ContextKeyValues": ["us-east-1:abc"],
                    "ContextKeyType": "string",
                }
            ],
        },
        {
            "EvaluationResults": [
                {
                    "EvalActionName": "s3:GetObject",
                    "EvalDecision": "allowed",
                    "EvalResourceName": "arn:aws:s3:::bucket/cognito/app/us-east-1:abc/file.txt",
                    "MatchedStatements": [
                        {"SourcePolicyId": "files", "StartPosition": {"Line": 1, "Column": 2}}
                    ],
                    "MissingContextValues": [],
                    "EvalDecisionDetails": {"PermissionsBoundary": "allowed"},
                }
            ],
            "IsTruncated": False,
        },
    ),
]


@pytest.fixture(scope="module")
def iam() -> Oracle:
    return Oracle("iam")


@pytest.fixture(scope="module")
def sts() -> Oracle:
    return Oracle("sts")


@pytest.mark.parametrize(
    ("operation", "params", "result"), IAM_CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(IAM_CASES)]
)
def test_iam_operation_round_trip(
    iam: Oracle, operation: str, params: dict[str, Any], result: dict[str, Any]
) -> None:
    response = iam.call(operation, params, result)

    assert iam.last.operation == operation
    assert_parsed_as_sent(iam.last)
    assert without_metadata(response) == _as_botocore_presents(result)


def _as_botocore_presents(result: Any) -> Any:
    """botocore URL-decodes and JSON-parses IAM policy documents; compare against what it presents."""
    if isinstance(result, dict):
        return {
            k: _decoded_policy(v)
            if k in ("AssumeRolePolicyDocument", "PolicyDocument", "Document")
            else _as_botocore_presents(v)
            for k, v in result.items()
        }
    if isinstance(result, list):
        return [_as_botocore_presents(item) for item in result]
    return result


def _decoded_policy(value: str) -> Any:
    return json.loads(unquote(value))


def test_iam_response_has_the_query_envelope(iam: Oracle) -> None:
    iam.call("GetRole", {"RoleName": "files"}, {"Role": ROLE})

    root = parse_document(iam.last.response_body)
    namespace = "{https://iam.amazonaws.com/doc/2010-05-08/}"
    assert root.tag == f"{namespace}GetRoleResponse"
    assert [child.tag for child in root] == [f"{namespace}GetRoleResult", f"{namespace}ResponseMetadata"]
    assert root.findtext(f"{namespace}ResponseMetadata/{namespace}RequestId") == REQUEST_ID


def test_sts_assume_role_round_trip(sts: Oracle) -> None:
    params = {
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/app/files",
        "RoleSessionName": "session-1",
        "DurationSeconds": 900,
        "Policy": TRUST,
        "PolicyArns": [{"arn": POLICY_ARN}],
        "Tags": [{"Key": "project", "Value": "hutch"}],
        "TransitiveTagKeys": ["project"],
        "ExternalId": "ext",
    }
    result = {
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE12",
            "SecretAccessKey": "s3cr3t",
            "SessionToken": "tok",
            "Expiration": datetime(2024, 1, 2, 4, 4, 5, 123000, tzinfo=UTC),
        },
        "AssumedRoleUser": {
            "AssumedRoleId": "AROAEXAMPLEEXAMPLE123:session-1",
            "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/files/session-1",
        },
        "PackedPolicySize": 12,
        "SourceIdentity": "alice",
    }

    response = sts.call("AssumeRole", params, result)

    assert_parsed_as_sent(sts.last)
    assert sts.last.parsed["PolicyArns"] == [{"arn": POLICY_ARN}]
    assert without_metadata(response) == result


def test_sts_get_caller_identity_round_trip(sts: Oracle) -> None:
    result = {"UserId": ACCOUNT, "Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:root"}

    response = sts.call("GetCallerIdentity", {}, result)

    assert sts.last.parsed == {}
    assert without_metadata(response) == result


def test_sts_assume_role_with_web_identity_round_trip(sts: Oracle) -> None:
    params = {
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/app/files",
        "RoleSessionName": "web",
        "WebIdentityToken": "eyJhbGciOiJSUzI1NiJ9." + "a" * 200,
        "DurationSeconds": 3600,
    }
    result = {
        "Credentials": {
            "AccessKeyId": "ASIAEXAMPLEEXAMPLE12",
            "SecretAccessKey": "s",
            "SessionToken": "t",
            "Expiration": WHEN,
        },
        "SubjectFromWebIdentityToken": "us-east-1:abc",
        "AssumedRoleUser": {
            "AssumedRoleId": "AROAEXAMPLEEXAMPLE123:web",
            "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/files/web",
        },
        "Provider": "cognito-identity.amazonaws.com",
        "Audience": "us-east-1:pool",
    }

    response = sts.call("AssumeRoleWithWebIdentity", params, result)

    assert_parsed_as_sent(sts.last)
    assert without_metadata(response) == result


# ---- errors ---------------------------------------------------------------------------------------------


def test_a_modeled_error_raises_its_exception_class(iam: Oracle) -> None:
    error = ServiceError("NoSuchEntity", "The role with name files cannot be found.", 404)

    with pytest.raises(iam.client.exceptions.NoSuchEntityException) as caught:
        iam.call("GetRole", {"RoleName": "files"}, error)

    assert caught.value.response["Error"] == {
        "Type": "Sender",
        "Code": "NoSuchEntity",
        "Message": "The role with name files cannot be found.",
    }
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_an_error_raised_by_its_shape_name_travels_as_its_wire_code(iam: Oracle) -> None:
    with pytest.raises(iam.client.exceptions.EntityAlreadyExistsException) as caught:
        iam.call(
            "CreateUser", {"UserName": "alice"}, ServiceError("EntityAlreadyExistsException", "exists", 409)
        )

    assert caught.value.response["Error"]["Code"] == "EntityAlreadyExists"


def test_sts_errors_raise_their_exception_class(sts: Oracle) -> None:
    with pytest.raises(sts.client.exceptions.InvalidIdentityTokenException):
        sts.call(
            "AssumeRoleWithWebIdentity",
            {
                "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/r",
                "RoleSessionName": "ss",
                "WebIdentityToken": "t" * 10,
            },
            ServiceError("InvalidIdentityToken", "Couldn't verify the token."),
        )


def test_a_server_fault_is_typed_receiver(iam: Oracle) -> None:
    with pytest.raises(iam.client.exceptions.ServiceFailureException) as caught:
        iam.call("ListRoles", {}, ServiceError("ServiceFailure", "boom", 500, sender_fault=False))

    assert caught.value.response["Error"]["Type"] == "Receiver"


# ---- bad input ------------------------------------------------------------------------------------------


def _form(
    body: str, service: str = "iam", method: str = "POST", query: str = ""
) -> tuple[Any, HttpRequest, bytes]:
    headers = Headers([("content-type", "application/x-www-form-urlencoded; charset=utf-8")])
    data = body.encode("utf-8")
    return codec_for(service), HttpRequest(method, "/", query, headers, Body.of(data)), data


def _parse(body: str, service: str = "iam") -> dict[str, Any]:
    codec, request, data = _form(body, service)
    return codec.parse(codec.find_operation(request, data), request, data)


def _error(body: str, service: str = "iam") -> ServiceError:
    with pytest.raises(ServiceError) as caught:
        _parse(body, service)
    return caught.value


def test_get_requests_carry_the_action_in_the_query_string() -> None:
    codec, request, _ = _form("", method="GET", query="Action=GetRole&Version=2010-05-08&RoleName=files")

    op = codec.find_operation(request, None)

    assert op.name == "GetRole"
    assert codec.parse(op, request, None) == {"RoleName": "files"}


def test_a_request_without_an_action_is_missing_action() -> None:
    assert _error("Version=2010-05-08").code == "MissingAction"


@pytest.mark.parametrize("body", ["Action=Nope&Version=2010-05-08", "Action=GetRole&Version=2011-06-15"])
def test_an_unknown_action_or_version_is_invalid_action(body: str) -> None:
    error = _error(body)

    assert error.code == "InvalidAction"
    assert error.message.startswith("Could not find operation")


def test_a_body_that_is_not_utf8_is_a_malformed_query_string() -> None:
    codec = codec_for("iam")
    request = HttpRequest("POST", "/", "", Headers(), Body.of(b"Action=GetRole&RoleName=%FF"))

    with pytest.raises(ServiceError) as caught:
        codec.find_operation(request, b"Action=GetRole&RoleName=%FF")

    assert caught.value.code == "MalformedQueryString"


def test_a_value_of_the_wrong_type_is_invalid_parameter_value() -> None:
    error = _error("Action=ListRoles&Version=2010-05-08&MaxItems=ten")

    assert error.code == "InvalidParameterValue"
    assert "maxItems" in error.message


def test_a_missing_required_parameter_is_a_validation_error() -> None:
    error = _error("Action=CreateRole&Version=2010-05-08&RoleName=files")

    assert error.code == "ValidationError"
    assert error.message == (
        "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: "
        "Member must not be null"
    )


def test_sts_constraint_violations_are_validation_errors() -> None:
    error = _error("Action=AssumeRole&Version=2011-06-15&RoleArn=short&RoleSessionName=s", service="sts")

    assert error.code == "ValidationError"
    assert (
        "Value 'short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20"
        in (error.message)
    )


def test_list_items_are_ordered_by_their_index_not_their_position() -> None:
    params = _parse(
        "Action=UntagRole&Version=2010-05-08&RoleName=r&TagKeys.member.2=b&TagKeys.member.10=c&TagKeys.member.1=a"
    )

    assert params["TagKeys"] == ["a", "b", "c"]


def test_an_empty_list_is_sent_as_its_bare_name() -> None:
    assert _parse("Action=UntagRole&Version=2010-05-08&RoleName=r&TagKeys=")["TagKeys"] == []


def test_plus_in_a_form_value_is_a_space() -> None:
    assert (
        _parse("Action=UpdateRole&Version=2010-05-08&RoleName=r&Description=a+b%2B")["Description"] == "a b+"
    )


def test_serializing_an_output_member_that_does_not_exist_is_a_bug() -> None:
    op = service_model("iam").operation_model("GetRole")

    with pytest.raises(TypeError):
        codec_for("iam").serialize(op, {"Rol": {}}, "rid")

"""The --output document and the snippets in it."""

from __future__ import annotations

import ast
import json

from hutch.init.output import Setup, amplify_config, boto3_snippet, document, js_snippet
from hutch.init.policies import Layout


def setup(layout: Layout = "seed", endpoint: str = "http://127.0.0.1:4577", guest: bool = False) -> Setup:
    return Setup(
        app="myapp",
        layout=layout,
        region="eu-west-1",
        endpoint=endpoint,
        s3_custom_endpoint=endpoint.split("://", 1)[1],
        user_pool_id="eu-west-1_AbC123",
        user_pool_client_id="client123",
        provider="cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123",
        identity_pool_id="eu-west-1:0e3f5a0c-1111-2222-3333-444455556666",
        guest=guest,
        bucket="photos.web",
        authenticated_role="arn:aws:iam::123456789012:role/hutch-myapp-authenticated",
        unauthenticated_role="arn:aws:iam::123456789012:role/hutch-myapp-unauthenticated" if guest else None,
    )


def test_the_document_carries_every_documented_field() -> None:
    doc = document(setup(guest=True))
    assert list(doc) == [
        "hutchInit",
        "app",
        "layout",
        "region",
        "endpoint",
        "endpoints",
        "s3CustomEndpoint",
        "userPoolId",
        "userPoolClientId",
        "userPoolProvider",
        "identityPoolId",
        "allowGuestAccess",
        "bucket",
        "roles",
        "folders",
        "amplify",
        "snippets",
    ]
    assert doc["hutchInit"] == 1
    assert doc["allowGuestAccess"] is True
    assert doc["roles"]["unauthenticated"].endswith("role/hutch-myapp-unauthenticated")
    json.dumps(doc)  # plain JSON all the way down


def test_the_amplify_config_points_both_cognito_endpoints_at_hutch() -> None:
    cognito = amplify_config(setup())["Auth"]["Cognito"]
    assert cognito["userPoolEndpoint"] == cognito["identityPoolEndpoint"] == "http://127.0.0.1:4577"
    assert cognito["allowGuestAccess"] is False
    assert amplify_config(setup())["Storage"] == {"S3": {"bucket": "photos.web", "region": "eu-west-1"}}


def test_the_boto3_snippet_is_python_and_uploads_to_the_layouts_own_folder() -> None:
    seed = boto3_snippet(setup("seed"))
    ast.parse(seed)
    assert 'Key=f"cognito/myapp/{identity_id}/hello.txt"' in seed
    assert '"cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123": tokens["IdToken"]' in seed
    amplify = boto3_snippet(setup("amplify"))
    ast.parse(amplify)
    assert 'Key=f"private/{identity_id}/hello.txt"' in amplify


def test_the_boto3_snippet_says_how_to_trust_hutchs_ca_over_https() -> None:
    assert "AWS_CA_BUNDLE" in boto3_snippet(setup(endpoint="https://127.0.0.1:4577"))
    assert "AWS_CA_BUNDLE" not in boto3_snippet(setup())


def test_the_js_snippet_configures_amplify_and_uses_the_custom_endpoint() -> None:
    js = js_snippet(setup("amplify", endpoint="https://127.0.0.1:4577"))
    config = js[js.index("Amplify.configure(") + len("Amplify.configure(") : js.index(");\nawait signIn")]
    assert json.loads(config) == amplify_config(setup("amplify", endpoint="https://127.0.0.1:4577"))
    assert "path: ({ identityId }) => `private/${identityId}/hello.txt`" in js
    assert 'customEndpoint: "127.0.0.1:4577"' in js


def test_the_same_setup_renders_the_same_bytes() -> None:
    assert json.dumps(document(setup())) == json.dumps(document(setup()))

"""AssumeRoleWithWebIdentity against a live server, with tokens from hutch itself: a user pool registered in IAM
as an OpenID Connect provider, and the identity pool's OpenID token (the classic flow). Both are unsigned
calls, as apps make them."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.integration.iam.support import allow, client, doc, from_sts, unique
from tests.support.server import HutchServer

PASSWORD = "Correct-Horse-9-battery"


def _unsigned(hutch: HutchServer, service: str) -> Any:
    config = Config(signature_version=UNSIGNED, retries={"max_attempts": 1})
    return boto3.client(service, region_name=hutch.region, endpoint_url=hutch.endpoint, config=config)


@pytest.fixture(scope="module")
def signed_in(client_factory: Any, hutch: HutchServer) -> dict[str, str]:
    """A user pool with an app client and a user, and that user's ID token."""
    idp = client_factory("cognito-idp")
    pool_id = idp.create_user_pool(PoolName=unique("pool"))["UserPool"]["Id"]
    client_id = idp.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    idp.admin_create_user(UserPoolId=pool_id, Username="carol", MessageAction="SUPPRESS")
    idp.admin_set_user_password(UserPoolId=pool_id, Username="carol", Password=PASSWORD, Permanent=True)
    tokens = _unsigned(hutch, "cognito-idp").initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "carol", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    return {"pool_id": pool_id, "client_id": client_id, "id_token": tokens["IdToken"]}


def test_user_pool_registered_as_oidc_provider(
    client_factory: Any, hutch: HutchServer, signed_in: dict[str, str]
) -> None:
    iam = client_factory("iam")
    issuer = f"{hutch.endpoint}/{signed_in['pool_id']}"
    provider_arn = iam.create_open_id_connect_provider(Url=issuer, ClientIDList=[signed_in["client_id"]])[
        "OpenIDConnectProviderArn"
    ]
    host = issuer.split("://", 1)[1]
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{host}:aud": signed_in["client_id"]}},
        }
    )
    name = unique("oidc-role")
    role_arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=doc(allow("iam:GetRole", role_arn)))

    sts = _unsigned(hutch, "sts")
    result = sts.assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="carol-web", WebIdentityToken=signed_in["id_token"]
    )
    assert result["Audience"] == signed_in["client_id"] and result["Provider"] == issuer
    session = from_sts(result["Credentials"])
    assert (
        client(hutch, "sts", session).get_caller_identity()["Arn"].endswith(f"assumed-role/{name}/carol-web")
    )
    assert client(hutch, "iam", session).get_role(RoleName=name)["Role"]["Arn"] == role_arn

    iam.remove_client_id_from_open_id_connect_provider(
        OpenIDConnectProviderArn=provider_arn, ClientID=signed_in["client_id"]
    )
    with pytest.raises(ClientError) as exc:
        sts.assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="again", WebIdentityToken=signed_in["id_token"]
        )
    assert exc.value.response["Error"]["Code"] == "InvalidIdentityToken"
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=provider_arn)
    with pytest.raises(ClientError) as exc:
        sts.assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="again", WebIdentityToken=signed_in["id_token"]
        )
    assert "No OpenIDConnect provider found" in exc.value.response["Error"]["Message"]


def test_classic_flow_with_the_identity_pools_open_id_token(
    client_factory: Any, hutch: HutchServer, signed_in: dict[str, str]
) -> None:
    provider = f"cognito-idp.{hutch.region}.amazonaws.com/{signed_in['pool_id']}"
    identity_pool = client_factory("cognito-identity").create_identity_pool(
        IdentityPoolName=unique("classic").replace("-", "_"),
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": signed_in["client_id"]}],
    )["IdentityPoolId"]
    identity = _unsigned(hutch, "cognito-identity")
    logins = {provider: signed_in["id_token"]}
    identity_id = identity.get_id(IdentityPoolId=identity_pool, Logins=logins)["IdentityId"]
    token = identity.get_open_id_token(IdentityId=identity_id, Logins=logins)["Token"]

    iam = client_factory("iam")
    trust = doc(
        {
            "Effect": "Allow",
            "Principal": {"Federated": "cognito-identity.amazonaws.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": identity_pool},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
            },
        }
    )
    name = unique("classic-role")
    role_arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    own_only = allow(
        "iam:ListRoles", Condition={"StringEquals": {"cognito-identity.amazonaws.com:sub": identity_id}}
    )
    iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=doc(own_only))

    result = _unsigned(hutch, "sts").assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="classic", WebIdentityToken=token
    )
    assert result["SubjectFromWebIdentityToken"] == identity_id
    # The session carries the identity id as cognito-identity.amazonaws.com:sub into its permission policy.
    assert "Roles" in client(hutch, "iam", from_sts(result["Credentials"])).list_roles()

    other_pool_trust = trust.replace(identity_pool, "us-east-1:00000000-0000-0000-0000-000000000000")
    iam.update_assume_role_policy(RoleName=name, PolicyDocument=other_pool_trust)
    with pytest.raises(ClientError) as exc:
        _unsigned(hutch, "sts").assume_role_with_web_identity(
            RoleArn=role_arn, RoleSessionName="classic", WebIdentityToken=token
        )
    assert exc.value.response["Error"]["Code"] == "AccessDenied"

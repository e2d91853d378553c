"""Real clients against a live hutch: pycognito (SRP, token verification, refresh), boto3 sign-in flows."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito import Cognito

from tests.integration.cognito_idp.conftest import PASSWORD, make_user, sign_in
from tests.support.server import HutchServer


def _error(call: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as err:
        call(*args, **kwargs)
    error: dict[str, str] = err.value.response["Error"]
    return error


def test_pycognito_srp_sign_in_verifies_its_own_tokens_unpatched(
    hutch: HutchServer, idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "alice")
    user = Cognito(
        pool["Id"], app["ClientId"], username="alice", boto3_client_kwargs={"endpoint_url": hutch.endpoint}
    )
    user.authenticate(password=PASSWORD)  # SRP, then pycognito verifies both tokens against our JWKS
    assert user.id_claims["iss"] == f"{hutch.endpoint}/{pool['Id']}"
    assert user.id_claims["aud"] == app["ClientId"]
    assert user.access_claims["client_id"] == app["ClientId"]
    assert user.id_claims["cognito:username"] == "alice"


def test_pycognito_wrong_password_is_incorrect_username_or_password(
    hutch: HutchServer, idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "alice")
    for name in ("alice", "nobody"):
        user = Cognito(
            pool["Id"], app["ClientId"], username=name, boto3_client_kwargs={"endpoint_url": hutch.endpoint}
        )
        with pytest.raises(ClientError) as err:
            user.authenticate(password="Wrong-pass1!")
        assert err.value.response["Error"] == {
            "Code": "NotAuthorizedException",
            "Message": "Incorrect username or password.",
        }


def test_pycognito_refresh_and_user_reads(
    hutch: HutchServer, idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "bob")
    user = Cognito(
        pool["Id"], app["ClientId"], username="bob", boto3_client_kwargs={"endpoint_url": hutch.endpoint}
    )
    user.authenticate(password=PASSWORD)
    first_id = user.id_token
    user.renew_access_token()  # REFRESH_TOKEN_AUTH, then verification again
    assert user.id_claims["origin_jti"] and user.id_token != first_id
    assert user.get_user().email == "bob@example.com"


def test_pycognito_new_password_challenge(
    hutch: HutchServer, idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    idp.admin_create_user(
        UserPoolId=pool["Id"], Username="carol", TemporaryPassword="Temp-pass1!", MessageAction="SUPPRESS"
    )
    user = Cognito(
        pool["Id"], app["ClientId"], username="carol", boto3_client_kwargs={"endpoint_url": hutch.endpoint}
    )
    user.new_password_challenge("Temp-pass1!", "Final-pass1!")
    user.verify_tokens()
    assert idp.admin_get_user(UserPoolId=pool["Id"], Username="carol")["UserStatus"] == "CONFIRMED"
    again = Cognito(
        pool["Id"], app["ClientId"], username="carol", boto3_client_kwargs={"endpoint_url": hutch.endpoint}
    )
    again.authenticate(password="Final-pass1!")


def test_pycognito_with_a_client_secret(hutch: HutchServer, idp: Any, pool: dict[str, Any]) -> None:
    client = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="confidential",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    make_user(idp, pool["Id"], "dora")
    user = Cognito(
        pool["Id"],
        client["ClientId"],
        username="dora",
        client_secret=client["ClientSecret"],
        boto3_client_kwargs={"endpoint_url": hutch.endpoint},
    )
    user.authenticate(password=PASSWORD)
    user.renew_access_token()
    unsigned = Cognito(
        pool["Id"], client["ClientId"], username="dora", boto3_client_kwargs={"endpoint_url": hutch.endpoint}
    )
    with pytest.raises(ClientError) as err:
        unsigned.authenticate(password=PASSWORD)
    assert "SECRET_HASH was not received" in err.value.response["Error"]["Message"]


def test_pycognito_email_username_pool(hutch: HutchServer, idp: Any) -> None:
    pool = idp.create_user_pool(
        PoolName="emails", UsernameAttributes=["email"], UsernameConfiguration={"CaseSensitive": False}
    )["UserPool"]
    app = idp.create_user_pool_client(
        UserPoolId=pool["Id"],
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    idp.admin_create_user(UserPoolId=pool["Id"], Username="Eve@Example.com", MessageAction="SUPPRESS")
    idp.admin_set_user_password(
        UserPoolId=pool["Id"], Username="eve@example.com", Password=PASSWORD, Permanent=True
    )
    user = Cognito(
        pool["Id"],
        app["ClientId"],
        username="EVE@example.com",
        boto3_client_kwargs={"endpoint_url": hutch.endpoint},
    )
    user.authenticate(password=PASSWORD)
    assert user.id_claims["email"] == "Eve@Example.com"
    assert user.id_claims["cognito:username"] == user.id_claims["sub"]


def test_boto3_password_flow_and_refresh(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "fay")
    tokens = sign_in(public_idp, app, "fay")["AuthenticationResult"]
    assert set(tokens) >= {"AccessToken", "IdToken", "RefreshToken", "ExpiresIn", "TokenType"}
    me = public_idp.get_user(AccessToken=tokens["AccessToken"])
    assert me["Username"] == "fay"
    refreshed = public_idp.initiate_auth(
        ClientId=app["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )["AuthenticationResult"]
    assert "RefreshToken" not in refreshed and refreshed["AccessToken"] != tokens["AccessToken"]


def test_lockout_after_repeated_failures(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "gus")
    answers = []
    for _ in range(12):
        answers.append(_error(sign_in, public_idp, app, "gus", "Wrong-pass1!")["Message"])
        if answers[-1] == "Password attempts exceeded":
            break
    assert answers[:5] == ["Incorrect username or password."] * 5
    assert answers[-1] == "Password attempts exceeded"
    # Locked: even the right password is refused until the lockout passes.
    assert _error(sign_in, public_idp, app, "gus", PASSWORD)["Message"] == "Password attempts exceeded"


def test_password_policy_messages(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    cases = {
        "Sh0rt!": "Password did not conform with policy: Password not long enough",
        "nouppercase1!": "Password did not conform with policy: Password must have uppercase characters",
        "NOLOWERCASE1!": "Password did not conform with policy: Password must have lowercase characters",
        "NoNumbers!!": "Password did not conform with policy: Password must have numeric characters",
        "NoSymbols123": "Password did not conform with policy: Password must have symbol characters",
    }
    for password, message in cases.items():
        error = _error(public_idp.sign_up, ClientId=app["ClientId"], Username="hal", Password=password)
        assert error == {"Code": "InvalidPasswordException", "Message": message}


def test_errors_are_the_modeled_exceptions(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    with pytest.raises(idp.exceptions.ResourceNotFoundException):
        idp.describe_user_pool(UserPoolId="us-east-1_missing00")
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool["Id"], Username="ghost")
    make_user(idp, pool["Id"], "ian")
    with pytest.raises(idp.exceptions.UsernameExistsException):
        idp.admin_create_user(UserPoolId=pool["Id"], Username="ian", MessageAction="SUPPRESS")
    with pytest.raises(public_idp.exceptions.NotAuthorizedException):
        sign_in(public_idp, app, "ian", "Wrong-pass1!")
    with pytest.raises(public_idp.exceptions.InvalidParameterException):
        public_idp.initiate_auth(
            ClientId=app["ClientId"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": "ian", "SRP_A": "0"},
        )


def test_unsigned_admin_call_is_refused(public_idp: Any, pool: dict[str, Any]) -> None:
    with pytest.raises(ClientError) as err:
        public_idp.describe_user_pool(UserPoolId=pool["Id"])
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] in (400, 403)

"""What a signed-in user does with their access token; sign-out and revocation everywhere."""

from __future__ import annotations

from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.service import CognitoIdpService
from tests.unit.services.cognito_idp.conftest import PASSWORD, Clock, Invoke, KeptMessages
from tests.unit.services.cognito_idp.test_signin import password_sign_in


@pytest.fixture
def tokens(public: Invoke, app: dict[str, Any], alice: str) -> dict[str, Any]:
    result: dict[str, Any] = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
    return result


def _error(fn: Any, *args: Any, **kwargs: Any) -> ServiceError:
    with pytest.raises(ServiceError) as err:
        fn(*args, **kwargs)
    return err.value


def test_get_user_reads_the_user_behind_the_token(public: Invoke, tokens: dict[str, Any]) -> None:
    me = public("GetUser", AccessToken=tokens["AccessToken"])
    assert me["Username"] == "alice"
    assert {"Name": "email", "Value": "alice@example.com"} in me["UserAttributes"]


def test_get_user_refuses_id_tokens_expired_tokens_and_garbage(
    public: Invoke, clock: Clock, tokens: dict[str, Any]
) -> None:
    assert _error(public, "GetUser", AccessToken=tokens["IdToken"]).message == "Invalid Access Token"
    assert _error(public, "GetUser", AccessToken="abc.def.ghi").message == "Invalid Access Token"
    clock.advance(hours=1)
    err = _error(public, "GetUser", AccessToken=tokens["AccessToken"])
    assert (err.code, err.message) == ("NotAuthorizedException", "Access Token has expired")


def test_global_sign_out_revokes_every_token_of_the_user(
    public: Invoke, svc: CognitoIdpService, app: dict[str, Any], tokens: dict[str, Any]
) -> None:
    other_session = password_sign_in(public, app, "alice", PASSWORD)["AuthenticationResult"]
    public("GlobalSignOut", AccessToken=tokens["AccessToken"])
    for session in (tokens, other_session):
        assert (
            _error(public, "GetUser", AccessToken=session["AccessToken"]).message
            == "Access Token has been revoked"
        )
        with pytest.raises(ServiceError, match="revoked"):
            svc.verify_id_token(session["IdToken"])
        err = _error(
            public,
            "InitiateAuth",
            ClientId=app["ClientId"],
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": session["RefreshToken"]},
        )
        assert err.message == "Refresh Token has been revoked"
    fresh = password_sign_in(public, app, "alice", PASSWORD)["AuthenticationResult"]
    assert public("GetUser", AccessToken=fresh["AccessToken"])["Username"] == "alice"


def test_revoke_token_ends_only_that_session(
    public: Invoke, svc: CognitoIdpService, app: dict[str, Any], tokens: dict[str, Any]
) -> None:
    other = password_sign_in(public, app, "alice", PASSWORD)["AuthenticationResult"]
    public("RevokeToken", Token=tokens["RefreshToken"], ClientId=app["ClientId"])
    assert (
        _error(public, "GetUser", AccessToken=tokens["AccessToken"]).message
        == "Access Token has been revoked"
    )
    with pytest.raises(ServiceError):
        svc.verify_id_token(tokens["IdToken"])
    assert public("GetUser", AccessToken=other["AccessToken"])["Username"] == "alice"
    public("RevokeToken", Token="unknown-token", ClientId=app["ClientId"])  # quietly succeeds
    assert _error(public, "RevokeToken", Token=tokens["AccessToken"], ClientId=app["ClientId"]).code == (
        "UnsupportedTokenTypeException"
    )


def test_revoke_token_checks_the_client_secret(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], alice: str
) -> None:
    from hutch.services.cognito_idp.secret_hash import compute

    client = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="conf",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    tokens = password_sign_in(
        public,
        client,
        alice,
        PASSWORD,
        SECRET_HASH=compute(client["ClientSecret"], alice, client["ClientId"]),
    )
    refresh = tokens["AuthenticationResult"]["RefreshToken"]
    err = _error(public, "RevokeToken", Token=refresh, ClientId=client["ClientId"], ClientSecret="x" * 30)
    assert err.code == "UnauthorizedException"
    public("RevokeToken", Token=refresh, ClientId=client["ClientId"], ClientSecret=client["ClientSecret"])


def test_revoke_token_refuses_a_client_the_token_was_not_issued_to(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any], tokens: dict[str, Any]
) -> None:
    other = invoke("CreateUserPoolClient", UserPoolId=pool["Id"], ClientName="other")["UserPoolClient"]
    stranger_pool = invoke("CreateUserPool", PoolName="elsewhere")["UserPool"]
    stranger = invoke("CreateUserPoolClient", UserPoolId=stranger_pool["Id"], ClientName="x")[
        "UserPoolClient"
    ]
    for client in (other, stranger):
        err = _error(public, "RevokeToken", Token=tokens["RefreshToken"], ClientId=client["ClientId"])
        assert (err.code, err.message) == ("UnauthorizedException", "Token was not issued to this client.")
    # Nothing was revoked: the session still works for the client it belongs to.
    assert public("GetUser", AccessToken=tokens["AccessToken"])["Username"] == "alice"
    refreshed = public(
        "InitiateAuth",
        ClientId=app["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": tokens["RefreshToken"]},
    )
    assert "AccessToken" in refreshed["AuthenticationResult"]


def test_change_password(public: Invoke, app: dict[str, Any], tokens: dict[str, Any]) -> None:
    token = tokens["AccessToken"]
    err = _error(
        public,
        "ChangePassword",
        AccessToken=token,
        PreviousPassword="Wrong-pass1!",
        ProposedPassword="Next-pass1!",
    )
    assert (err.code, err.message) == ("NotAuthorizedException", "Incorrect username or password.")
    assert (
        _error(
            public, "ChangePassword", AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="weak"
        ).code
        == "InvalidPasswordException"
    )
    public("ChangePassword", AccessToken=token, PreviousPassword=PASSWORD, ProposedPassword="Next-pass1!")
    assert "AuthenticationResult" in password_sign_in(public, app, "alice", "Next-pass1!")


def test_user_updates_attributes_and_verifies_the_new_email(
    invoke: Invoke, public: Invoke, sent: KeptMessages, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    invoke("UpdateUserPool", UserPoolId=pool["Id"], AutoVerifiedAttributes=["email"])
    token = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]["AccessToken"]
    out = public(
        "UpdateUserAttributes",
        AccessToken=token,
        UserAttributes=[
            {"Name": "email", "Value": "alice@new.example.com"},
            {"Name": "name", "Value": "Alice"},
        ],
    )
    assert out["CodeDeliveryDetailsList"][0]["AttributeName"] == "email"
    attrs = {a["Name"]: a["Value"] for a in public("GetUser", AccessToken=token)["UserAttributes"]}
    assert attrs["email_verified"] == "false" and attrs["name"] == "Alice"
    assert (
        _error(
            public,
            "VerifyUserAttribute",
            AccessToken=token,
            AttributeName="email",
            Code="000000" if sent.last_code() != "000000" else "111111",
        ).code
        == "CodeMismatchException"
    )
    public("VerifyUserAttribute", AccessToken=token, AttributeName="email", Code=sent.last_code())
    attrs = {a["Name"]: a["Value"] for a in public("GetUser", AccessToken=token)["UserAttributes"]}
    assert attrs["email_verified"] == "true"
    err = _error(
        public,
        "UpdateUserAttributes",
        AccessToken=token,
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    assert err.message == "A client attempted to write unauthorized attribute"
    public("DeleteUserAttributes", AccessToken=token, UserAttributeNames=["name"])
    assert "name" not in {a["Name"] for a in public("GetUser", AccessToken=token)["UserAttributes"]}


def test_get_user_attribute_verification_code_sends_a_fresh_code(
    public: Invoke, sent: KeptMessages, tokens: dict[str, Any]
) -> None:
    details = public(
        "GetUserAttributeVerificationCode", AccessToken=tokens["AccessToken"], AttributeName="email"
    )
    assert details["CodeDeliveryDetails"]["Destination"] == "a***@e***"
    assert sent.messages[-1].kind == "GetUserAttributeVerificationCode"


def test_read_attributes_limit_what_the_client_sees(
    invoke: Invoke, public: Invoke, svc: CognitoIdpService, pool: dict[str, Any], alice: str
) -> None:
    narrow = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="narrow",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        ReadAttributes=["name"],
    )["UserPoolClient"]
    tokens = password_sign_in(public, narrow, alice, PASSWORD)["AuthenticationResult"]
    assert "email" not in svc.verify_id_token(tokens["IdToken"])
    assert {a["Name"] for a in public("GetUser", AccessToken=tokens["AccessToken"])["UserAttributes"]} == {
        "sub"
    }


def test_delete_user_removes_the_account(public: Invoke, app: dict[str, Any], tokens: dict[str, Any]) -> None:
    public("DeleteUser", AccessToken=tokens["AccessToken"])
    err = _error(password_sign_in, public, app, "alice", PASSWORD)
    assert err.message == "Incorrect username or password."

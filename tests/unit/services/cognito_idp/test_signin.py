"""Sign-in flows end to end through the operation handlers: password, SRP (pycognito as the client),
NEW_PASSWORD_REQUIRED, refresh, lockout, and answers that never reveal whether a user exists."""

from __future__ import annotations

from typing import Any

import pytest
from pycognito.aws_srp import AWSSRP

from hutch.errors import ServiceError
from hutch.services.cognito_idp import secret_hash
from hutch.services.cognito_idp.service import CognitoIdpService
from hutch.services.cognito_idp.srp import GROUP_N
from tests.unit.services.cognito_idp.conftest import PASSWORD, Clock, Invoke

INCORRECT = "Incorrect username or password."


class HandlerTransport:
    """pycognito's boto3 client, replaced by calls straight into hutch's handlers."""

    def __init__(self, public: Invoke) -> None:
        self.public = public
        self.last_challenge: dict[str, Any] = {}

    def initiate_auth(self, **params: Any) -> dict[str, Any]:
        self.last_challenge = self.public("InitiateAuth", **params)
        return self.last_challenge

    def respond_to_auth_challenge(self, **params: Any) -> dict[str, Any]:
        return self.public("RespondToAuthChallenge", **params)


def srp_sign_in(
    public: Invoke, pool: dict[str, Any], app: dict[str, Any], username: str, password: str
) -> dict[str, Any]:
    srp = AWSSRP(
        username=username,
        password=password,
        pool_id=pool["Id"],
        client_id=app["ClientId"],
        client=HandlerTransport(public),
        client_secret=app.get("ClientSecret"),
    )
    return srp.authenticate_user()


def password_sign_in(
    public: Invoke, app: dict[str, Any], username: str, password: str, **extra: str
) -> dict[str, Any]:
    return public(
        "InitiateAuth",
        ClientId=app["ClientId"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": username, "PASSWORD": password, **extra},
    )


def refused(code: str, message: str | None = None) -> Any:
    class Check:
        def __enter__(self) -> None:
            return None

        def __exit__(self, kind: Any, error: Any, tb: Any) -> bool:
            assert isinstance(error, ServiceError), f"expected {code}, got {error!r}"
            assert error.code == code, f"expected {code}, got {error!r}"
            if message is not None:
                assert error.message == message
            return True

    return Check()


def test_password_sign_in_returns_tokens_the_service_verifies(
    public: Invoke, svc: CognitoIdpService, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    result = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
    assert result["TokenType"] == "Bearer" and result["ExpiresIn"] == 3600
    claims = svc.verify_id_token(result["IdToken"])
    assert claims["cognito:username"] == "alice" and claims["aud"] == app["ClientId"]
    assert claims["iss"] == svc.issuer(pool["Id"])
    assert claims["email"] == "alice@example.com" and claims["email_verified"] is True


def test_wrong_password_and_unknown_user_get_the_same_answer(
    public: Invoke, app: dict[str, Any], alice: str
) -> None:
    with refused("NotAuthorizedException", INCORRECT):
        password_sign_in(public, app, alice, "Wrong-pass1!")
    with refused("NotAuthorizedException", INCORRECT):
        password_sign_in(public, app, "nobody", "Wrong-pass1!")


def test_legacy_client_reveals_unknown_users_as_aws_does(
    invoke: Invoke, public: Invoke, pool: dict[str, Any]
) -> None:
    legacy = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="legacy",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors="LEGACY",
    )["UserPoolClient"]
    with refused("UserNotFoundException"):
        password_sign_in(public, legacy, "nobody", "Wrong-pass1!")


def test_pycognito_srp_signs_in(
    public: Invoke, svc: CognitoIdpService, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    tokens = srp_sign_in(public, pool, app, alice, PASSWORD)
    claims = svc.verify_id_token(tokens["AuthenticationResult"]["IdToken"])
    assert claims["sub"]


def test_srp_with_a_wrong_password_is_refused(
    public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    with refused("NotAuthorizedException", INCORRECT):
        srp_sign_in(public, pool, app, alice, "Wrong-pass1!")


def test_srp_for_an_unknown_user_gets_a_stable_decoy_challenge_then_incorrect(
    public: Invoke, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    transport = HandlerTransport(public)
    salts = []
    for _ in range(2):
        with refused("NotAuthorizedException", INCORRECT):
            AWSSRP("ghost", "Any-pass1!", pool["Id"], app["ClientId"], client=transport).authenticate_user()
        assert transport.last_challenge["ChallengeName"] == "PASSWORD_VERIFIER"
        salts.append(transport.last_challenge["ChallengeParameters"]["SALT"])
    assert salts[0] == salts[1]


def test_an_answered_srp_challenge_cannot_be_replayed(
    public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    answers: list[dict[str, Any]] = []

    class Recording(HandlerTransport):
        def respond_to_auth_challenge(self, **params: Any) -> dict[str, Any]:
            answers.append(params)
            return super().respond_to_auth_challenge(**params)

    AWSSRP(alice, PASSWORD, pool["Id"], app["ClientId"], client=Recording(public)).authenticate_user()
    with refused("NotAuthorizedException", INCORRECT):
        public("RespondToAuthChallenge", **answers[0])


@pytest.mark.parametrize("srp_a", ["0", format(GROUP_N, "x"), format(2 * GROUP_N, "x"), "not-hex"])
def test_degenerate_or_malformed_srp_a_is_refused(
    public: Invoke, app: dict[str, Any], alice: str, srp_a: str
) -> None:
    with refused("InvalidParameterException"):
        public(
            "InitiateAuth",
            ClientId=app["ClientId"],
            AuthFlow="USER_SRP_AUTH",
            AuthParameters={"USERNAME": alice, "SRP_A": srp_a},
        )


def test_flow_the_client_does_not_allow_is_refused(
    invoke: Invoke, public: Invoke, pool: dict[str, Any]
) -> None:
    srp_only = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="srp",
        ExplicitAuthFlows=["ALLOW_USER_SRP_AUTH"],
    )["UserPoolClient"]
    with refused("InvalidParameterException", "USER_PASSWORD_AUTH flow not enabled for this client"):
        password_sign_in(public, srp_only, "alice", PASSWORD)


def test_admin_flow_only_through_the_admin_api(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], alice: str
) -> None:
    client = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="server",
        ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    params = {
        "ClientId": client["ClientId"],
        "AuthFlow": "ADMIN_USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": alice, "PASSWORD": PASSWORD},
    }
    with refused("InvalidParameterException"):
        public("InitiateAuth", **params)
    result = invoke("AdminInitiateAuth", UserPoolId=pool["Id"], **params)
    assert "IdToken" in result["AuthenticationResult"]
    with refused("InvalidParameterException", "Initiate Auth method not supported."):
        invoke("AdminInitiateAuth", UserPoolId=pool["Id"], **{**params, "AuthFlow": "USER_PASSWORD_AUTH"})
    other_pool = invoke("CreateUserPool", PoolName="elsewhere")["UserPool"]["Id"]
    with refused("ResourceNotFoundException"):
        invoke("AdminInitiateAuth", UserPoolId=other_pool, **params)


def test_temporary_password_leads_to_new_password_required(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="bob",
        TemporaryPassword="Temp-pass1!",
        MessageAction="SUPPRESS",
    )
    first = password_sign_in(public, app, "bob", "Temp-pass1!")
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert first["ChallengeParameters"]["USER_ID_FOR_SRP"] == "bob"
    answer = {
        "ClientId": app["ClientId"],
        "ChallengeName": "NEW_PASSWORD_REQUIRED",
        "Session": first["Session"],
    }
    with refused("InvalidPasswordException"):
        public(
            "RespondToAuthChallenge", **answer, ChallengeResponses={"USERNAME": "bob", "NEW_PASSWORD": "weak"}
        )
    done = public(
        "RespondToAuthChallenge",
        **answer,
        ChallengeResponses={"USERNAME": "bob", "NEW_PASSWORD": "New-pass1!"},
    )
    assert "IdToken" in done["AuthenticationResult"]
    assert invoke("AdminGetUser", UserPoolId=pool["Id"], Username="bob")["UserStatus"] == "CONFIRMED"
    with refused("NotAuthorizedException", INCORRECT):
        password_sign_in(public, app, "bob", "Temp-pass1!")
    with refused("NotAuthorizedException"):
        public(
            "RespondToAuthChallenge",
            **answer,
            ChallengeResponses={"USERNAME": "bob", "NEW_PASSWORD": "Other-pass1!"},
        )


def test_new_password_challenge_through_pycognito_srp(
    invoke: Invoke, public: Invoke, svc: CognitoIdpService, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="carol",
        TemporaryPassword="Temp-pass1!",
        MessageAction="SUPPRESS",
    )
    srp = AWSSRP("carol", "Temp-pass1!", pool["Id"], app["ClientId"], client=HandlerTransport(public))
    tokens = srp.set_new_password_challenge("New-pass1!")
    assert svc.verify_id_token(tokens["AuthenticationResult"]["IdToken"])["cognito:username"] == "carol"


def test_expired_temporary_password_must_be_reset_by_an_administrator(
    invoke: Invoke, public: Invoke, clock: Clock, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="dan",
        TemporaryPassword="Temp-pass1!",
        MessageAction="SUPPRESS",
    )
    clock.advance(days=7)
    with refused(
        "NotAuthorizedException", "Temporary password has expired and must be reset by an administrator."
    ):
        password_sign_in(public, app, "dan", "Temp-pass1!")


def test_five_failures_lock_the_user_then_backoff_lets_them_in(
    public: Invoke, clock: Clock, app: dict[str, Any], alice: str
) -> None:
    for _ in range(5):
        with refused("NotAuthorizedException", INCORRECT):
            password_sign_in(public, app, alice, "Wrong-pass1!")
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        password_sign_in(public, app, alice, PASSWORD)
    clock.advance(seconds=1)
    assert "AuthenticationResult" in password_sign_in(public, app, alice, PASSWORD)
    for _ in range(4):  # the count started again after the successful sign-in
        with refused("NotAuthorizedException", INCORRECT):
            password_sign_in(public, app, alice, "Wrong-pass1!")
    assert "AuthenticationResult" in password_sign_in(public, app, alice, PASSWORD)


def test_srp_failures_count_towards_the_lockout(
    public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    for _ in range(5):
        with refused("NotAuthorizedException", INCORRECT):
            srp_sign_in(public, pool, app, alice, "Wrong-pass1!")
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        srp_sign_in(public, pool, app, alice, PASSWORD)


def _password_answers(public: Invoke, app: dict[str, Any], name: str, tries: int) -> list[str]:
    answers = []
    for _ in range(tries):
        with pytest.raises(ServiceError) as err:
            password_sign_in(public, app, name, "Wrong-pass1!")
        assert err.value.code == "NotAuthorizedException"
        answers.append(err.value.message)
    return answers


def test_an_unknown_name_locks_out_exactly_like_a_real_user(
    public: Invoke, clock: Clock, app: dict[str, Any], alice: str
) -> None:
    # Otherwise the lockout tells which names are accounts, despite PreventUserExistenceErrors.
    real = _password_answers(public, app, alice, 7)
    ghost = _password_answers(public, app, "ghost", 7)
    assert real == [INCORRECT] * 5 + ["Password attempts exceeded"] * 2
    assert ghost == real
    clock.advance(seconds=1)  # the first lockout (1 s) is over; the next failure locks for 2 s
    assert _password_answers(public, app, "ghost", 2) == _password_answers(public, app, alice, 2)
    clock.advance(minutes=16)  # a quiet quarter hour forgets the failures of both
    assert _password_answers(public, app, "ghost", 5) == _password_answers(public, app, alice, 5)


def test_a_locked_unknown_name_is_refused_at_srp_initiate_like_a_locked_user(
    public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    for name in (alice, "ghost"):
        _password_answers(public, app, name, 5)
        transport = HandlerTransport(public)
        with refused("NotAuthorizedException", "Password attempts exceeded"):
            AWSSRP(name, PASSWORD, pool["Id"], app["ClientId"], client=transport).authenticate_user()
        assert transport.last_challenge == {}  # refused before any challenge, for both


def test_srp_failures_lock_out_an_unknown_name_too(
    public: Invoke, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    for _ in range(5):
        with refused("NotAuthorizedException", INCORRECT):
            srp_sign_in(public, pool, app, "ghost", "Wrong-pass1!")
    with refused("NotAuthorizedException", "Password attempts exceeded"):
        password_sign_in(public, app, "ghost", "Wrong-pass1!")


def test_legacy_client_keeps_saying_user_not_found_without_a_lockout(
    invoke: Invoke, public: Invoke, pool: dict[str, Any]
) -> None:
    legacy = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="legacy",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
        PreventUserExistenceErrors="LEGACY",
    )["UserPoolClient"]
    for _ in range(7):
        with refused("UserNotFoundException"):
            password_sign_in(public, legacy, "ghost", "Wrong-pass1!")


def test_unconfirmed_user_hears_so_only_with_the_right_password(public: Invoke, app: dict[str, Any]) -> None:
    public("SignUp", ClientId=app["ClientId"], Username="erin", Password=PASSWORD)
    with refused("NotAuthorizedException", INCORRECT):
        password_sign_in(public, app, "erin", "Wrong-pass1!")
    with refused("UserNotConfirmedException", "User is not confirmed."):
        password_sign_in(public, app, "erin", PASSWORD)


def test_disabled_user_cannot_sign_in(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    invoke("AdminDisableUser", UserPoolId=pool["Id"], Username=alice)
    with refused("NotAuthorizedException", "User is disabled."):
        password_sign_in(public, app, alice, PASSWORD)


def test_reset_required_user_is_told_to_reset(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    invoke("AdminResetUserPassword", UserPoolId=pool["Id"], Username=alice)
    with refused("PasswordResetRequiredException"):
        password_sign_in(public, app, alice, PASSWORD)


def _refresh(public: Invoke, app: dict[str, Any], token: str, **extra: str) -> dict[str, Any]:
    return public(
        "InitiateAuth",
        ClientId=app["ClientId"],
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters={"REFRESH_TOKEN": token, **extra},
    )


def test_refresh_gives_new_tokens_of_the_same_session(
    public: Invoke, svc: CognitoIdpService, clock: Clock, app: dict[str, Any], alice: str
) -> None:
    first = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
    clock.advance(minutes=5)
    again = _refresh(public, app, first["RefreshToken"])["AuthenticationResult"]
    assert "RefreshToken" not in again
    old, new = svc.verify_id_token(first["IdToken"]), svc.verify_id_token(again["IdToken"])
    assert new["origin_jti"] == old["origin_jti"] and new["auth_time"] == old["auth_time"]
    assert new["iat"] > old["iat"]


def test_refresh_token_stops_working_when_revoked_or_expired(
    invoke: Invoke, public: Invoke, clock: Clock, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    first = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
    clock.advance(days=30)
    with refused("NotAuthorizedException", "Refresh Token has expired"):
        _refresh(public, app, first["RefreshToken"])
    second = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
    invoke("AdminUserGlobalSignOut", UserPoolId=pool["Id"], Username=alice)
    with refused("NotAuthorizedException", "Refresh Token has been revoked"):
        _refresh(public, app, second["RefreshToken"])
    with refused("NotAuthorizedException", "Invalid Refresh Token"):
        _refresh(public, app, "not-a-token")


def test_rotation_replaces_the_refresh_token(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], alice: str
) -> None:
    rotating = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="rotating",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        RefreshTokenRotation={"Feature": "ENABLED"},
    )["UserPoolClient"]
    first = password_sign_in(public, rotating, alice, PASSWORD)["AuthenticationResult"]
    second = _refresh(public, rotating, first["RefreshToken"])["AuthenticationResult"]
    assert second["RefreshToken"] != first["RefreshToken"]
    with refused("NotAuthorizedException", "Invalid Refresh Token"):
        _refresh(public, rotating, first["RefreshToken"])
    assert "IdToken" in _refresh(public, rotating, second["RefreshToken"])["AuthenticationResult"]


def test_refresh_token_is_bound_to_its_client(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    other = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="other",
        ExplicitAuthFlows=["ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    token = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]["RefreshToken"]
    with refused("NotAuthorizedException", "Invalid Refresh Token"):
        _refresh(public, other, token)


def test_client_with_a_secret_needs_the_secret_hash_on_every_flow(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], alice: str
) -> None:
    confidential = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="confidential",
        GenerateSecret=True,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    secret = confidential["ClientSecret"]
    with refused("NotAuthorizedException"):
        password_sign_in(public, confidential, alice, PASSWORD)
    with refused(
        "NotAuthorizedException", f"Unable to verify secret hash for client {confidential['ClientId']}"
    ):
        password_sign_in(public, confidential, alice, PASSWORD, SECRET_HASH="AAAA")
    good = secret_hash.compute(secret, alice, confidential["ClientId"])
    tokens = password_sign_in(public, confidential, alice, PASSWORD, SECRET_HASH=good)["AuthenticationResult"]
    assert (
        "IdToken"
        in _refresh(public, confidential, tokens["RefreshToken"], SECRET_HASH=good)["AuthenticationResult"]
    )
    assert "AuthenticationResult" in srp_sign_in(public, pool, confidential, alice, PASSWORD)


def test_email_as_username_pool_signs_in_with_the_email_and_srp_uses_the_sub(
    invoke: Invoke, public: Invoke, svc: CognitoIdpService
) -> None:
    pool = invoke("CreateUserPool", PoolName="emails", UsernameAttributes=["email"])["UserPool"]
    app = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
    )["UserPoolClient"]
    created = invoke(
        "AdminCreateUser", UserPoolId=pool["Id"], Username="Zoe@Example.com", MessageAction="SUPPRESS"
    )
    username = created["User"]["Username"]
    sub = next(a["Value"] for a in created["User"]["Attributes"] if a["Name"] == "sub")
    assert username == sub
    invoke(
        "AdminSetUserPassword",
        UserPoolId=pool["Id"],
        Username="Zoe@Example.com",
        Password=PASSWORD,
        Permanent=True,
    )
    transport = HandlerTransport(public)
    tokens = AWSSRP(
        "Zoe@Example.com", PASSWORD, pool["Id"], app["ClientId"], client=transport
    ).authenticate_user()
    assert transport.last_challenge["ChallengeParameters"]["USER_ID_FOR_SRP"] == sub
    assert svc.verify_id_token(tokens["AuthenticationResult"]["IdToken"])["email"] == "Zoe@Example.com"
    assert "AuthenticationResult" in password_sign_in(public, app, "Zoe@Example.com", PASSWORD)


def test_alias_pool_signs_in_with_a_verified_email_only(invoke: Invoke, public: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="aliases", AliasAttributes=["email", "preferred_username"])[
        "UserPool"
    ]
    app = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="frank",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "frank@example.com"},
            {"Name": "preferred_username", "Value": "franky"},
        ],
    )
    invoke("AdminSetUserPassword", UserPoolId=pool["Id"], Username="frank", Password=PASSWORD, Permanent=True)
    with refused("NotAuthorizedException", INCORRECT):
        password_sign_in(public, app, "frank@example.com", PASSWORD)
    assert "AuthenticationResult" in password_sign_in(public, app, "franky", PASSWORD)
    invoke(
        "AdminUpdateUserAttributes",
        UserPoolId=pool["Id"],
        Username="frank",
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    assert "AuthenticationResult" in password_sign_in(public, app, "frank@example.com", PASSWORD)


def test_case_insensitive_pool_accepts_any_capitalisation(invoke: Invoke, public: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="ci", UsernameConfiguration={"CaseSensitive": False})["UserPool"]
    app = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"],
    )["UserPoolClient"]
    invoke("AdminCreateUser", UserPoolId=pool["Id"], Username="Grace", MessageAction="SUPPRESS")
    invoke("AdminSetUserPassword", UserPoolId=pool["Id"], Username="grace", Password=PASSWORD, Permanent=True)
    assert "AuthenticationResult" in password_sign_in(public, app, "GRACE", PASSWORD)
    assert "AuthenticationResult" in srp_sign_in(public, pool, app, "gRaCe", PASSWORD)
    with refused("UsernameExistsException"):
        invoke("AdminCreateUser", UserPoolId=pool["Id"], Username="GRACE", MessageAction="SUPPRESS")


def test_case_sensitive_pool_keeps_names_distinct(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    with refused("NotAuthorizedException", INCORRECT):
        password_sign_in(public, app, "ALICE", PASSWORD)


@pytest.mark.parametrize(
    ("flow", "parameters", "missing"),
    [
        ("USER_PASSWORD_AUTH", {"PASSWORD": PASSWORD}, "USERNAME"),
        ("USER_PASSWORD_AUTH", {"USERNAME": "alice"}, "PASSWORD"),
        ("USER_SRP_AUTH", {"USERNAME": "alice"}, "SRP_A"),
        ("REFRESH_TOKEN_AUTH", {}, "REFRESH_TOKEN"),
    ],
)
def test_missing_auth_parameters_are_named(
    public: Invoke, app: dict[str, Any], alice: str, flow: str, parameters: dict[str, str], missing: str
) -> None:
    with refused("InvalidParameterException", f"Missing required parameter {missing}"):
        public("InitiateAuth", ClientId=app["ClientId"], AuthFlow=flow, AuthParameters=parameters)


def test_unimplemented_flows_and_challenges_say_so(public: Invoke, app: dict[str, Any]) -> None:
    with refused(
        "InvalidParameterException", "hutch does not implement the CUSTOM_AUTH authentication flow."
    ):
        public(
            "InitiateAuth", ClientId=app["ClientId"], AuthFlow="CUSTOM_AUTH", AuthParameters={"USERNAME": "a"}
        )
    with refused("InvalidParameterException", "hutch does not implement the SMS_MFA challenge."):
        public(
            "RespondToAuthChallenge", ClientId=app["ClientId"], ChallengeName="SMS_MFA", ChallengeResponses={}
        )

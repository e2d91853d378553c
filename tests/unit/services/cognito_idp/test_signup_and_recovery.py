"""SignUp, confirmation codes, password recovery; and the answers for names that match no user."""

from __future__ import annotations

from typing import Any

import pytest

from hutch.errors import ServiceError
from tests.unit.services.cognito_idp.conftest import PASSWORD, Clock, Invoke, KeptMessages
from tests.unit.services.cognito_idp.test_signin import password_sign_in


@pytest.fixture
def verified_pool(invoke: Invoke) -> dict[str, Any]:
    created: dict[str, Any] = invoke("CreateUserPool", PoolName="signup", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]
    return created


@pytest.fixture
def web(invoke: Invoke, verified_pool: dict[str, Any]) -> dict[str, Any]:
    client: dict[str, Any] = invoke(
        "CreateUserPoolClient",
        UserPoolId=verified_pool["Id"],
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    return client


def _sign_up(public: Invoke, client: dict[str, Any], username: str = "quinn", **extra: Any) -> dict[str, Any]:
    return public(
        "SignUp",
        ClientId=client["ClientId"],
        Username=username,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": f"{username}@example.com"}],
        **extra,
    )


def _error(fn: Any, *args: Any, **kwargs: Any) -> ServiceError:
    with pytest.raises(ServiceError) as err:
        fn(*args, **kwargs)
    return err.value


def test_sign_up_sends_a_code_and_confirming_verifies_the_email(
    invoke: Invoke, public: Invoke, sent: KeptMessages, verified_pool: dict[str, Any], web: dict[str, Any]
) -> None:
    result = _sign_up(public, web)
    assert result["UserConfirmed"] is False and result["UserSub"]
    assert result["CodeDeliveryDetails"] == {
        "Destination": "q***@e***",
        "DeliveryMedium": "EMAIL",
        "AttributeName": "email",
    }
    assert sent.messages[-1].kind == "SignUp" and sent.messages[-1].destination == "quinn@example.com"
    public("ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=sent.last_code())
    user = invoke("AdminGetUser", UserPoolId=verified_pool["Id"], Username="quinn")
    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]
    assert "AuthenticationResult" in password_sign_in(public, web, "quinn", PASSWORD)


def test_wrong_code_then_too_many_wrong_codes(
    public: Invoke, sent: KeptMessages, web: dict[str, Any]
) -> None:
    _sign_up(public, web)
    code = sent.last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        err = _error(
            public, "ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=wrong
        )
        assert err.code == "CodeMismatchException"
    err = _error(public, "ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=code)
    assert err.code == "LimitExceededException"
    public("ResendConfirmationCode", ClientId=web["ClientId"], Username="quinn")
    public("ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=sent.last_code())


def test_expired_code_must_be_requested_again(
    public: Invoke, clock: Clock, sent: KeptMessages, web: dict[str, Any]
) -> None:
    _sign_up(public, web)
    clock.advance(hours=24)
    err = _error(
        public, "ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=sent.last_code()
    )
    assert err.code == "ExpiredCodeException"


def test_confirmed_user_cannot_be_confirmed_again(
    public: Invoke, sent: KeptMessages, web: dict[str, Any]
) -> None:
    _sign_up(public, web)
    code = sent.last_code()
    public("ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=code)
    err = _error(public, "ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=code)
    assert (err.code, err.message) == (
        "NotAuthorizedException",
        "User cannot be confirmed. Current status is CONFIRMED",
    )
    err = _error(public, "ResendConfirmationCode", ClientId=web["ClientId"], Username="quinn")
    assert err.code == "InvalidParameterException"


def test_sign_up_enforces_policy_uniqueness_and_write_permissions(
    invoke: Invoke, public: Invoke, verified_pool: dict[str, Any], web: dict[str, Any]
) -> None:
    err = _error(public, "SignUp", ClientId=web["ClientId"], Username="rae", Password="weakpass")
    assert err.code == "InvalidPasswordException" and "uppercase" in err.message
    _sign_up(public, web, "rae")
    assert _error(_sign_up, public, web, "rae").code == "UsernameExistsException"
    err = _error(
        public,
        "SignUp",
        ClientId=web["ClientId"],
        Username="sam",
        Password=PASSWORD,
        UserAttributes=[{"Name": "email_verified", "Value": "true"}],
    )
    assert (err.code, err.message) == (
        "NotAuthorizedException",
        "A client attempted to write unauthorized attribute",
    )


def test_admin_only_pool_refuses_sign_up(invoke: Invoke, public: Invoke) -> None:
    pool = invoke(
        "CreateUserPool", PoolName="closed", AdminCreateUserConfig={"AllowAdminCreateUserOnly": True}
    )
    client = invoke("CreateUserPoolClient", UserPoolId=pool["UserPool"]["Id"], ClientName="c")[
        "UserPoolClient"
    ]
    err = _error(public, "SignUp", ClientId=client["ClientId"], Username="tia", Password=PASSWORD)
    assert (err.code, err.message) == ("NotAuthorizedException", "SignUp is not permitted for this user pool")


def test_forgot_password_resets_with_the_code(
    public: Invoke, sent: KeptMessages, web: dict[str, Any]
) -> None:
    _sign_up(public, web)
    public("ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=sent.last_code())
    details = public("ForgotPassword", ClientId=web["ClientId"], Username="quinn")["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL"
    assert sent.messages[-1].kind == "ForgotPassword"
    code = sent.last_code()
    err = _error(
        public,
        "ConfirmForgotPassword",
        ClientId=web["ClientId"],
        Username="quinn",
        ConfirmationCode=code,
        Password="weak",
    )
    assert err.code == "InvalidPasswordException"
    public(
        "ConfirmForgotPassword",
        ClientId=web["ClientId"],
        Username="quinn",
        ConfirmationCode=code,
        Password="Brand-new1!",
    )
    assert "AuthenticationResult" in password_sign_in(public, web, "quinn", "Brand-new1!")
    err = _error(
        public,
        "ConfirmForgotPassword",
        ClientId=web["ClientId"],
        Username="quinn",
        ConfirmationCode=code,
        Password="Another-1!",
    )
    assert err.code == "ExpiredCodeException"


def _legacy(invoke: Invoke, pool: dict[str, Any]) -> dict[str, Any]:
    client: dict[str, Any] = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="legacy",
        PreventUserExistenceErrors="LEGACY",
    )["UserPoolClient"]
    return client


def test_forgot_password_needs_a_verified_contact(
    invoke: Invoke, public: Invoke, sent: KeptMessages, verified_pool: dict[str, Any], web: dict[str, Any]
) -> None:
    _sign_up(public, web)
    sent.messages.clear()
    # PreventUserExistenceErrors: a user with nowhere to send the code looks like a name with no user.
    quinn = public("ForgotPassword", ClientId=web["ClientId"], Username="quinn")
    nobody = public("ForgotPassword", ClientId=web["ClientId"], Username="nobody")
    assert quinn.keys() == nobody.keys() == {"CodeDeliveryDetails"}
    assert quinn["CodeDeliveryDetails"]["DeliveryMedium"] == nobody["CodeDeliveryDetails"]["DeliveryMedium"]
    assert sent.messages == []
    legacy = _legacy(invoke, verified_pool)
    err = _error(public, "ForgotPassword", ClientId=legacy["ClientId"], Username="quinn")
    assert err.code == "InvalidParameterException" and "no registered/verified email" in err.message


def _confirmed(public: Invoke, sent: KeptMessages, web: dict[str, Any], name: str = "quinn") -> None:
    _sign_up(public, web, name)
    public("ConfirmSignUp", ClientId=web["ClientId"], Username=name, ConfirmationCode=sent.last_code())
    sent.messages.clear()


def _wrong_code(sent: KeptMessages) -> str:
    """A code that is certainly not the last one sent."""
    return "111111" if sent.messages and sent.last_code() == "000000" else "000000"


def _reset_answers(public: Invoke, sent: KeptMessages, web: dict[str, Any], name: str) -> list[str]:
    """What ConfirmForgotPassword says to a wrong code: before any ForgotPassword, then six times after."""

    def attempt() -> str:
        return _error(
            public,
            "ConfirmForgotPassword",
            ClientId=web["ClientId"],
            Username=name,
            ConfirmationCode=_wrong_code(sent),
            Password="Brand-new1!",
        ).code

    before = attempt()
    public("ForgotPassword", ClientId=web["ClientId"], Username=name)
    return [before] + [attempt() for _ in range(6)]


def test_confirm_forgot_password_answers_an_unknown_name_as_a_real_user(
    public: Invoke, sent: KeptMessages, web: dict[str, Any]
) -> None:
    _confirmed(public, sent, web)
    real = _reset_answers(public, sent, web, "quinn")
    assert real == ["ExpiredCodeException"] + ["CodeMismatchException"] * 5 + ["LimitExceededException"]
    assert _reset_answers(public, sent, web, "ghost") == real


def test_forgot_password_treats_a_disabled_user_as_an_unknown_name(
    invoke: Invoke, public: Invoke, sent: KeptMessages, verified_pool: dict[str, Any], web: dict[str, Any]
) -> None:
    _confirmed(public, sent, web)
    invoke("AdminDisableUser", UserPoolId=verified_pool["Id"], Username="quinn")
    details = public("ForgotPassword", ClientId=web["ClientId"], Username="quinn")["CodeDeliveryDetails"]
    assert details["DeliveryMedium"] == "EMAIL"
    assert sent.messages == []
    err = _error(
        public,
        "ConfirmForgotPassword",
        ClientId=web["ClientId"],
        Username="quinn",
        ConfirmationCode="000000",
        Password="Brand-new1!",
    )
    assert err.code == "CodeMismatchException"
    legacy = _legacy(invoke, verified_pool)
    err = _error(public, "ForgotPassword", ClientId=legacy["ClientId"], Username="quinn")
    assert (err.code, err.message) == ("NotAuthorizedException", "User is disabled.")


def test_confirm_forgot_password_checks_the_password_policy_for_every_name(
    public: Invoke, sent: KeptMessages, web: dict[str, Any]
) -> None:
    _confirmed(public, sent, web)
    for name in ("quinn", "ghost"):
        public("ForgotPassword", ClientId=web["ClientId"], Username=name)
        err = _error(
            public,
            "ConfirmForgotPassword",
            ClientId=web["ClientId"],
            Username=name,
            ConfirmationCode="000000",
            Password="weak",
        )
        assert err.code == "InvalidPasswordException"


def test_confirm_forgot_password_is_not_a_password_oracle(
    invoke: Invoke, public: Invoke, sent: KeptMessages
) -> None:
    # Checking the password history before the code would tell anyone, without a code, whether a guess is
    # the user's current password.
    pool = invoke(
        "CreateUserPool",
        PoolName="hist",
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"PasswordHistorySize": 3}},
    )["UserPool"]
    web = invoke("CreateUserPoolClient", UserPoolId=pool["Id"], ClientName="web")["UserPoolClient"]
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="uma",
        UserAttributes=[
            {"Name": "email", "Value": "uma@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    invoke("AdminSetUserPassword", UserPoolId=pool["Id"], Username="uma", Password=PASSWORD, Permanent=True)
    public("ForgotPassword", ClientId=web["ClientId"], Username="uma")
    err = _error(
        public,
        "ConfirmForgotPassword",
        ClientId=web["ClientId"],
        Username="uma",
        ConfirmationCode=_wrong_code(sent),
        Password=PASSWORD,
    )
    assert err.code == "CodeMismatchException"


def test_password_history_is_checked_once_the_code_is_right_and_keeps_the_code(
    invoke: Invoke, public: Invoke, sent: KeptMessages
) -> None:
    pool = invoke(
        "CreateUserPool",
        PoolName="hist2",
        AutoVerifiedAttributes=["email"],
        Policies={"PasswordPolicy": {"PasswordHistorySize": 3}},
    )["UserPool"]
    web = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"],
    )["UserPoolClient"]
    _confirmed(public, sent, web, "vic")
    public("ForgotPassword", ClientId=web["ClientId"], Username="vic")
    code = sent.last_code()
    reset = {"ClientId": web["ClientId"], "Username": "vic", "ConfirmationCode": code}
    err = _error(public, "ConfirmForgotPassword", Password=PASSWORD, **reset)
    assert err.code == "PasswordHistoryPolicyViolationException"
    public("ConfirmForgotPassword", Password="Brand-new1!", **reset)
    assert "AuthenticationResult" in password_sign_in(public, web, "vic", "Brand-new1!")


def test_confirm_sign_up_wrong_codes_run_out_for_unknown_names_too(
    public: Invoke, sent: KeptMessages, web: dict[str, Any]
) -> None:
    _sign_up(public, web)

    def answers(name: str) -> list[str]:
        wrong = _wrong_code(sent)
        return [
            _error(
                public, "ConfirmSignUp", ClientId=web["ClientId"], Username=name, ConfirmationCode=wrong
            ).code
            for _ in range(6)
        ]

    real = answers("quinn")
    assert real == ["CodeMismatchException"] * 5 + ["LimitExceededException"]
    assert answers("ghost") == real
    # A new code (real or simulated) starts the count again.
    for name in ("quinn", "ghost"):
        public("ResendConfirmationCode", ClientId=web["ClientId"], Username=name)
    assert answers("ghost") == answers("quinn") == real


def test_resend_confirmation_code_to_a_disabled_user_sends_nothing(
    invoke: Invoke, public: Invoke, sent: KeptMessages, verified_pool: dict[str, Any], web: dict[str, Any]
) -> None:
    _sign_up(public, web)
    sent.messages.clear()
    invoke("AdminDisableUser", UserPoolId=verified_pool["Id"], Username="quinn")
    details = public("ResendConfirmationCode", ClientId=web["ClientId"], Username="quinn")
    assert details["CodeDeliveryDetails"]["DeliveryMedium"] == "EMAIL"
    assert sent.messages == []


def test_resend_without_auto_verification_says_so_for_every_name(invoke: Invoke, public: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="noverify")["UserPool"]
    client = invoke("CreateUserPoolClient", UserPoolId=pool["Id"], ClientName="c")["UserPoolClient"]
    public("SignUp", ClientId=client["ClientId"], Username="wes", Password=PASSWORD)
    for name in ("wes", "ghost"):
        err = _error(public, "ResendConfirmationCode", ClientId=client["ClientId"], Username=name)
        assert err.code == "InvalidParameterException"


def test_admin_reset_requires_a_new_password_through_the_code(
    invoke: Invoke, public: Invoke, sent: KeptMessages, verified_pool: dict[str, Any], web: dict[str, Any]
) -> None:
    _sign_up(public, web)
    public("ConfirmSignUp", ClientId=web["ClientId"], Username="quinn", ConfirmationCode=sent.last_code())
    invoke("AdminResetUserPassword", UserPoolId=verified_pool["Id"], Username="quinn")
    assert (
        invoke("AdminGetUser", UserPoolId=verified_pool["Id"], Username="quinn")["UserStatus"]
        == "RESET_REQUIRED"
    )
    public(
        "ConfirmForgotPassword",
        ClientId=web["ClientId"],
        Username="quinn",
        ConfirmationCode=sent.last_code(),
        Password="Brand-new1!",
    )
    assert (
        invoke("AdminGetUser", UserPoolId=verified_pool["Id"], Username="quinn")["UserStatus"] == "CONFIRMED"
    )


def test_unknown_names_get_answers_shaped_like_real_ones(
    public: Invoke, sent: KeptMessages, web: dict[str, Any]
) -> None:
    first = public("ForgotPassword", ClientId=web["ClientId"], Username="ghost@example.com")
    again = public("ForgotPassword", ClientId=web["ClientId"], Username="ghost@example.com")
    assert first["CodeDeliveryDetails"] == again["CodeDeliveryDetails"]
    assert first["CodeDeliveryDetails"]["Destination"] == "g***@e***"
    assert public("ResendConfirmationCode", ClientId=web["ClientId"], Username="ghost")["CodeDeliveryDetails"]
    err = _error(
        public, "ConfirmSignUp", ClientId=web["ClientId"], Username="ghost", ConfirmationCode="123456"
    )
    assert err.code == "CodeMismatchException"
    for name, code in (("ghost", "ExpiredCodeException"), ("ghost@example.com", "CodeMismatchException")):
        # As for a real user: no code asked for yet is an expired code; after ForgotPassword, a wrong one.
        err = _error(
            public,
            "ConfirmForgotPassword",
            ClientId=web["ClientId"],
            Username=name,
            ConfirmationCode="123456",
            Password=PASSWORD,
        )
        assert err.code == code
    assert sent.messages == []


def test_legacy_client_says_user_not_found(
    invoke: Invoke, public: Invoke, verified_pool: dict[str, Any]
) -> None:
    legacy = invoke(
        "CreateUserPoolClient",
        UserPoolId=verified_pool["Id"],
        ClientName="legacy",
        PreventUserExistenceErrors="LEGACY",
    )["UserPoolClient"]
    err = _error(public, "ForgotPassword", ClientId=legacy["ClientId"], Username="ghost")
    assert err.code == "UserNotFoundException"


def test_unknown_client_is_resource_not_found(public: Invoke) -> None:
    err = _error(public, "SignUp", ClientId="nosuchclient", Username="x", Password=PASSWORD)
    assert (err.code, err.message) == (
        "ResourceNotFoundException",
        "User pool client nosuchclient does not exist.",
    )


def test_simulated_delivery_follows_the_pools_verification_settings(invoke: Invoke, public: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="sms", AutoVerifiedAttributes=["phone_number"])["UserPool"]
    client = invoke("CreateUserPoolClient", UserPoolId=pool["Id"], ClientName="c")["UserPoolClient"]
    for op in ("ForgotPassword", "ResendConfirmationCode"):
        details = public(op, ClientId=client["ClientId"], Username="ghost")["CodeDeliveryDetails"]
        assert details["DeliveryMedium"] == "SMS" and details["AttributeName"] == "phone_number"
        assert details["Destination"].startswith("+*******")

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


def test_forgot_password_needs_a_verified_contact(public: Invoke, web: dict[str, Any]) -> None:
    _sign_up(public, web)
    err = _error(public, "ForgotPassword", ClientId=web["ClientId"], Username="quinn")
    assert err.code == "InvalidParameterException" and "no registered/verified email" in err.message


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
    for op, extra in (("ConfirmSignUp", {}), ("ConfirmForgotPassword", {"Password": PASSWORD})):
        err = _error(
            public, op, ClientId=web["ClientId"], Username="ghost", ConfirmationCode="123456", **extra
        )
        assert err.code == "CodeMismatchException"
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

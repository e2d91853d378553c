"""Over the wire: a sub cannot be taken as a username, unknown names lock out and answer codes like real
users, and a refresh token is revocable only by its own client."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.integration.cognito_idp.conftest import PASSWORD, make_user, sign_in


def _error(fn: Any, *args: Any, **kwargs: Any) -> dict[str, str]:
    with pytest.raises(ClientError) as err:
        fn(*args, **kwargs)
    return {"Code": err.value.response["Error"]["Code"], "Message": err.value.response["Error"]["Message"]}


def _sub(idp: Any, pool_id: str, username: str) -> str:
    user = idp.admin_get_user(UserPoolId=pool_id, Username=username)
    return str(next(a["Value"] for a in user["UserAttributes"] if a["Name"] == "sub"))


def test_signing_up_as_someones_sub_is_refused(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "ana")
    sub = _sub(idp, pool["Id"], "ana")
    with pytest.raises(public_idp.exceptions.UsernameExistsException):
        public_idp.sign_up(ClientId=app["ClientId"], Username=sub, Password=PASSWORD)
    idp.admin_disable_user(UserPoolId=pool["Id"], Username=sub)
    assert idp.admin_get_user(UserPoolId=pool["Id"], Username="ana")["Enabled"] is False


def test_unknown_name_and_real_user_lock_out_alike(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "ben")

    def answers(name: str) -> list[dict[str, str]]:
        return [_error(sign_in, public_idp, app, name, "Wrong-pass1!") for _ in range(7)]

    real = answers("ben")
    assert real[-1] == {"Code": "NotAuthorizedException", "Message": "Password attempts exceeded"}
    assert answers("no-such-user") == real


def test_reset_codes_for_unknown_names_run_out_like_real_ones(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "cat")

    def answers(name: str) -> list[str]:
        public_idp.forgot_password(ClientId=app["ClientId"], Username=name)
        return [
            _error(
                public_idp.confirm_forgot_password,
                ClientId=app["ClientId"],
                Username=name,
                ConfirmationCode="12345678",  # six digits are sent; eight never match
                Password="Brand-new1!",
            )["Code"]
            for _ in range(6)
        ]

    real = answers("cat")
    assert real == ["CodeMismatchException"] * 5 + ["LimitExceededException"]
    assert answers("no-such-user") == real


def test_refresh_token_is_revocable_only_by_its_own_client(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    make_user(idp, pool["Id"], "dee")
    tokens = sign_in(public_idp, app, "dee")["AuthenticationResult"]
    other = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="other")["UserPoolClient"]
    with pytest.raises(public_idp.exceptions.UnauthorizedException):
        public_idp.revoke_token(Token=tokens["RefreshToken"], ClientId=other["ClientId"])
    assert public_idp.get_user(AccessToken=tokens["AccessToken"])["Username"] == "dee"
    public_idp.revoke_token(Token=tokens["RefreshToken"], ClientId=app["ClientId"])
    with pytest.raises(public_idp.exceptions.NotAuthorizedException):
        public_idp.get_user(AccessToken=tokens["AccessToken"])

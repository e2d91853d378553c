"""Admin user and group operations through their handlers."""

from __future__ import annotations

from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.service import CognitoIdpService
from tests.unit.services.cognito_idp.conftest import PASSWORD, Invoke, KeptMessages
from tests.unit.services.cognito_idp.test_signin import password_sign_in


def _code(invoke: Invoke, **params: Any) -> str:
    with pytest.raises(ServiceError) as err:
        invoke(**params)
    return err.value.code


def _attrs(user: dict[str, Any], key: str = "Attributes") -> dict[str, str]:
    return {a["Name"]: a["Value"] for a in user[key]}


def test_admin_create_user_invites_with_a_temporary_password(
    invoke: Invoke, sent: KeptMessages, pool: dict[str, Any]
) -> None:
    created = invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="henry",
        UserAttributes=[{"Name": "email", "Value": "henry@example.com"}],
        DesiredDeliveryMediums=["EMAIL"],
    )["User"]
    assert created["UserStatus"] == "FORCE_CHANGE_PASSWORD" and created["Enabled"] is True
    assert _attrs(created)["email"] == "henry@example.com"
    message = sent.messages[-1]
    assert (message.kind, message.medium, message.destination) == (
        "AdminCreateUser",
        "EMAIL",
        "henry@example.com",
    )
    assert "henry" in message.body and "temporary password" in message.body


def test_generated_temporary_password_signs_in_to_new_password_required(
    invoke: Invoke, public: Invoke, sent: KeptMessages, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="ivy",
        DesiredDeliveryMediums=["EMAIL"],
        UserAttributes=[{"Name": "email", "Value": "ivy@example.com"}],
    )
    # The default template ends "... temporary password is {####}. "; the password may itself hold a dot.
    temporary = sent.messages[-1].body.split("temporary password is ", 1)[1].removesuffix(". ")
    assert password_sign_in(public, app, "ivy", temporary)["ChallengeName"] == "NEW_PASSWORD_REQUIRED"


def test_suppress_sends_nothing_and_resend_sends_a_new_invitation(
    invoke: Invoke, sent: KeptMessages, pool: dict[str, Any]
) -> None:
    email = [{"Name": "email", "Value": "jack@example.com"}]
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="jack",
        UserAttributes=email,
        MessageAction="SUPPRESS",
    )
    assert sent.messages == []
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="jack",
        MessageAction="RESEND",
        DesiredDeliveryMediums=["EMAIL"],
    )
    assert len(sent.messages) == 1 and sent.messages[0].destination == "jack@example.com"


def test_existing_username_and_weak_temporary_password_are_refused(
    invoke: Invoke, pool: dict[str, Any], alice: str
) -> None:
    assert (
        _code(
            invoke,
            operation="AdminCreateUser",
            UserPoolId=pool["Id"],
            Username=alice,
            MessageAction="SUPPRESS",
        )
        == "UsernameExistsException"
    )
    assert (
        _code(
            invoke,
            operation="AdminCreateUser",
            UserPoolId=pool["Id"],
            Username="kim",
            TemporaryPassword="weak",
            MessageAction="SUPPRESS",
        )
        == "InvalidPasswordException"
    )


def test_admin_get_user_by_username_or_sub(invoke: Invoke, pool: dict[str, Any], alice: str) -> None:
    got = invoke("AdminGetUser", UserPoolId=pool["Id"], Username=alice)
    assert got["Username"] == alice and got["UserStatus"] == "CONFIRMED"
    sub = _attrs(got, "UserAttributes")["sub"]
    assert invoke("AdminGetUser", UserPoolId=pool["Id"], Username=sub)["Username"] == alice
    assert (
        _code(invoke, operation="AdminGetUser", UserPoolId=pool["Id"], Username="ghost")
        == "UserNotFoundException"
    )


def test_a_username_that_names_another_users_sub_is_refused(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    # alice's sub is in her ID token; an account named after it would capture admin lookups by sub.
    sub = _attrs(invoke("AdminGetUser", UserPoolId=pool["Id"], Username=alice), "UserAttributes")["sub"]
    for name in (sub, sub.upper()):
        with pytest.raises(ServiceError) as err:
            public("SignUp", ClientId=app["ClientId"], Username=name, Password=PASSWORD)
        assert (err.value.code, err.value.message) == ("UsernameExistsException", "User already exists")
        assert (
            _code(
                invoke,
                operation="AdminCreateUser",
                UserPoolId=pool["Id"],
                Username=name,
                MessageAction="SUPPRESS",
            )
            == "UsernameExistsException"
        )
    assert invoke("AdminGetUser", UserPoolId=pool["Id"], Username=sub)["Username"] == alice


def test_a_uuid_shaped_username_that_is_nobodys_sub_is_an_ordinary_username(
    invoke: Invoke, pool: dict[str, Any]
) -> None:
    name = "0b7e7c8a-3d1f-4c2e-9a5b-6f4d2e1c0a9b"
    invoke("AdminCreateUser", UserPoolId=pool["Id"], Username=name, MessageAction="SUPPRESS")
    got = invoke("AdminGetUser", UserPoolId=pool["Id"], Username=name)
    assert got["Username"] == name and _attrs(got, "UserAttributes")["sub"] != name


def test_a_sub_names_its_owner_even_when_an_alias_spells_it(invoke: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="alias-sub", AliasAttributes=["preferred_username"])["UserPool"]
    for name in ("alice", "mallory"):
        invoke("AdminCreateUser", UserPoolId=pool["Id"], Username=name, MessageAction="SUPPRESS")
    sub = _attrs(invoke("AdminGetUser", UserPoolId=pool["Id"], Username="alice"), "UserAttributes")["sub"]
    invoke(
        "AdminUpdateUserAttributes",
        UserPoolId=pool["Id"],
        Username="mallory",
        UserAttributes=[{"Name": "preferred_username", "Value": sub}],
    )
    invoke("CreateGroup", UserPoolId=pool["Id"], GroupName="admins")
    invoke("AdminAddUserToGroup", UserPoolId=pool["Id"], Username=sub, GroupName="admins")
    invoke("AdminDisableUser", UserPoolId=pool["Id"], Username=sub)
    assert invoke("AdminGetUser", UserPoolId=pool["Id"], Username=sub)["Username"] == "alice"
    members = invoke("ListUsersInGroup", UserPoolId=pool["Id"], GroupName="admins")["Users"]
    assert [u["Username"] for u in members] == ["alice"]
    assert invoke("AdminGetUser", UserPoolId=pool["Id"], Username="mallory")["Enabled"] is True


def test_passwords_are_stored_only_as_salt_and_verifier(
    invoke: Invoke, runtime: Any, pool: dict[str, Any], alice: str
) -> None:
    import sqlalchemy as sa

    from hutch.services.cognito_idp.tables import users

    with runtime.engine.connect() as conn:
        row = conn.execute(
            sa.select(users).where(users.c.username == alice, users.c.pool_id == pool["Id"])
        ).one()
    stored = " ".join(str(v) for v in row._mapping.values())
    assert PASSWORD not in stored
    assert row.salt and row.verifier and len(row.verifier) >= 700


def test_set_password_permanent_or_temporary(
    invoke: Invoke, public: Invoke, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    invoke(
        "AdminSetUserPassword",
        UserPoolId=pool["Id"],
        Username=alice,
        Password="Other-pass2!",
        Permanent=False,
    )
    assert (
        invoke("AdminGetUser", UserPoolId=pool["Id"], Username=alice)["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    )
    assert password_sign_in(public, app, alice, "Other-pass2!")["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    assert (
        _code(
            invoke,
            operation="AdminSetUserPassword",
            UserPoolId=pool["Id"],
            Username=alice,
            Password="short",
            Permanent=True,
        )
        == "InvalidPasswordException"
    )


def test_password_history_is_enforced(invoke: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="hist", Policies={"PasswordPolicy": {"PasswordHistorySize": 2}})[
        "UserPool"
    ]
    invoke("AdminCreateUser", UserPoolId=pool["Id"], Username="lee", MessageAction="SUPPRESS")
    for password in ("First-pass1!", "Second-pass1!"):
        invoke(
            "AdminSetUserPassword", UserPoolId=pool["Id"], Username="lee", Password=password, Permanent=True
        )
    assert (
        _code(
            invoke,
            operation="AdminSetUserPassword",
            UserPoolId=pool["Id"],
            Username="lee",
            Password="First-pass1!",
            Permanent=True,
        )
        == "PasswordHistoryPolicyViolationException"
    )
    invoke(
        "AdminSetUserPassword", UserPoolId=pool["Id"], Username="lee", Password="Third-pass1!", Permanent=True
    )
    invoke(
        "AdminSetUserPassword", UserPoolId=pool["Id"], Username="lee", Password="First-pass1!", Permanent=True
    )


def test_disable_revokes_tokens_and_enable_restores_sign_in(
    invoke: Invoke,
    public: Invoke,
    svc: CognitoIdpService,
    pool: dict[str, Any],
    app: dict[str, Any],
    alice: str,
) -> None:
    tokens = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
    invoke("AdminDisableUser", UserPoolId=pool["Id"], Username=alice)
    assert invoke("AdminGetUser", UserPoolId=pool["Id"], Username=alice)["Enabled"] is False
    with pytest.raises(ServiceError, match="revoked"):
        svc.verify_id_token(tokens["IdToken"])
    invoke("AdminEnableUser", UserPoolId=pool["Id"], Username=alice)
    assert "AuthenticationResult" in password_sign_in(public, app, alice, PASSWORD)


def test_update_attributes_unverifies_a_changed_email_and_sends_a_code(
    invoke: Invoke, sent: KeptMessages
) -> None:
    pool = invoke(
        "CreateUserPool",
        PoolName="attrs",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "team", "AttributeDataType": "String"}],
    )["UserPool"]
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="mia",
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": "mia@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    invoke(
        "AdminUpdateUserAttributes",
        UserPoolId=pool["Id"],
        Username="mia",
        UserAttributes=[
            {"Name": "email", "Value": "mia@new.example.com"},
            {"Name": "custom:team", "Value": "red"},
        ],
    )
    attrs = _attrs(invoke("AdminGetUser", UserPoolId=pool["Id"], Username="mia"), "UserAttributes")
    assert attrs["email"] == "mia@new.example.com" and attrs["email_verified"] == "false"
    assert attrs["custom:team"] == "red"
    assert sent.messages[-1].destination == "mia@new.example.com"
    invoke(
        "AdminDeleteUserAttributes", UserPoolId=pool["Id"], Username="mia", UserAttributeNames=["custom:team"]
    )
    attrs = _attrs(invoke("AdminGetUser", UserPoolId=pool["Id"], Username="mia"), "UserAttributes")
    assert "custom:team" not in attrs


def test_verified_alias_is_unique_unless_forced(invoke: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="alias", AliasAttributes=["email"])["UserPool"]
    verified = [{"Name": "email", "Value": "same@example.com"}, {"Name": "email_verified", "Value": "true"}]
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="nina",
        UserAttributes=verified,
        MessageAction="SUPPRESS",
    )
    assert (
        _code(
            invoke,
            operation="AdminCreateUser",
            UserPoolId=pool["Id"],
            Username="otto",
            UserAttributes=verified,
            MessageAction="SUPPRESS",
        )
        == "AliasExistsException"
    )
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="otto",
        UserAttributes=verified,
        MessageAction="SUPPRESS",
        ForceAliasCreation=True,
    )
    nina = _attrs(invoke("AdminGetUser", UserPoolId=pool["Id"], Username="nina"), "UserAttributes")
    assert nina["email_verified"] == "false"
    assert invoke("AdminGetUser", UserPoolId=pool["Id"], Username="same@example.com")["Username"] == "otto"


def test_email_username_pool_refuses_a_second_account_with_the_email(invoke: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="eu", UsernameAttributes=["email"])["UserPool"]
    invoke("AdminCreateUser", UserPoolId=pool["Id"], Username="pat@example.com", MessageAction="SUPPRESS")
    assert (
        _code(
            invoke,
            operation="AdminCreateUser",
            UserPoolId=pool["Id"],
            Username="pat@example.com",
            MessageAction="SUPPRESS",
        )
        == "UsernameExistsException"
    )
    assert (
        _code(
            invoke,
            operation="AdminCreateUser",
            UserPoolId=pool["Id"],
            Username="not-an-email",
            MessageAction="SUPPRESS",
        )
        == "InvalidParameterException"
    )


def test_list_users_filters_and_pages(invoke: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="list")["UserPool"]
    for name, given in (("u1", "Jon"), ("u2", "Jonas"), ("u3", "Kate"), ("u4", "jon")):
        invoke(
            "AdminCreateUser",
            UserPoolId=pool["Id"],
            Username=name,
            MessageAction="SUPPRESS",
            UserAttributes=[
                {"Name": "given_name", "Value": given},
                {"Name": "email", "Value": f"{name}@example.com"},
            ],
        )
    invoke("AdminDisableUser", UserPoolId=pool["Id"], Username="u3")

    def names(filter_text: str | None = None, **extra: Any) -> list[str]:
        params: dict[str, Any] = {"UserPoolId": pool["Id"], **extra}
        if filter_text is not None:
            params["Filter"] = filter_text
        return [u["Username"] for u in invoke("ListUsers", **params)["Users"]]

    assert names() == ["u1", "u2", "u3", "u4"]
    assert names('given_name = "Jon"') == ["u1"]
    assert names('given_name ^= "Jon"') == ["u1", "u2"]
    assert names('email = "U2@example.com"') == ["u2"]
    assert names('username ^= "u"') == ["u1", "u2", "u3", "u4"]
    assert names('status = "Disabled"') == ["u3"]
    assert names('cognito:user_status = "FORCE_CHANGE_PASSWORD"') == ["u1", "u2", "u3", "u4"]
    page = invoke("ListUsers", UserPoolId=pool["Id"], Limit=3)
    assert len(page["Users"]) == 3 and page["PaginationToken"]
    rest = invoke("ListUsers", UserPoolId=pool["Id"], Limit=3, PaginationToken=page["PaginationToken"])
    assert [u["Username"] for u in rest["Users"]] == ["u4"] and "PaginationToken" not in rest
    only_email = invoke("ListUsers", UserPoolId=pool["Id"], AttributesToGet=["email"])["Users"][0]
    assert [a["Name"] for a in only_email["Attributes"]] == ["email"]


def test_groups_carry_roles_into_tokens(
    invoke: Invoke,
    public: Invoke,
    svc: CognitoIdpService,
    pool: dict[str, Any],
    app: dict[str, Any],
    alice: str,
) -> None:
    admin_role, reader_role = "arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:role/Reader"
    invoke("CreateGroup", UserPoolId=pool["Id"], GroupName="admins", RoleArn=admin_role, Precedence=1)
    invoke(
        "CreateGroup",
        UserPoolId=pool["Id"],
        GroupName="readers",
        RoleArn=reader_role,
        Precedence=5,
        Description="read only",
    )
    assert (
        _code(invoke, operation="CreateGroup", UserPoolId=pool["Id"], GroupName="admins")
        == "GroupExistsException"
    )
    for group in ("admins", "readers", "admins"):
        invoke("AdminAddUserToGroup", UserPoolId=pool["Id"], Username=alice, GroupName=group)
    listed = invoke("AdminListGroupsForUser", UserPoolId=pool["Id"], Username=alice)["Groups"]
    assert [g["GroupName"] for g in listed] == ["admins", "readers"]
    members = invoke("ListUsersInGroup", UserPoolId=pool["Id"], GroupName="readers")["Users"]
    assert [u["Username"] for u in members] == [alice]
    claims = svc.verify_id_token(
        password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]["IdToken"]
    )
    assert claims["cognito:groups"] == ["admins", "readers"]
    assert set(claims["cognito:roles"]) == {admin_role, reader_role}
    assert claims["cognito:preferred_role"] == admin_role
    invoke("UpdateGroup", UserPoolId=pool["Id"], GroupName="readers", Precedence=0)
    assert (
        invoke("GetGroup", UserPoolId=pool["Id"], GroupName="readers")["Group"]["Description"] == "read only"
    )
    claims = svc.verify_id_token(
        password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]["IdToken"]
    )
    assert claims["cognito:preferred_role"] == reader_role
    invoke("AdminRemoveUserFromGroup", UserPoolId=pool["Id"], Username=alice, GroupName="readers")
    invoke("DeleteGroup", UserPoolId=pool["Id"], GroupName="admins")
    assert invoke("ListGroups", UserPoolId=pool["Id"])["Groups"][0]["GroupName"] == "readers"
    assert invoke("AdminListGroupsForUser", UserPoolId=pool["Id"], Username=alice)["Groups"] == []
    assert (
        _code(invoke, operation="GetGroup", UserPoolId=pool["Id"], GroupName="admins")
        == "ResourceNotFoundException"
    )


def test_deleted_user_is_gone_with_its_sessions(
    invoke: Invoke,
    public: Invoke,
    svc: CognitoIdpService,
    pool: dict[str, Any],
    app: dict[str, Any],
    alice: str,
) -> None:
    tokens = password_sign_in(public, app, alice, PASSWORD)["AuthenticationResult"]
    invoke("AdminDeleteUser", UserPoolId=pool["Id"], Username=alice)
    with pytest.raises(ServiceError):
        svc.verify_id_token(tokens["IdToken"])
    assert (
        _code(invoke, operation="AdminDeleteUser", UserPoolId=pool["Id"], Username=alice)
        == "UserNotFoundException"
    )

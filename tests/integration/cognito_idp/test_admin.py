"""Admin and user operations through boto3 against a live hutch (the logic is unit-tested; this checks the
wire: every shape round-trips through the real codec and botocore's parser)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.cognito_idp.conftest import PASSWORD, make_user, sign_in


def test_pool_and_client_round_trip(idp: Any, pool: dict[str, Any], app: dict[str, Any]) -> None:
    described = idp.describe_user_pool(UserPoolId=pool["Id"])["UserPool"]
    assert described["Arn"].endswith(f":userpool/{pool['Id']}")
    assert described["CreationDate"].tzinfo is not None
    assert {a["Name"] for a in described["SchemaAttributes"]} >= {"sub", "email", "email_verified"}
    client = idp.describe_user_pool_client(UserPoolId=pool["Id"], ClientId=app["ClientId"])["UserPoolClient"]
    assert client["ExplicitAuthFlows"] == app["ExplicitAuthFlows"]
    paginator = idp.get_paginator("list_user_pools")
    ids = [p["Id"] for page in paginator.paginate(MaxResults=1) for p in page["UserPools"]]
    assert pool["Id"] in ids and len(ids) == len(set(ids))


def test_users_and_groups_round_trip(
    idp: Any, public_idp: Any, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    for name in ("ann", "ben", "cat"):
        make_user(idp, pool["Id"], name)
    idp.create_group(
        UserPoolId=pool["Id"],
        GroupName="editors",
        RoleArn="arn:aws:iam::123456789012:role/Editor",
        Precedence=2,
        Description="edit",
    )
    idp.admin_add_user_to_group(UserPoolId=pool["Id"], Username="ben", GroupName="editors")
    group = idp.get_group(UserPoolId=pool["Id"], GroupName="editors")["Group"]
    assert group["RoleArn"].endswith("role/Editor") and group["Precedence"] == 2
    members = idp.list_users_in_group(UserPoolId=pool["Id"], GroupName="editors")["Users"]
    assert [u["Username"] for u in members] == ["ben"]
    paginator = idp.get_paginator("list_users")
    names = [
        u["Username"]
        for page in paginator.paginate(UserPoolId=pool["Id"], PaginationConfig={"PageSize": 2})
        for u in page["Users"]
    ]
    assert names == ["ann", "ben", "cat"]
    user = idp.admin_get_user(UserPoolId=pool["Id"], Username="cat")
    assert user["UserCreateDate"].tzinfo is not None and user["Enabled"] is True
    idp.admin_update_user_attributes(
        UserPoolId=pool["Id"], Username="cat", UserAttributes=[{"Name": "name", "Value": "Cat"}]
    )
    tokens = sign_in(public_idp, app, "cat")["AuthenticationResult"]
    public_idp.update_user_attributes(
        AccessToken=tokens["AccessToken"], UserAttributes=[{"Name": "given_name", "Value": "Catherine"}]
    )
    attrs = {
        a["Name"]: a["Value"]
        for a in public_idp.get_user(AccessToken=tokens["AccessToken"])["UserAttributes"]
    }
    assert attrs["name"] == "Cat" and attrs["given_name"] == "Catherine"
    public_idp.change_password(
        AccessToken=tokens["AccessToken"], PreviousPassword=PASSWORD, ProposedPassword="Changed-pass1!"
    )
    assert sign_in(public_idp, app, "cat", "Changed-pass1!")["AuthenticationResult"]
    public_idp.delete_user(
        AccessToken=sign_in(public_idp, app, "cat", "Changed-pass1!")["AuthenticationResult"]["AccessToken"]
    )
    with pytest.raises(idp.exceptions.UserNotFoundException):
        idp.admin_get_user(UserPoolId=pool["Id"], Username="cat")


def test_admin_initiate_auth_and_new_password_challenge(idp: Any, pool: dict[str, Any]) -> None:
    server = idp.create_user_pool_client(
        UserPoolId=pool["Id"], ClientName="server", ExplicitAuthFlows=["ALLOW_ADMIN_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]
    idp.admin_create_user(
        UserPoolId=pool["Id"], Username="dee", TemporaryPassword="Temp-pass1!", MessageAction="SUPPRESS"
    )
    first = idp.admin_initiate_auth(
        UserPoolId=pool["Id"],
        ClientId=server["ClientId"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "dee", "PASSWORD": "Temp-pass1!"},
    )
    assert first["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    done = idp.admin_respond_to_auth_challenge(
        UserPoolId=pool["Id"],
        ClientId=server["ClientId"],
        ChallengeName="NEW_PASSWORD_REQUIRED",
        Session=first["Session"],
        ChallengeResponses={"USERNAME": "dee", "NEW_PASSWORD": "Final-pass1!"},
    )
    assert done["AuthenticationResult"]["IdToken"]


def test_sign_up_with_custom_attribute_and_forgot_password(idp: Any, public_idp: Any) -> None:
    pool = idp.create_user_pool(
        PoolName="custom",
        AutoVerifiedAttributes=["email"],
        Schema=[{"Name": "plan", "AttributeDataType": "String", "Mutable": True}],
    )["UserPool"]
    app = idp.create_user_pool_client(UserPoolId=pool["Id"], ClientName="app")["UserPoolClient"]
    out = public_idp.sign_up(
        ClientId=app["ClientId"],
        Username="eli",
        Password=PASSWORD,
        UserAttributes=[
            {"Name": "email", "Value": "eli@example.com"},
            {"Name": "custom:plan", "Value": "pro"},
        ],
    )
    assert out["UserConfirmed"] is False and out["CodeDeliveryDetails"]["Destination"] == "e***@e***"
    with pytest.raises(public_idp.exceptions.CodeMismatchException):
        public_idp.confirm_sign_up(ClientId=app["ClientId"], Username="eli", ConfirmationCode="00000x")
    details = public_idp.resend_confirmation_code(ClientId=app["ClientId"], Username="eli")[
        "CodeDeliveryDetails"
    ]
    assert details["AttributeName"] == "email"
    attrs = {
        a["Name"]: a["Value"]
        for a in idp.admin_get_user(UserPoolId=pool["Id"], Username="eli")["UserAttributes"]
    }
    assert attrs["custom:plan"] == "pro"

"""User pools and app clients through their handlers: ids, ARNs, keys, defaults, paging, protection."""

from __future__ import annotations

import re
from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.runtime import Runtime
from hutch.services.cognito_idp.service import CognitoIdpService
from tests.unit.services.cognito_idp.conftest import Invoke


def test_pool_id_and_arn_have_aws_forms(invoke: Invoke, runtime: Runtime) -> None:
    pool = invoke("CreateUserPool", PoolName="shape")["UserPool"]
    assert re.fullmatch(rf"{runtime.region}_[0-9A-Za-z]{{9}}", pool["Id"])
    assert pool["Arn"] == f"arn:aws:cognito-idp:{runtime.region}:{runtime.account_id}:userpool/{pool['Id']}"
    assert pool["Status"] == "Enabled" and pool["Name"] == "shape"


def test_each_pool_gets_its_own_id_and_access_keys(invoke: Invoke, svc: CognitoIdpService) -> None:
    a = invoke("CreateUserPool", PoolName="a")["UserPool"]["Id"]
    b = invoke("CreateUserPool", PoolName="b")["UserPool"]["Id"]
    kids_a = {k["kid"] for k in (svc.jwks(a) or {})["keys"]}
    kids_b = {k["kid"] for k in (svc.jwks(b) or {})["keys"]}
    assert len(kids_a) == 2 and len(kids_b) == 2 and not kids_a & kids_b


def test_describe_counts_users_and_shows_settings(invoke: Invoke, pool: dict[str, Any], alice: str) -> None:
    described = invoke("DescribeUserPool", UserPoolId=pool["Id"])["UserPool"]
    assert described["EstimatedNumberOfUsers"] == 1
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 8


def test_unknown_pool_is_resource_not_found(invoke: Invoke) -> None:
    with pytest.raises(ServiceError) as err:
        invoke("DescribeUserPool", UserPoolId="us-east-1_nope12345")
    assert err.value.code == "ResourceNotFoundException"
    assert err.value.message == "User pool us-east-1_nope12345 does not exist."


def test_list_user_pools_pages(invoke: Invoke) -> None:
    made = {invoke("CreateUserPool", PoolName=f"page{i}")["UserPool"]["Id"] for i in range(3)}
    seen: set[str] = set()
    token = None
    while True:
        page = invoke("ListUserPools", MaxResults=2, **({"NextToken": token} if token else {}))
        assert len(page["UserPools"]) <= 2
        seen |= {p["Id"] for p in page["UserPools"]}
        token = page.get("NextToken")
        if not token:
            break
    assert made <= seen


def test_update_changes_settings_and_resets_the_rest(invoke: Invoke) -> None:
    pool = invoke("CreateUserPool", PoolName="upd", AutoVerifiedAttributes=["email"])["UserPool"]
    invoke("UpdateUserPool", UserPoolId=pool["Id"], Policies={"PasswordPolicy": {"MinimumLength": 12}})
    described = invoke("DescribeUserPool", UserPoolId=pool["Id"])["UserPool"]
    assert described["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert "AutoVerifiedAttributes" not in described


def test_deletion_protection_blocks_delete_until_lifted(invoke: Invoke, svc: CognitoIdpService) -> None:
    pool_id = invoke("CreateUserPool", PoolName="prot", DeletionProtection="ACTIVE")["UserPool"]["Id"]
    with pytest.raises(ServiceError, match="deletion protection is activated"):
        invoke("DeleteUserPool", UserPoolId=pool_id)
    invoke("UpdateUserPool", UserPoolId=pool_id, DeletionProtection="INACTIVE")
    invoke("DeleteUserPool", UserPoolId=pool_id)
    assert not svc.pool_exists(pool_id)
    assert svc.jwks(pool_id) is None


def test_deleting_a_pool_removes_its_users_and_clients(
    invoke: Invoke, svc: CognitoIdpService, pool: dict[str, Any], app: dict[str, Any], alice: str
) -> None:
    invoke("DeleteUserPool", UserPoolId=pool["Id"])
    assert not svc.client_exists(pool["Id"], app["ClientId"])
    with pytest.raises(ServiceError, match="does not exist"):
        invoke("AdminGetUser", UserPoolId=pool["Id"], Username=alice)


def test_client_id_and_generated_secret(invoke: Invoke, svc: CognitoIdpService, pool: dict[str, Any]) -> None:
    client = invoke("CreateUserPoolClient", UserPoolId=pool["Id"], ClientName="c", GenerateSecret=True)[
        "UserPoolClient"
    ]
    assert re.fullmatch(r"[a-z0-9]{26}", client["ClientId"])
    assert re.fullmatch(r"[a-z0-9]{51}", client["ClientSecret"])
    assert svc.client_exists(pool["Id"], client["ClientId"])
    assert not svc.client_exists("us-east-1_other0000", client["ClientId"])
    described = invoke("DescribeUserPoolClient", UserPoolId=pool["Id"], ClientId=client["ClientId"])
    assert described["UserPoolClient"]["ClientSecret"] == client["ClientSecret"]


def test_client_of_another_pool_is_not_found(
    invoke: Invoke, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    other = invoke("CreateUserPool", PoolName="other")["UserPool"]["Id"]
    with pytest.raises(ServiceError) as err:
        invoke("DescribeUserPoolClient", UserPoolId=other, ClientId=app["ClientId"])
    assert err.value.code == "ResourceNotFoundException"


def test_update_client_resets_left_out_settings_and_delete_removes_it(
    invoke: Invoke, pool: dict[str, Any], app: dict[str, Any]
) -> None:
    updated = invoke(
        "UpdateUserPoolClient", UserPoolId=pool["Id"], ClientId=app["ClientId"], ClientName="renamed"
    )
    assert updated["UserPoolClient"]["ClientName"] == "renamed"
    assert "ExplicitAuthFlows" not in updated["UserPoolClient"]
    listed = invoke("ListUserPoolClients", UserPoolId=pool["Id"])["UserPoolClients"]
    assert [c["ClientName"] for c in listed] == ["renamed"]
    invoke("DeleteUserPoolClient", UserPoolId=pool["Id"], ClientId=app["ClientId"])
    assert invoke("ListUserPoolClients", UserPoolId=pool["Id"])["UserPoolClients"] == []


def test_admin_operations_are_iam_authorized(runtime: Runtime, invoke: Invoke, pool: dict[str, Any]) -> None:
    from hutch.auth.principal import anonymous

    with pytest.raises(ServiceError) as err:
        invoke("DescribeUserPool", UserPoolId=pool["Id"], principal=anonymous(runtime.account_id))
    assert err.value.code.startswith("AccessDenied")


def test_mfa_config_reports_the_pools_setting(invoke: Invoke, pool: dict[str, Any]) -> None:
    assert invoke("GetUserPoolMfaConfig", UserPoolId=pool["Id"])["MfaConfiguration"] == "OFF"


def test_add_custom_attributes_extends_the_schema(invoke: Invoke, pool: dict[str, Any]) -> None:
    invoke("AddCustomAttributes", UserPoolId=pool["Id"], CustomAttributes=[{"Name": "tier"}])
    names = {
        a["Name"] for a in invoke("DescribeUserPool", UserPoolId=pool["Id"])["UserPool"]["SchemaAttributes"]
    }
    assert "custom:tier" in names
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="tierd",
        MessageAction="SUPPRESS",
        UserAttributes=[{"Name": "custom:tier", "Value": "gold"}],
    )

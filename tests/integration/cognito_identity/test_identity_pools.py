"""Administering identity pools against a live server, with boto3 and the AWS CLI."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.integration.cognito_identity.conftest import make_role
from tests.integration.cognito_identity.support import UserPool, run_cli, unique
from tests.support.server import HutchServer


def test_create_describe_update_list_delete_with_boto3(
    identity: Any, user_pool: UserPool, hutch: HutchServer
) -> None:
    created = identity.create_identity_pool(
        IdentityPoolName=unique("pool"),
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": user_pool.provider_name, "ClientId": user_pool.client_id}],
        IdentityPoolTags={"team": "web"},
    )
    pool_id = created["IdentityPoolId"]
    assert pool_id.startswith(f"{hutch.region}:")
    described = identity.describe_identity_pool(IdentityPoolId=pool_id)
    assert described["CognitoIdentityProviders"] == [
        {
            "ProviderName": user_pool.provider_name,
            "ClientId": user_pool.client_id,
            "ServerSideTokenCheck": False,
        }
    ]
    assert described["IdentityPoolTags"] == {"team": "web"}
    updated = identity.update_identity_pool(
        IdentityPoolId=pool_id, IdentityPoolName="renamed", AllowUnauthenticatedIdentities=True
    )
    assert (updated["IdentityPoolName"], updated["AllowUnauthenticatedIdentities"]) == ("renamed", True)
    listed = identity.get_paginator("list_identity_pools").paginate(MaxResults=60).build_full_result()
    assert pool_id in {p["IdentityPoolId"] for p in listed["IdentityPools"]}
    identity.delete_identity_pool(IdentityPoolId=pool_id)
    with pytest.raises(identity.exceptions.ResourceNotFoundException) as gone:
        identity.describe_identity_pool(IdentityPoolId=pool_id)
    assert gone.value.response["Error"]["Message"] == f"IdentityPool '{pool_id}' not found."


def test_the_cli_creates_a_pool_and_sets_its_roles(
    hutch: HutchServer, iam: Any, identity: Any, user_pool: UserPool
) -> None:
    created = run_cli(
        hutch,
        "cognito-identity",
        "create-identity-pool",
        "--identity-pool-name",
        unique("cli-pool"),
        "--no-allow-unauthenticated-identities",
        "--cognito-identity-providers",
        f"ProviderName={user_pool.provider_name},ClientId={user_pool.client_id},ServerSideTokenCheck=false",
    )
    pool_id = created["IdentityPoolId"]
    role = make_role(iam, pool_id, "authenticated")
    run_cli(
        hutch,
        "cognito-identity",
        "set-identity-pool-roles",
        "--identity-pool-id",
        pool_id,
        "--roles",
        f"authenticated={role}",
    )
    roles = run_cli(hutch, "cognito-identity", "get-identity-pool-roles", "--identity-pool-id", pool_id)
    assert roles == {"IdentityPoolId": pool_id, "Roles": {"authenticated": role}}


def test_validation_errors_are_awss(identity: Any, user_pool: UserPool) -> None:
    with pytest.raises(identity.exceptions.InvalidParameterException):
        identity.create_identity_pool(
            IdentityPoolName=unique("bad"),
            AllowUnauthenticatedIdentities=False,
            CognitoIdentityProviders=[{"ProviderName": user_pool.provider_name, "ClientId": "nosuchclient"}],
        )
    with pytest.raises(ClientError) as bad_name:
        identity.create_identity_pool(IdentityPoolName="bad/name!", AllowUnauthenticatedIdentities=False)
    # Model constraints are checked before the operation runs; Cognito Identity calls that ValidationException.
    assert bad_name.value.response["Error"]["Code"] == "ValidationException"


def test_role_mappings_and_principal_tags_round_trip(identity: Any, iam: Any, user_pool: UserPool) -> None:
    pool_id = identity.create_identity_pool(
        IdentityPoolName=unique("mapped"),
        AllowUnauthenticatedIdentities=False,
        CognitoIdentityProviders=[{"ProviderName": user_pool.provider_name, "ClientId": user_pool.client_id}],
    )["IdentityPoolId"]
    role = make_role(iam, pool_id, "authenticated")
    mappings = {
        f"{user_pool.provider_name}:{user_pool.client_id}": {
            "Type": "Rules",
            "AmbiguousRoleResolution": "AuthenticatedRole",
            "RulesConfiguration": {
                "Rules": [{"Claim": "custom:dept", "MatchType": "Equals", "Value": "sales", "RoleARN": role}]
            },
        }
    }
    identity.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles={"authenticated": role}, RoleMappings=mappings
    )
    assert identity.get_identity_pool_roles(IdentityPoolId=pool_id)["RoleMappings"] == mappings
    tags = identity.set_principal_tag_attribute_map(
        IdentityPoolId=pool_id, IdentityProviderName=user_pool.provider_name, UseDefaults=True
    )
    assert tags["PrincipalTags"] == {"username": "sub", "client": "aud"}


def test_tags_through_the_tagging_api(identity: Any, hutch: HutchServer) -> None:
    pool_id = identity.create_identity_pool(
        IdentityPoolName=unique("tags"), AllowUnauthenticatedIdentities=True
    )["IdentityPoolId"]
    arn = f"arn:aws:cognito-identity:{hutch.region}:{hutch.account_id}:identitypool/{pool_id}"
    identity.tag_resource(ResourceArn=arn, Tags={"a": "1", "b": "2"})
    identity.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert identity.list_tags_for_resource(ResourceArn=arn)["Tags"] == {"b": "2"}


def test_admin_operations_need_credentials(hutch: HutchServer) -> None:
    from tests.integration.cognito_identity.support import unsigned_client

    anonymous = unsigned_client(hutch, "cognito-identity")
    with pytest.raises(ClientError):
        anonymous.list_identity_pools(MaxResults=10)

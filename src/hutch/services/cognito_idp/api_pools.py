"""User pool operations: Create / Describe / List / Update / DeleteUserPool, AddCustomAttributes,
GetUserPoolMfaConfig."""

from __future__ import annotations

import dataclasses
from typing import Any

from hutch.operations import Call, operation
from hutch.services.cognito_idp import identifiers, pool_settings, schema
from hutch.services.cognito_idp.api_common import (
    SERVICE,
    arn_of,
    authorize,
    decode_token,
    encode_token,
    page_size,
    service,
)
from hutch.services.cognito_idp.faults import invalid_parameter
from hutch.services.cognito_idp.model import UserPool
from hutch.services.cognito_idp.store import pools as pool_store
from hutch.store.engine import read, write


def _describe(call: Call, pool: UserPool, estimated_users: int) -> dict[str, Any]:
    return pool_settings.describe(
        pool.id, pool.name, pool.settings, arn=arn_of(call, pool.id), estimated_users=estimated_users
    ) | {"CreationDate": pool.created, "LastModifiedDate": pool.modified}


@operation(SERVICE, "CreateUserPool")
def create_user_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, None)
    svc = service(call)
    settings = pool_settings.build(params)
    now = call.rt.now()
    pool = UserPool(
        id=identifiers.pool_id(call.rt.region),
        name=params["PoolName"],
        created=now,
        modified=now,
        settings=settings,
        decoy_secret=bytes.fromhex(identifiers.decoy_secret()),
    )
    with write(call.rt.engine) as conn:
        pool_store.insert_pool(conn, pool)
        svc.create_keys(conn, pool.id, now)
    call.log["user_pool"] = pool.id
    return {"UserPool": _describe(call, pool, 0)}


@operation(SERVICE, "DescribeUserPool")
def describe_user_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    with read(call.rt.engine) as conn:
        pool = service(call).pool(conn, pool_id)
        count = pool_store.count_users(conn, pool_id)
    return {"UserPool": _describe(call, pool, count)}


@operation(SERVICE, "ListUserPools")
def list_user_pools(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    authorize(call, None)
    limit = page_size(params.get("MaxResults"), 60)
    after = decode_token(params.get("NextToken"))
    with read(call.rt.engine) as conn:
        pools = pool_store.list_pools(conn, after, limit + 1)
    out: dict[str, Any] = {
        "UserPools": [
            {
                "Id": p.id,
                "Name": p.name,
                "LambdaConfig": p.settings.get("LambdaConfig") or {},
                "Status": "Enabled",
                "LastModifiedDate": p.modified,
                "CreationDate": p.created,
            }
            for p in pools[:limit]
        ]
    }
    if len(pools) > limit:
        out["NextToken"] = encode_token(pools[limit - 1].id)
    return out


@operation(SERVICE, "UpdateUserPool")
def update_user_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    with write(call.rt.engine) as conn:
        pool = service(call).pool(conn, pool_id)
        settings = pool_settings.build(params, existing=pool.settings)
        updated = dataclasses.replace(
            pool, name=params.get("PoolName") or pool.name, settings=settings, modified=call.rt.now()
        )
        pool_store.update_pool(conn, updated)
    return {}


@operation(SERVICE, "DeleteUserPool")
def delete_user_pool(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    svc = service(call)
    with write(call.rt.engine) as conn:
        pool = svc.pool(conn, pool_id)
        if pool.deletion_protected:
            raise invalid_parameter(
                "The user pool cannot be deleted because deletion protection is activated. "
                "Deletion protection must be inactivated first."
            )
        kids = [kid for kid, _, _ in pool_store.keys_for_pool(conn, pool_id)]
        pool_store.delete_pool(conn, pool_id)
    svc.key_cache.forget(kids)
    return {}


@operation(SERVICE, "AddCustomAttributes")
def add_custom_attributes(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    with write(call.rt.engine) as conn:
        pool = service(call).pool(conn, pool_id)
        settings = dict(pool.settings)
        settings["SchemaAttributes"] = schema.add_custom_attributes(pool.schema, params["CustomAttributes"])
        pool_store.update_pool(conn, dataclasses.replace(pool, settings=settings, modified=call.rt.now()))
    return {}


@operation(SERVICE, "GetUserPoolMfaConfig")
def get_user_pool_mfa_config(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    with read(call.rt.engine) as conn:
        pool = service(call).pool(conn, pool_id)
    return {"MfaConfiguration": pool.settings.get("MfaConfiguration", "OFF")}

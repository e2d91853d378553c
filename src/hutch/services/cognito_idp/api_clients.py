"""App client operations: Create / Describe / List / Update / DeleteUserPoolClient."""

from __future__ import annotations

import dataclasses
from typing import Any

from hutch.operations import Call, operation
from hutch.services.cognito_idp import client_settings, identifiers
from hutch.services.cognito_idp.api_common import (
    SERVICE,
    authorize,
    decode_token,
    encode_token,
    page_size,
    service,
)
from hutch.services.cognito_idp.faults import invalid_parameter
from hutch.services.cognito_idp.model import AppClient
from hutch.services.cognito_idp.store import pools as pool_store
from hutch.store.engine import read, write


def _secret_for(params: dict[str, Any]) -> str | None:
    given = params.get("ClientSecret")
    if given is not None:
        if not params.get("GenerateSecret", True) and params.get("GenerateSecret") is not None:
            raise invalid_parameter("ClientSecret can only be set when GenerateSecret is true.")
        return str(given)
    return identifiers.client_secret() if params.get("GenerateSecret") else None


@operation(SERVICE, "CreateUserPoolClient")
def create_user_pool_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    now = call.rt.now()
    with write(call.rt.engine) as conn:
        pool = service(call).pool(conn, pool_id)
        client = AppClient(
            client_id=identifiers.client_id(),
            pool_id=pool_id,
            name=params["ClientName"],
            secret=_secret_for(params),
            settings=client_settings.build(params, pool.schema),
            created=now,
            modified=now,
        )
        pool_store.insert_client(conn, client)
    return {"UserPoolClient": client_settings.describe(client)}


@operation(SERVICE, "DescribeUserPoolClient")
def describe_user_pool_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    svc = service(call)
    with read(call.rt.engine) as conn:
        svc.pool(conn, pool_id)
        client = svc.client(conn, params["ClientId"], pool_id)
    return {"UserPoolClient": client_settings.describe(client)}


@operation(SERVICE, "ListUserPoolClients")
def list_user_pool_clients(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    limit = page_size(params.get("MaxResults"), 60)
    after = decode_token(params.get("NextToken"))
    with read(call.rt.engine) as conn:
        service(call).pool(conn, pool_id)
        clients = pool_store.list_clients(conn, pool_id, after, limit + 1)
    out: dict[str, Any] = {
        "UserPoolClients": [
            {"ClientId": c.client_id, "UserPoolId": c.pool_id, "ClientName": c.name} for c in clients[:limit]
        ]
    }
    if len(clients) > limit:
        out["NextToken"] = encode_token(clients[limit - 1].client_id)
    return out


@operation(SERVICE, "UpdateUserPoolClient")
def update_user_pool_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    svc = service(call)
    with write(call.rt.engine) as conn:
        pool = svc.pool(conn, pool_id)
        client = svc.client(conn, params["ClientId"], pool_id)
        updated = dataclasses.replace(
            client,
            name=params.get("ClientName") or client.name,
            settings=client_settings.build(params, pool.schema),
            modified=call.rt.now(),
        )
        pool_store.update_client(conn, updated)
    return {"UserPoolClient": client_settings.describe(updated)}


@operation(SERVICE, "DeleteUserPoolClient")
def delete_user_pool_client(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    svc = service(call)
    with write(call.rt.engine) as conn:
        svc.pool(conn, pool_id)
        client = svc.client(conn, params["ClientId"], pool_id)
        pool_store.delete_client(conn, client.client_id)
    return {}

"""Group operations: Create / Get / List / Update / DeleteGroup, AdminAddUserToGroup,
AdminRemoveUserFromGroup, AdminListGroupsForUser, ListUsersInGroup."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa

from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.cognito_idp import accounts
from hutch.services.cognito_idp.api_common import (
    SERVICE,
    authorize,
    decode_token,
    encode_token,
    page_size,
    service,
)
from hutch.services.cognito_idp.faults import group_not_found, invalid_parameter, user_not_found
from hutch.services.cognito_idp.model import Group
from hutch.services.cognito_idp.store import groups as group_store
from hutch.store.engine import read, write


def _group_type(group: Group) -> dict[str, Any]:
    out: dict[str, Any] = {
        "GroupName": group.name,
        "UserPoolId": group.pool_id,
        "LastModifiedDate": group.modified,
        "CreationDate": group.created,
    }
    if group.description is not None:
        out["Description"] = group.description
    if group.role_arn is not None:
        out["RoleArn"] = group.role_arn
    if group.precedence is not None:
        out["Precedence"] = group.precedence
    return out


def _check_role_arn(role_arn: str | None) -> None:
    if role_arn is not None and not (role_arn.startswith("arn:aws:iam::") and ":role/" in role_arn):
        raise invalid_parameter(f"{role_arn} is not a valid IAM role ARN.")


def _existing_group(conn: sa.Connection, pool_id: str, name: str) -> Group:
    group = group_store.get_group(conn, pool_id, name)
    if group is None:
        raise group_not_found()
    return group


@operation(SERVICE, "CreateGroup")
def create_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    _check_role_arn(params.get("RoleArn"))
    now = call.rt.now()
    group = Group(
        pool_id=pool_id,
        name=params["GroupName"],
        description=params.get("Description"),
        role_arn=params.get("RoleArn"),
        precedence=params.get("Precedence"),
        created=now,
        modified=now,
    )
    with write(call.rt.engine) as conn:
        service(call).pool(conn, pool_id)
        if not group_store.insert_group(conn, group):
            raise ServiceError("GroupExistsException", "A group with the name already exists.")
    return {"Group": _group_type(group)}


@operation(SERVICE, "GetGroup")
def get_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    with read(call.rt.engine) as conn:
        service(call).pool(conn, pool_id)
        group = _existing_group(conn, pool_id, params["GroupName"])
    return {"Group": _group_type(group)}


@operation(SERVICE, "ListGroups")
def list_groups(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    limit = page_size(params.get("Limit"), 60)
    after = decode_token(params.get("NextToken"))
    with read(call.rt.engine) as conn:
        service(call).pool(conn, pool_id)
        found = group_store.list_groups(conn, pool_id, after, limit + 1)
    out: dict[str, Any] = {"Groups": [_group_type(g) for g in found[:limit]]}
    if len(found) > limit:
        out["NextToken"] = encode_token(found[limit - 1].name)
    return out


@operation(SERVICE, "UpdateGroup")
def update_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    _check_role_arn(params.get("RoleArn"))
    with write(call.rt.engine) as conn:
        service(call).pool(conn, pool_id)
        group = _existing_group(conn, pool_id, params["GroupName"])
        # Members left out of the request keep their values.
        updated = dataclasses.replace(
            group,
            description=params.get("Description", group.description),
            role_arn=params.get("RoleArn", group.role_arn),
            precedence=params.get("Precedence", group.precedence),
            modified=call.rt.now(),
        )
        group_store.update_group(conn, updated)
    return {"Group": _group_type(updated)}


@operation(SERVICE, "DeleteGroup")
def delete_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    with write(call.rt.engine) as conn:
        service(call).pool(conn, pool_id)
        _existing_group(conn, pool_id, params["GroupName"])
        group_store.delete_group(conn, pool_id, params["GroupName"])
    return {}


def _membership(call: Call, params: dict[str, Any], add: bool) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    with write(call.rt.engine) as conn:
        pool = service(call).pool(conn, pool_id)
        _existing_group(conn, pool_id, params["GroupName"])
        user = accounts.resolve(conn, pool, params["Username"])
        if user is None:
            raise user_not_found()
        if add:
            group_store.add_member(conn, pool_id, params["GroupName"], user.sub)
        else:
            group_store.remove_member(conn, pool_id, params["GroupName"], user.sub)
    return {}


@operation(SERVICE, "AdminAddUserToGroup")
def admin_add_user_to_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _membership(call, params, add=True)


@operation(SERVICE, "AdminRemoveUserFromGroup")
def admin_remove_user_from_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    return _membership(call, params, add=False)


@operation(SERVICE, "AdminListGroupsForUser")
def admin_list_groups_for_user(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    limit = page_size(params.get("Limit"), 60)
    after = decode_token(params.get("NextToken"))
    with read(call.rt.engine) as conn:
        pool = service(call).pool(conn, pool_id)
        user = accounts.resolve(conn, pool, params["Username"])
        if user is None:
            raise user_not_found()
        found = group_store.groups_of(conn, user.sub, after, limit + 1)
    out: dict[str, Any] = {"Groups": [_group_type(g) for g in found[:limit]]}
    if len(found) > limit:
        out["NextToken"] = encode_token(found[limit - 1].name)
    return out


@operation(SERVICE, "ListUsersInGroup")
def list_users_in_group(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    pool_id = params["UserPoolId"]
    authorize(call, pool_id)
    limit = page_size(params.get("Limit"), 60)
    after = decode_token(params.get("NextToken"))
    with read(call.rt.engine) as conn:
        service(call).pool(conn, pool_id)
        _existing_group(conn, pool_id, params["GroupName"])
        found = group_store.members(conn, pool_id, params["GroupName"], after, limit + 1)
    out: dict[str, Any] = {"Users": [accounts.user_type(u) for u in found[:limit]]}
    if len(found) > limit:
        out["NextToken"] = encode_token(found[limit - 1].sub)
    return out

"""IAM role operations."""

from __future__ import annotations

from typing import Any

from hutch.operations import Call, operation
from hutch.services.iam import documents, guard, responses
from hutch.services.iam.guard import iam
from hutch.services.iam.model import role_arn
from hutch.services.iam.validation import check_path, paginate, tags_from_params, tags_out

Params = dict[str, Any]
Result = dict[str, Any]


@operation("iam", "CreateRole")
def create_role(call: Call, params: Params) -> Result:
    name, path = params["RoleName"], check_path(params.get("Path"))
    tags = tags_from_params(params.get("Tags"))
    boundary = params.get("PermissionsBoundary")
    context = guard.request_tags(tags)
    if boundary:
        context["iam:PermissionsBoundary"] = boundary
    guard.authorize(call, "CreateRole", role_arn(call.account, path, name), context)
    if tags:
        guard.authorize(call, "TagRole", role_arn(call.account, path, name), context)
    role = iam(call).roles.create(
        name,
        params["AssumeRolePolicyDocument"],
        path=path,
        description=params.get("Description"),
        max_session_duration=params.get("MaxSessionDuration"),
        boundary_arn=boundary,
        tags=tags,
    )
    out = responses.role(role)
    out.pop("RoleLastUsed", None)
    return {"Role": out}


@operation("iam", "GetRole")
def get_role(call: Call, params: Params) -> Result:
    guard.role(call, "GetRole", params["RoleName"])
    return {"Role": responses.role(iam(call).roles.get(params["RoleName"]))}


@operation("iam", "ListRoles")
def list_roles(call: Call, params: Params) -> Result:
    guard.authorize(call, "ListRoles", guard.account_resource(call, "role"))
    roles = iam(call).roles.listing(params.get("PathPrefix") or "/")
    page, more = paginate(roles, params, lambda r: r.name.lower())
    return {"Roles": [responses.role(r, detail=False) for r in page], **more}


@operation("iam", "UpdateRole")
def update_role(call: Call, params: Params) -> Result:
    guard.role(call, "UpdateRole", params["RoleName"])
    iam(call).roles.update(
        params["RoleName"],
        description=params.get("Description"),
        max_session_duration=params.get("MaxSessionDuration"),
    )
    return {}


@operation("iam", "UpdateRoleDescription")
def update_role_description(call: Call, params: Params) -> Result:
    guard.role(call, "UpdateRoleDescription", params["RoleName"])
    role = iam(call).roles.update(params["RoleName"], description=params["Description"])
    return {"Role": responses.role(role)}


@operation("iam", "UpdateAssumeRolePolicy")
def update_assume_role_policy(call: Call, params: Params) -> Result:
    guard.role(call, "UpdateAssumeRolePolicy", params["RoleName"])
    iam(call).roles.update_trust_policy(params["RoleName"], params["PolicyDocument"])
    return {}


@operation("iam", "DeleteRole")
def delete_role(call: Call, params: Params) -> Result:
    guard.role(call, "DeleteRole", params["RoleName"])
    iam(call).roles.delete(params["RoleName"])
    return {}


@operation("iam", "TagRole")
def tag_role(call: Call, params: Params) -> Result:
    tags = tags_from_params(params["Tags"])
    guard.role(call, "TagRole", params["RoleName"], guard.request_tags(tags))
    iam(call).roles.tag(params["RoleName"], tags)
    return {}


@operation("iam", "UntagRole")
def untag_role(call: Call, params: Params) -> Result:
    guard.role(call, "UntagRole", params["RoleName"], {"aws:TagKeys": list(params["TagKeys"])})
    iam(call).roles.untag(params["RoleName"], list(params["TagKeys"]))
    return {}


@operation("iam", "ListRoleTags")
def list_role_tags(call: Call, params: Params) -> Result:
    guard.role(call, "ListRoleTags", params["RoleName"])
    tags = iam(call).roles.get(params["RoleName"]).tags
    page, more = paginate(tags, params, lambda t: t[0])
    return {"Tags": tags_out(tuple(page)), **more}


@operation("iam", "PutRolePermissionsBoundary")
def put_role_permissions_boundary(call: Call, params: Params) -> Result:
    arn = params["PermissionsBoundary"]
    guard.role(call, "PutRolePermissionsBoundary", params["RoleName"], {"iam:PermissionsBoundary": arn})
    iam(call).roles.put_boundary(params["RoleName"], arn)
    return {}


@operation("iam", "DeleteRolePermissionsBoundary")
def delete_role_permissions_boundary(call: Call, params: Params) -> Result:
    role = iam(call).roles.find(params["RoleName"])
    extra = {"iam:PermissionsBoundary": role.boundary_arn} if role and role.boundary_arn else {}
    guard.role(call, "DeleteRolePermissionsBoundary", params["RoleName"], extra)
    iam(call).roles.delete_boundary(params["RoleName"])
    return {}


# ---- inline policies -------------------------------------------------------------------------------------


@operation("iam", "PutRolePolicy")
def put_role_policy(call: Call, params: Params) -> Result:
    guard.role(call, "PutRolePolicy", params["RoleName"])
    iam(call).roles.put_inline(params["RoleName"], params["PolicyName"], params["PolicyDocument"])
    return {}


@operation("iam", "GetRolePolicy")
def get_role_policy(call: Call, params: Params) -> Result:
    guard.role(call, "GetRolePolicy", params["RoleName"])
    role, policy = iam(call).roles.inline(params["RoleName"], params["PolicyName"])
    return {
        "RoleName": role.name,
        "PolicyName": policy.name,
        "PolicyDocument": documents.encoded(policy.document),
    }


@operation("iam", "DeleteRolePolicy")
def delete_role_policy(call: Call, params: Params) -> Result:
    guard.role(call, "DeleteRolePolicy", params["RoleName"])
    iam(call).roles.delete_inline(params["RoleName"], params["PolicyName"])
    return {}


@operation("iam", "ListRolePolicies")
def list_role_policies(call: Call, params: Params) -> Result:
    guard.role(call, "ListRolePolicies", params["RoleName"])
    names = iam(call).roles.inline_names(params["RoleName"])
    page, more = paginate(names, params, str.lower)
    return {"PolicyNames": page, **more}


# ---- managed policies ------------------------------------------------------------------------------------


@operation("iam", "AttachRolePolicy")
def attach_role_policy(call: Call, params: Params) -> Result:
    arn = params["PolicyArn"]
    guard.role(call, "AttachRolePolicy", params["RoleName"], {"iam:PolicyARN": arn})
    iam(call).roles.attach(params["RoleName"], arn)
    return {}


@operation("iam", "DetachRolePolicy")
def detach_role_policy(call: Call, params: Params) -> Result:
    arn = params["PolicyArn"]
    guard.role(call, "DetachRolePolicy", params["RoleName"], {"iam:PolicyARN": arn})
    iam(call).roles.detach(params["RoleName"], arn)
    return {}


@operation("iam", "ListAttachedRolePolicies")
def list_attached_role_policies(call: Call, params: Params) -> Result:
    guard.role(call, "ListAttachedRolePolicies", params["RoleName"])
    found = iam(call).roles.attached(params["RoleName"], params.get("PathPrefix") or "/")
    page, more = paginate(found, params, lambda p: p.arn)
    return {"AttachedPolicies": [responses.attached(p) for p in page], **more}

"""IAM user and access key operations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hutch import identity
from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.iam import documents, guard, responses
from hutch.services.iam.guard import iam
from hutch.services.iam.model import user_arn
from hutch.services.iam.validation import check_path, paginate, tags_from_params, tags_out

Params = dict[str, Any]
Result = dict[str, Any]


def _caller_user_name(call: Call, params: Params) -> str:
    """Operations whose UserName defaults to the calling IAM user (GetUser, CreateAccessKey, ...)."""
    name = params.get("UserName")
    if name:
        return str(name)
    principal = call.principal
    if principal.kind == "user" and principal.name:
        return principal.name
    if principal.is_root:
        raise ServiceError(
            "ValidationError",
            "hutch's root access keys come from its data directory (root-credentials.json) and are not "
            "managed through IAM; pass UserName.",
            400,
        )
    raise ServiceError("ValidationError", "Must specify userName when calling with non-User credentials", 400)


@operation("iam", "CreateUser")
def create_user(call: Call, params: Params) -> Result:
    name, path = params["UserName"], check_path(params.get("Path"))
    tags = tags_from_params(params.get("Tags"))
    boundary = params.get("PermissionsBoundary")
    context = guard.request_tags(tags)
    if boundary:
        context["iam:PermissionsBoundary"] = boundary
    guard.authorize(call, "CreateUser", user_arn(call.account, path, name), context)
    if tags:
        guard.authorize(call, "TagUser", user_arn(call.account, path, name), context)
    user = iam(call).users.create(name, path=path, boundary_arn=boundary, tags=tags)
    return {"User": responses.user(user)}


@operation("iam", "GetUser")
def get_user(call: Call, params: Params) -> Result:
    if not params.get("UserName") and call.principal.is_root:
        # The root user asking about itself: IAM answers with the account's identity (no name, no path).
        return {
            "User": {"UserId": call.account, "Arn": call.principal.arn, "CreateDate": _account_created(call)}
        }
    name = _caller_user_name(call, params)
    guard.user(call, "GetUser", name)
    return {"User": responses.user(iam(call).users.get(name))}


def _account_created(call: Call) -> datetime:
    """When this installation's account came to be: when its account file was written."""
    try:
        stamp = (call.rt.config.data_dir / identity.ACCOUNT_FILE).stat().st_mtime
    except OSError:
        return call.rt.now().replace(microsecond=0)
    return datetime.fromtimestamp(int(stamp), UTC)


@operation("iam", "ListUsers")
def list_users(call: Call, params: Params) -> Result:
    guard.authorize(call, "ListUsers", guard.account_resource(call, "user"))
    users = iam(call).users.listing(params.get("PathPrefix") or "/")
    page, more = paginate(users, params, lambda u: u.name.lower())
    return {"Users": [responses.user(u, detail=False) for u in page], **more}


@operation("iam", "DeleteUser")
def delete_user(call: Call, params: Params) -> Result:
    guard.user(call, "DeleteUser", params["UserName"])
    iam(call).users.delete(params["UserName"])
    return {}


@operation("iam", "TagUser")
def tag_user(call: Call, params: Params) -> Result:
    tags = tags_from_params(params["Tags"])
    guard.user(call, "TagUser", params["UserName"], guard.request_tags(tags))
    iam(call).users.tag(params["UserName"], tags)
    return {}


@operation("iam", "UntagUser")
def untag_user(call: Call, params: Params) -> Result:
    guard.user(call, "UntagUser", params["UserName"], {"aws:TagKeys": list(params["TagKeys"])})
    iam(call).users.untag(params["UserName"], list(params["TagKeys"]))
    return {}


@operation("iam", "ListUserTags")
def list_user_tags(call: Call, params: Params) -> Result:
    guard.user(call, "ListUserTags", params["UserName"])
    tags = iam(call).users.get(params["UserName"]).tags
    page, more = paginate(tags, params, lambda t: t[0])
    return {"Tags": tags_out(tuple(page)), **more}


@operation("iam", "PutUserPermissionsBoundary")
def put_user_permissions_boundary(call: Call, params: Params) -> Result:
    arn = params["PermissionsBoundary"]
    guard.user(call, "PutUserPermissionsBoundary", params["UserName"], {"iam:PermissionsBoundary": arn})
    iam(call).users.put_boundary(params["UserName"], arn)
    return {}


@operation("iam", "DeleteUserPermissionsBoundary")
def delete_user_permissions_boundary(call: Call, params: Params) -> Result:
    user = iam(call).users.find(params["UserName"])
    extra = {"iam:PermissionsBoundary": user.boundary_arn} if user and user.boundary_arn else {}
    guard.user(call, "DeleteUserPermissionsBoundary", params["UserName"], extra)
    iam(call).users.delete_boundary(params["UserName"])
    return {}


# ---- inline policies -------------------------------------------------------------------------------------


@operation("iam", "PutUserPolicy")
def put_user_policy(call: Call, params: Params) -> Result:
    guard.user(call, "PutUserPolicy", params["UserName"])
    iam(call).users.put_inline(params["UserName"], params["PolicyName"], params["PolicyDocument"])
    return {}


@operation("iam", "GetUserPolicy")
def get_user_policy(call: Call, params: Params) -> Result:
    guard.user(call, "GetUserPolicy", params["UserName"])
    user, policy = iam(call).users.inline(params["UserName"], params["PolicyName"])
    return {
        "UserName": user.name,
        "PolicyName": policy.name,
        "PolicyDocument": documents.encoded(policy.document),
    }


@operation("iam", "DeleteUserPolicy")
def delete_user_policy(call: Call, params: Params) -> Result:
    guard.user(call, "DeleteUserPolicy", params["UserName"])
    iam(call).users.delete_inline(params["UserName"], params["PolicyName"])
    return {}


@operation("iam", "ListUserPolicies")
def list_user_policies(call: Call, params: Params) -> Result:
    guard.user(call, "ListUserPolicies", params["UserName"])
    names = iam(call).users.inline_names(params["UserName"])
    page, more = paginate(names, params, str.lower)
    return {"PolicyNames": page, **more}


# ---- managed policies ------------------------------------------------------------------------------------


@operation("iam", "AttachUserPolicy")
def attach_user_policy(call: Call, params: Params) -> Result:
    arn = params["PolicyArn"]
    guard.user(call, "AttachUserPolicy", params["UserName"], {"iam:PolicyARN": arn})
    iam(call).users.attach(params["UserName"], arn)
    return {}


@operation("iam", "DetachUserPolicy")
def detach_user_policy(call: Call, params: Params) -> Result:
    arn = params["PolicyArn"]
    guard.user(call, "DetachUserPolicy", params["UserName"], {"iam:PolicyARN": arn})
    iam(call).users.detach(params["UserName"], arn)
    return {}


@operation("iam", "ListAttachedUserPolicies")
def list_attached_user_policies(call: Call, params: Params) -> Result:
    guard.user(call, "ListAttachedUserPolicies", params["UserName"])
    found = iam(call).users.attached(params["UserName"], params.get("PathPrefix") or "/")
    page, more = paginate(found, params, lambda p: p.arn)
    return {"AttachedPolicies": [responses.attached(p) for p in page], **more}


# ---- access keys -----------------------------------------------------------------------------------------


@operation("iam", "CreateAccessKey")
def create_access_key(call: Call, params: Params) -> Result:
    name = _caller_user_name(call, params)
    guard.user(call, "CreateAccessKey", name)
    key = iam(call).users.create_access_key(name)
    return {"AccessKey": responses.access_key(key, with_secret=True)}


@operation("iam", "ListAccessKeys")
def list_access_keys(call: Call, params: Params) -> Result:
    name = _caller_user_name(call, params)
    guard.user(call, "ListAccessKeys", name)
    keys = iam(call).users.access_keys(name)
    page, more = paginate(keys, params, lambda k: k.access_key_id)
    return {"AccessKeyMetadata": [responses.access_key(k, with_secret=False) for k in page], **more}


@operation("iam", "UpdateAccessKey")
def update_access_key(call: Call, params: Params) -> Result:
    name = _caller_user_name(call, params)
    guard.user(call, "UpdateAccessKey", name)
    iam(call).users.update_access_key(name, params["AccessKeyId"], params["Status"])
    return {}


@operation("iam", "DeleteAccessKey")
def delete_access_key(call: Call, params: Params) -> Result:
    name = _caller_user_name(call, params)
    guard.user(call, "DeleteAccessKey", name)
    iam(call).users.delete_access_key(name, params["AccessKeyId"])
    return {}


@operation("iam", "GetAccessKeyLastUsed")
def get_access_key_last_used(call: Call, params: Params) -> Result:
    key = iam(call).users.access_key(params["AccessKeyId"])
    # Authorized on the key's owner; an unknown key is authorized on "*" so its absence reveals nothing more.
    resource = user_arn(call.account, "/", key.user_name) if key else "*"
    if key is not None:
        owner = iam(call).users.find_by_id(key.user_id)
        resource = owner.arn if owner else resource
    guard.authorize(call, "GetAccessKeyLastUsed", resource)
    if key is None:
        raise ServiceError("AccessDenied", "Access Denied", 403)
    # hutch does not record key use per request (that would be a write on every call).
    return {"UserName": key.user_name, "AccessKeyLastUsed": {"ServiceName": "N/A", "Region": "N/A"}}

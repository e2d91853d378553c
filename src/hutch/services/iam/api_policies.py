"""IAM managed policy operations (policies, versions, who they are attached to)."""

from __future__ import annotations

from typing import Any

from hutch.operations import Call, operation
from hutch.services.iam import guard, responses
from hutch.services.iam.guard import iam
from hutch.services.iam.model import policy_arn
from hutch.services.iam.validation import check_path, paginate, tags_from_params, tags_out

Params = dict[str, Any]
Result = dict[str, Any]


@operation("iam", "CreatePolicy")
def create_policy(call: Call, params: Params) -> Result:
    name, path = params["PolicyName"], check_path(params.get("Path"))
    tags = tags_from_params(params.get("Tags"))
    arn = policy_arn(call.account, path, name)
    guard.authorize(call, "CreatePolicy", arn, guard.request_tags(tags))
    if tags:
        guard.authorize(call, "TagPolicy", arn, guard.request_tags(tags))
    policy = iam(call).policies.create(
        name, params["PolicyDocument"], path=path, description=params.get("Description"), tags=tags
    )
    return {"Policy": responses.policy(policy)}


@operation("iam", "GetPolicy")
def get_policy(call: Call, params: Params) -> Result:
    guard.authorize(call, "GetPolicy", params["PolicyArn"])
    return {"Policy": responses.policy(iam(call).policies.get(params["PolicyArn"]))}


@operation("iam", "ListPolicies")
def list_policies(call: Call, params: Params) -> Result:
    guard.authorize(call, "ListPolicies", "*")
    found = iam(call).policies.listing(
        scope=params.get("Scope") or "All",
        only_attached=bool(params.get("OnlyAttached")),
        path_prefix=params.get("PathPrefix") or "/",
        usage=params.get("PolicyUsageFilter"),
    )
    page, more = paginate(found, params, lambda p: f"{p.name.lower()}\0{p.arn}")
    return {"Policies": [responses.policy(p, detail=False) for p in page], **more}


@operation("iam", "DeletePolicy")
def delete_policy(call: Call, params: Params) -> Result:
    guard.authorize(call, "DeletePolicy", params["PolicyArn"])
    iam(call).policies.delete(params["PolicyArn"])
    return {}


@operation("iam", "TagPolicy")
def tag_policy(call: Call, params: Params) -> Result:
    tags = tags_from_params(params["Tags"])
    guard.authorize(call, "TagPolicy", params["PolicyArn"], guard.request_tags(tags))
    iam(call).policies.tag(params["PolicyArn"], tags)
    return {}


@operation("iam", "UntagPolicy")
def untag_policy(call: Call, params: Params) -> Result:
    guard.authorize(call, "UntagPolicy", params["PolicyArn"], {"aws:TagKeys": list(params["TagKeys"])})
    iam(call).policies.untag(params["PolicyArn"], list(params["TagKeys"]))
    return {}


@operation("iam", "ListPolicyTags")
def list_policy_tags(call: Call, params: Params) -> Result:
    guard.authorize(call, "ListPolicyTags", params["PolicyArn"])
    tags = iam(call).policies.get(params["PolicyArn"]).tags
    page, more = paginate(tags, params, lambda t: t[0])
    return {"Tags": tags_out(tuple(page)), **more}


# ---- versions --------------------------------------------------------------------------------------------


@operation("iam", "CreatePolicyVersion")
def create_policy_version(call: Call, params: Params) -> Result:
    guard.authorize(call, "CreatePolicyVersion", params["PolicyArn"])
    version = iam(call).policies.create_version(
        params["PolicyArn"], params["PolicyDocument"], set_as_default=bool(params.get("SetAsDefault"))
    )
    return {"PolicyVersion": responses.policy_version(version, with_document=False)}


@operation("iam", "GetPolicyVersion")
def get_policy_version(call: Call, params: Params) -> Result:
    guard.authorize(call, "GetPolicyVersion", params["PolicyArn"])
    version = iam(call).policies.version(params["PolicyArn"], params["VersionId"])
    return {"PolicyVersion": responses.policy_version(version)}


@operation("iam", "ListPolicyVersions")
def list_policy_versions(call: Call, params: Params) -> Result:
    guard.authorize(call, "ListPolicyVersions", params["PolicyArn"])
    versions = iam(call).policies.versions(params["PolicyArn"])
    # Newest first, as IAM lists them (the key sorts descending by version number).
    page, more = paginate(versions, params, lambda v: f"{10**9 - v.version:010d}")
    return {"Versions": [responses.policy_version(v, with_document=False) for v in page], **more}


@operation("iam", "SetDefaultPolicyVersion")
def set_default_policy_version(call: Call, params: Params) -> Result:
    guard.authorize(call, "SetDefaultPolicyVersion", params["PolicyArn"])
    iam(call).policies.set_default_version(params["PolicyArn"], params["VersionId"])
    return {}


@operation("iam", "DeletePolicyVersion")
def delete_policy_version(call: Call, params: Params) -> Result:
    guard.authorize(call, "DeletePolicyVersion", params["PolicyArn"])
    iam(call).policies.delete_version(params["PolicyArn"], params["VersionId"])
    return {}


@operation("iam", "ListEntitiesForPolicy")
def list_entities_for_policy(call: Call, params: Params) -> Result:
    guard.authorize(call, "ListEntitiesForPolicy", params["PolicyArn"])
    entities = iam(call).policies.entities(params["PolicyArn"])
    wanted = params.get("EntityFilter")
    roles = entities["role"] if wanted in (None, "Role", "LocalManagedPolicy", "AWSManagedPolicy") else []
    users = entities["user"] if wanted in (None, "User", "LocalManagedPolicy", "AWSManagedPolicy") else []
    return {
        "PolicyGroups": [],
        "PolicyUsers": [{"UserName": n, "UserId": i} for n, i in sorted(users)],
        "PolicyRoles": [{"RoleName": n, "RoleId": i} for n, i in sorted(roles)],
        "IsTruncated": False,
    }

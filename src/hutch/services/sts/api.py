"""STS operations: who am I, AssumeRole for IAM principals, AssumeRoleWithWebIdentity for OIDC tokens."""

from __future__ import annotations

from typing import Any

from hutch.errors import ServiceError
from hutch.operations import Call, operation
from hutch.services.sts import assume
from hutch.services.sts.service import TAG_SESSION_ACTION, WEB_IDENTITY_ACTION, StsService
from hutch.services.sts.sessions import IssuedCredentials

Params = dict[str, Any]
Result = dict[str, Any]

ASSUME_ROLE_ACTION = "sts:AssumeRole"
SET_SOURCE_IDENTITY_ACTION = "sts:SetSourceIdentity"


def _sts(call: Call) -> StsService:
    service: StsService = call.rt.services["sts"]
    return service


def _credentials(issued: IssuedCredentials) -> Result:
    return {
        "Credentials": {
            "AccessKeyId": issued.access_key_id,
            "SecretAccessKey": issued.secret_access_key,
            "SessionToken": issued.session_token,
            "Expiration": issued.expiration,
        },
        "AssumedRoleUser": {"AssumedRoleId": issued.assumed_role_id, "Arn": issued.assumed_role_arn},
    }


@operation("sts", "GetCallerIdentity")
def get_caller_identity(call: Call, params: Params) -> Result:
    # Never denied by policy on AWS: any valid credential may ask who it is.
    p = call.principal
    return {"UserId": p.user_id, "Account": p.account, "Arn": p.arn}


@operation("sts", "AssumeRole")
def assume_role(call: Call, params: Params) -> Result:
    principal = call.principal
    role_arn, session_name = params["RoleArn"], params["RoleSessionName"]
    if principal.is_root:
        raise ServiceError("AccessDenied", "Roles may not be assumed by root accounts.", 403)
    denied = assume.access_denied(
        f"User: {principal.arn} is not authorized to perform: {ASSUME_ROLE_ACTION} on resource: {role_arn}"
    )
    tags = assume.session_tags(params.get("Tags"))
    # A source identity, once set, stays with every role the session goes on to assume.
    inherited = principal.session.source_identity if principal.session else None
    source_identity = inherited or params.get("SourceIdentity")
    if inherited and params.get("SourceIdentity") and params["SourceIdentity"] != inherited:
        raise ServiceError("ValidationError", "The source identity cannot be changed once it is set.", 400)
    extra: dict[str, str | list[str]] = {"sts:RoleSessionName": session_name}
    if params.get("ExternalId") is not None:
        extra["sts:ExternalId"] = params["ExternalId"]
    if source_identity:
        extra["sts:SourceIdentity"] = source_identity
    access = call.rt.access
    subject = access.subject(principal)
    context = access.request_context(call, subject, {**extra, **assume.tag_context(tags)})
    role = assume.role_or_denied(call.rt, role_arn, denied)
    actions = [ASSUME_ROLE_ACTION]
    if tags:
        actions.append(TAG_SESSION_ACTION)
    if params.get("SourceIdentity"):
        actions.append(SET_SOURCE_IDENTITY_ACTION)
    if not assume.trust_allows(call.rt, call, role, subject.principal, actions, context, subject):
        raise denied
    wanted = assume.session_request(call.rt, role, params, chained=principal.kind == "assumed-role")
    issued = _sts(call).sessions.issue(
        role_id=role.id,
        role_arn=role.arn,
        session_name=session_name,
        duration=wanted.duration,
        session_policies=wanted.session_policies,
        tags=wanted.tags,
        source_identity=source_identity,
    )
    call.log["assumed"] = issued.assumed_role_arn
    out = _credentials(issued)
    if wanted.packed_size is not None:
        out["PackedPolicySize"] = wanted.packed_size
    if source_identity:
        out["SourceIdentity"] = source_identity
    return out


@operation("sts", "AssumeRoleWithWebIdentity")
def assume_role_with_web_identity(call: Call, params: Params) -> Result:
    sts = _sts(call)
    identity = sts.web_identity.verify(params["WebIdentityToken"])
    denied = assume.access_denied(f"Not authorized to perform {WEB_IDENTITY_ACTION}")
    role = assume.role_or_denied(call.rt, params["RoleArn"], denied)
    session_name = params["RoleSessionName"]
    tags = identity.session_tags()
    principal = assume.federated_principal(identity.provider, identity.subject)
    keys = identity.context()
    context = {
        **sts._request_keys(call),
        **keys,
        "sts:RoleSessionName": session_name,
        **assume.tag_context(tags),
    }
    actions = [WEB_IDENTITY_ACTION, TAG_SESSION_ACTION] if tags else [WEB_IDENTITY_ACTION]
    if not assume.trust_allows(call.rt, call, role, principal, actions, context, None):
        raise denied
    wanted = assume.session_request(call.rt, role, {**params, "Tags": None}, chained=False)
    issued = sts.sessions.issue(
        role_id=role.id,
        role_arn=role.arn,
        session_name=session_name,
        duration=wanted.duration,
        session_policies=wanted.session_policies,
        context=keys,
        tags=tags,
        federated_provider=identity.provider,
    )
    call.log["assumed"] = issued.assumed_role_arn
    out = _credentials(issued)
    out.update(
        SubjectFromWebIdentityToken=identity.subject, Provider=identity.issuer, Audience=identity.audience
    )
    if wanted.packed_size is not None:
        out["PackedPolicySize"] = wanted.packed_size
    return out

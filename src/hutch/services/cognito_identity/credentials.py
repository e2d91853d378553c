"""GetCredentialsForIdentity: the enhanced flow's temporary AWS credentials.

Verify the Logins, check they belong to the identity (linking or merging as AWS does), choose the role,
and ask STS for a web-identity session of that role as principal
``{"Federated": "cognito-identity.amazonaws.com"}``.
STS evaluates the role's trust policy with the policy engine against this context:

  cognito-identity.amazonaws.com:aud  the identity pool id
  cognito-identity.amazonaws.com:sub  the identity id — what ``${cognito-identity.amazonaws.com:sub}`` in the
                                      role's permission policy resolves to (NOT the user pool's ``sub``)
  cognito-identity.amazonaws.com:amr  ["unauthenticated"] or ["authenticated", "<provider>",
                                      "<provider>:CognitoSignIn:<user pool sub>"]

and the session keeps those keys, the principal tags mapped from the token, and for guests the scope-down
session policy. A trust policy that does not admit the identity is answered as AWS does:
InvalidIdentityPoolConfigurationException.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hutch.errors import ServiceError
from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.guest_policy import GUEST_SESSION_POLICY
from hutch.services.cognito_identity.identities import amr_of, load_identity, resolve
from hutch.services.cognito_identity.logins import VerifiedLogin
from hutch.services.cognito_identity.model import COGNITO_IDENTITY_PROVIDER, IdentityPool, PrincipalTagMap
from hutch.services.cognito_identity.openid import TAGS_CLAIM
from hutch.services.cognito_identity.principal_tags import session_tags
from hutch.services.cognito_identity.roles import resolve_role

if TYPE_CHECKING:
    from hutch.operations import Call
    from hutch.services.cognito_identity.service import CognitoIdentityService

Params = dict[str, Any]
SESSION_NAME = "CognitoIdentityCredentials"
SESSION_SECONDS = 3600
# STS answers with these when the role is missing, malformed, or its trust policy refuses the identity.
_ROLE_FAILURES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "NoSuchEntity",
        "NoSuchEntityException",
        "ValidationError",
        "InvalidParameterValue",
        "MalformedPolicyDocument",
        "PackedPolicyTooLarge",
        "RegionDisabledException",
    }
)


def mapping_key(login: VerifiedLogin) -> list[str]:
    """The RoleMappings / principal tag map keys that may apply to a login, most specific first."""
    if login.kind == "cognito":
        return [f"{login.provider}:{login.claims.get('aud')}", login.provider]
    return [login.provider]


def _mapping_login(
    pool: IdentityPool, verified: Sequence[VerifiedLogin]
) -> tuple[VerifiedLogin | None, str | None]:
    """The login whose provider decides the role: the first one the pool has a role mapping for."""
    for login in verified:
        for key in mapping_key(login):
            if key in pool.role_mappings:
                return login, key
    return None, None


def _principal_tags(
    tag_maps: Mapping[str, PrincipalTagMap], verified: Sequence[VerifiedLogin]
) -> dict[str, str]:
    tags: dict[str, str] = {}
    for login in verified:
        if login.kind == "identity":
            # GetOpenIdTokenForDeveloperIdentity's PrincipalTags travel inside the token.
            carried = login.claims.get(TAGS_CLAIM, {}).get("principal_tags", {})
            for key, values in carried.items():
                if values:
                    tags.setdefault(key, str(values[0]))
            continue
        for key in mapping_key(login):
            tag_map = tag_maps.get(key)
            if tag_map is not None:
                for tag, value in session_tags(tag_map, login.claims).items():
                    tags.setdefault(tag, value)
                break
    return tags


def get_credentials_for_identity(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    current, view = load_identity(svc, params["IdentityId"])
    pool = view.pool
    identity, verified = resolve(svc, call, pool, current, params.get("Logins"))
    authenticated = identity.state == "authenticated"
    custom_role = params.get("CustomRoleArn")
    if authenticated:
        login, key = _mapping_login(pool, verified)
        role_arn = resolve_role(
            pool,
            authenticated=True,
            provider=key,
            claims=login.claims if login is not None else None,
            custom_role_arn=custom_role,
        )
        tags = _principal_tags(view.tag_maps, verified)
    else:
        role_arn = resolve_role(pool, authenticated=False, custom_role_arn=custom_role)
        tags = {}
    context: dict[str, str | list[str]] = {
        f"{COGNITO_IDENTITY_PROVIDER}:aud": pool.pool_id,
        f"{COGNITO_IDENTITY_PROVIDER}:sub": identity.identity_id,
        f"{COGNITO_IDENTITY_PROVIDER}:amr": amr_of(verified, authenticated),
    }
    call.log["role"] = role_arn
    issued = _assume(call, role_arn, context, () if authenticated else (GUEST_SESSION_POLICY,), tags)
    return {
        "IdentityId": identity.identity_id,
        "Credentials": {
            "AccessKeyId": issued.access_key_id,
            "SecretKey": issued.secret_access_key,
            "SessionToken": issued.session_token,
            "Expiration": issued.expiration,
        },
    }


def _assume(
    call: Call,
    role_arn: str,
    context: Mapping[str, str | list[str]],
    session_policies: Sequence[str],
    tags: Mapping[str, str],
) -> Any:
    sts = call.rt.services.get("sts")
    assume = getattr(sts, "assume_role_for_web_identity", None)
    if assume is None:
        raise ServiceError(
            "InternalErrorException", "The STS service is not available.", 500, sender_fault=False
        )
    try:
        return assume(
            role_arn,
            provider=COGNITO_IDENTITY_PROVIDER,
            session_name=SESSION_NAME,
            context=context,
            session_policies=tuple(session_policies),
            tags=dict(tags),
            duration_seconds=SESSION_SECONDS,
            call=call,  # STS records its trust decision under this request id, for `hutch explain`
        )
    except ServiceError as refused:
        if refused.code not in _ROLE_FAILURES:
            raise
        # AWS says no more than "check the roles"; the request log says why (e.g. the trust policy's verdict).
        call.log["role_refused"] = f"{refused.code}: {refused.message}"
        raise errors.invalid_pool_configuration() from None

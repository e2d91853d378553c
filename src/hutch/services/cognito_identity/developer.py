"""Developer-authenticated identities: the app's backend vouches for its users (SigV4-signed calls).

The pool's DeveloperProviderName is a provider like any other whose "token" is the backend's user
identifier, trusted because the call is signed by an IAM principal allowed to make it. Unlike public
providers, one identity may hold several developer user identifiers (MergeDeveloperIdentities gathers them).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.identities import amr_of, resolve
from hutch.services.cognito_identity.linking import LinkPlan, plan_links
from hutch.services.cognito_identity.logins import VerifiedLogin
from hutch.services.cognito_identity.model import COGNITO_IDENTITY_PROVIDER, Identity, IdentityPool, Login
from hutch.services.cognito_identity.pools import authorized_pool, decode_token, encode_token

if TYPE_CHECKING:
    from hutch.operations import Call
    from hutch.services.cognito_identity.service import CognitoIdentityService

Params = dict[str, Any]
DEFAULT_TOKEN_DURATION = timedelta(minutes=15)
DEFAULT_PAGE = 60


def _developer_provider(pool: IdentityPool, named: str | None = None) -> str:
    provider = pool.developer_provider_name
    if not provider or (named is not None and named != provider):
        raise errors.invalid_parameter(
            f"Invalid DeveloperProviderName for identity pool {pool.pool_id}."
            if provider
            else f"Identity pool {pool.pool_id} has no developer provider."
        )
    return provider


def _identity_in_pool(svc: CognitoIdentityService, pool: IdentityPool, identity_id: str) -> Identity:
    identity = svc.store.get_identity(identity_id)
    if identity is None or identity.pool_id != pool.pool_id:
        raise errors.identity_not_found(identity_id)
    return identity


def get_open_id_token_for_developer_identity(
    svc: CognitoIdentityService, call: Call, params: Params
) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    provider = _developer_provider(pool)
    logins: dict[str, str] = dict(params["Logins"])
    if provider not in logins:
        raise errors.invalid_parameter(f"Logins must contain the developer provider name {provider}.")
    target_id = params.get("IdentityId")
    extra: list[VerifiedLogin] = []
    target = None
    if target_id is not None:
        target = _identity_in_pool(svc, pool, target_id)
        owner = svc.store.owner_of(pool.pool_id, Login(provider, logins[provider]))
        if owner is not None and owner.identity_id != target_id:
            raise errors.developer_user_already_registered()
        # The signed call vouches for the identity it names, as one of its own logins would.
        extra.append(VerifiedLogin(COGNITO_IDENTITY_PROVIDER, target_id, "identity", {"amr": []}))
    identity, verified = resolve(svc, call, pool, target, logins, developer=True, extra=extra)
    duration = params.get("TokenDuration")
    token = svc.tokens.mint(
        pool_id=pool.pool_id,
        identity_id=identity.identity_id,
        amr=amr_of(verified, True),
        now=call.rt.now(),
        lifetime=timedelta(seconds=int(duration)) if duration else DEFAULT_TOKEN_DURATION,
        principal_tags=params.get("PrincipalTags"),
    )
    return {"IdentityId": identity.identity_id, "Token": token}


def lookup_developer_identity(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    provider = _developer_provider(pool)
    identity_id = params.get("IdentityId")
    user = params.get("DeveloperUserIdentifier")
    if identity_id is None and user is None:
        raise errors.invalid_parameter("Either IdentityId or DeveloperUserIdentifier must be provided.")
    if user is not None:
        identity = svc.store.owner_of(pool.pool_id, Login(provider, user))
        if identity is None:
            raise errors.resource_not_found(f"Developer user identifier '{user}' not found.")
        if identity_id is not None and identity.identity_id != identity_id:
            raise errors.resource_conflict("The developer user identifier is linked to a different identity.")
    else:
        assert identity_id is not None
        identity = _identity_in_pool(svc, pool, identity_id)
    users = sorted(login.subject for login in identity.logins if login.provider == provider)
    after = decode_token(params.get("NextToken"))
    if after is not None:
        users = [u for u in users if u > after]
    limit = int(params.get("MaxResults") or DEFAULT_PAGE)
    out: Params = {"IdentityId": identity.identity_id, "DeveloperUserIdentifierList": users[:limit]}
    if len(users) > limit:
        out["NextToken"] = encode_token(users[limit - 1])
    return out


def merge_developer_identities(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    provider = _developer_provider(pool, params["DeveloperProviderName"])
    source = Login(provider, params["SourceUserIdentifier"])
    destination = Login(provider, params["DestinationUserIdentifier"])
    owners = {}
    for login in (source, destination):
        owner = svc.store.owner_of(pool.pool_id, login)
        if owner is None:
            raise errors.resource_not_found(f"Developer user identifier '{login.subject}' not found.")
        owners[login] = owner
    if owners[source].identity_id != owners[destination].identity_id:
        # The same rules as any merge: at most one login per public provider on the result.
        plan: LinkPlan = plan_links(
            target=owners[destination],
            presented=[destination, source],
            owners=owners,
            developer_provider=provider,
            allow_unauthenticated=pool.allow_unauthenticated,
        )
        assert plan.identity_id == owners[destination].identity_id
        svc.store.merge_into(
            pool.pool_id, owners[source].identity_id, owners[destination].identity_id, call.rt.now()
        )
    return {"IdentityId": owners[destination].identity_id}


def unlink_developer_identity(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    provider = _developer_provider(pool, params["DeveloperProviderName"])
    identity = _identity_in_pool(svc, pool, params["IdentityId"])
    login = Login(provider, params["DeveloperUserIdentifier"])
    if login not in identity.logins:
        raise errors.resource_not_found(
            f"Developer user identifier '{login.subject}' is not linked to identity '{identity.identity_id}'."
        )
    svc.store.unlink(identity.identity_id, [login], call.rt.now())
    return {}

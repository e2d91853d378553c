"""Identities: GetId and GetOpenIdToken (unsigned, authenticated by their Logins), and their
administration (DescribeIdentity, ListIdentities, DeleteIdentities; UnlinkIdentity, which the identity's own
logins authorize).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.logins import VerifiedLogin
from hutch.services.cognito_identity.model import Identity, IdentityPool, pool_arn
from hutch.services.cognito_identity.pools import authorized_pool, decode_token, encode_token, load_pool
from hutch.services.cognito_identity.store import PoolView

if TYPE_CHECKING:
    from hutch.operations import Call
    from hutch.services.cognito_identity.service import CognitoIdentityService

Params = dict[str, Any]
OPEN_ID_TOKEN_LIFETIME = timedelta(minutes=10)


def amr_of(verified: Sequence[VerifiedLogin], authenticated: bool) -> list[str]:
    """cognito-identity.amazonaws.com:amr: ["unauthenticated"], or "authenticated" and each provider's
    entries."""
    if not authenticated:
        return ["unauthenticated"]
    amr = ["authenticated"]
    for login in verified:
        amr.extend(entry for entry in login.amr() if entry not in amr)
    return amr


def resolve(
    svc: CognitoIdentityService,
    call: Call,
    pool: IdentityPool,
    target: Identity | None,
    logins: dict[str, str] | None,
    *,
    developer: bool = False,
    extra: Sequence[VerifiedLogin] = (),
) -> tuple[Identity, list[VerifiedLogin]]:
    """Verify the Logins and find (link, merge, or create) the identity they belong to."""
    now = call.rt.now()
    verified = [*extra, *svc.verifier.verify_all(pool, logins, now, developer=developer)]
    identity = svc.store.link(
        pool.pool_id,
        target,
        [v.login for v in verified],
        developer_provider=pool.developer_provider_name,
        allow_unauthenticated=pool.allow_unauthenticated,
        now=now,
    )
    call.log["identity_id"] = identity.identity_id
    return identity, verified


def load_identity(svc: CognitoIdentityService, identity_id: str) -> tuple[Identity, PoolView]:
    found = svc.store.identity_view(identity_id)
    if found is None:
        raise errors.identity_not_found(identity_id)
    return found


def get_id(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool_id = params["IdentityPoolId"]
    account = params.get("AccountId")
    if account is not None and account != call.rt.account_id:
        raise errors.pool_not_found(pool_id)
    pool = load_pool(svc, pool_id)
    identity, _ = resolve(svc, call, pool, None, params.get("Logins"))
    return {"IdentityId": identity.identity_id}


def get_open_id_token(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    current, view = load_identity(svc, params["IdentityId"])
    pool = view.pool
    if pool.allow_classic_flow is False:
        raise errors.invalid_parameter("Basic (classic) flow is not enabled, please use enhanced flow.")
    if pool.has_role_mappings:
        raise errors.invalid_parameter(
            "Basic (classic) flow is not supported with RoleMappings, please use enhanced flow."
        )
    identity, verified = resolve(svc, call, pool, current, params.get("Logins"))
    token = svc.tokens.mint(
        pool_id=pool.pool_id,
        identity_id=identity.identity_id,
        amr=amr_of(verified, identity.state == "authenticated"),
        now=call.rt.now(),
        lifetime=OPEN_ID_TOKEN_LIFETIME,
    )
    return {"IdentityId": identity.identity_id, "Token": token}


def _describe(identity: Identity) -> Params:
    return {
        "IdentityId": identity.identity_id,
        "Logins": identity.providers,
        "CreationDate": identity.created_at,
        "LastModifiedDate": identity.modified_at,
    }


def describe_identity(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    identity_id = params["IdentityId"]
    identity = svc.store.get_identity(identity_id)
    resource = pool_arn(call.rt.region, call.rt.account_id, identity.pool_id) if identity else "*"
    call.authorize("cognito-identity:DescribeIdentity", resource)
    if identity is None:
        raise errors.identity_not_found(identity_id)
    return _describe(identity)


def list_identities(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    pool = authorized_pool(svc, call, params["IdentityPoolId"])
    page, last = svc.store.list_identities(
        pool.pool_id,
        int(params["MaxResults"]),
        decode_token(params.get("NextToken")),
        bool(params.get("HideDisabled", False)),
    )
    out: Params = {"IdentityPoolId": pool.pool_id, "Identities": [_describe(i) for i in page]}
    if last is not None:
        out["NextToken"] = encode_token(last)
    return out


def delete_identities(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    ids = list(dict.fromkeys(params["IdentityIdsToDelete"]))
    pools = svc.store.pools_of(ids)
    for pool_id in sorted(set(pools.values())):
        call.authorize(
            "cognito-identity:DeleteIdentities", pool_arn(call.rt.region, call.rt.account_id, pool_id)
        )
    # Identities that do not exist are already gone: deleting is idempotent.
    svc.store.delete_identities(pools)
    return {"UnprocessedIdentityIds": []}


def unlink_identity(svc: CognitoIdentityService, call: Call, params: Params) -> Params:
    identity, view = load_identity(svc, params["IdentityId"])
    pool = view.pool
    if identity.state == "disabled":
        raise errors.identity_forbidden(identity.identity_id)
    verified = svc.verifier.verify_all(pool, params.get("Logins"), call.rt.now())
    own = set(identity.logins)
    if not any(
        v.login in own or (v.kind == "identity" and v.subject == identity.identity_id) for v in verified
    ):
        raise errors.logins_do_not_match()
    providers = {svc.verifier.canonical_provider(pool, key) for key in params["LoginsToRemove"]}
    if pool.developer_provider_name in providers:
        raise errors.invalid_parameter(
            "Developer user identifiers are unlinked with UnlinkDeveloperIdentity."
        )
    remove = [login for login in identity.logins if login.provider in providers]
    svc.store.unlink(identity.identity_id, remove, call.rt.now())
    return {}

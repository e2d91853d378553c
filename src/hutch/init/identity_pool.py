"""The identity pool: linked to the app's user pool and client, guests on or off, and its role map."""

from __future__ import annotations

from typing import Any

from hutch.init.connection import InitError, updatable_members
from hutch.init.names import Names
from hutch.init.report import Report

USER_POOL_PROVIDER_PREFIX = "cognito-idp."


def provider_name(region: str, user_pool_id: str) -> str:
    """The user pool as identity pools and Logins maps name it (SCENARIO.md step 3)."""
    return f"cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def ensure_identity_pool(
    ci: Any, names: Names, provider: str, client_id: str, guest: bool, report: Report
) -> str:
    """The id of the app's identity pool, linked to exactly this user pool + client, guests as asked.

    Other login providers an operator added (OIDC, developer, social) are kept; user-pool providers are
    init's to manage, so a pool left over from an earlier user pool does not stay trusted.
    """
    ours = []
    for page in ci.get_paginator("list_identity_pools").paginate(MaxResults=60):
        for summary in page["IdentityPools"]:
            if summary["IdentityPoolName"] != names.identity_pool:
                continue
            pool = ci.describe_identity_pool(IdentityPoolId=summary["IdentityPoolId"])
            if names.is_tagged(pool.get("IdentityPoolTags")):
                ours.append(pool)
    if len(ours) > 1:
        ids = ", ".join(p["IdentityPoolId"] for p in ours)
        raise InitError(
            f"{len(ours)} identity pools are named {names.identity_pool!r} and tagged for this app ({ids});"
            " delete the ones you do not use and run init again"
        )
    linked = {"ProviderName": provider, "ClientId": client_id, "ServerSideTokenCheck": False}
    if not ours:
        pool_id = ci.create_identity_pool(
            IdentityPoolName=names.identity_pool,
            AllowUnauthenticatedIdentities=guest,
            # The basic flow would let a signed-in user assume any role that trusts this pool, not only the
            # one the pool maps them to; the scenario does not need it.
            AllowClassicFlow=False,
            CognitoIdentityProviders=[linked],
            IdentityPoolTags=names.tags,
        )["IdentityPoolId"]
        report.created("identity pool", f"{names.identity_pool} ({pool_id})")
        return str(pool_id)

    pool = ours[0]
    pool_id = str(pool["IdentityPoolId"])
    current = pool.get("CognitoIdentityProviders") or []
    changes = []
    if [(p["ProviderName"], p.get("ClientId")) for p in current if _is_user_pool(p)] != [
        (provider, client_id)
    ]:
        changes.append(f"linked to {provider} client {client_id}")
    if bool(pool.get("AllowUnauthenticatedIdentities")) != guest:
        changes.append("guests allowed" if guest else "guests no longer allowed")
    if changes:
        settings = {k: v for k, v in pool.items() if k in updatable_members(ci, "UpdateIdentityPool")}
        settings["CognitoIdentityProviders"] = [linked] + [p for p in current if not _is_user_pool(p)]
        settings["AllowUnauthenticatedIdentities"] = guest
        ci.update_identity_pool(IdentityPoolId=pool_id, **settings)
    report.outcome("identity pool", f"{names.identity_pool} ({pool_id})", changes)
    return pool_id


def ensure_pool_roles(ci: Any, pool_id: str, roles: dict[str, str], report: Report) -> None:
    """SetIdentityPoolRoles with exactly ``roles``; role mappings an operator added are kept."""
    current = ci.get_identity_pool_roles(IdentityPoolId=pool_id)
    before = current.get("Roles") or {}
    if before == roles:
        report.unchanged("role map", pool_id)
        return
    extra: dict[str, Any] = {}
    if current.get("RoleMappings"):
        extra["RoleMappings"] = current["RoleMappings"]
    ci.set_identity_pool_roles(IdentityPoolId=pool_id, Roles=roles, **extra)
    detail = ", ".join(f"{kind} → {arn.rsplit('/', 1)[-1]}" for kind, arn in sorted(roles.items()))
    if before:
        report.updated("role map", pool_id, detail)
    else:
        report.created("role map", pool_id, detail)


def _is_user_pool(provider: dict[str, Any]) -> bool:
    return str(provider.get("ProviderName", "")).startswith(USER_POOL_PROVIDER_PREFIX)

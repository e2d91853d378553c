"""The user pool and its app client: found by name and tag, created when missing, flows kept enabled."""

from __future__ import annotations

from typing import Any

from hutch.init.connection import InitError, updatable_members
from hutch.init.names import Names
from hutch.init.report import Report

# SRP (Amplify's and amazon-cognito-identity-js's default), plain password (boto3 scripts, USER_PASSWORD_AUTH
# in Amplify), and refresh. Flows an operator added by hand are kept.
AUTH_FLOWS = ("ALLOW_USER_SRP_AUTH", "ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH")


def ensure_user_pool(idp: Any, names: Names, report: Report) -> str:
    """The id of the app's user pool, creating it when no pool carries the app's tag."""
    ours = []
    for page in idp.get_paginator("list_user_pools").paginate(MaxResults=60):
        for summary in page["UserPools"]:
            if summary["Name"] != names.user_pool:
                continue
            pool = idp.describe_user_pool(UserPoolId=summary["Id"])["UserPool"]
            if names.is_tagged(pool.get("UserPoolTags")):
                ours.append(pool["Id"])
    if len(ours) > 1:
        raise InitError(
            f"{len(ours)} user pools are named {names.user_pool!r} and tagged for this app"
            f" ({', '.join(ours)}); delete the ones you do not use and run init again"
        )
    if ours:
        report.unchanged("user pool", f"{names.user_pool} ({ours[0]})")
        return str(ours[0])
    pool = idp.create_user_pool(
        PoolName=names.user_pool,
        # Codes for self sign-up go to the e-mail address (hutch keeps them: `hutch outbox`).
        AutoVerifiedAttributes=["email"],
        UserPoolTags=names.tags,
    )["UserPool"]
    report.created("user pool", f"{names.user_pool} ({pool['Id']})")
    return str(pool["Id"])


def ensure_app_client(idp: Any, pool_id: str, names: Names, report: Report) -> str:
    """The id of the app client (no secret, AUTH_FLOWS enabled), creating or updating it as needed."""
    found = [
        client["ClientId"]
        for page in idp.get_paginator("list_user_pool_clients").paginate(UserPoolId=pool_id, MaxResults=60)
        for client in page["UserPoolClients"]
        if client["ClientName"] == names.app_client
    ]
    if len(found) > 1:
        raise InitError(
            f"{len(found)} app clients are named {names.app_client!r} in {pool_id}; delete the extra ones"
        )
    if not found:
        client = idp.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=names.app_client,
            GenerateSecret=False,
            ExplicitAuthFlows=list(AUTH_FLOWS),
        )["UserPoolClient"]
        report.created("app client", f"{names.app_client} ({client['ClientId']})")
        return str(client["ClientId"])

    client = idp.describe_user_pool_client(UserPoolId=pool_id, ClientId=found[0])["UserPoolClient"]
    label = f"{names.app_client} ({client['ClientId']})"
    if client.get("ClientSecret"):
        raise InitError(
            f"app client {label} has a secret, which browser apps and Amplify cannot keep; delete it and run"
            " init again to get one without"
        )
    flows = list(client.get("ExplicitAuthFlows") or [])
    missing = [flow for flow in AUTH_FLOWS if flow not in flows]
    if missing:
        # UpdateUserPoolClient resets whatever it is not given, so every current setting is passed back.
        settings = {k: v for k, v in client.items() if k in updatable_members(idp, "UpdateUserPoolClient")}
        settings["ExplicitAuthFlows"] = flows + missing
        idp.update_user_pool_client(UserPoolId=pool_id, ClientId=client["ClientId"], **settings)
    report.outcome("app client", label, [f"enabled {', '.join(missing)}"] if missing else [])
    return str(client["ClientId"])

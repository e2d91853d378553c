"""`hutch init`'s steps, in order: bucket, user pool, app client, identity pool, roles, role map.

The bucket comes first because its name is the argument most likely to be refused (taken, invalid), and a
refusal there leaves nothing half made.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hutch.init.bucket import ensure_bucket
from hutch.init.connection import Connection, connect
from hutch.init.identity_pool import ensure_identity_pool, ensure_pool_roles, provider_name
from hutch.init.names import Names, check_app
from hutch.init.output import Setup
from hutch.init.policies import Layout, RoleKind, folder_policy, trust_policy
from hutch.init.report import Report
from hutch.init.roles import ensure_role
from hutch.init.user_pool import ensure_app_client, ensure_user_pool


@dataclass(frozen=True)
class InitOptions:
    bucket: str
    app: str
    guest: bool = False
    layout: Layout = "seed"
    endpoint: str | None = None  # default: HUTCH_ENDPOINT, AWS_ENDPOINT_URL, then the configured server URL
    data_dir: Path | None = None  # whose root keys to use (default: HUTCH_DATA_DIR or ./data)
    region: str | None = None  # must match the server's when given


def initialize(options: InitOptions, connection: Connection | None = None) -> tuple[Setup, Report]:
    """Bring the scenario for ``options.app`` to its intended state; say what was created or changed."""
    names = Names(check_app(options.app))
    conn = connection or connect(options.endpoint, options.data_dir, options.region)
    report = Report()
    idp, identity, iam = conn.client("cognito-idp"), conn.client("cognito-identity"), conn.client("iam")

    ensure_bucket(conn.client("s3"), options.bucket, conn.region, report)
    user_pool_id = ensure_user_pool(idp, names, report)
    client_id = ensure_app_client(idp, user_pool_id, names, report)
    provider = provider_name(conn.region, user_pool_id)
    identity_pool_id = ensure_identity_pool(identity, names, provider, client_id, options.guest, report)

    def role(kind: RoleKind) -> str:
        trust = trust_policy(identity_pool_id, kind)
        permissions = folder_policy(options.layout, kind, options.bucket, options.app)
        return ensure_role(iam, names, kind, trust, permissions, report)

    roles = {"authenticated": role("authenticated")}
    if options.guest:
        roles["unauthenticated"] = role("unauthenticated")
    ensure_pool_roles(identity, identity_pool_id, roles, report)

    setup = Setup(
        app=options.app,
        layout=options.layout,
        region=conn.region,
        endpoint=conn.endpoint,
        s3_custom_endpoint=conn.host,
        user_pool_id=user_pool_id,
        user_pool_client_id=client_id,
        provider=provider,
        identity_pool_id=identity_pool_id,
        guest=options.guest,
        bucket=options.bucket,
        authenticated_role=roles["authenticated"],
        unauthenticated_role=roles.get("unauthenticated"),
    )
    return setup, report

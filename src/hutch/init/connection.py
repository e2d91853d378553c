"""How `hutch init` reaches the server: endpoint, credentials, region and TLS trust, then boto3 clients.

Endpoint and credentials are resolved exactly as `hutch explain` resolves them (hutch.admin_client): the
data directory's root keys (or HUTCH_ROOT_*), else AWS_* from the environment. The region is the server's own
(from /_hutch/health): identity ids, provider names and ARNs all carry it, so a different one cannot work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.config import Config as BotoConfig

from hutch.admin_client import AdminClient, AdminError


class InitError(Exception):
    """Something the operator must fix; the message says what. Exit 1: refused; 2: no server/credentials."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Connection:
    endpoint: str
    region: str
    session: boto3.Session
    verify: str | None  # CA bundle for https endpoints; None = the system's trust store (or plain http)

    def client(self, service: str) -> Any:
        config = BotoConfig(
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": "path"},
        )
        return self.session.client(
            service, endpoint_url=self.endpoint, region_name=self.region, config=config, verify=self.verify
        )

    @property
    def host(self) -> str:
        """host:port of the endpoint (what Amplify Storage's customEndpoint wants)."""
        return urlsplit(self.endpoint).netloc


def connect(endpoint: str | None, data_dir: Path | None, region: str | None) -> Connection:
    try:
        admin = AdminClient(endpoint, data_dir)
    except AdminError as exc:
        raise InitError(str(exc), exc.exit_code) from None
    verify = admin.ca_file  # the data directory's generated CA for https, else AWS_CA_BUNDLE
    try:
        health = admin.get_json("/_hutch/health")
    except AdminError as exc:
        hint = " (is `hutch serve` running? pass --endpoint if it is elsewhere)" if exc.exit_code == 2 else ""
        raise InitError(f"{exc}{hint}", exc.exit_code) from None
    served = str(health.get("region") or "")
    if region is not None and served and region != served:
        raise InitError(f"the server at {admin.endpoint} serves region {served}, not {region}")
    region = served or region or admin.region
    creds = admin.credentials
    session = boto3.Session(
        aws_access_key_id=creds.access_key,
        aws_secret_access_key=creds.secret_key,
        aws_session_token=creds.token,
        region_name=region,
    )
    return Connection(admin.endpoint, region, session, verify)


def updatable_members(client: Any, operation: str) -> set[str]:
    """The input members of an Update* operation other than the resource's ids (from the client's model)."""
    shape = client.meta.service_model.operation_model(operation).input_shape
    return set(shape.members) - {"UserPoolId", "ClientId", "IdentityPoolId"}

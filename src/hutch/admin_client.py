"""The client side of hutch's admin endpoints (/_hutch/*), used by `hutch explain` and `hutch outbox`.

Requests are SigV4-signed (service "hutch") with the root keys of the data directory when it has them, else
with the AWS_* credentials of the environment, so an operator can also use an IAM user allowed hutch:*.
"""

from __future__ import annotations

import json
import os
import ssl
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from hutch import identity, tls
from hutch.config import from_env


class AdminError(Exception):
    """A refused or failed admin call; ``exit_code`` is 1 when the server refused, 2 when unreachable."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _root_credentials(data_dir: Path) -> Credentials | None:
    env_key = os.environ.get("HUTCH_ROOT_ACCESS_KEY_ID")
    env_secret = os.environ.get("HUTCH_ROOT_SECRET_ACCESS_KEY")
    if env_key and env_secret:
        return Credentials(env_key, env_secret)
    try:
        stored = json.loads((data_dir / identity.ROOT_FILE).read_text())
    except (OSError, ValueError):
        return None
    return Credentials(stored["access_key_id"], stored["secret_access_key"])


def _same_server(a: str, b: str) -> bool:
    return a.rstrip("/").lower() == b.rstrip("/").lower()


def _choose_credentials(data_dir: Path, endpoint: str) -> tuple[Credentials, str]:
    """The data directory's root keys when that directory belongs to the server we are calling (or we
    cannot tell), else the AWS_* credentials of the environment. Says which, for error messages."""
    root = _root_credentials(data_dir)
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    env = Credentials(key, secret, os.environ.get("AWS_SESSION_TOKEN")) if key and secret else None
    announced = identity.announced_endpoint(data_dir)
    if root is not None and (env is None or announced is None or _same_server(announced, endpoint)):
        return root, f"the root keys of {data_dir}"
    if env is not None:
        return env, "AWS_ACCESS_KEY_ID from the environment"
    raise AdminError(
        f"no credentials: {data_dir} has no root keys (pass the --data-dir your server uses) and"
        " AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set",
        2,
    )


class AdminClient:
    def __init__(self, endpoint: str | None = None, data_dir: Path | None = None) -> None:
        config = from_env(data_dir=data_dir)
        self.endpoint = (
            endpoint
            or os.environ.get("HUTCH_ENDPOINT")
            or os.environ.get("AWS_ENDPOINT_URL")
            or identity.announced_endpoint(config.data_dir)
            or config.base_url
        ).rstrip("/")
        self.region = config.region
        # A server started with --tls trusts the CA in its data directory: prefer it to a machine-wide bundle.
        generated_ca = tls.ca_path(config.data_dir)
        if self.endpoint.startswith("https://") and generated_ca.exists():
            self.ca_file: str | None = str(generated_ca)
        else:
            self.ca_file = os.environ.get("AWS_CA_BUNDLE") or None
        self.credentials, self.credential_source = _choose_credentials(config.data_dir, self.endpoint)

    def get_json(self, path: str, query: dict[str, str] | None = None) -> Any:
        url = self.endpoint + path + ("?" + urlencode(query) if query else "")
        signed = AWSRequest(method="GET", url=url)
        SigV4Auth(self.credentials, "hutch", self.region).add_auth(signed)
        context = ssl.create_default_context(cafile=self.ca_file) if url.startswith("https") else None
        request = urllib.request.Request(url, headers=dict(signed.headers.items()), method="GET")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30, context=context) as resp:  # noqa: S310
                return json.loads(resp.read())
        except urllib.error.HTTPError as err:
            body = err.read()
            try:
                detail = json.loads(body).get("error", {})
                message = detail.get("message") or detail.get("code") or body.decode(errors="replace")
            except (ValueError, AttributeError):
                message = body.decode(errors="replace") or f"HTTP {err.code}"
            if err.code in (400, 403):
                message += f" (signed with {self.credential_source})"
            raise AdminError(message, 1) from None
        except (OSError, urllib.error.URLError) as exc:
            raise AdminError(f"cannot reach {self.endpoint}: {exc}", 2) from None

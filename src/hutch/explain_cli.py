"""`hutch explain`: fetch a recorded decision from a running server (signed request) and print it."""

from __future__ import annotations

import json
import os
import ssl
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from hutch import identity
from hutch.config import from_env


def _credentials(data_dir: Path | None) -> Credentials:
    config = from_env(data_dir=data_dir)
    root_file = config.data_dir / identity.ROOT_FILE
    if data_dir is not None or root_file.exists() or os.environ.get("HUTCH_ROOT_ACCESS_KEY_ID"):
        inst = identity.load_or_create(config.data_dir)
        return Credentials(inst.root.access_key_id, inst.root.secret_access_key)
    key, secret = os.environ.get("AWS_ACCESS_KEY_ID"), os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not (key and secret):
        raise SystemExit("hutch explain: no credentials (use --data-dir or set AWS_ACCESS_KEY_ID/SECRET)")
    return Credentials(key, secret, os.environ.get("AWS_SESSION_TOKEN"))


def fetch(
    endpoint: str, request_id: str, creds: Credentials, region: str, ca_file: str | None
) -> tuple[int, bytes]:
    url = f"{endpoint.rstrip('/')}/_hutch/explain/{request_id}"
    req = AWSRequest(method="GET", url=url)
    SigV4Auth(creds, "hutch", region).add_auth(req)
    context = ssl.create_default_context(cafile=ca_file) if url.startswith("https") else None
    http_req = urllib.request.Request(url, headers=dict(req.headers.items()), method="GET")  # noqa: S310
    try:
        with urllib.request.urlopen(http_req, timeout=30, context=context) as resp:  # noqa: S310
            return int(resp.status), resp.read()
    except urllib.error.HTTPError as err:
        return int(err.code), err.read()


def render(record: dict[str, Any]) -> str:
    lines = [f"request {record['request_id']}"]
    for entry in record.get("decisions", []):
        lines.append("")
        summary = entry.get("summary")
        if summary:
            lines.append(summary)
            lines.append("")
        lines.append(entry.get("text") or json.dumps(entry, indent=2))
    return "\n".join(lines)


def explain_command(
    request_id: str | None, endpoint: str | None, data_dir: Path | None, as_json: bool
) -> int:
    config = from_env(data_dir=data_dir)
    endpoint = (
        endpoint or os.environ.get("HUTCH_ENDPOINT") or os.environ.get("AWS_ENDPOINT_URL") or config.base_url
    )
    ca_file = os.environ.get("AWS_CA_BUNDLE") or None
    try:
        status, body = fetch(
            endpoint, request_id or "last-denied", _credentials(data_dir), config.region, ca_file
        )
    except (OSError, urllib.error.URLError) as exc:
        print(f"hutch explain: cannot reach {endpoint}: {exc}", file=sys.stderr)
        return 2
    if status != 200:
        try:
            err = json.loads(body).get("error", {})
            message = err.get("message") or err.get("code") or body.decode(errors="replace")
        except ValueError:
            message = body.decode(errors="replace")
        print(f"hutch explain: {message}", file=sys.stderr)
        return 1
    record = json.loads(body)
    print(json.dumps(record, indent=2) if as_json else render(record))
    return 0

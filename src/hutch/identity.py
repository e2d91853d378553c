"""Who this installation is: its account id and root credentials, one set per data directory.

Root keys come from HUTCH_ROOT_ACCESS_KEY_ID / HUTCH_ROOT_SECRET_ACCESS_KEY when set; otherwise they are
generated with a CSPRNG at first start and kept in the data directory with mode 0600. Nothing is defaulted to
a known value.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from hutch import datadir, ids

ROOT_FILE = "root-credentials.json"
ACCOUNT_FILE = "account.json"
# Where the server last said it listens, so client commands (credentials, init, explain) find it.
SERVER_FILE = "server.json"


@dataclass(frozen=True)
class RootCredentials:
    access_key_id: str
    secret_access_key: str
    from_env: bool


@dataclass(frozen=True)
class Installation:
    account_id: str
    root: RootCredentials


def _write_private(path: Path, data: dict[str, str]) -> None:
    """Create the file 0600 from the start (no window where it is world-readable), fsync, then rename."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, str] | None:
    try:
        with path.open() as f:
            data = json.load(f)
    except FileNotFoundError:
        return None
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a JSON object")
    return {str(k): str(v) for k, v in data.items()}


def load_or_create(data_dir: Path) -> Installation:
    datadir.prepare(data_dir)
    account = _read_json(data_dir / ACCOUNT_FILE)
    if account is None or not account.get("account_id"):
        account = {"account_id": ids.account_id()}
        _write_private(data_dir / ACCOUNT_FILE, account)

    env_key = os.environ.get("HUTCH_ROOT_ACCESS_KEY_ID") or ""
    env_secret = os.environ.get("HUTCH_ROOT_SECRET_ACCESS_KEY") or ""
    if env_key or env_secret:
        if not (env_key and env_secret):
            raise ValueError("set both HUTCH_ROOT_ACCESS_KEY_ID and HUTCH_ROOT_SECRET_ACCESS_KEY, or neither")
        root = RootCredentials(env_key, env_secret, from_env=True)
    else:
        stored = _read_json(data_dir / ROOT_FILE)
        if stored is None:
            stored = {
                "access_key_id": ids.access_key_id("AKIA"),
                "secret_access_key": ids.secret_access_key(),
            }
            _write_private(data_dir / ROOT_FILE, stored)
        root = RootCredentials(stored["access_key_id"], stored["secret_access_key"], from_env=False)
    return Installation(account_id=account["account_id"], root=root)


def load_existing(data_dir: Path) -> Installation | None:
    """The installation of an existing data directory, or None — never creates one (client commands)."""
    account = _read_json(data_dir / ACCOUNT_FILE)
    if account is None or not account.get("account_id"):
        return None
    env_key = os.environ.get("HUTCH_ROOT_ACCESS_KEY_ID") or ""
    env_secret = os.environ.get("HUTCH_ROOT_SECRET_ACCESS_KEY") or ""
    if env_key and env_secret:
        return Installation(account["account_id"], RootCredentials(env_key, env_secret, from_env=True))
    stored = _read_json(data_dir / ROOT_FILE)
    if stored is None:
        return None
    root = RootCredentials(stored["access_key_id"], stored["secret_access_key"], from_env=False)
    return Installation(account["account_id"], root)


def announce(data_dir: Path, endpoint: str, region: str) -> None:
    path = data_dir / SERVER_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"endpoint": endpoint, "region": region, "pid": os.getpid()}) + "\n")
    os.replace(tmp, path)


def withdraw(data_dir: Path) -> None:
    """Forget the announcement at shutdown, if it is still this process's."""
    path = data_dir / SERVER_FILE
    try:
        if json.loads(path.read_text()).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError, AttributeError):
        pass


def announced_endpoint(data_dir: Path) -> str | None:
    try:
        data = json.loads((data_dir / SERVER_FILE).read_text())
    except (OSError, ValueError):
        return None
    endpoint = data.get("endpoint") if isinstance(data, dict) else None
    return endpoint if isinstance(endpoint, str) else None


def export_lines(inst: Installation, endpoint: str, region: str) -> list[str]:
    return [
        f"export AWS_ACCESS_KEY_ID={inst.root.access_key_id}",
        f"export AWS_SECRET_ACCESS_KEY={inst.root.secret_access_key}",
        f"export AWS_DEFAULT_REGION={region}",
        f"export AWS_ENDPOINT_URL={endpoint}",
    ]


def constant_time_equal(a: str, b: str) -> bool:
    return secrets.compare_digest(a.encode(), b.encode())

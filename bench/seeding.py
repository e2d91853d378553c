"""Fast ways to fill a server with data before a workload measures it.

Seeding a million objects through any server's HTTP API takes longer than the benchmark itself, so:
- hutch: rows are bulk-inserted with hutch's own store layer (its S3 tables, key encoding and header
  serialization, through hutch.store.engine's transaction helper) into the running server's database — the
  same rows PutObject commits for an empty object, many per transaction instead of one;
- moto: keeps objects in its server process's memory, reachable only over HTTP, so it is seeded with plain
  PUTs over several keep-alive connections (it checks no signatures); sizes past plan.moto_listing_max are
  skipped for it;
- cognito-local: its JSON database is written directly while it is stopped (it rewrites the whole file on
  every change, so 10,000 users through its API would take hours).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from bench.http import Connection, Prepared, plain
from bench.servers import CognitoLocal, Hutch, Server

EMPTY_ETAG = hashlib.md5(b"").hexdigest()


def listing_keys(
    app_prefix: str, start: int, stop: int, per_folder: int, seed: str = "bench"
) -> Iterator[str]:
    """Keys number ``start``..``stop``-1 of a bucket of many users' folders, ``per_folder`` objects each:
    ``<app_prefix>/<region>:<uuid>/photos/photo-NNN.jpg``, the scenario's layout.

    Folder ``f`` belongs to a made-up identity id derived from ``seed`` and ``f``; the listing user's own
    folder is not among them (it is seeded on its own).
    """
    for n in range(start, stop):
        folder, item = divmod(n, per_folder)
        identity = uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}/{folder}")
        yield f"{app_prefix}/us-east-1:{identity}/photos/photo-{item:03d}.jpg"


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def hutch_objects(server: Hutch, bucket: str, keys: Iterable[str], batch: int = 50_000) -> int:
    """Insert empty objects ``keys`` into ``bucket`` of a running hutch. Returns how many."""
    from hutch.config import Config
    from hutch.services.s3 import tables
    from hutch.services.s3.keys import key_bytes
    from hutch.services.s3.store import dump_headers
    from hutch.store import engine as store_engine

    engine = store_engine.create_engine(Config(data_dir=server.data_dir).db_url)
    headers = dump_headers({"ContentType": "image/jpeg"}, {})
    now = int(time.time())
    count = 0
    try:
        for chunk in _batches(keys, batch):
            rows = [
                {
                    "bucket": bucket,
                    "key": key_bytes(k),
                    "size": 0,
                    "etag": EMPTY_ETAG,
                    "last_modified": now,
                    "blob_id": None,
                    "parts_count": None,
                    "headers": headers,
                    "tags": None,
                    "checksum_algorithm": None,
                    "checksum_value": None,
                    "checksum_type": None,
                }
                for k in chunk
            ]
            with store_engine.write(engine) as conn:
                conn.execute(tables.objects.insert(), rows)
                conn.execute(
                    tables.object_data.insert(),
                    [{"bucket": bucket, "key": r["key"], "data": b""} for r in rows],
                )
            count += len(rows)
    finally:
        engine.dispose()
    return count


def send_all(server: Server, requests: Iterable[Prepared], connections: int = 16) -> int:
    """Send ``requests`` over ``connections`` keep-alive connections; every one must answer 2xx.
    Returns how many were sent. (Requests that depend on each other go in separate calls.)"""
    pending = iter(requests)
    done = 0

    async def worker() -> None:
        nonlocal done
        conn = Connection.to(server.endpoint)
        try:
            for request in pending:
                response = await conn.send(request.raw)
                if not 200 <= response.status < 300:
                    raise RuntimeError(
                        f"{server.name}: seeding {request.method} {request.path} answered {response.status}: "
                        f"{response.body[:300]!r}"
                    )
                done += 1
        finally:
            await conn.close()

    async def main() -> None:
        await asyncio.gather(*(worker() for _ in range(connections)))

    asyncio.run(main())
    return done


def moto_objects(server: Server, bucket: str, keys: Iterable[str]) -> int:
    from urllib.parse import quote

    return send_all(server, (plain(server.endpoint, "PUT", f"/{bucket}/{quote(k)}") for k in keys))


def settle_and_stop(server: CognitoLocal, pool_id: str, timeout: float = 60.0) -> None:
    """Stop cognito-local once its database file is whole and has stopped changing: it writes the file
    after answering, so sign-ins just answered may still be on their way to disk."""
    path = server.db_dir / f"{pool_id}.json"
    deadline = time.monotonic() + timeout
    last = (-1.0, -1)
    while time.monotonic() < deadline:
        stat = path.stat()
        now = (stat.st_mtime, stat.st_size)
        if now == last:
            try:
                json.loads(path.read_text())
                break
            except ValueError:
                pass
        last = now
        time.sleep(1.0)
    server.stop()
    json.loads(path.read_text())  # a torn file would make the seeded run meaningless: fail here


def cognito_local_users(server: CognitoLocal, pool_id: str, names: Iterable[str], password: str) -> int:
    """Add confirmed users (and, as 1 sign-in each leaves behind, one refresh token) to a stopped
    cognito-local's database file, in its own format (copied from a user it created)."""
    path = server.db_dir / f"{pool_id}.json"
    db: dict[str, Any] = json.loads(path.read_text())
    users: dict[str, Any] = db.setdefault("Users", {})
    template = next(iter(users.values()), None)
    if template is None:
        raise RuntimeError("cognito-local: create one user through the API first (the template)")
    token = template["RefreshTokens"][0] if template.get("RefreshTokens") else "x" * 900
    count = 0
    for name in names:
        sub = str(uuid.uuid4())
        user = json.loads(json.dumps(template))
        user.update(Username=sub, Password=password, RefreshTokens=[token])
        user["Attributes"] = [{"Name": "email", "Value": name}, {"Name": "sub", "Value": sub}]
        users[sub] = user
        count += 1
    path.write_text(json.dumps(db, indent=2))
    return count


def db_file_size(server: CognitoLocal, pool_id: str) -> int:
    path: Path = server.db_dir / f"{pool_id}.json"
    return path.stat().st_size if path.exists() else 0

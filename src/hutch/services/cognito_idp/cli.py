"""`hutch outbox`: show the messages (confirmation codes, reset codes, invitations) the default sender kept.

It asks a running server's admin endpoint, ``GET /_hutch/outbox``, with a SigV4-signed request, exactly as
`hutch explain` does, so it works the same against SQLite or PostgreSQL and on any node.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hutch.admin_client import AdminClient, AdminError


def render(messages: list[dict[str, Any]]) -> str:
    if not messages:
        return "The outbox is empty."
    blocks = []
    for m in messages:
        who = f"{m['pool_id']}  {m['username']}"
        lines = [f"{m['created']}  {m['kind']}  {who}  {m['medium']} → {m['destination']}"]
        if m.get("subject"):
            lines.append(f"  Subject: {m['subject']}")
        lines.extend(f"  {line}" for line in str(m["body"]).splitlines())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def outbox_command(
    endpoint: str | None,
    data_dir: Path | None,
    pool_id: str | None = None,
    username: str | None = None,
    limit: int = 20,
    as_json: bool = False,
) -> int:
    """Print the newest outbox messages; returns the process exit code (0 ok, 1 refused, 2 unreachable)."""
    query = {"limit": str(limit)}
    if pool_id:
        query["pool"] = pool_id
    if username:
        query["username"] = username
    try:
        messages = AdminClient(endpoint, data_dir).get_json("/_hutch/outbox", query)["messages"]
    except AdminError as exc:
        print(f"hutch outbox: {exc}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(messages, indent=2) if as_json else render(messages))
    return 0

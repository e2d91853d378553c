"""`hutch explain`: fetch a recorded decision from a running server (signed request) and print it."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from hutch.admin_client import AdminClient, AdminError


def render(record: dict[str, Any]) -> str:
    lines = [f"request {record['request_id']}"]
    for entry in record.get("decisions", []):
        lines.append("")
        # Plain words first (or, when there are none, the engine's one-line decision), then the full trace,
        # which ends with the decision itself.
        first = entry.get("words") or entry.get("summary")
        if first:
            lines.append(first)
            lines.append("")
        lines.append(entry.get("text") or json.dumps(entry, indent=2))
    return "\n".join(lines)


def explain_command(
    request_id: str | None, endpoint: str | None, data_dir: Path | None, as_json: bool
) -> int:
    try:
        record = AdminClient(endpoint, data_dir).get_json(f"/_hutch/explain/{request_id or 'last-denied'}")
    except AdminError as exc:
        print(f"hutch explain: {exc}", file=sys.stderr)
        return exc.exit_code
    print(json.dumps(record, indent=2) if as_json else render(record))
    return 0

"""One structured line per request: request id, service, operation, principal, status, duration."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from hutch.wire.http import HttpRequest, HttpResponse

request_log = logging.getLogger("hutch.request")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            payload.update(fields)
        request_id = getattr(record, "request_id", None)
        if request_id:
            payload["request_id"] = request_id
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure(level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("hutch")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


def log_request(
    request: HttpRequest, response: HttpResponse, request_id: str, state: dict[str, Any], seconds: float
) -> None:
    if not request_log.isEnabledFor(logging.INFO):
        return
    fields = {
        "request_id": request_id,
        "method": request.method,
        "path": request.raw_path,
        "service": state.get("service"),
        "operation": state.get("operation"),
        "principal": state.get("principal"),
        "status": response.status,
        "ms": round(seconds * 1000, 2),
    }
    for key, value in state.items():
        if key not in fields and key not in ("error",):
            fields[key] = value
    request_log.info("request", extra={"fields": fields})

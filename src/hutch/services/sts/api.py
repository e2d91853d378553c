"""STS operations."""

from __future__ import annotations

from typing import Any

from hutch.operations import Call, operation


@operation("sts", "GetCallerIdentity")
def get_caller_identity(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    # Never denied by policy on AWS: any valid credential may ask who it is.
    p = call.principal
    return {"UserId": p.user_id, "Account": p.account, "Arn": p.arn}

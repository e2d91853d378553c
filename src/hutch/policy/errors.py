"""Errors raised by the policy engine; the IAM, STS and S3 handlers map them to their wire errors."""

from __future__ import annotations


class MalformedPolicyError(ValueError):
    """A policy document IAM would refuse. ``reason`` reads like IAM's MalformedPolicyDocument message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PolicySizeExceededError(ValueError):
    """A policy larger than an IAM quota (IAM answers LimitExceeded with this message)."""

    def __init__(self, quota: str, limit: int) -> None:
        self.quota = quota
        self.limit = limit
        self.reason = f"Cannot exceed quota for {quota}: {limit}"
        super().__init__(self.reason)

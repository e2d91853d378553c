"""The one exception type services raise, turned into each protocol's native error shape by wire/.

A handler never builds an error response itself: it raises ServiceError(code, message) and the codec
serializes it for the service's protocol (json 1.1 ``__type``, query ``<ErrorResponse>``, S3 ``<Error>``)
so botocore raises the modeled exception class.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ServiceError(Exception):
    """An AWS-style error: a code the clients know, a message, an HTTP status.

    ``fields`` are extra members of the error body some services add (S3: BucketName, Key, Resource;
    IAM: nothing). ``headers`` are added to the response (e.g. S3's x-amz-bucket-region).
    """

    def __init__(
        self,
        code: str,
        message: str = "",
        status: int = 400,
        *,
        sender_fault: bool = True,
        fields: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.status = status
        self.sender_fault = sender_fault
        self.fields: dict[str, Any] = dict(fields or {})
        self.headers: dict[str, str] = dict(headers or {})

    def __repr__(self) -> str:
        return f"ServiceError({self.code!r}, {self.message!r}, {self.status})"


class InternalError(ServiceError):
    """An unexpected failure inside hutch; details go to the log under the request id, never to the client."""

    def __init__(self, message: str = "We encountered an internal error. Please try again.") -> None:
        super().__init__("InternalError", message, 500, sender_fault=False)


class NotImplementedOperation(ServiceError):
    """A modeled operation hutch has no handler for: a clear 501 that names it."""

    def __init__(self, service: str, operation: str) -> None:
        super().__init__(
            "NotImplemented",
            f"hutch does not implement {service} {operation}; see docs/ for the supported operations.",
            501,
            sender_fault=False,
        )

"""The handler registry and the per-request Call a handler receives.

A handler is plain Python: ``def handler(call, params) -> dict`` (or ``async def`` for the few that stream).
It raises ServiceError for anything the client should see. Sync handlers run in a worker thread so database
and file work never blocks the event loop.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hutch.auth.principal import Principal
    from hutch.auth.sigv4 import SigV4Auth
    from hutch.policy.evaluate import Decision
    from hutch.runtime import Runtime
    from hutch.wire.http import HttpRequest

Result = dict[str, Any]
Handler = Callable[["Call", dict[str, Any]], "Result | Awaitable[Result]"]


@dataclass(frozen=True)
class OperationSpec:
    service: str
    name: str
    handler: Handler
    is_async: bool


_REGISTRY: dict[tuple[str, str], OperationSpec] = {}


def operation(service: str, name: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for ``service``'s modeled operation ``name``."""

    def register(handler: Handler) -> Handler:
        key = (service, name)
        if key in _REGISTRY:
            raise RuntimeError(f"{service} {name} is registered twice")
        _REGISTRY[key] = OperationSpec(service, name, handler, inspect.iscoroutinefunction(handler))
        return handler

    return register


def lookup(service: str, name: str) -> OperationSpec | None:
    return _REGISTRY.get((service, name))


def registered(service: str | None = None) -> list[OperationSpec]:
    return sorted(
        (s for s in _REGISTRY.values() if service is None or s.service == service),
        key=lambda s: (s.service, s.name),
    )


@dataclass
class Call:
    """Everything a handler may know about the request it is serving."""

    rt: Runtime
    request_id: str
    service: str
    operation: str
    http: HttpRequest
    principal: Principal
    region: str
    auth: SigV4Auth | None = None
    # Every authorization decision made for this request, kept for `hutch explain`.
    decisions: list[Decision] = field(default_factory=list)
    # Extra fields for the request's log line (e.g. the S3 bucket).
    log: dict[str, Any] = field(default_factory=dict)

    @property
    def account(self) -> str:
        return self.rt.account_id

    def authorize(
        self,
        action: str,
        resource: str,
        *,
        context: dict[str, str | Iterable[str]] | None = None,
        resource_policies: Iterable[tuple[str, str]] = (),
        resource_account: str | None = None,
    ) -> Decision:
        """Decide ``action`` on ``resource`` for this call's principal; raise AccessDenied when denied."""
        return self.rt.access.require(
            self,
            action,
            resource,
            context=context,
            resource_policies=resource_policies,
            resource_account=resource_account,
        )

    def check(
        self,
        action: str,
        resource: str,
        *,
        context: dict[str, str | Iterable[str]] | None = None,
        resource_policies: Iterable[tuple[str, str]] = (),
        resource_account: str | None = None,
        purpose: str | None = None,
    ) -> Decision:
        """Like authorize, but return the decision instead of raising (DeleteObjects reports per key).

        ``purpose``: when the decision is not the request's own action but a question the service asks on the
        way (may this caller learn that a key is missing?), a sentence saying so; ``hutch explain`` leads
        with it."""
        return self.rt.access.decide(
            self,
            action,
            resource,
            context=context,
            resource_policies=resource_policies,
            resource_account=resource_account,
            purpose=purpose,
        )

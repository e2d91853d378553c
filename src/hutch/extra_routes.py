"""Plain HTTP routes beside the AWS APIs: hutch's own /_hutch/* paths and the user pools' OIDC documents.

Handlers register with ``@http_route(method, regex)`` and return an HttpResponse. They are tried before
service routing, so they must match only paths no AWS API uses.
"""

from __future__ import annotations

import importlib
import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import anyio.to_thread

from hutch.errors import ServiceError
from hutch.wire.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from hutch.runtime import Runtime

RouteHandler = Callable[
    ["Runtime", HttpRequest, "re.Match[str]", str], "HttpResponse | Awaitable[HttpResponse]"
]


@dataclass(frozen=True)
class _Route:
    methods: frozenset[str]
    pattern: re.Pattern[str]
    handler: RouteHandler


_ROUTES: list[_Route] = []

# Modules whose import registers routes: hutch's own, then each service's optional `routes` module.
ROUTE_MODULES = ("hutch.admin",)


def http_route(methods: str, pattern: str) -> Callable[[RouteHandler], RouteHandler]:
    def register(handler: RouteHandler) -> RouteHandler:
        _ROUTES.append(_Route(frozenset(methods.split(",")), re.compile(pattern), handler))
        return handler

    return register


def json_response(status: int, payload: Any, headers: list[tuple[str, str]] | None = None) -> HttpResponse:
    body = json.dumps(payload, indent=None, separators=(",", ":"), default=str).encode()
    return HttpResponse(status, [("content-type", "application/json"), *(headers or [])], body)


def json_error(error: ServiceError, request_id: str) -> HttpResponse:
    return json_response(
        error.status,
        {"error": {"code": error.code, "message": error.message}, "request_id": request_id},
        [("x-amzn-RequestId", request_id)],
    )


class ExtraRoutes:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        for module in ROUTE_MODULES:
            importlib.import_module(module)
        for name in rt.services:
            try:
                importlib.import_module(f"hutch.services.{name}.routes")
            except ModuleNotFoundError as exc:
                if exc.name != f"hutch.services.{name}.routes":
                    raise

    async def handle(self, request: HttpRequest, request_id: str) -> HttpResponse | None:
        if request.headers.get("x-amz-target"):
            return None
        for route in _ROUTES:
            match = route.pattern.fullmatch(request.raw_path)
            if match is None:
                continue
            if request.method not in route.methods:
                if request.method == "OPTIONS":
                    return HttpResponse(204, _open_cors_headers(route.methods))
                return json_response(405, {"error": {"code": "MethodNotAllowed"}})
            try:
                response: HttpResponse
                if inspect.iscoroutinefunction(route.handler):
                    response = await route.handler(self.rt, request, match, request_id)
                else:
                    sync = cast(Callable[..., HttpResponse], route.handler)
                    response = await anyio.to_thread.run_sync(sync, self.rt, request, match, request_id)
            except ServiceError as error:
                response = json_error(error, request_id)
            response.headers.extend(_open_cors_headers(route.methods))
            return response
        return None


def _open_cors_headers(methods: frozenset[str]) -> list[tuple[str, str]]:
    # Discovery documents and JWKS are public and fetched by browser apps, as on AWS.
    return [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", ",".join(sorted(methods | {"OPTIONS"}))),
        ("access-control-allow-headers", "*"),
    ]

"""hutch's own endpoints under /_hutch/: health (public) and admin views (SigV4-signed, policy-checked).

Admin calls are signed like any AWS request (any credential scope; the CLI signs with service "hutch") and
authorized by the policy engine as actions ``hutch:<Name>`` on ``*``, so root may use them and an operator can
grant them to an IAM user.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hutch import __version__
from hutch.auth import sigv4
from hutch.auth.failures import AuthFailure, error_for
from hutch.auth.principal import Principal
from hutch.errors import ServiceError
from hutch.extra_routes import http_route, json_response
from hutch.wire.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from hutch.runtime import Runtime


@http_route("GET,HEAD", r"/_hutch/health")
def health(rt: Runtime, request: HttpRequest, match: re.Match[str], request_id: str) -> HttpResponse:
    return json_response(
        200,
        {
            "status": "ok",
            "version": __version__,
            "region": rt.region,
            "endpoint": rt.config.base_url,
            "services": sorted(rt.services),
        },
    )


def authenticate(rt: Runtime, request: HttpRequest, request_id: str, action: str) -> Principal:
    """Verify the request's SigV4 signature and that its principal may perform ``hutch:<action>``."""
    try:
        params = sigv4.parse_auth(request)
        if params is None:
            raise AuthFailure.missing()
        credential = rt.credentials.lookup_access_key(params.access_key_id)
        if credential is None:
            raise AuthFailure.unknown_key(params.access_key_id)
        auth = sigv4.verify(request, params, credential.secret_access_key, now=rt.now(), body=b"")
        if not credential.token_matches(auth.security_token):
            raise AuthFailure.token_invalid()
        if credential.expired(rt.now()):
            raise AuthFailure.token_expired()
    except AuthFailure as failure:
        raise error_for(failure.kind, "sts", failure.message) from None
    principal = credential.principal
    rt.access.require_admin(principal, f"hutch:{action}", request_id)
    return principal


@http_route("GET", r"/_hutch/explain/(?P<request_id>[A-Za-z0-9-]{1,64})")
def explain(rt: Runtime, request: HttpRequest, match: re.Match[str], request_id: str) -> HttpResponse:
    authenticate(rt, request, request_id, "Explain")
    wanted = match.group("request_id")
    record: dict[str, Any] | None
    record = rt.explain.last_denied() if wanted == "last-denied" else rt.explain.get(wanted)
    if record is None:
        raise ServiceError(
            "NoSuchRequest",
            f"No authorization decision is recorded for request {wanted}. Either the request never reached"
            " authorization (it failed earlier, e.g. its signature or token was refused: the server log has"
            " one line per request id), or it is older than what hutch keeps (the most recent decisions,"
            " in memory, since the server started).",
            404,
        )
    return json_response(200, record)

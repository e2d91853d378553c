"""CORS for the JSON and query APIs, which browser apps (Amplify, the JS SDK) call cross-origin.

AWS answers these APIs for any origin; authorization is by signature or token, never by cookie, so an open
policy here grants nothing. S3's CORS is per bucket and lives in the S3 service.
"""

from __future__ import annotations

from hutch.wire.http import HttpRequest, HttpResponse

_ALLOW_HEADERS = (
    "authorization,content-type,x-amz-date,x-amz-target,x-amz-user-agent,x-amz-security-token,"
    "x-amz-content-sha256,amz-sdk-invocation-id,amz-sdk-request,cache-control,x-amz-api-version"
)
_EXPOSE_HEADERS = "x-amzn-requestid,x-amzn-errortype,x-amzn-errormessage,date"


def is_open_cors_preflight(request: HttpRequest) -> bool:
    return request.method == "OPTIONS" and "access-control-request-method" in request.headers


def open_cors_preflight(request: HttpRequest) -> HttpResponse:
    requested = request.headers.get("access-control-request-headers")
    return HttpResponse(
        200,
        [
            ("access-control-allow-origin", request.headers.get("origin") or "*"),
            ("access-control-allow-methods", "GET,POST,OPTIONS"),
            ("access-control-allow-headers", requested or _ALLOW_HEADERS),
            ("access-control-max-age", "86400"),
            ("vary", "Origin"),
        ],
    )


def add_open_cors(request: HttpRequest, response: HttpResponse) -> None:
    origin = request.headers.get("origin")
    if not origin:
        return
    response.headers.append(("access-control-allow-origin", origin))
    response.headers.append(("access-control-expose-headers", _EXPOSE_HEADERS))
    response.headers.append(("vary", "Origin"))

"""The identity service's OpenID documents: discovery and JWKS under its issuer
(``<base URL>/cognito-identity``).

AWS publishes the keys for GetOpenIdToken tokens at https://cognito-identity.amazonaws.com/.well-known/jwks_uri;
hutch serves its own at the same path under its issuer, so any OIDC library can verify them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from hutch.extra_routes import http_route, json_response
from hutch.services.cognito_identity.openid import ISSUER_PATH
from hutch.wire.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from hutch.runtime import Runtime

_CACHE = [("cache-control", "public, max-age=3600")]


@http_route("GET,HEAD", re.escape(ISSUER_PATH) + r"/\.well-known/(jwks_uri|jwks\.json)")
def jwks(rt: Runtime, request: HttpRequest, match: re.Match[str], request_id: str) -> HttpResponse:
    return json_response(200, rt.services["cognito_identity"].tokens.jwks(), _CACHE)


@http_route("GET,HEAD", re.escape(ISSUER_PATH) + r"/\.well-known/openid-configuration")
def discovery(rt: Runtime, request: HttpRequest, match: re.Match[str], request_id: str) -> HttpResponse:
    return json_response(200, rt.services["cognito_identity"].tokens.discovery(), _CACHE)

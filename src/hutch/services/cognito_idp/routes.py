"""Plain HTTP routes of the user-pool service: each pool's OIDC documents, and the outbox (admin only).

The issuer of a pool's tokens is ``{public URL}/{poolId}``, so ``{issuer}/.well-known/jwks.json`` and
``{issuer}/.well-known/openid-configuration`` are exactly where standard OIDC verifiers (and pycognito,
which derives the issuer from its endpoint URL) look.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hutch.admin import authenticate
from hutch.errors import ServiceError
from hutch.extra_routes import http_route, json_response
from hutch.services.cognito_idp.keys import ALGORITHM
from hutch.services.cognito_idp.schema import STANDARD_NAMES
from hutch.services.cognito_idp.store import outbox as outbox_store
from hutch.store.engine import read
from hutch.wire.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from hutch.runtime import Runtime
    from hutch.services.cognito_idp.service import CognitoIdpService

_POOL = r"/(?P<pool_id>[\w-]+_[0-9a-zA-Z]+)/\.well-known/"
_CACHE = [("cache-control", "public, max-age=300")]


def _service(rt: Runtime) -> CognitoIdpService:
    svc: CognitoIdpService = rt.services["cognito_idp"]
    return svc


def _no_pool(pool_id: str) -> ServiceError:
    return ServiceError("ResourceNotFoundException", f"User pool {pool_id} does not exist.", 404)


@http_route("GET,HEAD", _POOL + r"jwks\.json")
def jwks(rt: Runtime, request: HttpRequest, match: re.Match[str], request_id: str) -> HttpResponse:
    pool_id = match.group("pool_id")
    document = _service(rt).jwks(pool_id)
    if document is None:
        raise _no_pool(pool_id)
    return json_response(200, document, _CACHE)


@http_route("GET,HEAD", _POOL + r"openid-configuration")
def openid_configuration(
    rt: Runtime, request: HttpRequest, match: re.Match[str], request_id: str
) -> HttpResponse:
    pool_id = match.group("pool_id")
    svc = _service(rt)
    if not svc.pool_exists(pool_id):
        raise _no_pool(pool_id)
    issuer = svc.issuer(pool_id)
    document: dict[str, Any] = {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "subject_types_supported": ["public"],
        # hutch serves the user-pool API, not a hosted sign-in domain: there are no authorization, token or
        # userinfo endpoints to list. The response types are the ones Cognito lists for its pools.
        "response_types_supported": ["code", "token"],
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "claims_supported": sorted(
            {"iss", "aud", "exp", "iat", "auth_time", "token_use", "cognito:username", "cognito:groups"}
            | (STANDARD_NAMES - {"identities"})
        ),
    }
    return json_response(200, document, _CACHE)


@http_route("GET", r"/_hutch/outbox")
def outbox(rt: Runtime, request: HttpRequest, match: re.Match[str], request_id: str) -> HttpResponse:
    """Messages the default sender kept (confirmation codes, reset codes, invitations), newest first.
    Query: ``pool``, ``username``, ``limit`` (1-500, default 50). Signed; action ``hutch:ReadOutbox``."""
    authenticate(rt, request, request_id, "ReadOutbox")
    query = request.query_dict
    try:
        limit = int(query.get("limit", "50"))
    except ValueError:
        limit = 0
    if not 1 <= limit <= 500:
        raise ServiceError("InvalidParameterException", "limit must be a number from 1 to 500.", 400)
    with read(rt.engine) as conn:
        entries = outbox_store.recent(
            conn, pool_id=query.get("pool"), username=query.get("username"), limit=limit
        )
    return json_response(
        200,
        {
            "messages": [
                {
                    "id": e.id,
                    "pool_id": e.pool_id,
                    "username": e.username,
                    "kind": e.kind,
                    "medium": e.medium,
                    "destination": e.destination,
                    "subject": e.subject,
                    "body": e.body,
                    "created": e.created.isoformat(),
                }
                for e in entries
            ]
        },
    )

"""Cognito user pools: accounts, SRP and password sign-in, refresh, signed tokens, OIDC discovery.

``create(rt)`` builds the service object other services call (see ``service.CognitoIdpService``);
``api`` registers the operation handlers and ``routes`` the JWKS / OpenID documents and the outbox view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hutch.services.cognito_idp.service import CognitoIdpService

if TYPE_CHECKING:
    from hutch.runtime import Runtime

HOUSEKEEPING_SECONDS = 60.0

__all__ = ["CognitoIdpService", "create"]


def create(rt: Runtime) -> CognitoIdpService:
    svc = CognitoIdpService(rt)
    rt.add_maintenance(svc.housekeeping, HOUSEKEEPING_SECONDS)
    return svc

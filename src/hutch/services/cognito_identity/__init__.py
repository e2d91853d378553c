"""Cognito identity pools: identities for signed-in users and guests, and temporary AWS credentials for them.

``create(rt)`` builds the service object (see ``service.CognitoIdentityService`` for the public methods other
services call); ``api`` registers the AWSCognitoIdentityService operations; ``routes`` serves the OpenID
discovery document and JWKS of the tokens this service signs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hutch.services.cognito_identity.openid import InvalidOpenIdToken
from hutch.services.cognito_identity.service import CognitoIdentityService

if TYPE_CHECKING:
    from hutch.runtime import Runtime

__all__ = ["CognitoIdentityService", "InvalidOpenIdToken", "create"]


def create(rt: Runtime) -> CognitoIdentityService:
    return CognitoIdentityService(rt)

"""STS: who am I, and temporary credentials for roles (AssumeRole, AssumeRoleWithWebIdentity).

``create(rt)`` builds the service object; its public method for other services is
``StsService.assume_role_for_web_identity`` (the identity pools' GetCredentialsForIdentity uses it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hutch.services.sts.service import StsService
from hutch.services.sts.sessions import IssuedCredentials

if TYPE_CHECKING:
    from hutch.runtime import Runtime

__all__ = ["IssuedCredentials", "StsService", "create"]


def create(rt: Runtime) -> StsService:
    return StsService(rt)

"""IAM: users, roles, policies and OIDC providers; the keys and policies every request is checked against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hutch.services.iam.service import IamService

if TYPE_CHECKING:
    from hutch.runtime import Runtime

__all__ = ["IamService", "create"]


def create(rt: Runtime) -> IamService:
    iam = IamService(rt)
    rt.credentials.add(iam.access_keys)
    return iam

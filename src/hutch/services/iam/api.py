"""IAM's operation handlers, registered on import (one module per entity family)."""

from __future__ import annotations

from hutch.services.iam import api_oidc, api_policies, api_roles, api_simulate, api_users

__all__ = ["api_oidc", "api_policies", "api_roles", "api_simulate", "api_users"]

"""Registers every Cognito user pool operation hutch implements: importing a module registers its handlers."""

from hutch.services.cognito_idp import (  # noqa: F401 - imported for their @operation registrations
    api_auth,
    api_clients,
    api_groups,
    api_pools,
    api_self,
    api_signup,
    api_users,
)

"""Checks on identity-pool settings beyond the model's own constraints (which the codec already enforced).

The model only knows "a string of 1..128 of these characters"; these checks know that a Cognito provider must
name an existing user pool and one of its app clients, that a role mapping must belong to a provider the pool
trusts, and that roles are IAM role ARNs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.model import (
    COGNITO_IDENTITY_PROVIDER,
    CognitoProvider,
    IdentityPool,
    RoleMapping,
)

ROLE_ARN = re.compile(r"^arn:aws:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
OIDC_PROVIDER_ARN = re.compile(r"^arn:aws:iam::\d{12}:oidc-provider/(?P<url>[^\s]+)$")
SAML_PROVIDER_ARN = re.compile(r"^arn:aws:iam::\d{12}:saml-provider/[\w+=,.@-]+$")
COGNITO_PROVIDER_NAME = re.compile(
    r"^cognito-idp\.(?P<region>[a-z0-9-]+)\.amazonaws\.com/(?P<pool>[\w-]+_[0-9a-zA-Z]+)$"
)
MAX_RULES_PER_PROVIDER = 25

UserPoolCheck = Callable[[str, str], bool]  # (user pool id, client id) -> the client exists in that pool


def check_cognito_providers(
    providers: Sequence[CognitoProvider], client_exists: UserPoolCheck | None
) -> None:
    seen: set[tuple[str, str]] = set()
    for provider in providers:
        if not provider.provider_name or not provider.client_id:
            raise errors.invalid_parameter("Invalid Cognito Identity Provider")
        # The AWS name, or the issuer without its scheme (what Amplify derives): both end in the user pool id.
        user_pool_id = provider.user_pool_id
        if COGNITO_PROVIDER_NAME.match(provider.provider_name) is None and "_" not in user_pool_id:
            raise errors.invalid_parameter("Invalid Cognito Identity Provider")
        if client_exists is not None and not client_exists(user_pool_id, provider.client_id):
            raise errors.invalid_parameter("Invalid Cognito Identity Provider")
        key = (provider.provider_name, provider.client_id)
        if key in seen:
            raise errors.invalid_parameter(f"Duplicate Cognito Identity Provider: {provider.provider_name}")
        seen.add(key)


def oidc_provider_url(arn: str) -> str | None:
    match = OIDC_PROVIDER_ARN.match(arn)
    return match.group("url") if match else None


def check_oidc_providers(arns: Sequence[str], exists: Callable[[str], bool] | None) -> None:
    for arn in arns:
        if oidc_provider_url(arn) is None or (exists is not None and not exists(arn)):
            raise errors.invalid_parameter(f"Invalid OpenIdConnectProviderARN: {arn}")


def check_saml_providers(arns: Sequence[str]) -> None:
    for arn in arns:
        if SAML_PROVIDER_ARN.match(arn) is None:
            raise errors.invalid_parameter(f"Invalid SamlProviderARN: {arn}")


def check_developer_provider(name: str | None, previous: str | None) -> None:
    if previous and name != previous:
        raise errors.invalid_parameter("The developer provider name of an identity pool cannot be changed.")
    if name == COGNITO_IDENTITY_PROVIDER or (name is not None and name.startswith("cognito-idp.")):
        raise errors.invalid_parameter(f"Invalid DeveloperProviderName: {name}")


def check_role_arn(arn: str) -> None:
    if ROLE_ARN.match(arn) is None:
        raise errors.invalid_parameter(f"Invalid role ARN: {arn}")


def check_roles(roles: Mapping[str, str]) -> None:
    for role_type, arn in roles.items():
        if role_type not in ("authenticated", "unauthenticated"):
            raise errors.invalid_parameter(f"Invalid role type: {role_type}")
        check_role_arn(arn)


def mapping_keys(pool: IdentityPool, oidc_url: Callable[[str], str | None] = oidc_provider_url) -> set[str]:
    """The provider names a role mapping (or principal tag map) may be keyed by."""
    keys = {f"{p.provider_name}:{p.client_id}" for p in pool.cognito_providers}
    keys |= {p.provider_name for p in pool.cognito_providers}
    keys |= {url for arn in pool.open_id_connect_provider_arns if (url := oidc_url(arn))}
    keys |= set(pool.supported_login_providers)
    keys |= set(pool.saml_provider_arns)
    return keys


def check_role_mappings(pool: IdentityPool, mappings: Mapping[str, RoleMapping]) -> None:
    allowed = mapping_keys(pool)
    for provider, mapping in mappings.items():
        if provider not in allowed:
            raise errors.invalid_parameter(
                f"Invalid identity provider name in role mappings: {provider} is not a provider of this pool."
            )
        if mapping.type not in ("Token", "Rules"):
            raise errors.invalid_parameter(f"Invalid role mapping type: {mapping.type}")
        if mapping.ambiguous_role_resolution not in ("AuthenticatedRole", "Deny"):
            raise errors.invalid_parameter(
                "AmbiguousRoleResolution must be specified when the role mapping Type is Token or Rules."
            )
        if mapping.type == "Rules":
            if not mapping.rules:
                raise errors.invalid_parameter(
                    "RulesConfiguration is required when the role mapping Type is Rules."
                )
            if len(mapping.rules) > MAX_RULES_PER_PROVIDER:
                raise errors.invalid_parameter(
                    f"Up to {MAX_RULES_PER_PROVIDER} rules can be specified per identity provider."
                )
            for rule in mapping.rules:
                check_role_arn(rule.role_arn)
        elif mapping.rules:
            raise errors.invalid_parameter(
                "RulesConfiguration is only allowed when the role mapping Type is Rules."
            )

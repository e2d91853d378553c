"""Which IAM role an identity gets (Cognito developer guide, "Role-based access control").

- Guests get the pool's ``unauthenticated`` role.
- Signed-in users get the pool's ``authenticated`` role unless the provider they signed in with has a role
  mapping:
  - Token: CustomRoleArn if it is one of the token's ``cognito:roles`` (else denied); otherwise
    ``cognito:preferred_role``; otherwise (several roles, none preferred, or none) AmbiguousRoleResolution.
  - Rules: the first rule whose claim matches, unless CustomRoleArn names the role of another matching rule;
    no match → AmbiguousRoleResolution. A rule whose claim is absent from the token is not evaluated (even
    NotEqual).
  AmbiguousRoleResolution ``AuthenticatedRole`` falls back to the default authenticated role; ``Deny`` denies.
- With no mapping, CustomRoleArn may only name the role the identity would get anyway.

A pool without the role it needs is an InvalidIdentityPoolConfigurationException, as on AWS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from hutch.services.cognito_identity import errors
from hutch.services.cognito_identity.model import IdentityPool, MappingRule, RoleMapping


def resolve_role(
    pool: IdentityPool,
    *,
    authenticated: bool,
    provider: str | None = None,
    claims: Mapping[str, Any] | None = None,
    custom_role_arn: str | None = None,
) -> str:
    """The role ARN for this identity, or the error AWS answers."""
    if not authenticated:
        role = pool.roles.get("unauthenticated")
        if not role:
            raise errors.invalid_pool_configuration()
        return _custom_or(role, custom_role_arn)
    mapping = pool.role_mappings.get(provider) if provider is not None else None
    if mapping is None:
        return _custom_or(_default_authenticated(pool), custom_role_arn)
    if mapping.type == "Token":
        return _from_token(pool, mapping, provider or "", claims or {}, custom_role_arn)
    return _from_rules(pool, mapping, provider or "", claims or {}, custom_role_arn)


def _default_authenticated(pool: IdentityPool) -> str:
    role = pool.roles.get("authenticated")
    if not role:
        raise errors.invalid_pool_configuration()
    return role


def _custom_or(role: str, custom_role_arn: str | None) -> str:
    if custom_role_arn and custom_role_arn != role:
        raise errors.not_authorized("Invalid CustomRoleArn: the role is not available to this identity.")
    return role


def _ambiguous(pool: IdentityPool, mapping: RoleMapping, provider: str) -> str:
    if mapping.ambiguous_role_resolution == "AuthenticatedRole":
        return _default_authenticated(pool)
    raise errors.not_authorized(f"The ambiguous role mapping rules for: {provider} denied this request.")


def token_roles(claims: Mapping[str, Any]) -> list[str]:
    """The role ARNs in ``cognito:roles`` (a list in user-pool tokens; comma-separated text in older ones)."""
    value = claims.get("cognito:roles")
    if isinstance(value, str):
        return [r.strip() for r in value.split(",") if r.strip()]
    if isinstance(value, list):
        return [str(r) for r in value]
    return []


def _from_token(
    pool: IdentityPool, mapping: RoleMapping, provider: str, claims: Mapping[str, Any], custom: str | None
) -> str:
    roles = token_roles(claims)
    if custom:
        if custom in roles:
            return custom
        raise errors.not_authorized("Invalid CustomRoleArn: the role is not in the token's cognito:roles.")
    preferred = claims.get("cognito:preferred_role")
    if isinstance(preferred, str) and preferred:
        return preferred
    return _ambiguous(pool, mapping, provider)


def _from_rules(
    pool: IdentityPool, mapping: RoleMapping, provider: str, claims: Mapping[str, Any], custom: str | None
) -> str:
    matched = [rule.role_arn for rule in mapping.rules if rule_matches(rule, claims)]
    if custom:
        if custom in matched:
            return custom
        raise errors.not_authorized("Invalid CustomRoleArn: no matching rule maps to the role.")
    if matched:
        return matched[0]
    return _ambiguous(pool, mapping, provider)


def rule_matches(rule: MappingRule, claims: Mapping[str, Any]) -> bool:
    if rule.claim not in claims:
        return False
    values = _claim_values(claims[rule.claim])
    if rule.match_type == "Equals":
        return rule.value in values
    if rule.match_type == "NotEqual":
        return rule.value not in values
    if rule.match_type == "Contains":
        return any(rule.value in v for v in values)
    if rule.match_type == "StartsWith":
        return any(v.startswith(rule.value) for v in values)
    return False


def _claim_values(value: Any) -> Sequence[str]:
    # Multi-valued claims (cognito:groups) match when any of their values does.
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    return [_as_text(value)]


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

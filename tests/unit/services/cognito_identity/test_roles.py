"""Role resolution (Cognito developer guide, "Role-based access control")."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_identity.model import IdentityPool, MappingRule, RoleMapping
from hutch.services.cognito_identity.roles import resolve_role, rule_matches

AUTH = "arn:aws:iam::123456789012:role/auth"
UNAUTH = "arn:aws:iam::123456789012:role/unauth"
ADMIN = "arn:aws:iam::123456789012:role/admin"
EDITOR = "arn:aws:iam::123456789012:role/editor"
KEY = "cognito-idp.us-east-1.amazonaws.com/us-east-1_pool:client"


def pool(mapping: RoleMapping | None = None, **roles: str) -> IdentityPool:
    return IdentityPool(
        "us-east-1:p",
        "p",
        True,
        roles=roles or {"authenticated": AUTH, "unauthenticated": UNAUTH},
        role_mappings={KEY: mapping} if mapping else {},
    )


def refused(**kwargs: object) -> ServiceError:
    with pytest.raises(ServiceError) as excinfo:
        resolve_role(**kwargs)  # type: ignore[arg-type]
    return excinfo.value


def test_guests_get_the_unauthenticated_role_and_users_the_authenticated_one() -> None:
    assert resolve_role(pool(), authenticated=False) == UNAUTH
    assert resolve_role(pool(), authenticated=True, provider=KEY, claims={}) == AUTH


def test_a_missing_role_is_an_invalid_pool_configuration() -> None:
    error = refused(pool=pool(authenticated=AUTH), authenticated=False)
    assert error.code == "InvalidIdentityPoolConfigurationException"
    assert error.message == "Invalid identity pool configuration. Check assigned IAM roles for this pool."


def test_custom_role_arn_without_a_mapping_must_be_the_role_the_identity_gets_anyway() -> None:
    assert resolve_role(pool(), authenticated=True, custom_role_arn=AUTH) == AUTH
    assert refused(pool=pool(), authenticated=True, custom_role_arn=ADMIN).code == "NotAuthorizedException"


token = RoleMapping("Token", "Deny")


def test_token_mapping_uses_the_preferred_role() -> None:
    claims = {"cognito:roles": [ADMIN, EDITOR], "cognito:preferred_role": EDITOR}
    assert resolve_role(pool(token), authenticated=True, provider=KEY, claims=claims) == EDITOR


def test_token_mapping_honours_a_custom_role_from_the_tokens_roles_only() -> None:
    claims = {"cognito:roles": [ADMIN, EDITOR], "cognito:preferred_role": EDITOR}
    assert (
        resolve_role(pool(token), authenticated=True, provider=KEY, claims=claims, custom_role_arn=ADMIN)
        == ADMIN
    )
    error = refused(pool=pool(token), authenticated=True, provider=KEY, claims=claims, custom_role_arn=AUTH)
    assert error.code == "NotAuthorizedException"


def test_token_mapping_without_a_preferred_role_is_ambiguous() -> None:
    claims = {"cognito:roles": [ADMIN, EDITOR]}
    assert (
        refused(pool=pool(token), authenticated=True, provider=KEY, claims=claims).code
        == "NotAuthorizedException"
    )
    fallback = RoleMapping("Token", "AuthenticatedRole")
    assert resolve_role(pool(fallback), authenticated=True, provider=KEY, claims=claims) == AUTH


def test_token_roles_may_be_a_comma_separated_string() -> None:
    claims = {"cognito:roles": f"{ADMIN},{EDITOR}"}
    assert (
        resolve_role(pool(token), authenticated=True, provider=KEY, claims=claims, custom_role_arn=EDITOR)
        == EDITOR
    )


rules = RoleMapping(
    "Rules",
    "Deny",
    (
        MappingRule("custom:dept", "Equals", "sales", EDITOR),
        MappingRule("cognito:groups", "Contains", "admin", ADMIN),
    ),
)


def test_rules_mapping_takes_the_first_matching_rule() -> None:
    claims = {"custom:dept": "sales", "cognito:groups": ["admins"]}
    assert resolve_role(pool(rules), authenticated=True, provider=KEY, claims=claims) == EDITOR


def test_custom_role_may_pick_another_matching_rule_but_not_a_non_matching_one() -> None:
    claims = {"custom:dept": "sales", "cognito:groups": ["admins"]}
    assert (
        resolve_role(pool(rules), authenticated=True, provider=KEY, claims=claims, custom_role_arn=ADMIN)
        == ADMIN
    )
    only_sales = {"custom:dept": "sales"}
    error = refused(
        pool=pool(rules), authenticated=True, provider=KEY, claims=only_sales, custom_role_arn=ADMIN
    )
    assert error.code == "NotAuthorizedException"


def test_no_matching_rule_falls_back_per_ambiguous_role_resolution() -> None:
    claims = {"custom:dept": "hr"}
    assert (
        refused(pool=pool(rules), authenticated=True, provider=KEY, claims=claims).code
        == "NotAuthorizedException"
    )
    lenient = RoleMapping("Rules", "AuthenticatedRole", rules.rules)
    assert resolve_role(pool(lenient), authenticated=True, provider=KEY, claims=claims) == AUTH


@pytest.mark.parametrize(
    ("match_type", "value", "claim", "expected"),
    [
        ("Equals", "sales", "sales", True),
        ("Equals", "sales", "Sales", False),
        ("Contains", "ale", "sales", True),
        ("StartsWith", "sa", "sales", True),
        ("StartsWith", "les", "sales", False),
        ("NotEqual", "hr", "sales", True),
        ("NotEqual", "sales", "sales", False),
        ("Equals", "admins", ["users", "admins"], True),
        ("NotEqual", "admins", ["users", "admins"], False),
        ("Equals", "true", True, True),
    ],
)
def test_rule_match_types(match_type: str, value: str, claim: object, expected: bool) -> None:
    assert rule_matches(MappingRule("c", match_type, value, ADMIN), {"c": claim}) is expected


def test_a_rule_on_an_absent_claim_is_not_evaluated_even_not_equal() -> None:
    assert rule_matches(MappingRule("custom:dept", "NotEqual", "hr", ADMIN), {}) is False

"""Pool schema: standard attributes, custom ones, and the checks user attribute values go through."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.schema import (
    STANDARD_NAMES,
    add_custom_attributes,
    build_schema,
    check_values,
    claim_value,
    default_readable,
    default_writable,
)


def _names(schema: list[dict]) -> list[str]:
    return [a["Name"] for a in schema]


def test_every_pool_has_the_standard_attributes() -> None:
    schema = build_schema(None)
    assert set(_names(schema)) == STANDARD_NAMES
    sub = next(a for a in schema if a["Name"] == "sub")
    assert sub["Required"] is True and sub["Mutable"] is False


def test_custom_attributes_get_their_prefix_and_types() -> None:
    schema = build_schema(
        [
            {"Name": "team", "AttributeDataType": "String", "StringAttributeConstraints": {"MaxLength": "8"}},
            {"Name": "level", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "1"}},
            {"Name": "secret", "AttributeDataType": "String", "DeveloperOnlyAttribute": True},
        ]
    )
    assert {"custom:team", "custom:level", "dev:custom:secret"} <= set(_names(schema))


def test_standard_attribute_can_be_made_required() -> None:
    schema = build_schema([{"Name": "email", "Required": True}])
    assert next(a for a in schema if a["Name"] == "email")["Required"] is True


def test_required_custom_attributes_are_refused_as_cognito_does() -> None:
    with pytest.raises(ServiceError, match=r"Required custom attributes are not supported currently\."):
        build_schema([{"Name": "team", "AttributeDataType": "String", "Required": True}])


def test_duplicate_names_are_refused() -> None:
    with pytest.raises(ServiceError, match="Duplicate"):
        build_schema([{"Name": "team"}, {"Name": "team"}])


def test_add_custom_attributes_refuses_an_existing_name() -> None:
    schema = build_schema([{"Name": "team"}])
    with pytest.raises(ServiceError, match="custom:team"):
        add_custom_attributes(schema, [{"Name": "team"}])
    assert "custom:extra" in _names(add_custom_attributes(schema, [{"Name": "extra"}]))


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"nonsense": "x"}, "nonsense: Attribute does not exist in the schema."),
        ({"custom:level": "high"}, "custom:level: Number must be a valid number"),
        ({"custom:level": "0"}, "custom:level: Number must be no less than 1"),
        ({"custom:team": "far-too-long"}, "custom:team: String must be no longer than 8 characters"),
        ({"email_verified": "maybe"}, "email_verified: Boolean must be true or false"),
        ({"email": "not-an-email"}, "Invalid email address format."),
        ({"phone_number": "555-1234"}, "Invalid phone number format."),
        ({"sub": "mine"}, "sub: Attribute cannot be updated."),
    ],
)
def test_bad_values_are_refused_naming_the_attribute(values: dict[str, str], fragment: str) -> None:
    schema = build_schema(
        [
            {"Name": "team", "StringAttributeConstraints": {"MaxLength": "8"}},
            {"Name": "level", "AttributeDataType": "Number", "NumberAttributeConstraints": {"MinValue": "1"}},
        ]
    )
    with pytest.raises(ServiceError) as err:
        check_values(schema, values, creating=True)
    assert err.value.code == "InvalidParameterException"
    assert fragment in err.value.message


def test_required_attribute_missing_at_creation_is_refused() -> None:
    schema = build_schema([{"Name": "email", "Required": True}])
    with pytest.raises(ServiceError, match="email: The attribute is required"):
        check_values(schema, {"name": "Alice"}, creating=True)
    check_values(schema, {"name": "Alice"}, creating=False)


def test_immutable_attribute_can_be_set_once_but_not_changed() -> None:
    schema = build_schema([{"Name": "badge", "Mutable": False}])
    check_values(schema, {"custom:badge": "42"}, creating=True)
    with pytest.raises(ServiceError, match="immutable"):
        check_values(schema, {"custom:badge": "43"}, creating=False)


def test_clients_read_everything_but_developer_attributes_and_write_no_verified_flags() -> None:
    schema = build_schema([{"Name": "secret", "DeveloperOnlyAttribute": True}, {"Name": "team"}])
    readable, writable = default_readable(schema), default_writable(schema)
    assert "dev:custom:secret" not in readable and "custom:team" in readable and "email_verified" in readable
    assert "email_verified" not in writable and "sub" not in writable and "custom:team" in writable


def test_verified_flags_become_booleans_in_tokens() -> None:
    assert claim_value("email_verified", "true") is True
    assert claim_value("phone_number_verified", "False") is False
    assert claim_value("updated_at", "1700000000") == 1700000000
    assert claim_value("custom:level", "3") == "3"

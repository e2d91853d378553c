"""ListUsers Filter parsing."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.user_filter import parse


@pytest.mark.parametrize(
    ("text", "name", "value", "prefix"),
    [
        ('email = "a@example.com"', "email", "a@example.com", False),
        ('given_name ^= "Jo"', "given_name", "Jo", True),
        ('family_name="Reddy"', "family_name", "Reddy", False),
        ('"username" = "bob"', "username", "bob", False),
        ('name = "say \\"hi\\""', "name", 'say "hi"', False),
        ('cognito:user_status = "UNCONFIRMED"', "cognito:user_status", "UNCONFIRMED", False),
        ('status = "Disabled"', "status", "Disabled", False),
    ],
)
def test_filters_parse(text: str, name: str, value: str, prefix: bool) -> None:
    parsed = parse(text)
    assert parsed is not None
    assert (parsed.name, parsed.value, parsed.prefix) == (name, value, prefix)


@pytest.mark.parametrize("text", [None, "", "   "])
def test_empty_filter_is_no_filter(text: str | None) -> None:
    assert parse(text) is None


@pytest.mark.parametrize("text", ['email "x"', "email = x", 'email == "x"', 'email = "x" and name = "y"'])
def test_malformed_filters_are_refused(text: str) -> None:
    with pytest.raises(ServiceError, match=r"Error while parsing filter\."):
        parse(text)


def test_custom_attributes_are_not_searchable() -> None:
    with pytest.raises(ServiceError, match="Invalid search attribute"):
        parse('custom:team = "blue"')

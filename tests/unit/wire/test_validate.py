"""Model constraint checks, worded as AWS words them."""

from __future__ import annotations

from typing import Any

import pytest

from hutch.errors import ServiceError
from hutch.wire.models import service_model
from hutch.wire.validate import raise_if_invalid, validation_message, violations


def _input(service: str, operation: str) -> Any:
    return service_model(service).operation_model(operation).input_shape


def test_missing_required_members_are_null_violations() -> None:
    found = violations(_input("iam", "CreateRole"), {"RoleName": "r"})

    assert found == [
        "Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null"
    ]


def test_length_range_pattern_and_enum_are_checked() -> None:
    found = violations(
        _input("iam", "CreateRole"),
        {"RoleName": "x" * 65, "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": 10, "Path": "nope"},
    )

    assert (
        "Value '"
        + "x" * 65
        + "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"
        in found
    )
    assert (
        "Value '10' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600"
        in found
    )
    assert any(
        v.startswith(
            "Value 'nope' at 'path' failed to satisfy constraint: Member must satisfy regular expression"
        )
        for v in found
    )


def test_enum_values_are_listed() -> None:
    found = violations(_input("iam", "ListPolicies"), {"Scope": "Everything"})

    assert found == [
        "Value 'Everything' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"
    ]


def test_list_items_are_named_by_position() -> None:
    found = violations(
        _input("iam", "TagRole"), {"RoleName": "r", "Tags": [{"Key": "k", "Value": "v"}, {"Value": "v"}]}
    )

    assert found == [
        "Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null"
    ]


def test_only_required_members_are_checked_when_constraints_are_off() -> None:
    assert (
        violations(
            _input("iam", "CreateRole"),
            {"RoleName": "x" * 99, "AssumeRolePolicyDocument": "{}"},
            constraints=False,
        )
        == []
    )


def test_the_message_counts_the_errors() -> None:
    assert validation_message(["a"]) == "1 validation error detected: a"
    assert validation_message(["a", "b"]) == "2 validation errors detected: a; b"


@pytest.mark.parametrize("code", ["ValidationError", "InvalidParameterException"])
def test_raise_if_invalid_uses_the_given_code(code: str) -> None:
    with pytest.raises(ServiceError) as caught:
        raise_if_invalid(_input("iam", "GetRole"), {}, code, constraints=True)

    assert (caught.value.code, caught.value.status) == (code, 400)


def test_valid_params_pass() -> None:
    raise_if_invalid(_input("iam", "GetRole"), {"RoleName": "files"}, "ValidationError", constraints=True)

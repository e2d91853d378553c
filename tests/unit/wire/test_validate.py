"""Model constraint checks, worded as AWS words them."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.model import ShapeResolver

from hutch.errors import ServiceError
from hutch.wire.models import service_model
from hutch.wire.validate import (
    MAX_ECHOED_CHARS,
    raise_if_invalid,
    shown_value,
    validation_message,
    violations,
)


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


def test_a_long_rejected_value_is_cut_short() -> None:
    found = violations(
        _input("iam", "CreateRole"), {"RoleName": "r" * 5000, "AssumeRolePolicyDocument": "{}"}
    )

    assert found == [
        f"Value '{'r' * MAX_ECHOED_CHARS}...' at 'roleName' failed to satisfy constraint: "
        "Member must have length less than or equal to 64"
    ]


def test_a_short_rejected_value_is_shown_whole() -> None:
    assert shown_value("x" * MAX_ECHOED_CHARS) == "x" * MAX_ECHOED_CHARS
    assert shown_value(["a", "b"]) == "[a, b]"
    assert shown_value({"k": "v", "n": ["x"]}) == "{k=v, n=[x]}"


def test_only_the_shown_part_of_a_huge_value_is_rendered() -> None:
    class Exploding(str):
        def __str__(self) -> str:
            raise AssertionError("rendered past the limit")

    huge = {f"k{i}": "v" for i in range(100)} | {"last": Exploding("boom")}

    shown = shown_value(huge, limit=50)

    assert shown.endswith("...") and len(shown) == 53


def test_a_map_holding_sensitive_values_is_never_echoed() -> None:
    logins = {f"idp{i}": f"secret-token-{i}" for i in range(11)}

    found = violations(_input("cognito-identity", "GetId"), {"IdentityPoolId": "p:x", "Logins": logins})

    assert (
        "Value at 'logins' failed to satisfy constraint: Member must have length less than or equal to 10"
        in found
    )
    assert not any("secret-token" in v for v in found)


def test_a_list_of_structures_with_a_sensitive_member_is_never_echoed() -> None:
    resolver = ShapeResolver(
        {
            "Input": {"type": "structure", "members": {"Attributes": {"shape": "AttributeList"}}},
            "AttributeList": {"type": "list", "member": {"shape": "Attribute"}, "max": 1},
            "Attribute": {
                "type": "structure",
                "members": {"Name": {"shape": "Text"}, "Value": {"shape": "Secret"}},
            },
            "Text": {"type": "string"},
            "Secret": {"type": "string", "sensitive": True},
        }
    )
    attributes = [{"Name": "email", "Value": "hidden@example.com"}, {"Name": "phone", "Value": "+100"}]

    found = violations(resolver.get_shape_by_name("Input"), {"Attributes": attributes})

    assert found == [
        "Value at 'attributes' failed to satisfy constraint: Member must have length less than or equal to 1"
    ]

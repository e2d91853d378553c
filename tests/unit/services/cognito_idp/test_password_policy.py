"""Password policy: Cognito's defaults, its wording for each rule, and generated temporary passwords."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp import password_policy
from hutch.services.cognito_idp.password_policy import DEFAULT_POLICY, check, normalize, temporary_password


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Sh0rt!", "Password not long enough"),
        ("NOLOWER1!", "Password must have lowercase characters"),
        ("noupper1!", "Password must have uppercase characters"),
        ("NoNumbers!", "Password must have numeric characters"),
        ("NoSymbols1", "Password must have symbol characters"),
    ],
)
def test_each_rule_is_named_in_cognitos_words(password: str, rule: str) -> None:
    with pytest.raises(ServiceError) as err:
        check(DEFAULT_POLICY, password)
    assert err.value.code == "InvalidPasswordException"
    assert err.value.message == f"Password did not conform with policy: {rule}"


def test_a_password_meeting_every_rule_passes() -> None:
    check(DEFAULT_POLICY, "Abcdef1!")


@pytest.mark.parametrize("symbol", list(password_policy.SYMBOLS))
def test_every_cognito_symbol_counts(symbol: str) -> None:
    check(DEFAULT_POLICY, f"Abcdef1{symbol}")


def test_an_inner_space_counts_as_a_symbol_but_not_a_leading_one() -> None:
    check(DEFAULT_POLICY, "Abc def1")
    with pytest.raises(ServiceError):
        check(DEFAULT_POLICY, " Abcdef1")


def test_relaxed_policy_accepts_what_it_does_not_require() -> None:
    policy = normalize({"MinimumLength": 6, "RequireSymbols": False, "RequireUppercase": False})
    check(policy, "abcde1")


def test_defaults_are_cognitos() -> None:
    policy = normalize(None)
    assert policy == {
        "MinimumLength": 8,
        "RequireUppercase": True,
        "RequireLowercase": True,
        "RequireNumbers": True,
        "RequireSymbols": True,
        "TemporaryPasswordValidityDays": 7,
    }


@pytest.mark.parametrize("length", [5, 100])
def test_minimum_length_out_of_range_is_refused(length: int) -> None:
    with pytest.raises(ServiceError) as err:
        normalize({"MinimumLength": length})
    assert err.value.code == "InvalidParameterException"


@pytest.mark.parametrize("minimum", [6, 8, 20, 99])
def test_temporary_passwords_satisfy_the_policy_they_are_made_for(minimum: int) -> None:
    policy = normalize({"MinimumLength": minimum})
    seen = set()
    for _ in range(20):
        password = temporary_password(policy)
        check(policy, password)
        seen.add(password)
    assert len(seen) == 20

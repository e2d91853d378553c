"""A pool's password policy: defaults, the check every password set goes through, temporary passwords."""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from typing import Any

from hutch.services.cognito_idp.faults import invalid_parameter, invalid_password

# The characters Cognito counts as symbols (a space counts too when it is neither first nor last).
SYMBOLS = "^$*.[]{}()?-\"!@#%&/\\,><':;|_~`+="

DEFAULT_POLICY: dict[str, Any] = {
    "MinimumLength": 8,
    "RequireUppercase": True,
    "RequireLowercase": True,
    "RequireNumbers": True,
    "RequireSymbols": True,
    "TemporaryPasswordValidityDays": 7,
}


def normalize(requested: Mapping[str, Any] | None) -> dict[str, Any]:
    """The stored PasswordPolicy: the request over Cognito's defaults, with its ranges enforced."""
    policy = dict(DEFAULT_POLICY)
    for key, value in (requested or {}).items():
        if value is not None:
            policy[key] = value
    length = policy["MinimumLength"]
    if not isinstance(length, int) or not 6 <= length <= 99:
        raise invalid_parameter("MinimumLength must be between 6 and 99.")
    validity = policy["TemporaryPasswordValidityDays"]
    if not isinstance(validity, int) or not 0 <= validity <= 365:
        raise invalid_parameter("TemporaryPasswordValidityDays must be between 0 and 365.")
    history = policy.get("PasswordHistorySize")
    if history is not None and (not isinstance(history, int) or not 0 <= history <= 24):
        raise invalid_parameter("PasswordHistorySize must be between 0 and 24.")
    return policy


def _has_symbol(password: str) -> bool:
    inner = password[1:-1]
    return any(c in SYMBOLS for c in password) or " " in inner


def violation(policy: Mapping[str, Any], password: str) -> str | None:
    """The first rule ``password`` breaks, in Cognito's words, or None."""
    if len(password) < int(policy.get("MinimumLength", 8)):
        return "Password not long enough"
    if policy.get("RequireLowercase", True) and not any(c.islower() for c in password):
        return "Password must have lowercase characters"
    if policy.get("RequireUppercase", True) and not any(c.isupper() for c in password):
        return "Password must have uppercase characters"
    if policy.get("RequireNumbers", True) and not any(c in string.digits for c in password):
        return "Password must have numeric characters"
    if policy.get("RequireSymbols", True) and not _has_symbol(password):
        return "Password must have symbol characters"
    return None


def check(policy: Mapping[str, Any], password: str) -> None:
    """Raise InvalidPasswordException naming the rule ``password`` breaks."""
    if password != password.strip(" "):
        raise invalid_password("Password must not begin or end with a space")
    if len(password) > 256:
        raise invalid_password("Password is too long")
    rule = violation(policy, password)
    if rule is not None:
        raise invalid_password(rule)


def temporary_password(policy: Mapping[str, Any]) -> str:
    """A random password that satisfies ``policy`` (for AdminCreateUser without TemporaryPassword)."""
    length = max(int(policy.get("MinimumLength", 8)), 12)
    classes = [string.ascii_lowercase, string.ascii_uppercase, string.digits, "^$*.!@#%&-_=+"]
    chosen = [secrets.choice(c) for c in classes]
    alphabet = "".join(classes)
    chosen += [secrets.choice(alphabet) for _ in range(length - len(chosen))]
    # Shuffle with the CSPRNG so the class of each position is not predictable.
    for i in range(len(chosen) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        chosen[i], chosen[j] = chosen[j], chosen[i]
    return "".join(chosen)

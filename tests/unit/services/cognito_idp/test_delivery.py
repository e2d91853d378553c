"""Code delivery: masked destinations and which contact a code goes to."""

from __future__ import annotations

from datetime import UTC, datetime

from hutch.services.cognito_idp.delivery import Destination, for_confirmation, for_recovery, mask
from hutch.services.cognito_idp.model import User

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _user(**attributes: str) -> User:
    return User("sub", "pool", "alice", "CONFIRMED", True, NOW, NOW, dict(attributes))


def test_email_and_phone_are_masked_as_cognito_shows_them() -> None:
    assert mask(Destination("email", "alice@example.com")) == "a***@e***"
    assert mask(Destination("phone_number", "+15551234567")) == "+*******4567"


def test_confirmation_prefers_sms_when_both_are_auto_verified() -> None:
    user = _user(email="a@example.com", phone_number="+15551234567")
    chosen = for_confirmation(user, ["email", "phone_number"])
    assert chosen is not None and chosen.medium == "SMS"
    chosen = for_confirmation(user, ["email"])
    assert chosen is not None and chosen.medium == "EMAIL"
    assert for_confirmation(user, []) is None


def test_recovery_uses_only_verified_contacts_in_the_pools_order() -> None:
    user = _user(email="a@example.com", email_verified="true", phone_number="+15551234567")
    assert for_recovery(user, None) == Destination("email", "a@example.com")
    user = _user(
        email="a@example.com",
        phone_number="+15551234567",
        phone_number_verified="true",
        email_verified="true",
    )
    order = {
        "RecoveryMechanisms": [
            {"Name": "verified_email", "Priority": 1},
            {"Name": "verified_phone_number", "Priority": 2},
        ]
    }
    assert for_recovery(user, order) == Destination("email", "a@example.com")
    assert for_recovery(user, None) == Destination("phone_number", "+15551234567")


def test_admin_only_recovery_sends_nothing() -> None:
    user = _user(email="a@example.com", email_verified="true")
    assert for_recovery(user, {"RecoveryMechanisms": [{"Name": "admin_only", "Priority": 1}]}) is None


def test_unverified_contacts_get_no_reset_code() -> None:
    assert for_recovery(_user(email="a@example.com"), None) is None

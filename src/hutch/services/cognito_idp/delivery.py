"""Where a code goes and how Cognito describes that to the caller (CodeDeliveryDetails)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from hutch.services.cognito_idp.model import User


@dataclass(frozen=True)
class Destination:
    attribute: str  # "email" or "phone_number"
    address: str

    @property
    def medium(self) -> str:
        return "EMAIL" if self.attribute == "email" else "SMS"

    def details(self) -> dict[str, Any]:
        return {"Destination": mask(self), "DeliveryMedium": self.medium, "AttributeName": self.attribute}


def mask(destination: Destination) -> str:
    """``j***@e***`` for email, ``+*******1234`` for phone numbers, as Cognito shows them."""
    if destination.attribute == "email":
        local, _, domain = destination.address.partition("@")
        return f"{local[:1]}***@{domain[:1]}***"
    digits = destination.address
    keep = digits[-4:]
    lead = "+" if digits.startswith("+") else ""
    return lead + "*" * max(len(digits) - len(keep) - len(lead), 0) + keep


def first_available(user: User, attributes: Iterable[str], *, verified_only: bool) -> Destination | None:
    """The first of ``attributes`` the user has a value for (and, if asked, has verified)."""
    for attribute in attributes:
        value = user.attributes.get(attribute)
        if value and (not verified_only or user.verified(attribute)):
            return Destination(attribute, value)
    return None


def for_confirmation(user: User, auto_verified: Iterable[str]) -> Destination | None:
    """Where SignUp / ResendConfirmationCode send the code: the pool's auto-verified attributes, phone
    first when both are set, as Cognito prefers SMS."""
    wanted = [a for a in ("phone_number", "email") if a in set(auto_verified)]
    return first_available(user, wanted, verified_only=False)


def for_recovery(user: User, recovery: dict[str, Any] | None) -> Destination | None:
    """Where ForgotPassword sends the code: the AccountRecoverySetting order over verified attributes;
    without one, Cognito's legacy order (verified phone, then verified email)."""
    mechanisms = sorted((recovery or {}).get("RecoveryMechanisms") or [], key=lambda m: m.get("Priority", 9))
    if mechanisms:
        if any(m.get("Name") == "admin_only" for m in mechanisms):
            return None
        order = ["email" if m["Name"] == "verified_email" else "phone_number" for m in mechanisms]
    else:
        order = ["phone_number", "email"]
    return first_available(user, order, verified_only=True)

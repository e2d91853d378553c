"""User pool settings: creation defaults, UpdateUserPool's reset-to-default rule, what is immutable."""

from __future__ import annotations

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.pool_settings import build, describe, invitation_message, verification_message


def test_defaults_are_cognitos() -> None:
    settings = build({"PoolName": "p"})
    assert settings["Policies"]["PasswordPolicy"]["MinimumLength"] == 8
    assert settings["DeletionProtection"] == "INACTIVE"
    assert settings["MfaConfiguration"] == "OFF"
    assert settings["AdminCreateUserConfig"] == {
        "AllowAdminCreateUserOnly": False,
        "UnusedAccountValidityDays": 7,
    }
    assert settings["VerificationMessageTemplate"]["DefaultEmailOption"] == "CONFIRM_WITH_CODE"
    assert any(a["Name"] == "email" for a in settings["SchemaAttributes"])


def test_alias_and_username_attributes_are_exclusive() -> None:
    with pytest.raises(ServiceError, match="Only one of AliasAttributes and UsernameAttributes"):
        build({"UsernameAttributes": ["email"], "AliasAttributes": ["email"]})


def test_update_resets_what_it_leaves_out_and_keeps_what_is_immutable() -> None:
    created = build(
        {
            "UsernameAttributes": ["email"],
            "UsernameConfiguration": {"CaseSensitive": False},
            "Schema": [{"Name": "team"}],
            "DeletionProtection": "ACTIVE",
            "AutoVerifiedAttributes": ["email"],
        }
    )
    updated = build({"Policies": {"PasswordPolicy": {"MinimumLength": 12}}}, existing=created)
    assert updated["DeletionProtection"] == "INACTIVE"
    assert "AutoVerifiedAttributes" not in updated
    assert updated["Policies"]["PasswordPolicy"]["MinimumLength"] == 12
    assert updated["UsernameAttributes"] == ["email"]
    assert updated["UsernameConfiguration"] == {"CaseSensitive": False}
    assert updated["SchemaAttributes"] == created["SchemaAttributes"]


def test_mfa_on_is_refused_because_hutch_has_no_mfa() -> None:
    with pytest.raises(ServiceError, match="multi-factor"):
        build({"MfaConfiguration": "ON"})


def test_legacy_verification_members_fill_the_template_and_show_in_describe() -> None:
    settings = build({"EmailVerificationSubject": "Hi", "EmailVerificationMessage": "Code: {####}"})
    assert verification_message(settings, "EMAIL") == ("Hi", "Code: {####}")
    out = describe("us-east-1_X", "p", settings, arn="arn", estimated_users=3)
    assert out["EmailVerificationMessage"] == "Code: {####}"
    assert out["EstimatedNumberOfUsers"] == 3 and out["Arn"] == "arn" and out["Status"] == "Enabled"


def test_templates_without_the_code_placeholder_are_refused() -> None:
    with pytest.raises(ServiceError):
        build({"VerificationMessageTemplate": {"EmailMessage": "no code here"}})
    with pytest.raises(ServiceError):
        build({"AdminCreateUserConfig": {"InviteMessageTemplate": {"EmailMessage": "hi {username}"}}})


def test_invitation_defaults_name_the_username_and_password() -> None:
    subject, body = invitation_message(build({}), "EMAIL")
    assert subject == "Your temporary password"
    assert "{username}" in body and "{####}" in body

"""A user pool's settings: CreateUserPool / UpdateUserPool input → the stored dict → DescribeUserPool.

The stored settings use AWS's member names, with Cognito's defaults filled in, so DescribeUserPool returns
them as they are. UpdateUserPool, as on AWS, resets every updatable setting the request leaves out to its
default; settings fixed at creation (schema, sign-in attributes, case sensitivity) are kept.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import Any

from hutch.services.cognito_idp import password_policy
from hutch.services.cognito_idp.faults import invalid_parameter
from hutch.services.cognito_idp.schema import build_schema

log = logging.getLogger("hutch.cognito_idp")

# Fixed when the pool is created; UpdateUserPool keeps them.
IMMUTABLE = ("SchemaAttributes", "UsernameAttributes", "AliasAttributes", "UsernameConfiguration")

# Settings stored as given (after the checks below), with the value used when a request leaves them out.
_PLAIN_DEFAULTS: dict[str, Any] = {
    "DeletionProtection": "INACTIVE",
    "LambdaConfig": {},
    "MfaConfiguration": "OFF",
    "EmailConfiguration": {"EmailSendingAccount": "COGNITO_DEFAULT"},
    "UserPoolTags": {},
    "UserAttributeUpdateSettings": {"AttributesRequireVerificationBeforeUpdate": []},
    "UserPoolTier": "ESSENTIALS",
}
_OPTIONAL = (
    "AutoVerifiedAttributes",
    "SmsAuthenticationMessage",
    "DeviceConfiguration",
    "SmsConfiguration",
    "UserPoolAddOns",
    "AccountRecoverySetting",
    "DcrConfiguration",
    "KeyConfiguration",
    "IssuerConfiguration",
    "AcrConfiguration",
)

DEFAULT_EMAIL_MESSAGE = "Your verification code is {####}. "
DEFAULT_EMAIL_SUBJECT = "Your verification code"
DEFAULT_SMS_MESSAGE = "Your verification code is {####}. "
DEFAULT_INVITE_MESSAGE = "Your username is {username} and temporary password is {####}. "
DEFAULT_INVITE_SUBJECT = "Your temporary password"

_SIGN_IN_ATTRIBUTES = {
    "UsernameAttributes": ("email", "phone_number"),
    "AliasAttributes": ("email", "phone_number", "preferred_username"),
    "AutoVerifiedAttributes": ("email", "phone_number"),
}


def build(params: Mapping[str, Any], existing: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The stored settings for a CreateUserPool (``existing`` None) or UpdateUserPool request."""
    settings: dict[str, Any] = {}
    if existing is None:
        settings.update(_creation_only(params))
    else:
        settings.update({k: copy.deepcopy(existing[k]) for k in IMMUTABLE if k in existing})

    policies = dict(params.get("Policies") or {})
    settings["Policies"] = {
        "PasswordPolicy": password_policy.normalize(policies.get("PasswordPolicy")),
        "SignInPolicy": _sign_in_policy(policies.get("SignInPolicy")),
    }
    for key, default in _PLAIN_DEFAULTS.items():
        value = params.get(key)
        settings[key] = copy.deepcopy(value if value is not None else default)
    for key in _OPTIONAL:
        if params.get(key) is not None:
            settings[key] = copy.deepcopy(params[key])

    _check_attribute_list(settings, "AutoVerifiedAttributes")
    if settings["MfaConfiguration"] == "ON":
        raise invalid_parameter(
            "hutch does not implement multi-factor authentication; MfaConfiguration must be OFF or OPTIONAL."
        )
    if settings["LambdaConfig"]:
        log.warning("user pool Lambda triggers are stored but hutch does not invoke them")
    settings["VerificationMessageTemplate"] = _verification_template(params)
    settings["AdminCreateUserConfig"] = _admin_create_user_config(params.get("AdminCreateUserConfig"))
    _check_recovery(settings.get("AccountRecoverySetting"))
    return settings


def _creation_only(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"SchemaAttributes": build_schema(params.get("Schema"))}
    if params.get("UsernameAttributes") and params.get("AliasAttributes"):
        raise invalid_parameter(
            "Only one of AliasAttributes and UsernameAttributes can be set in a User Pool"
        )
    for key in ("UsernameAttributes", "AliasAttributes"):
        if params.get(key):
            out[key] = list(dict.fromkeys(params[key]))
            _check_attribute_list(out, key)
    if params.get("UsernameConfiguration") is not None:
        out["UsernameConfiguration"] = {
            "CaseSensitive": bool(params["UsernameConfiguration"]["CaseSensitive"])
        }
    return out


def _check_attribute_list(settings: Mapping[str, Any], key: str) -> None:
    allowed = _SIGN_IN_ATTRIBUTES[key]
    for name in settings.get(key) or ():
        if name not in allowed:
            raise invalid_parameter(f"{key} may only contain {', '.join(allowed)}; got {name}.")


def _sign_in_policy(requested: Mapping[str, Any] | None) -> dict[str, Any]:
    factors = list((requested or {}).get("AllowedFirstAuthFactors") or ["PASSWORD"])
    if "PASSWORD" not in factors:
        raise invalid_parameter(
            "hutch supports password sign-in only; AllowedFirstAuthFactors must include PASSWORD."
        )
    return {"AllowedFirstAuthFactors": factors}


def _verification_template(params: Mapping[str, Any]) -> dict[str, Any]:
    template = dict(params.get("VerificationMessageTemplate") or {})
    # The older top-level members fill in what the template leaves out, as AWS merges them.
    legacy = {
        "EmailMessage": params.get("EmailVerificationMessage"),
        "EmailSubject": params.get("EmailVerificationSubject"),
        "SmsMessage": params.get("SmsVerificationMessage"),
    }
    for key, value in legacy.items():
        if value is not None and key not in template:
            template[key] = value
    template.setdefault("DefaultEmailOption", "CONFIRM_WITH_CODE")
    for key in ("EmailMessage", "SmsMessage"):
        if key in template and "{####}" not in template[key]:
            raise invalid_parameter(f"{key} must contain the {{####}} placeholder.")
    return template


def _admin_create_user_config(requested: Mapping[str, Any] | None) -> dict[str, Any]:
    config: dict[str, Any] = {"AllowAdminCreateUserOnly": False, "UnusedAccountValidityDays": 7}
    for key, value in (requested or {}).items():
        if value is not None:
            config[key] = copy.deepcopy(value)
    invite = config.get("InviteMessageTemplate") or {}
    for key in ("EmailMessage", "SMSMessage"):
        if key in invite and ("{####}" not in invite[key] or "{username}" not in invite[key]):
            raise invalid_parameter(f"InviteMessageTemplate.{key} must contain {{username}} and {{####}}.")
    return config


def _check_recovery(setting: Mapping[str, Any] | None) -> None:
    mechanisms = (setting or {}).get("RecoveryMechanisms") or []
    names = [m.get("Name") for m in mechanisms]
    if len(set(names)) != len(names):
        raise invalid_parameter("RecoveryMechanisms must not repeat a mechanism.")
    if "admin_only" in names and len(names) > 1:
        raise invalid_parameter("admin_only recovery cannot be combined with other recovery mechanisms.")


def describe(
    pool_id: str, name: str, settings: Mapping[str, Any], *, arn: str, estimated_users: int
) -> dict[str, Any]:
    """The UserPoolType that DescribeUserPool / CreateUserPool return."""
    out = copy.deepcopy(dict(settings))
    out.update(
        {
            "Id": pool_id,
            "Name": name,
            "Arn": arn,
            "Status": "Enabled",
            "EstimatedNumberOfUsers": estimated_users,
        }
    )
    template = out.get("VerificationMessageTemplate") or {}
    for key, member in (
        ("EmailMessage", "EmailVerificationMessage"),
        ("EmailSubject", "EmailVerificationSubject"),
        ("SmsMessage", "SmsVerificationMessage"),
    ):
        if key in template:
            out[member] = template[key]
    return out


def verification_message(settings: Mapping[str, Any], medium: str) -> tuple[str | None, str]:
    """(subject, body template with {####}) for confirmation and reset codes."""
    template = settings.get("VerificationMessageTemplate") or {}
    if medium == "SMS":
        return None, template.get("SmsMessage") or DEFAULT_SMS_MESSAGE
    return (
        template.get("EmailSubject") or DEFAULT_EMAIL_SUBJECT,
        template.get("EmailMessage") or DEFAULT_EMAIL_MESSAGE,
    )


def invitation_message(settings: Mapping[str, Any], medium: str) -> tuple[str | None, str]:
    """(subject, body template with {username} and {####}) for AdminCreateUser invitations."""
    invite = (settings.get("AdminCreateUserConfig") or {}).get("InviteMessageTemplate") or {}
    if medium == "SMS":
        return None, invite.get("SMSMessage") or DEFAULT_INVITE_MESSAGE
    return (
        invite.get("EmailSubject") or DEFAULT_INVITE_SUBJECT,
        invite.get("EmailMessage") or DEFAULT_INVITE_MESSAGE,
    )

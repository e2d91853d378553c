"""App client settings: Create/UpdateUserPoolClient input → stored dict → UserPoolClientType, and what the
sign-in flows read from them (allowed auth flows, token lifetimes, attribute permissions).

UpdateUserPoolClient, as on AWS, resets every setting the request leaves out to its default.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from hutch.services.cognito_idp.faults import invalid_parameter
from hutch.services.cognito_idp.model import AppClient
from hutch.services.cognito_idp.schema import default_readable, default_writable

_STORED = (
    "RefreshTokenValidity",
    "AccessTokenValidity",
    "IdTokenValidity",
    "TokenValidityUnits",
    "ReadAttributes",
    "WriteAttributes",
    "ExplicitAuthFlows",
    "SupportedIdentityProviders",
    "CallbackURLs",
    "LogoutURLs",
    "DefaultRedirectURI",
    "AllowedOAuthFlows",
    "AllowedOAuthScopes",
    "AllowedOAuthFlowsUserPoolClient",
    "AnalyticsConfiguration",
    "PreventUserExistenceErrors",
    "EnableTokenRevocation",
    "EnablePropagateAdditionalUserContextData",
    "AuthSessionValidity",
    "RefreshTokenRotation",
)

# hutch's one deliberate default that differs from AWS's API default (LEGACY): answers never reveal
# whether a user exists unless the client asks for the legacy behaviour explicitly.
_DEFAULTS: dict[str, Any] = {
    "RefreshTokenValidity": 30,
    "PreventUserExistenceErrors": "ENABLED",
    "EnableTokenRevocation": True,
    "EnablePropagateAdditionalUserContextData": False,
    "AuthSessionValidity": 3,
    "AllowedOAuthFlowsUserPoolClient": False,
}

_LEGACY_FLOWS = {
    "ADMIN_NO_SRP_AUTH": "ALLOW_ADMIN_USER_PASSWORD_AUTH",
    "USER_PASSWORD_AUTH": "ALLOW_USER_PASSWORD_AUTH",
    "CUSTOM_AUTH_FLOW_ONLY": "ALLOW_CUSTOM_AUTH",
}
DEFAULT_FLOWS = frozenset({"ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"})

_UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400}
_DEFAULT_UNITS = {"AccessToken": "hours", "IdToken": "hours", "RefreshToken": "days"}
_LIMITS = {
    "AccessToken": (timedelta(minutes=5), timedelta(days=1)),
    "IdToken": (timedelta(minutes=5), timedelta(days=1)),
    "RefreshToken": (timedelta(minutes=60), timedelta(days=3650)),
}
_DEFAULT_LIFETIMES = {
    "AccessToken": timedelta(hours=1),
    "IdToken": timedelta(hours=1),
    "RefreshToken": timedelta(days=30),
}


def build(params: Mapping[str, Any], schema: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The stored settings for a Create/UpdateUserPoolClient request against a pool's schema."""
    settings: dict[str, Any] = {}
    for key in _STORED:
        value = params.get(key)
        if value is None:
            value = _DEFAULTS.get(key)
        if value is not None:
            settings[key] = copy.deepcopy(value)
    names = {a["Name"] for a in schema}
    for key, label in (("ReadAttributes", "read"), ("WriteAttributes", "write")):
        unknown = [n for n in settings.get(key, ()) if n not in names]
        if unknown:
            raise invalid_parameter(f"Invalid {label} attributes specified while creating a client")
    if "sub" in settings.get("WriteAttributes", ()):
        raise invalid_parameter("Invalid write attributes specified while creating a client")
    _check_flows(settings.get("ExplicitAuthFlows") or [])
    for token in _LIMITS:
        lifetime(settings, token)  # raises when out of range
    session = settings["AuthSessionValidity"]
    if not 3 <= int(session) <= 15:
        raise invalid_parameter("AuthSessionValidity must be between 3 and 15 minutes.")
    return settings


def _check_flows(flows: list[str]) -> None:
    legacy = [f for f in flows if not f.startswith("ALLOW_")]
    if legacy and len(legacy) != len(flows):
        raise invalid_parameter("ExplicitAuthFlows can not have both ALLOW_ and legacy values.")


def allowed_flows(settings: Mapping[str, Any]) -> frozenset[str]:
    """The ALLOW_* flows in effect (legacy names translated; nothing set means Cognito's defaults)."""
    flows = list(settings.get("ExplicitAuthFlows") or [])
    if not flows:
        return DEFAULT_FLOWS
    if any(not f.startswith("ALLOW_") for f in flows):
        allowed = {_LEGACY_FLOWS[f] for f in flows}
        if "CUSTOM_AUTH_FLOW_ONLY" not in flows:
            # With the legacy names SRP and refresh are always on.
            allowed |= {"ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
        return frozenset(allowed)
    return frozenset(flows)


def lifetime(settings: Mapping[str, Any], token: str) -> timedelta:
    """How long an AccessToken / IdToken / RefreshToken issued for this client lives."""
    value = settings.get(f"{token}Validity")
    if value is None:
        return _DEFAULT_LIFETIMES[token]
    unit = (settings.get("TokenValidityUnits") or {}).get(token) or _DEFAULT_UNITS[token]
    duration = timedelta(seconds=int(value) * _UNIT_SECONDS[unit])
    low, high = _LIMITS[token]
    if not low <= duration <= high:
        raise invalid_parameter(
            f"{token}Validity must be between {_human(low)} and {_human(high)}; "
            f"{value} {unit} is out of range."
        )
    return duration


def _human(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if seconds % size == 0:
            count = seconds // size
            return f"{count} {unit[:-1] if count == 1 else unit}"
    return f"{seconds} seconds"


def readable(client: AppClient, schema: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    chosen = client.settings.get("ReadAttributes")
    return frozenset(chosen if chosen else default_readable(schema))


def writable(client: AppClient, schema: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    chosen = client.settings.get("WriteAttributes")
    return frozenset(chosen if chosen else default_writable(schema))


def describe(client: AppClient) -> dict[str, Any]:
    out: dict[str, Any] = {
        "UserPoolId": client.pool_id,
        "ClientName": client.name,
        "ClientId": client.client_id,
        "LastModifiedDate": client.modified,
        "CreationDate": client.created,
    }
    if client.secret is not None:
        out["ClientSecret"] = client.secret
    out.update(copy.deepcopy(client.settings))
    return out

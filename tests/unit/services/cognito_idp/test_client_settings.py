"""App client settings: auth flows, token lifetimes with their units and ranges, attribute permissions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.client_settings import DEFAULT_FLOWS, allowed_flows, build, describe, lifetime
from hutch.services.cognito_idp.model import AppClient
from hutch.services.cognito_idp.schema import build_schema

SCHEMA = build_schema([{"Name": "team"}])


def test_no_flows_means_cognitos_defaults() -> None:
    assert allowed_flows(build({}, SCHEMA)) == DEFAULT_FLOWS


def test_legacy_flow_names_translate_and_keep_srp_and_refresh_on() -> None:
    flows = allowed_flows(build({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH"]}, SCHEMA))
    assert flows == {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}


def test_allow_flows_are_exactly_what_was_asked() -> None:
    assert allowed_flows(build({"ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH"]}, SCHEMA)) == {
        "ALLOW_USER_PASSWORD_AUTH"
    }


def test_mixing_legacy_and_allow_names_is_refused() -> None:
    with pytest.raises(ServiceError):
        build({"ExplicitAuthFlows": ["USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"]}, SCHEMA)


def test_default_lifetimes_are_an_hour_an_hour_and_thirty_days() -> None:
    settings = build({}, SCHEMA)
    assert lifetime(settings, "AccessToken") == timedelta(hours=1)
    assert lifetime(settings, "IdToken") == timedelta(hours=1)
    assert lifetime(settings, "RefreshToken") == timedelta(days=30)


def test_validity_is_read_in_its_unit_with_hours_and_days_by_default() -> None:
    settings = build(
        {"AccessTokenValidity": 10, "IdTokenValidity": 2, "TokenValidityUnits": {"AccessToken": "minutes"}},
        SCHEMA,
    )
    assert lifetime(settings, "AccessToken") == timedelta(minutes=10)
    assert lifetime(settings, "IdToken") == timedelta(hours=2)


@pytest.mark.parametrize(
    "params",
    [
        {"AccessTokenValidity": 4, "TokenValidityUnits": {"AccessToken": "minutes"}},
        {"IdTokenValidity": 2, "TokenValidityUnits": {"IdToken": "days"}},
        {"RefreshTokenValidity": 59, "TokenValidityUnits": {"RefreshToken": "minutes"}},
        {"RefreshTokenValidity": 3651},
    ],
)
def test_validity_out_of_cognitos_range_is_refused(params: dict) -> None:
    with pytest.raises(ServiceError) as err:
        build(params, SCHEMA)
    assert err.value.code == "InvalidParameterException"


def test_unknown_read_or_write_attribute_is_refused() -> None:
    with pytest.raises(ServiceError, match="Invalid read attributes"):
        build({"ReadAttributes": ["custom:nope"]}, SCHEMA)
    with pytest.raises(ServiceError, match="Invalid write attributes"):
        build({"WriteAttributes": ["sub"]}, SCHEMA)


def test_user_existence_errors_are_prevented_unless_legacy_is_asked_for() -> None:
    assert build({}, SCHEMA)["PreventUserExistenceErrors"] == "ENABLED"
    assert build({"PreventUserExistenceErrors": "LEGACY"}, SCHEMA)["PreventUserExistenceErrors"] == "LEGACY"


def test_describe_shows_the_secret_and_settings() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    client = AppClient(
        "cid", "us-east-1_X", "app", "s3cr3t", build({"ReadAttributes": ["email"]}, SCHEMA), now, now
    )
    out = describe(client)
    assert out["ClientSecret"] == "s3cr3t"
    assert out["ReadAttributes"] == ["email"]
    assert out["RefreshTokenValidity"] == 30

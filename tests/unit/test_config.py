from __future__ import annotations

from pathlib import Path

import pytest

from hutch.config import ConfigError, from_env


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "HUTCH_HOST",
        "HUTCH_PORT",
        "HUTCH_DATA_DIR",
        "HUTCH_REGION",
        "HUTCH_PUBLIC_URL",
        "HUTCH_TLS",
        "HUTCH_DATABASE_URL",
        "HUTCH_TLS_CERT",
        "HUTCH_TLS_KEY",
        "HUTCH_TRUSTED_PROXIES",
        "HUTCH_HEADER_TIMEOUT",
        "HUTCH_MAX_CONNECTIONS",
    ):
        monkeypatch.delenv(name, raising=False)


def test_defaults_match_the_readme_contract() -> None:
    c = from_env()
    assert (c.host, c.port, c.region, c.data_dir) == ("127.0.0.1", 4577, "us-east-1", Path("data"))
    assert c.base_url == "http://127.0.0.1:4577"
    assert c.db_url.startswith("sqlite:///") and c.db_url.endswith("data/hutch.db")


def test_flags_override_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUTCH_PORT", "4600")
    monkeypatch.setenv("HUTCH_REGION", "eu-west-1")
    assert from_env().port == 4600
    c = from_env(port=4700, region=None)
    assert c.port == 4700 and c.region == "eu-west-1"


def test_public_url_wins_for_base_url_and_tls_changes_scheme() -> None:
    assert from_env(public_url="https://hutch.example:9000/").base_url == "https://hutch.example:9000"
    assert from_env(tls=True, port=4443).base_url == "https://127.0.0.1:4443"


def test_no_proxy_is_trusted_by_default() -> None:
    assert from_env().trusted_proxies == ()


def test_trusted_proxies_from_flag_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert from_env(trusted_proxies="10.0.0.5, 10.1.0.0/16,::1").trusted_proxies == (
        "10.0.0.5",
        "10.1.0.0/16",
        "::1",
    )
    monkeypatch.setenv("HUTCH_TRUSTED_PROXIES", "192.168.1.1")
    assert from_env().trusted_proxies == ("192.168.1.1",)
    assert from_env(trusted_proxies="10.0.0.1").trusted_proxies == ("10.0.0.1",)


def test_connection_limits_from_flag_or_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    c = from_env()
    assert (c.header_timeout, c.max_connections) == (30.0, 1000)
    monkeypatch.setenv("HUTCH_HEADER_TIMEOUT", "2.5")
    monkeypatch.setenv("HUTCH_MAX_CONNECTIONS", "50")
    c = from_env()
    assert (c.header_timeout, c.max_connections) == (2.5, 50)
    assert from_env(header_timeout=5.0, max_connections=7).max_connections == 7


@pytest.mark.parametrize(
    "overrides",
    [
        {"trusted_proxies": "localhost"},
        {"trusted_proxies": "10.0.0.1/8"},  # host bits set: uvicorn would silently ignore it
        {"trusted_proxies": "*"},
        {"header_timeout": "0"},
        {"header_timeout": "nan"},
        {"header_timeout": "soon"},
        {"max_connections": "0"},
        {"max_connections": "many"},
    ],
)
def test_invalid_connection_settings_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        from_env(**overrides)


@pytest.mark.parametrize(
    "overrides",
    [
        {"port": 0},
        {"port": 70000},
        {"region": "nowhere"},
        {"public_url": "ftp://x"},
        {"public_url": "http://h/p"},
    ],
)
def test_invalid_settings_are_refused_with_a_reason(overrides: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        from_env(**overrides)


def test_non_numeric_port_from_env_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUTCH_PORT", "http")
    with pytest.raises(ConfigError):
        from_env()

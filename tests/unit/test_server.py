"""The uvicorn settings hutch runs under: who may forward client addresses, and the connection limits."""

from __future__ import annotations

from typing import Any

import pytest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from hutch.config import from_env
from hutch.connections import OVERFLOW_CONNECTIONS, GuardedHttpToolsProtocol
from hutch.server import uvicorn_config


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HUTCH_TRUSTED_PROXIES", "HUTCH_HEADER_TIMEOUT", "HUTCH_MAX_CONNECTIONS"):
        monkeypatch.delenv(name, raising=False)
    # uvicorn's own default for forwarded_allow_ips, which must not leak into hutch's choice.
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "*")


async def app(scope: Any, receive: Any, send: Any) -> None:
    pass


def test_forwarded_headers_are_believed_from_nobody_by_default() -> None:
    config = uvicorn_config(app, from_env(), {})
    config.load()
    assert config.proxy_headers is False
    assert not isinstance(config.loaded_app, ProxyHeadersMiddleware)


def test_forwarded_headers_are_believed_only_from_the_named_proxies() -> None:
    config = uvicorn_config(app, from_env(trusted_proxies="10.0.0.5,10.1.0.0/16"), {})
    config.load()
    assert config.proxy_headers is True
    assert config.forwarded_allow_ips == ["10.0.0.5", "10.1.0.0/16"]
    middleware = config.loaded_app
    assert isinstance(middleware, ProxyHeadersMiddleware)
    assert "10.0.0.5" in middleware.trusted_hosts
    assert "10.1.2.3" in middleware.trusted_hosts
    assert "127.0.0.1" not in middleware.trusted_hosts


def test_connection_limits_reach_uvicorn() -> None:
    config = uvicorn_config(app, from_env(header_timeout=2.5, max_connections=40), {})
    config.load()
    protocol = config.http_protocol_class
    assert isinstance(protocol, type) and issubclass(protocol, GuardedHttpToolsProtocol)
    assert protocol.header_timeout == 2.5
    assert protocol.accept_limit == 40 + OVERFLOW_CONNECTIONS
    assert config.limit_concurrency == 40

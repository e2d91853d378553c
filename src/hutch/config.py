"""Server configuration: flags over HUTCH_* environment variables over defaults.

Nothing secret has a default. Root credentials come from the environment or are generated once per data
directory (see hutch.identity).
"""

from __future__ import annotations

import ipaddress
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4577
DEFAULT_REGION = "us-east-1"
# A connection must finish its request headers this many seconds after it opens or after its previous
# response; a client that trickles headers (or sends nothing) is not allowed to hold a socket forever.
DEFAULT_HEADER_TIMEOUT = 30.0
# Connections served at once: past this, requests are answered 503 (the SDKs back off and retry), and a
# little further new connections are closed on accept, so a flood of idle sockets cannot exhaust the
# process's file descriptors (hutch.connections).
DEFAULT_MAX_CONNECTIONS = 1000

_REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    data_dir: Path = field(default_factory=lambda: Path("data"))
    region: str = DEFAULT_REGION
    public_url: str = ""  # derived from host/port/tls when empty
    tls: bool = False
    tls_cert: Path | None = None
    tls_key: Path | None = None
    database_url: str = ""  # SQLite in data_dir when empty
    log_level: str = "info"
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (they set aws:SourceIp and
    # aws:SecureTransport). Empty: nobody's are, the TCP peer and the listener's scheme decide.
    trusted_proxies: tuple[str, ...] = ()
    header_timeout: float = DEFAULT_HEADER_TIMEOUT
    max_connections: int = DEFAULT_MAX_CONNECTIONS

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def base_url(self) -> str:
        """The URL clients reach this server at; token issuers are built from it."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.host in ("0.0.0.0", "::") else self.host  # noqa: S104 - comparing, not binding
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'hutch.db').resolve()}"

    def validate(self) -> Config:
        if not (0 < self.port < 65536):
            raise ConfigError(f"port must be 1-65535, got {self.port}")
        if not _REGION_RE.match(self.region):
            raise ConfigError(f"region {self.region!r} does not look like an AWS region (e.g. us-east-1)")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ConfigError("--cert and --key go together")
        if self.public_url and not re.match(r"^https?://[^/\s]+$", self.public_url.rstrip("/")):
            raise ConfigError(f"public URL {self.public_url!r} must be scheme://host[:port] with no path")
        for proxy in self.trusted_proxies:
            # uvicorn silently ignores what it cannot read as an address or network: refuse it here.
            try:
                ipaddress.ip_network(proxy) if "/" in proxy else ipaddress.ip_address(proxy)
            except ValueError as exc:
                raise ConfigError(
                    f"trusted proxy {proxy!r}: {exc} (give IP addresses or networks,"
                    " e.g. 10.0.0.5,10.1.0.0/16)"
                ) from None
        if not (math.isfinite(self.header_timeout) and self.header_timeout > 0):
            raise ConfigError(
                f"header timeout must be a positive number of seconds, got {self.header_timeout}"
            )
        if self.max_connections < 1:
            raise ConfigError(f"max connections must be at least 1, got {self.max_connections}")
        return self


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def _env_bool(name: str) -> bool | None:
    value = _env(name)
    if value is None:
        return None
    return value.lower() in ("1", "true", "yes", "on")


def _address_list(value: object) -> tuple[str, ...]:
    """``"10.0.0.5, 10.1.0.0/16"`` (flag or environment) or an already split sequence → a tuple."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise ConfigError(f"expected a comma-separated list of addresses, got {value!r}")
    return tuple(str(item).strip() for item in items if str(item).strip())


def from_env(**overrides: object) -> Config:
    """Build a Config: explicit overrides (CLI flags, None = not given) win over HUTCH_* variables."""
    values: dict[str, object] = {}
    env_map = {
        "host": _env("HUTCH_HOST"),
        "port": _env("HUTCH_PORT"),
        "data_dir": _env("HUTCH_DATA_DIR"),
        "region": _env("HUTCH_REGION"),
        "public_url": _env("HUTCH_PUBLIC_URL"),
        "tls": _env_bool("HUTCH_TLS"),
        "tls_cert": _env("HUTCH_TLS_CERT"),
        "tls_key": _env("HUTCH_TLS_KEY"),
        "database_url": _env("HUTCH_DATABASE_URL"),
        "log_level": _env("HUTCH_LOG_LEVEL"),
        "trusted_proxies": _env("HUTCH_TRUSTED_PROXIES"),
        "header_timeout": _env("HUTCH_HEADER_TIMEOUT"),
        "max_connections": _env("HUTCH_MAX_CONNECTIONS"),
    }
    for key, value in env_map.items():
        if value is not None:
            values[key] = value
    for key, given in overrides.items():
        if given is not None:
            values[key] = given
    for key, kind, what in (
        ("port", int, "port"),
        ("max_connections", int, "max connections"),
        ("header_timeout", float, "header timeout"),
    ):
        if key in values:
            try:
                values[key] = kind(str(values[key]))
            except ValueError:
                raise ConfigError(f"{what} must be a number, got {values[key]!r}") from None
    if "trusted_proxies" in values:
        values["trusted_proxies"] = _address_list(values["trusted_proxies"])
    for key in ("data_dir", "tls_cert", "tls_key"):
        if key in values and values[key] is not None:
            values[key] = Path(str(values[key]))
    if values.get("tls_cert") is not None:
        values.setdefault("tls", True)
    return Config(**values).validate()  # type: ignore[arg-type]

"""Server configuration: flags over HUTCH_* environment variables over defaults.

Nothing secret has a default. Root credentials come from the environment or are generated once per data
directory (see hutch.identity).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4577
DEFAULT_REGION = "us-east-1"

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
        return self


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else None


def _env_bool(name: str) -> bool | None:
    value = _env(name)
    if value is None:
        return None
    return value.lower() in ("1", "true", "yes", "on")


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
    }
    for key, value in env_map.items():
        if value is not None:
            values[key] = value
    for key, given in overrides.items():
        if given is not None:
            values[key] = given
    try:
        if "port" in values:
            values["port"] = int(str(values["port"]))
    except ValueError as exc:
        raise ConfigError(f"port must be a number, got {values['port']!r}") from exc
    for key in ("data_dir", "tls_cert", "tls_key"):
        if key in values and values[key] is not None:
            values[key] = Path(str(values[key]))
    if values.get("tls_cert") is not None:
        values.setdefault("tls", True)
    return Config(**values).validate()  # type: ignore[arg-type]

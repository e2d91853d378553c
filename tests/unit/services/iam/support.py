"""Shared by the IAM, STS and access-glue unit tests: a real Runtime, a clock the test moves, calls as the
pipeline builds them, and unique names (one Runtime serves a whole module)."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hutch.auth.principal import Principal
from hutch.config import Config
from hutch.operations import Call, lookup
from hutch.runtime import Runtime
from hutch.store import engine as store_engine
from hutch.wire.http import Body, Headers, HttpRequest

_names = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}{next(_names)}"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 3, 9, 5, 7, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def backends() -> list[str]:
    return ["sqlite", "postgres"] if os.environ.get("HUTCH_TEST_DATABASE_URL") else ["sqlite"]


def make_runtime(data_dir: Path, backend: str) -> Runtime:
    engine = None
    if backend == "postgres":
        engine = store_engine.create_engine(os.environ["HUTCH_TEST_DATABASE_URL"])
    return Runtime(Config(data_dir=data_dir), engine=engine)


def runtime_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Runtime]:
    rt = make_runtime(tmp_path_factory.mktemp("rt"), request.param)
    yield rt
    rt.close()


def make_call(
    rt: Runtime,
    principal: Principal,
    *,
    service: str = "s3",
    operation: str = "Test",
    request_id: str | None = None,
    client_ip: str = "192.0.2.10",
    scheme: str = "http",
    region: str | None = None,
) -> Call:
    return Call(
        rt=rt,
        request_id=request_id or unique("req-"),
        service=service,
        operation=operation,
        http=HttpRequest("POST", "/", "", Headers(), Body.of(b""), client_ip=client_ip, scheme=scheme),
        principal=principal,
        region=region or rt.region,
    )


def invoke(
    rt: Runtime, service: str, operation: str, principal: Principal | None = None, **params: Any
) -> Any:
    """Run an operation handler as the pipeline would (minus the wire codec)."""
    spec = lookup(service, operation)
    assert spec is not None, f"no handler for {service} {operation}"
    call = make_call(rt, principal or rt.root_principal, service=service, operation=operation)
    return spec.handler(call, params)


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action: str | list[str], resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def trust_account(account: str, action: str = "sts:AssumeRole") -> str:
    return policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": action})

"""Fixtures for the user-pool service's unit tests: a real Runtime (SQLite, and PostgreSQL when
HUTCH_TEST_DATABASE_URL is set), a clock the test moves, a sender that keeps messages, and ``invoke`` to run
an operation handler as the pipeline would (minus the wire codec)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from hutch.auth.principal import Principal, anonymous
from hutch.config import Config
from hutch.operations import Call, lookup
from hutch.runtime import Runtime
from hutch.services.cognito_idp import keys
from hutch.services.cognito_idp.outbox import Message
from hutch.services.cognito_idp.service import CognitoIdpService
from hutch.store import engine as store_engine
from hutch.wire.http import Body, Headers, HttpRequest


class Clock:
    def __init__(self) -> None:
        # Real time to start with: SRP clients stamp their proofs with the wall clock.
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class KeptMessages:
    """A sender that keeps what it is given (the default one writes the outbox table)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    def send(self, message: Message) -> None:
        self.messages.append(message)

    def last_code(self) -> str:
        import re

        found = re.search(r"\b(\d{6})\b", self.messages[-1].body)
        assert found, self.messages[-1].body
        return found.group(1)


def _backends() -> list[str]:
    return ["sqlite", "postgres"] if os.environ.get("HUTCH_TEST_DATABASE_URL") else ["sqlite"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # PyJWT rightly warns about the 1024-bit test keys (see _small_signing_keys); nothing else may warn.
    here = str(Path(__file__).parent)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning"))


@pytest.fixture(autouse=True)
def _small_signing_keys(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    # Every pool generates two RSA keys; 1024-bit ones are ten times quicker to make and exercise the same
    # code. Modules that check the real key size set REAL_KEY_SIZE = True.
    if not getattr(request.module, "REAL_KEY_SIZE", False):
        monkeypatch.setattr(keys, "KEY_BITS", 1024)


@pytest.fixture(scope="module", params=_backends())
def runtime(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    data_dir: Path = tmp_path_factory.mktemp("cognito-idp")
    engine = None
    if request.param == "postgres":
        engine = store_engine.create_engine(os.environ["HUTCH_TEST_DATABASE_URL"])
    rt = Runtime(Config(data_dir=data_dir), engine=engine)
    yield rt
    rt.close()


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(runtime, "now", clock)
    return clock


@pytest.fixture
def sent(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> KeptMessages:
    kept = KeptMessages()
    monkeypatch.setattr(runtime.services["cognito_idp"], "sender", kept)
    return kept


@pytest.fixture
def svc(runtime: Runtime) -> CognitoIdpService:
    service: CognitoIdpService = runtime.services["cognito_idp"]
    return service


Invoke = Callable[..., dict[str, Any]]


@pytest.fixture
def invoke(runtime: Runtime, clock: Clock, sent: KeptMessages) -> Invoke:
    """``invoke("AdminCreateUser", UserPoolId=..., ...)``: as root; ``principal=anonymous(...)`` for a
    public call."""

    def run(operation: str, *, principal: Principal | None = None, **params: Any) -> dict[str, Any]:
        spec = lookup("cognito-idp", operation)
        assert spec is not None, f"no handler for {operation}"
        call = Call(
            rt=runtime,
            request_id="test",
            service="cognito-idp",
            operation=operation,
            http=HttpRequest("POST", "/", "", Headers(), Body.of(b"")),
            principal=principal or runtime.root_principal,
            region=runtime.region,
        )
        result: dict[str, Any] = spec.handler(call, params)  # type: ignore[assignment]
        return result

    return run


@pytest.fixture
def public(runtime: Runtime, invoke: Invoke) -> Invoke:
    """Like ``invoke`` but unsigned (InitiateAuth, SignUp, GetUser ...)."""

    def run(operation: str, **params: Any) -> dict[str, Any]:
        return invoke(operation, principal=anonymous(runtime.account_id), **params)

    return run


PASSWORD = "Corr3ct-Horse!"


@pytest.fixture
def pool(invoke: Invoke) -> dict[str, Any]:
    created: dict[str, Any] = invoke("CreateUserPool", PoolName="unit")["UserPool"]
    return created


@pytest.fixture
def app(invoke: Invoke, pool: dict[str, Any]) -> dict[str, Any]:
    client: dict[str, Any] = invoke(
        "CreateUserPoolClient",
        UserPoolId=pool["Id"],
        ClientName="app",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]
    return client


@pytest.fixture
def alice(invoke: Invoke, pool: dict[str, Any]) -> str:
    invoke(
        "AdminCreateUser",
        UserPoolId=pool["Id"],
        Username="alice",
        UserAttributes=[
            {"Name": "email", "Value": "alice@example.com"},
            {"Name": "email_verified", "Value": "true"},
        ],
        MessageAction="SUPPRESS",
    )
    invoke("AdminSetUserPassword", UserPoolId=pool["Id"], Username="alice", Password=PASSWORD, Permanent=True)
    return "alice"

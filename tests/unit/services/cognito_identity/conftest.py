from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from hutch.services.cognito_identity import api, service
from hutch.services.cognito_identity.openid import generate_key
from hutch.services.cognito_identity.service import CognitoIdentityService
from tests.unit.services.cognito_identity.fakes import (
    FakeCall,
    FakeRuntime,
    FakeSts,
    FakeUserPools,
    sqlite_url,
)


@pytest.fixture(scope="session")
def identity_key() -> tuple[str, str]:
    return generate_key()


@pytest.fixture
def rt(
    tmp_path: Any, identity_key: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeRuntime]:
    monkeypatch.setattr(service, "generate_key", lambda: identity_key)
    runtime = FakeRuntime(sqlite_url(tmp_path))
    runtime.services["cognito_idp"] = FakeUserPools(runtime)
    runtime.services["sts"] = FakeSts(runtime)
    runtime.services["cognito_identity"] = CognitoIdentityService(runtime)  # type: ignore[arg-type]
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def user_pools(rt: FakeRuntime) -> FakeUserPools:
    pools: FakeUserPools = rt.services["cognito_idp"]
    return pools


@pytest.fixture
def sts(rt: FakeRuntime) -> FakeSts:
    fake: FakeSts = rt.services["sts"]
    return fake


@pytest.fixture
def invoke(rt: FakeRuntime) -> Callable[..., dict[str, Any]]:
    """Run an operation as the API would: invoke("GetId", IdentityPoolId=...)."""

    def run(operation: str, *, call: FakeCall | None = None, **params: Any) -> dict[str, Any]:
        call = call or FakeCall(rt)
        call.operation = operation
        return api._OPERATIONS[operation](rt.services["cognito_identity"], call, params)  # type: ignore[arg-type]

    return run


USER_POOL = "us-east-1_Abc123"
CLIENT = "client1"
AUTH_ROLE = "arn:aws:iam::123456789012:role/auth"
GUEST_ROLE = "arn:aws:iam::123456789012:role/guest"


@pytest.fixture
def provider(user_pools: FakeUserPools) -> str:
    """The AWS provider name of a user pool with one app client (the scenario's step 1)."""
    return user_pools.add_pool(USER_POOL, CLIENT)


@pytest.fixture
def pool_id(invoke: Callable[..., dict[str, Any]], provider: str, sts: FakeSts) -> str:
    """The scenario's identity pool: the user pool's client trusted, guests allowed, roles trusted by STS."""
    created = invoke(
        "CreateIdentityPool",
        IdentityPoolName="app",
        AllowUnauthenticatedIdentities=True,
        CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": CLIENT}],
    )
    pool: str = created["IdentityPoolId"]
    invoke(
        "SetIdentityPoolRoles",
        IdentityPoolId=pool,
        Roles={"authenticated": AUTH_ROLE, "unauthenticated": GUEST_ROLE},
    )
    sts.trust_pool(AUTH_ROLE, pool, "authenticated")
    sts.trust_pool(GUEST_ROLE, pool, "unauthenticated")
    return pool

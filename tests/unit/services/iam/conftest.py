from __future__ import annotations

from collections.abc import Iterator

import pytest

from hutch.runtime import Runtime
from hutch.services.iam import IamService
from tests.unit.services.iam.support import Clock, backends, runtime_fixture


@pytest.fixture(scope="module", params=backends())
def runtime(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    yield from runtime_fixture(request, tmp_path_factory)


@pytest.fixture
def clock(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(runtime, "now", clock)
    return clock


@pytest.fixture
def iam(runtime: Runtime, clock: Clock) -> IamService:
    service: IamService = runtime.services["iam"]
    return service

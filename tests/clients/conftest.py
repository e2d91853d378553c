"""Fixtures for the real-client tests: a TLS hutch next to the plain one (Amplify talks to S3 over HTTPS only)
and the scenario set up on a server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.clients.support import Scenario, build_scenario
from tests.support.server import HutchServer


@pytest.fixture(scope="session")
def tls_hutch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HutchServer]:
    """`hutch serve --tls`: a CA generated in the data dir, handed to clients (NODE_EXTRA_CA_CERTS, ...)."""
    server = HutchServer(tmp_path_factory.mktemp("hutch-tls"), tls=True).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def scenario(hutch: HutchServer) -> Scenario:
    """The seed layout (cognito/<app>/<identity id>/) with users alice and bob, over plain HTTP."""
    return build_scenario(hutch, layout="seed")

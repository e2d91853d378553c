"""Slow, idle and surplus connections against a live server, with raw sockets.

The server runs with a one-second header deadline so a connection that never finishes its headers is seen
to be closed; every wait below is bounded generously and only says "closed at some point", never how fast.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import HutchServer

HEADER_TIMEOUT = "1"
MAX_CONNECTIONS = 4
GIVE_UP = 30.0  # seconds: far beyond the deadline, only there so a broken server fails the test


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HutchServer]:
    server = HutchServer(
        tmp_path_factory.mktemp("strict"),
        env={"HUTCH_HEADER_TIMEOUT": HEADER_TIMEOUT, "HUTCH_MAX_CONNECTIONS": str(MAX_CONNECTIONS)},
    ).start()
    yield server
    server.stop()


def _connect(server: HutchServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=GIVE_UP)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def _closed_by_server(sock: socket.socket) -> bool:
    """Wait until the server closes ``sock`` (EOF or reset); False if it is still open after GIVE_UP."""
    sock.settimeout(GIVE_UP)
    try:
        while sock.recv(4096):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def _health(server: HutchServer) -> int:
    return httpx.get(server.endpoint + "/_hutch/health", timeout=GIVE_UP).status_code


def test_a_connection_that_never_sends_is_closed(strict: HutchServer) -> None:
    with _connect(strict) as sock:
        assert _closed_by_server(sock)


def test_headers_trickled_past_the_deadline_are_not_waited_for(strict: HutchServer) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"GET /_hutch/health HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        closed = False
        # Keep sending header lines; each would have reset a per-byte idle timer.
        while time.monotonic() - started < GIVE_UP:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            sock.settimeout(0.2)
            try:
                if sock.recv(4096) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except ConnectionResetError:
                closed = True
                break
        assert closed


def test_a_kept_alive_connection_must_send_its_next_headers_in_time(strict: HutchServer) -> None:
    with _connect(strict) as sock:
        sock.sendall(b"GET /_hutch/health HTTP/1.1\r\nHost: x\r\n\r\n")
        response = b""
        while b"\r\n\r\n" not in response:
            response += sock.recv(4096)
        assert response.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /_hutch/health HTTP/1.1\r\n")  # half a request, then nothing
        assert _closed_by_server(sock)


def test_a_request_sent_in_time_is_answered(strict: HutchServer) -> None:
    assert _health(strict) == 200


def test_surplus_connections_are_closed_on_accept_and_health_comes_back(tmp_path: Path) -> None:
    # A long header deadline: the held connections stay until the test lets them go.
    server = HutchServer(
        tmp_path / "cap", env={"HUTCH_HEADER_TIMEOUT": "600", "HUTCH_MAX_CONNECTIONS": "2"}
    ).start()
    held: list[socket.socket] = []
    try:
        # The server holds up to max + overflow connections; make sure it has accepted each one.
        for _ in range(2 + 64):
            sock = _connect(server)
            sock.sendall(b"GET /_hutch/health HTTP/1.1\r\nHost: x\r\n")  # headers never finished
            held.append(sock)
        with _connect(server) as surplus:
            assert _closed_by_server(surplus)
        for sock in held:
            sock.close()
        held.clear()
        deadline = time.monotonic() + GIVE_UP
        status = 0
        while time.monotonic() < deadline:
            try:
                status = _health(server)
            except httpx.HTTPError:
                status = 0
            if status == 200:
                break
            time.sleep(0.1)
        assert status == 200
    finally:
        for sock in held:
            sock.close()
        server.stop()

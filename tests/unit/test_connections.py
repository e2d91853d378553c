"""Connection deadlines and the connection cap, on uvicorn's real protocol code with a hand-driven clock.

The protocol runs against a fake transport and a loop whose clock only moves when a test says so, so the
order of events (bytes arriving, deadlines passing) is exact; tests/integration/test_connections.py checks
the same behaviour with raw sockets against a live server.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Generator, Iterator
from typing import Any

import pytest
import uvicorn
from uvicorn.server import ServerState

from hutch.connections import OVERFLOW_CONNECTIONS, GuardedHttpToolsProtocol, protocol_class

TIMEOUT = 30.0


class FakeClockLoop:
    """Just enough of an event loop for uvicorn's protocol: timers on a clock tests advance, and tasks run
    synchronously up to their first suspension."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[asyncio.TimerHandle] = []
        self.pending: list[Coroutine[Any, Any, Any]] = []

    def time(self) -> float:
        return self.now

    def get_debug(self) -> bool:
        return False

    def call_at(self, when: float, callback: Callable[..., Any], *args: Any) -> asyncio.TimerHandle:
        handle = asyncio.TimerHandle(when, callback, args, self)  # type: ignore[arg-type]
        self.timers.append(handle)
        return handle

    def call_later(self, delay: float, callback: Callable[..., Any], *args: Any) -> asyncio.TimerHandle:
        return self.call_at(self.now + delay, callback, *args)

    def _timer_handle_cancelled(self, handle: asyncio.TimerHandle) -> None:
        pass

    def advance(self, seconds: float) -> None:
        deadline = self.now + seconds
        while True:
            due = sorted(
                (t for t in self.timers if not t.cancelled() and t.when() <= deadline), key=lambda t: t.when()
            )
            if not due:
                break
            timer = due[0]
            self.timers.remove(timer)
            self.now = max(self.now, timer.when())
            timer._run()
        self.now = deadline

    def create_task(self, coro: Coroutine[Any, Any, Any], **_: Any) -> _DoneTask:
        try:
            coro.send(None)
        except StopIteration:
            return _DoneTask()
        self.pending.append(coro)
        return _DoneTask()


class _DoneTask:
    def add_done_callback(self, callback: Callable[[Any], None], **_: Any) -> None:
        pass


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.closed = False
        self.written = bytearray()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 4577), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class _Suspend:
    def __await__(self) -> Generator[None, None, None]:
        yield


async def answer_at_once(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


async def never_answer(scope: Any, receive: Any, send: Any) -> None:
    await _Suspend()


class Harness:
    def __init__(self, app: Any, *, max_connections: int = 100) -> None:
        self.loop = FakeClockLoop()
        self.state = ServerState()
        cls = protocol_class(TIMEOUT, max_connections)
        self.config = uvicorn.Config(app, http=cls, log_config=None, timeout_keep_alive=5)
        self.config.load()
        self.cls = cls

    def connect(self) -> tuple[GuardedHttpToolsProtocol, FakeTransport]:
        protocol = self.cls(config=self.config, server_state=self.state, app_state={}, _loop=self.loop)  # type: ignore[arg-type]
        transport = FakeTransport()
        protocol.connection_made(transport)
        return protocol, transport

    def close(self) -> None:
        for coro in self.loop.pending:
            coro.close()


@pytest.fixture
def answering() -> Iterator[Harness]:
    harness = Harness(answer_at_once)
    yield harness
    harness.close()


@pytest.fixture
def silent_app() -> Iterator[Harness]:
    harness = Harness(never_answer)
    yield harness
    harness.close()


GET = b"GET /_hutch/health HTTP/1.1\r\nHost: h\r\n\r\n"


def test_a_connection_that_sends_nothing_is_closed_at_the_header_deadline(answering: Harness) -> None:
    _, transport = answering.connect()
    answering.loop.advance(TIMEOUT - 1)
    assert not transport.closed
    answering.loop.advance(1)
    assert transport.closed


def test_trickled_header_bytes_do_not_extend_the_deadline(answering: Harness) -> None:
    protocol, transport = answering.connect()
    for piece in (b"GET / HTTP/1.1\r\n", b"Host: h\r\n", b"X-Slow: 1\r\n"):
        answering.loop.advance(TIMEOUT / 4)
        protocol.data_received(piece)
        assert not transport.closed
    answering.loop.advance(TIMEOUT / 4)
    assert transport.closed


def test_complete_headers_in_time_are_served_and_the_connection_kept(answering: Harness) -> None:
    protocol, transport = answering.connect()
    answering.loop.advance(TIMEOUT - 1)
    protocol.data_received(GET)
    assert transport.written.startswith(b"HTTP/1.1 200")
    answering.loop.advance(2)
    assert not transport.closed


def test_after_a_response_the_next_headers_are_due_within_the_deadline(answering: Harness) -> None:
    protocol, transport = answering.connect()
    protocol.data_received(GET)
    # One byte cancels uvicorn's own keep-alive timer; the header deadline still runs.
    answering.loop.advance(1)
    protocol.data_received(b"G")
    answering.loop.advance(TIMEOUT - 2)
    assert not transport.closed
    answering.loop.advance(1)
    assert transport.closed


def test_a_request_in_flight_is_not_cut_by_the_header_deadline(silent_app: Harness) -> None:
    protocol, transport = silent_app.connect()
    protocol.data_received(GET)
    silent_app.loop.advance(TIMEOUT * 10)
    assert not transport.closed


def test_a_body_that_stops_arriving_closes_the_connection(silent_app: Harness) -> None:
    protocol, transport = silent_app.connect()
    protocol.data_received(b"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789")
    for _ in range(3):
        silent_app.loop.advance(TIMEOUT - 1)
        protocol.data_received(b"0123456789")  # slow, but never silent for the whole timeout
    assert not transport.closed
    silent_app.loop.advance(TIMEOUT)
    assert transport.closed


def test_time_with_reading_paused_is_not_the_clients_silence(silent_app: Harness) -> None:
    protocol, transport = silent_app.connect()
    protocol.data_received(b"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n0123456789")
    protocol.flow.pause_reading()  # hutch is busy with what it has
    silent_app.loop.advance(TIMEOUT * 5)
    assert not transport.closed
    protocol.flow.resume_reading()
    silent_app.loop.advance(TIMEOUT * 2)
    assert transport.closed


def test_a_client_waiting_for_100_continue_is_not_silent(silent_app: Harness) -> None:
    protocol, transport = silent_app.connect()
    protocol.data_received(
        b"PUT /b/k HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n"
    )
    silent_app.loop.advance(TIMEOUT * 5)
    assert not transport.closed


def test_connections_past_the_cap_are_closed_on_accept() -> None:
    harness = Harness(answer_at_once, max_connections=2)
    accepted = [harness.connect()[1] for _ in range(2 + OVERFLOW_CONNECTIONS)]
    assert not any(t.closed for t in accepted)
    _, refused = harness.connect()
    assert refused.closed


def test_protocol_class_carries_the_configured_limits() -> None:
    cls = protocol_class(2.5, 10)
    assert issubclass(cls, GuardedHttpToolsProtocol)
    assert (cls.header_timeout, cls.accept_limit) == (2.5, 10 + OVERFLOW_CONNECTIONS)

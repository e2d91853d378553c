"""How long and how many client connections hutch holds: uvicorn's httptools protocol with deadlines.

uvicorn only times out a keep-alive connection after a response, and any byte cancels that timer. A client
that connects and sends nothing, or trickles its request headers a byte at a time, or stops half-way through
a body, would otherwise keep its socket (and the file descriptor behind it) forever; enough of them and the
process cannot accept anything, /_hutch/health included. Here:

- a connection must complete its request headers within ``header_timeout`` seconds of being opened or of its
  previous response; bytes arriving in the meantime do not extend the deadline;
- while a request body is being received, the client may not fall silent for longer than ``header_timeout``
  (time spent with reading paused because hutch is busy with what it already has does not count);
- past ``accept_limit`` open connections, a new one is closed as soon as it is accepted.

Closing is silent, as servers do for idle keep-alive connections: clients retry a request on a pooled
connection that was closed under them.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Connections accepted past uvicorn's limit_concurrency still get a 503 answer (which the SDKs retry with
# backoff); only beyond this many more are they closed on accept.
OVERFLOW_CONNECTIONS = 64


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a header deadline, a body idle limit and a connection cap.

    Configured by subclassing (``protocol_class``): uvicorn builds one instance per connection itself.
    """

    header_timeout: ClassVar[float] = 30.0
    accept_limit: ClassVar[int] = 1000 + OVERFLOW_CONNECTIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_deadline: asyncio.TimerHandle | None = None
        self._body_watch: asyncio.TimerHandle | None = None
        self._last_data = 0.0

    # --- connection lifecycle ---------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.accept_limit:
            transport.close()
            return
        self._arm_header_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_header_deadline()
        self._cancel_body_watch()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._last_data = self.loop.time()
        super().data_received(data)

    # --- parser callbacks -------------------------------------------------------------------------------

    def on_headers_complete(self) -> None:
        self._cancel_header_deadline()
        super().on_headers_complete()
        self._last_data = self.loop.time()
        self._arm_body_watch(self._last_data + self.header_timeout)

    def on_message_complete(self) -> None:
        self._cancel_body_watch()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # uvicorn armed its keep-alive timer exactly when the connection went idle (no pipelined request
        # started): from now on the next request's headers are due.
        if self.timeout_keep_alive_task is not None:
            self._arm_header_deadline()

    # --- deadlines --------------------------------------------------------------------------------------

    def _arm_header_deadline(self) -> None:
        self._cancel_header_deadline()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._header_deadline_passed)

    def _cancel_header_deadline(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _header_deadline_passed(self) -> None:
        self._header_deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def _arm_body_watch(self, when: float) -> None:
        self._cancel_body_watch()
        self._body_watch = self.loop.call_at(when, self._check_body_progress)

    def _cancel_body_watch(self) -> None:
        if self._body_watch is not None:
            self._body_watch.cancel()
            self._body_watch = None

    def _check_body_progress(self) -> None:
        self._body_watch = None
        cycle = self.cycle
        if cycle is None or cycle.response_complete or not cycle.more_body or self.transport.is_closing():
            return
        now = self.loop.time()
        if self.flow.read_paused or cycle.waiting_for_100_continue:
            # Nothing is expected from the client while hutch is not reading, or before it has asked for
            # the body (Expect: 100-continue): that time is not the client's silence.
            self._last_data = now
        elif now - self._last_data >= self.header_timeout:
            self.transport.close()
            return
        self._arm_body_watch(self._last_data + self.header_timeout)


def protocol_class(header_timeout: float, max_connections: int) -> type[GuardedHttpToolsProtocol]:
    """The protocol class to give ``uvicorn.Config(http=...)`` for these limits."""
    return type(
        "HutchHttpProtocol",
        (GuardedHttpToolsProtocol,),
        {"header_timeout": header_timeout, "accept_limit": max_connections + OVERFLOW_CONNECTIONS},
    )

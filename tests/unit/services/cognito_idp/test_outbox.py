"""Message delivery: the outbox (default), SMTP when configured, and the outbox's retention."""

from __future__ import annotations

import logging
import socket
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hutch.errors import ServiceError
from hutch.services.cognito_idp.outbox import (
    Message,
    OutboxSender,
    SmtpSender,
    SmtpSettings,
    sender_from_env,
)
from hutch.services.cognito_idp.store import outbox as outbox_store
from hutch.store import engine as store_engine

EMAIL = Message("us-east-1_X", "alice", "SignUp", "EMAIL", "alice@example.com", "Your code", "Code 123456")
SMS = Message("us-east-1_X", "alice", "SignUp", "SMS", "+15551234567", None, "Code 123456")


class KeptMessages:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    def send(self, message: Message) -> None:
        self.messages.append(message)


class TinySmtpServer:
    """Just enough SMTP (no TLS, no auth) to receive one message on a loopback port."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.data = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn, conn.makefile("rwb") as f:
            f.write(b"220 tiny\r\n")
            f.flush()
            in_data = False
            for line in f:
                if in_data:
                    if line == b".\r\n":
                        in_data = False
                        f.write(b"250 queued\r\n")
                    else:
                        self.data += line
                elif line.upper().startswith((b"EHLO", b"HELO")):
                    f.write(b"250 tiny\r\n")
                elif line.upper().startswith(b"DATA"):
                    in_data = True
                    f.write(b"354 go on\r\n")
                elif line.upper().startswith(b"QUIT"):
                    f.write(b"221 bye\r\n")
                    f.flush()
                    return
                else:
                    f.write(b"250 ok\r\n")
                f.flush()

    def close(self) -> None:
        self.sock.close()


def test_smtp_urls_parse_with_their_modes_and_default_ports() -> None:
    assert SmtpSettings.from_url("smtp://user:p%40ss@mail.example.com", "a@b") == SmtpSettings(
        "mail.example.com", 587, "starttls", "user", "p@ss", "a@b"
    )
    assert SmtpSettings.from_url("smtps://mail.example.com", "a@b").port == 465
    assert SmtpSettings.from_url("smtp+plain://localhost:2525", "a@b").mode == "plain"
    with pytest.raises(ValueError, match="HUTCH_SMTP_URL"):
        SmtpSettings.from_url("http://mail.example.com", "a@b")


def test_email_goes_by_smtp_and_sms_to_the_fallback() -> None:
    server = TinySmtpServer()
    fallback = KeptMessages()
    try:
        sender = SmtpSender(
            SmtpSettings("127.0.0.1", server.port, "plain", None, None, "hutch@example.com"), fallback
        )
        sender.send(EMAIL)
        server.thread.join(timeout=30)
    finally:
        server.close()
    assert b"To: alice@example.com" in server.data and b"Code 123456" in server.data
    assert b"Subject: Your code" in server.data and b"From: hutch@example.com" in server.data
    sender.send(SMS)
    assert fallback.messages == [SMS]


def test_smtp_email_bodies_stay_out_of_the_log_and_sms_through_the_outbox_are_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = store_engine.create_engine(f"sqlite:///{tmp_path / 'l.db'}")
    store_engine.migrate(engine)
    server = TinySmtpServer()
    try:
        outbox = OutboxSender(engine, lambda: datetime.now(UTC))
        sender = SmtpSender(
            SmtpSettings("127.0.0.1", server.port, "plain", None, None, "hutch@example.com"), outbox
        )
        with caplog.at_level(logging.DEBUG, logger="hutch.cognito_idp"):
            sender.send(EMAIL)
            server.thread.join(timeout=30)
            emailed = list(caplog.records)
            caplog.clear()
            sender.send(SMS)
            texted = list(caplog.records)
    finally:
        server.close()
        engine.dispose()
    assert emailed and not any("123456" in _logged(r) for r in emailed)
    assert any("123456" in _logged(r) for r in texted)
    assert any("hutch outbox" in r.getMessage() for r in texted)


def test_outbox_log_line_says_where_to_read_the_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine = store_engine.create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    store_engine.migrate(engine)
    with caplog.at_level(logging.INFO, logger="hutch.cognito_idp.outbox"):
        OutboxSender(engine, lambda: datetime.now(UTC)).send(EMAIL)
    engine.dispose()
    [record] = caplog.records
    assert "hutch outbox" in record.getMessage()
    assert "Code 123456" in _logged(record)  # kept for local use: the outbox is the delivery path


def _logged(record: logging.LogRecord) -> str:
    """Everything a log line carries: its message and its structured fields."""
    return record.getMessage() + repr(getattr(record, "fields", {}))


def test_unreachable_smtp_server_is_a_delivery_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here once the probe closes
    sender = SmtpSender(SmtpSettings("127.0.0.1", port, "plain", None, None, "x@example.com"), KeptMessages())
    with pytest.raises(ServiceError) as err:
        sender.send(EMAIL)
    assert err.value.code == "CodeDeliveryFailureException"


def test_outbox_keeps_messages_newest_first_and_forgets_old_ones(tmp_path: Path) -> None:
    engine = store_engine.create_engine(f"sqlite:///{tmp_path / 'o.db'}")
    store_engine.migrate(engine)
    now = datetime(2026, 11, 3, tzinfo=UTC)
    clock = [now - timedelta(days=10)]
    sender = OutboxSender(engine, lambda: clock[0])
    sender.send(EMAIL)
    clock[0] = now
    sender.send(SMS)
    with engine.connect() as conn:
        kept = outbox_store.recent(conn)
        assert [m.medium for m in kept] == ["SMS", "EMAIL"]
        assert [m.medium for m in outbox_store.recent(conn, username="bob")] == []
    with store_engine.write(engine) as conn:
        assert outbox_store.purge(conn, now - timedelta(days=7)) == 1
    with engine.connect() as conn:
        assert [m.medium for m in outbox_store.recent(conn)] == ["SMS"]
    engine.dispose()


def test_sender_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = store_engine.create_engine(f"sqlite:///{tmp_path / 'e.db'}")
    monkeypatch.delenv("HUTCH_SMTP_URL", raising=False)
    assert isinstance(sender_from_env(engine, lambda: datetime.now(UTC)), OutboxSender)
    monkeypatch.setenv("HUTCH_SMTP_URL", "smtp+plain://127.0.0.1:2525")
    monkeypatch.setenv("HUTCH_SMTP_FROM", "codes@example.com")
    chosen = sender_from_env(engine, lambda: datetime.now(UTC))
    assert isinstance(chosen, SmtpSender) and chosen.settings.sender == "codes@example.com"
    engine.dispose()

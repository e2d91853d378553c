"""Delivering confirmation codes, reset codes and invitations: a pluggable sender.

The default sender keeps every message in the outbox table (shown by ``hutch outbox`` and the admin-only
``/_hutch/outbox``) and logs it, so a developer can sign users up without a mail server. Setting
``HUTCH_SMTP_URL`` (``smtp://user:pass@host:587`` with STARTTLS, ``smtps://...`` for TLS from the start,
``smtp+plain://`` for neither) sends email through that server instead; SMS always goes to the outbox.
``HUTCH_SMTP_FROM`` sets the sender address.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import TYPE_CHECKING, Protocol
from urllib.parse import unquote, urlsplit

from hutch.errors import ServiceError
from hutch.services.cognito_idp.store import outbox as outbox_store
from hutch.store.engine import write

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy.engine import Engine

log = logging.getLogger("hutch.cognito_idp.outbox")


@dataclass(frozen=True)
class Message:
    pool_id: str
    username: str
    kind: str  # SignUp, ResendConfirmationCode, ForgotPassword, AdminCreateUser, ...
    medium: str  # EMAIL or SMS
    destination: str
    subject: str | None
    body: str


class Sender(Protocol):
    def send(self, message: Message) -> None: ...


class OutboxSender:
    """Keeps messages in the outbox table and logs them."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        self.engine = engine
        self.now = now

    def send(self, message: Message) -> None:
        with write(self.engine) as conn:
            outbox_store.add(
                conn,
                pool_id=message.pool_id,
                username=message.username,
                kind=message.kind,
                medium=message.medium,
                destination=message.destination,
                subject=message.subject,
                body=message.body,
                created=self.now(),
            )
        # For local use the outbox is where codes are delivered, so the line carries the body; with SMTP
        # configured only SMS come here (SmtpSender logs no email body).
        log.info(
            "message kept in the outbox (`hutch outbox` shows it)",
            extra={
                "fields": {
                    "pool_id": message.pool_id,
                    "username": message.username,
                    "kind": message.kind,
                    "medium": message.medium,
                    "destination": message.destination,
                    "body": message.body,
                }
            },
        )


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    mode: str  # "starttls", "tls" or "plain"
    username: str | None
    password: str | None
    sender: str

    @classmethod
    def from_url(cls, url: str, sender: str) -> SmtpSettings:
        parts = urlsplit(url)
        modes = {"smtp": ("starttls", 587), "smtps": ("tls", 465), "smtp+plain": ("plain", 25)}
        if parts.scheme not in modes or not parts.hostname:
            raise ValueError(
                "HUTCH_SMTP_URL must look like smtp://[user:pass@]host[:port] (or smtps://, smtp+plain://)"
            )
        mode, default_port = modes[parts.scheme]
        return cls(
            host=parts.hostname,
            port=parts.port or default_port,
            mode=mode,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            sender=sender,
        )


class SmtpSender:
    """Sends EMAIL messages through an SMTP server; everything else goes to ``fallback``."""

    def __init__(self, settings: SmtpSettings, fallback: Sender) -> None:
        self.settings = settings
        self.fallback = fallback

    def send(self, message: Message) -> None:
        if message.medium != "EMAIL":
            self.fallback.send(message)
            return
        email = EmailMessage()
        email["From"] = self.settings.sender
        email["To"] = message.destination
        email["Subject"] = message.subject or ""
        email.set_content(message.body)
        s = self.settings
        try:
            if s.mode == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=15, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=15)
            with smtp:
                if s.mode == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if s.username:
                    smtp.login(s.username, s.password or "")
                smtp.send_message(email)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("SMTP delivery failed: %s", exc, extra={"fields": {"pool_id": message.pool_id}})
            raise ServiceError("CodeDeliveryFailureException", "Unable to deliver the message.") from None
        log.info(
            "message sent by SMTP",
            extra={
                "fields": {"pool_id": message.pool_id, "username": message.username, "kind": message.kind}
            },
        )


def sender_from_env(engine: Engine, now: Callable[[], datetime]) -> Sender:
    outbox = OutboxSender(engine, now)
    url = os.environ.get("HUTCH_SMTP_URL")
    if not url:
        return outbox
    sender = os.environ.get("HUTCH_SMTP_FROM") or "no-reply@localhost"
    return SmtpSender(SmtpSettings.from_url(url, sender), outbox)

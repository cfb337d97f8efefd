"""Outgoing mail: one message model, one interface, two transports chosen in one place.

The file outbox is the embedded default (each message an `.eml` file, so the product runs with no
mail server); SMTP goes through yagmail. Both send the same MIME bytes. The Message-ID derives from
the idempotency key, so even a message re-sent after a crash is recognisable as the same one.
"""

from __future__ import annotations

import hashlib
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

import yagmail

from smpp.drive import write_atomically
from smpp.models import MailSettings, SecretRef, SmtpSettings


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Message:
    key: str  # the idempotency key of the effect that sends it
    kind: str
    sender: str
    to: tuple[str, ...]
    subject: str
    text: str
    html: str
    date: datetime
    cc: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default=())

    @property
    def message_id(self) -> str:
        digest = hashlib.sha256(self.key.encode()).hexdigest()[:32]
        domain = self.sender.rsplit("@", 1)[-1].rstrip(">") or "smpp.invalid"
        return f"<{digest}@{domain}>"

    @property
    def recipients(self) -> tuple[str, ...]:
        return self.to + self.cc

    def to_mime(self) -> EmailMessage:
        mime = EmailMessage()
        mime["From"] = self.sender
        mime["To"] = ", ".join(self.to)
        if self.cc:
            mime["Cc"] = ", ".join(self.cc)
        mime["Subject"] = self.subject
        mime["Date"] = format_datetime(self.date)
        mime["Message-ID"] = self.message_id
        mime["X-SMPP-Kind"] = self.kind
        mime.set_content(self.text)
        mime.add_alternative(self.html, subtype="html")
        for item in self.attachments:
            maintype, subtype = item.mime_type.split("/", 1)
            mime.add_attachment(
                item.content, maintype=maintype, subtype=subtype, filename=item.filename
            )
        return mime


class Mailer(Protocol):
    def send(self, message: Message) -> str:
        """Deliver `message`, or raise; returns where it went, for the record."""
        ...


class OutboxMailer:
    """Writes each message as an .eml file named after its key, so a repeat overwrites it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: Message) -> str:
        stamp = message.date.strftime("%Y%m%d-%H%M")
        digest = hashlib.sha256(message.key.encode()).hexdigest()[:12]
        path = self.folder / f"{stamp} {message.kind} {digest}.eml"
        write_atomically(path, bytes(message.to_mime()))
        return str(path)


class SmtpMailer:
    """SMTP through yagmail, which handles TLS and login; we send our own MIME over its connection
    so a refusal raises (yagmail's own send() swallows disconnects and sleeps)."""

    def __init__(self, settings: SmtpSettings, sender: str, password: str | None) -> None:
        self.settings = settings
        self.sender = sender
        self.password = password

    def send(self, message: Message) -> str:
        settings = self.settings
        client = yagmail.SMTP(
            user=settings.user or self.sender,
            password=self.password,
            host=settings.host,
            port=settings.port,
            smtp_ssl=settings.security == "ssl",
            smtp_starttls=settings.security == "starttls",
            smtp_skip_login=settings.user is None,
            soft_email_validation=False,
            timeout=settings.timeout_seconds,
        )
        try:
            client.login()
            refused = client.smtp.send_message(
                message.to_mime(), from_addr=self.sender, to_addrs=list(message.recipients)
            )
        finally:
            client.close()
        if refused:
            raise smtplib.SMTPRecipientsRefused(refused)
        return f"smtp://{settings.host}:{settings.port}"


def build_mailer(
    settings: MailSettings, drive: Path, read_secret: Callable[[SecretRef], str]
) -> Mailer:
    """The one place a transport is chosen. `read_secret` resolves a reference at send time."""
    if settings.transport == "outbox":
        outbox = settings.outbox if settings.outbox.is_absolute() else drive / settings.outbox
        return OutboxMailer(outbox)
    assert settings.smtp is not None  # guaranteed by MailSettings validation
    password = read_secret(settings.smtp.password) if settings.smtp.password else None
    return SmtpMailer(settings.smtp, settings.sender.email, password)

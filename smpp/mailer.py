"""Outgoing mail: one message model, one interface, two transports chosen in one place.

The file outbox is the embedded default (each message an `.eml` file, so the product runs with no
mail server); SMTP goes through yagmail. Both send the same MIME bytes. The Message-ID derives from
the idempotency key, so even a message re-sent after a crash is recognisable as the same one.

A repeat in the outbox overwrites the same file, so it is harmless (`repeat_overwrites`); a repeat
over SMTP reaches people twice, so the engine records a message as being sent before handing it
over, and SMTP failures say whether the server may have taken the message (`DeliveryUnknown`).
"""

from __future__ import annotations

import contextlib
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


class MissingSecret(RuntimeError):
    """A secret the engagement names (the SMTP password) is not where it says."""


class SmtpError(RuntimeError):
    """The SMTP server could not be used: `server` is host:port, the cause is chained."""

    def __init__(self, server: str, cause: BaseException) -> None:
        self.server = server
        super().__init__(f"SMTP {server}: {type(cause).__name__}: {cause}")


class DeliveryUnknown(SmtpError):
    """The connection broke while the message was being handed over: the server may have
    accepted it or not, and nobody can tell from here."""


# The types of the files the product attaches, by their suffix.
MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".html": "text/html",
}


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
    # True when sending the same message again replaces it rather than reaching people twice
    # (a mailer without it is taken to reach people twice).
    repeat_overwrites: bool

    def send(self, message: Message) -> str:
        """Deliver `message`, or raise; returns where it went, for the record."""
        ...


class OutboxMailer:
    """Writes each message as an .eml file named after its key, so a repeat overwrites it."""

    repeat_overwrites = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: Message) -> str:
        stamp = message.date.strftime("%Y%m%d-%H%M")
        digest = hashlib.sha256(message.key.encode()).hexdigest()[:12]
        # A repeat at a later moment (after a crash) replaces the file written the first time.
        earlier = sorted(self.folder.glob(f"* {message.kind} {digest}.eml"))
        path = earlier[0] if earlier else self.folder / f"{stamp} {message.kind} {digest}.eml"
        write_atomically(path, bytes(message.to_mime()))
        return str(path)


class SmtpMailer:
    """SMTP through yagmail, which handles TLS and login; we send our own MIME over its connection
    so a refusal raises (yagmail's own send() swallows disconnects and sleeps).

    Every failure is an SmtpError naming the server; a DeliveryUnknown when the connection broke
    after the message began to be handed over. `password` is read only when a message is sent."""

    repeat_overwrites = False

    def __init__(
        self, settings: SmtpSettings, sender: str, password: Callable[[], str] | None
    ) -> None:
        self.settings = settings
        self.sender = sender
        self.password = password

    @property
    def server(self) -> str:
        return f"{self.settings.host}:{self.settings.port}"

    def send(self, message: Message) -> str:
        settings = self.settings
        mime = message.to_mime()
        client = yagmail.SMTP(
            user=settings.user or self.sender,
            password=self.password() if self.password else None,
            host=settings.host,
            port=settings.port,
            smtp_ssl=settings.security == "ssl",
            smtp_starttls=settings.security == "starttls",
            smtp_skip_login=settings.user is None,
            soft_email_validation=False,
            timeout=settings.timeout_seconds,
        )
        handed_over = False
        try:
            client.login()
            connection: smtplib.SMTP = client.smtp
            transmit = connection.data

            def data(content: bytes | str) -> tuple[int, bytes]:
                # From the DATA command on, a broken connection may follow the server's
                # acceptance of the message: whether it was delivered cannot be known.
                nonlocal handed_over
                handed_over = True
                return transmit(content)

            connection.data = data  # type: ignore[method-assign,assignment]
            refused = connection.send_message(
                mime, from_addr=self.sender, to_addrs=list(message.recipients)
            )
        except smtplib.SMTPResponseException as exc:
            raise SmtpError(self.server, exc) from exc  # the server answered no: not delivered
        except (smtplib.SMTPException, OSError) as exc:
            if handed_over:
                raise DeliveryUnknown(self.server, exc) from exc
            raise SmtpError(self.server, exc) from exc
        finally:
            # Closing politely (QUIT) can fail without undoing a delivery that succeeded.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.close()
        where = f"smtp://{self.server}"
        if refused:
            # Delivered to the others, so it must not be sent again; the record names who not.
            refusals = "; ".join(
                f"{who}: {code} {text.decode(errors='replace')}"
                for who, (code, text) in refused.items()
            )
            where += f" (refused: {refusals})"
        return where


def build_mailer(
    settings: MailSettings, drive: Path, read_secret: Callable[[SecretRef], str]
) -> Mailer:
    """The one place a transport is chosen. `read_secret` resolves a reference at send time, so
    a missing secret fails the sends (named as such), not everything else the advance does."""
    if settings.transport == "outbox":
        outbox = settings.outbox if settings.outbox.is_absolute() else drive / settings.outbox
        return OutboxMailer(outbox)
    assert settings.smtp is not None  # guaranteed by MailSettings validation
    reference = settings.smtp.password
    if reference is None:
        return SmtpMailer(settings.smtp, settings.sender.email, None)
    return SmtpMailer(settings.smtp, settings.sender.email, lambda: read_secret(reference))

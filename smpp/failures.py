"""What went wrong, in words: the one place an exception becomes a sentence naming the failing
system and the fix, for the record of a failed effect, the advance's failure and the board.

`describe_failure` returns two lines: the sentence (all the board shows), then the technical
detail (the exception as raised), both with any credentials in URLs blanked.
"""

from __future__ import annotations

import errno
import smtplib
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from smpp.mailer import DeliveryUnknown, MissingSecret, SmtpError
from smpp.models import Engagement
from smpp.store import LostClaim, database_url, redact


class Explained(Exception):
    """An error whose message already says what failed and what to do; shown as it is."""


def describe_failure(
    exc: BaseException, engagement: Engagement | None = None, database: str | None = None
) -> str:
    """The failure as a sentence naming the system and the fix, then its technical detail."""
    if isinstance(exc, Explained):
        return redact(str(exc))
    if isinstance(exc, LostClaim):
        return redact(
            "Another worker took this action over (this one held it past its lease): it is "
            f"done once, by the other; if this repeats, the lease is too short\n{_detail(exc)}"
        )
    where = f"{engagement.slug}.yaml" if engagement else "the engagement file"
    sentence = (
        _smtp(exc, where)
        or _secret(exc, where)
        or _database(exc, database)
        or _web(exc)
        or _folder(exc, engagement, where)
        or "Unexpected error: the run's logs in the Prefect UI have the whole story; the action "
        "stays due and is tried again on the next advance"
    )
    return redact(f"{sentence}\n{_detail(exc)}")


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _find(exc: BaseException, *kinds: type[BaseException]) -> BaseException | None:
    return next((e for e in _chain(exc) if isinstance(e, kinds)), None)


def _detail(exc: BaseException) -> str:
    # The exception that actually happened, not our wrapper around it.
    shown = exc.__cause__ if isinstance(exc, SmtpError) and exc.__cause__ else exc
    text = " ".join(first_line(str(shown)).split())
    return f"{type(shown).__name__}: {text}"[:300]


def _smtp(exc: BaseException, where: str) -> str | None:
    wrapper = _find(exc, SmtpError)
    if not isinstance(wrapper, SmtpError):
        return None
    server = f"SMTP server {wrapper.server}"
    if isinstance(wrapper, DeliveryUnknown):
        return (
            f"{server} dropped the connection while taking the message, so it may or may not "
            "have been delivered: it is not sent again by itself; the account lead is told and "
            "decides (smpp decide ... resend or delivered)"
        )
    cause = wrapper.__cause__ or wrapper
    if isinstance(cause, smtplib.SMTPAuthenticationError):
        return (
            f"{server} refused the login ({cause.smtp_code}): check mail.smtp.user in {where} "
            "and the SMTP secret"
        )
    if isinstance(cause, smtplib.SMTPRecipientsRefused):
        refused = ", ".join(sorted(cause.recipients))
        return f"{server} refused the recipients {refused}: check their addresses in {where}"
    if isinstance(cause, smtplib.SMTPSenderRefused):
        return (
            f"{server} refused the sender {cause.sender}: check mail.sender in {where} and that "
            "the SMTP account may send as that address"
        )
    if isinstance(cause, smtplib.SMTPNotSupportedError | ssl.SSLError):
        return (
            f"{server} failed to set up TLS: check mail.smtp.security and mail.smtp.port in "
            f"{where} (ssl is usually port 465, starttls 587)"
        )
    if isinstance(cause, smtplib.SMTPResponseException):
        raw = cause.smtp_error
        text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw or "")
        answer = f"{cause.smtp_code} {' '.join(text.split())}".strip()
        if 400 <= cause.smtp_code < 500:
            return f"{server} turned the message away for now ({answer}): the next advance retries"
        return (
            f"{server} refused the message ({answer}): check mail.smtp in {where} with the mail "
            "server's administrator"
        )
    if _find(cause, ConnectionRefusedError):
        return f"{server} refused the connection: check mail.smtp in {where} and the SMTP secret"
    if _find(cause, TimeoutError, socket.timeout) or "timed out" in str(cause):
        return (
            f"{server} did not answer in time: check mail.smtp.host and mail.smtp.port in "
            f"{where} and that the worker can reach the server"
        )
    if isinstance(cause, socket.gaierror):
        return f"{server} has a name that cannot be resolved: check mail.smtp.host in {where}"
    if isinstance(cause, smtplib.SMTPServerDisconnected):
        return (
            f"{server} closed the connection: check mail.smtp.security and mail.smtp.port in "
            f"{where}; the next advance tries again"
        )
    return f"{server} cannot be reached: check mail.smtp in {where} and the worker's network"


def _secret(exc: BaseException, where: str) -> str | None:
    missing = _find(exc, MissingSecret)
    if missing is None:
        return None
    return (
        f"The SMTP password cannot be read: {missing}: provide it, or correct "
        f"mail.smtp.password in {where}"
    )


def _database(exc: BaseException, url: str | None) -> str | None:
    error = _find(exc, SQLAlchemyError)
    if error is None:
        return None
    shown = f"The state database {redact(url or database_url())}"
    text = str(error.orig if isinstance(error, DBAPIError) else error).lower()
    if "locked" in text or "lock timeout" in text:
        return (
            f"{shown} is locked by another program: let it finish, or close whatever holds it "
            "(a sqlite3 shell, a backup); the next advance tries again"
        )
    if "unable to open database file" in text:
        return (
            f"{shown} cannot be opened: check SMPP_DATABASE_URL and that its folder exists and "
            "the worker may write there"
        )
    if "readonly" in text or "read-only" in text or "disk i/o" in text or "disk is full" in text:
        return f"{shown} cannot be written: check the disk and the database file's permissions"
    unreachable = ("connection refused", "could not connect", "connection failed", "timeout")
    if any(word in text for word in unreachable) or "server closed the connection" in text:
        return (
            f"{shown} cannot be reached: check SMPP_DATABASE_URL and that the database server "
            "is running"
        )
    return f"{shown} failed: check SMPP_DATABASE_URL and the database server"


def _web(exc: BaseException) -> str | None:
    error = _find(exc, httpx.HTTPError)
    if error is None:
        return None
    host = ""
    if isinstance(error, httpx.RequestError | httpx.HTTPStatusError):
        try:
            host = f" {error.request.url.host}"
        except RuntimeError:  # an error raised without its request
            pass
    return (
        f"The web site{host} could not be reached: check the worker's internet access (proxy, "
        "firewall); the next advance tries again"
    )


def _folder_problem(error: OSError, where: str) -> str:
    code = error.errno
    if code in (errno.EACCES, errno.EPERM):
        return "is not writable (permission denied): give the worker's user write access to it"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "is full (no space left on the device): free space on the drive"
    if code == errno.EROFS:
        return "is on a read-only file system: mount the drive read-write on the worker"
    if code in (errno.ENOTDIR, errno.EEXIST):
        return f"cannot be made: part of its path is a file, not a folder: check drive in {where}"
    if code == errno.ENOENT:
        return f"does not exist: check that the drive is mounted and drive in {where}"
    return f"cannot be written ({error.strerror}): check the drive's mount on the worker"


_FILE_SYSTEM_ERRORS = (errno.EACCES, errno.EPERM, errno.ENOSPC, errno.EDQUOT, errno.EROFS)


def _folder(exc: BaseException, engagement: Engagement | None, where: str) -> str | None:
    error = _find(exc, OSError)
    if not isinstance(error, OSError):
        return None
    if error.filename is None:
        # A write that failed midway (a full disk) names no file: the drive is what we know.
        if error.errno not in _FILE_SYSTEM_ERRORS:
            return None
        name = f"The drive {engagement.drive}" if engagement else "A folder of the drive"
        return f"{name} {_folder_problem(error, where)}"
    path = Path(str(error.filename))
    if path.name.startswith(".") and path.name.endswith(".tmp"):
        path = path.parent  # a temporary file of ours: the folder is what matters
    name = "The folder"
    if engagement is not None:
        if path.is_relative_to(engagement.outbox_dir):
            name = "The outbox folder"
        elif path.is_relative_to(engagement.drive):
            name = "The drive folder"
    return f"{name} {path} {_folder_problem(error, where)}"

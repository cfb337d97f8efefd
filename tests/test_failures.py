"""Failures in words: each real fault (a mail server refusing, a locked or unreachable database, a
folder that cannot be written) described by the system that failed and the fix, no secret shown."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from smpp.failures import describe_failure
from smpp.mailer import Message, OutboxMailer, SmtpMailer, build_mailer
from smpp.models import Engagement, SmtpSettings
from smpp.store import Store
from tasks.setup import read_secret
from tests.conftest import Collector, SmtpServer, free_port

REPO = Path(__file__).resolve().parent.parent


def message() -> Message:
    return Message(
        key="acme-foods/company-list/request",
        kind="company_list_request",
        sender="SMPP desk <smpp@agency.example>",
        to=("Carl Client <carl@acme.example>",),
        cc=("Lea Lead <lea@agency.example>",),
        subject="Your list",
        text="Plain body",
        html="<p>HTML body</p>",
        date=datetime(2027, 1, 14, 8, tzinfo=UTC),
    )


def failure_of(send: Any, engagement: Engagement | None = None, database: str | None = None) -> str:
    try:
        send()
    except Exception as exc:
        return describe_failure(exc, engagement, database)
    raise AssertionError("it did not fail")


def smtp(server: SmtpServer | tuple[str, int], **settings: Any) -> SmtpMailer:
    host, port = (server.host, server.port) if isinstance(server, SmtpServer) else server
    options: dict[str, Any] = {"security": "none", "timeout_seconds": 5, **settings}
    return SmtpMailer(SmtpSettings(host=host, port=port, **options), "smpp@agency.example", None)


def test_a_refused_connection_names_the_server_and_where_to_look(
    smtp_server: SmtpServer, make_engagement: Any
) -> None:
    smtp_server.stop()
    described = failure_of(lambda: smtp(smtp_server).send(message()), make_engagement())
    assert described == (
        f"SMTP server 127.0.0.1:{smtp_server.port} refused the connection: check mail.smtp in "
        "acme-foods.yaml and the SMTP secret\n"
        "ConnectionRefusedError: [Errno 111] Connection refused"
    )


@pytest.fixture
def login_server() -> Iterator[tuple[str, int]]:
    """A real SMTP server that asks for a login and refuses every password."""

    def refuse(*_args: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    port = free_port()
    controller = Controller(
        Collector(),
        hostname="127.0.0.1",
        port=port,
        authenticator=refuse,
        auth_require_tls=False,
    )
    controller.start()
    yield ("127.0.0.1", port)
    controller.stop()


def test_a_refused_login_points_at_the_user_and_the_secret(
    login_server: tuple[str, int], make_engagement: Any
) -> None:
    mailer = smtp(login_server, user="desk", password={"env": "SMTP_PASSWORD"})
    mailer.password = lambda: "wrong-s3cret"
    described = failure_of(lambda: mailer.send(message()), make_engagement())
    assert described.splitlines()[0] == (
        f"SMTP server 127.0.0.1:{login_server[1]} refused the login (535): check mail.smtp.user "
        "in acme-foods.yaml and the SMTP secret"
    )
    assert "wrong-s3cret" not in described


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_that_cannot_be_set_up_points_at_security_and_port(
    smtp_server: SmtpServer, make_engagement: Any, security: str
) -> None:
    # The loopback server speaks plain SMTP: no TLS on connect, no STARTTLS offered.
    described = failure_of(
        lambda: smtp(smtp_server, security=security).send(message()), make_engagement()
    )
    assert described.splitlines()[0] == (
        f"SMTP server 127.0.0.1:{smtp_server.port} failed to set up TLS: check "
        "mail.smtp.security and mail.smtp.port in acme-foods.yaml (ssl is usually port 465, "
        "starttls 587)"
    )


def test_a_server_that_never_answers_is_a_timeout(make_engagement: Any) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog) but never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        mailer = smtp(("127.0.0.1", port), timeout_seconds=0.3)
        described = failure_of(lambda: mailer.send(message()), make_engagement())
    assert described == (
        f"SMTP server 127.0.0.1:{port} did not answer in time: check mail.smtp.host and "
        "mail.smtp.port in acme-foods.yaml and that the worker can reach the server\n"
        "SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    )


def test_refused_recipients_and_a_message_turned_away_are_told_apart(
    smtp_server: SmtpServer, make_engagement: Any
) -> None:
    smtp_server.collector.unknown_recipients = {"carl@acme.example", "lea@agency.example"}
    described = failure_of(lambda: smtp(smtp_server).send(message()), make_engagement())
    assert described.splitlines()[0] == (
        f"SMTP server 127.0.0.1:{smtp_server.port} refused the recipients Carl Client "
        "<carl@acme.example>, Lea Lead <lea@agency.example>: check their addresses in "
        "acme-foods.yaml"
    )
    smtp_server.collector.unknown_recipients = set()
    smtp_server.collector.refuse = True
    described = failure_of(lambda: smtp(smtp_server).send(message()), make_engagement())
    assert described.splitlines()[0] == (
        f"SMTP server 127.0.0.1:{smtp_server.port} turned the message away for now (451 4.3.0 "
        "Try again later): the next advance retries"
    )


def test_a_missing_secret_is_named_with_where_it_should_be(
    tmp_path: Path, make_engagement: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SMPP_TEST_NO_SUCH_PASSWORD", raising=False)
    engagement = make_engagement(
        mail={
            "transport": "smtp",
            "smtp": {
                "host": "127.0.0.1",
                "user": "desk",
                "password": {"env": "SMPP_TEST_NO_SUCH_PASSWORD"},
            },
        }
    )
    mailer = build_mailer(engagement.mail, engagement.drive, read_secret)  # nothing read yet
    described = failure_of(lambda: mailer.send(message()), engagement)
    assert described == (
        "The SMTP password cannot be read: the environment variable SMPP_TEST_NO_SUCH_PASSWORD "
        "is not set: provide it, or correct mail.smtp.password in acme-foods.yaml\n"
        "MissingSecret: the environment variable SMPP_TEST_NO_SUCH_PASSWORD is not set"
    )


def test_a_locked_state_database_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"
    store = Store(url, busy_timeout=timedelta(milliseconds=50))
    holder = sqlite3.connect(tmp_path / "state.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    described = failure_of(lambda: store.claim("acme-foods", "acme-foods/x"), None, url)
    holder.execute("ROLLBACK")
    holder.close()
    store.close()
    assert described == (
        f"The state database {url} is locked by another program: let it finish, or close "
        "whatever holds it (a sqlite3 shell, a backup); the next advance tries again\n"
        "OperationalError: (sqlite3.OperationalError) database is locked"
    )


def test_an_unreachable_state_database_is_named_without_its_password() -> None:
    url = f"postgresql://smpp:s3cret@127.0.0.1:{free_port()}/smpp"
    described = failure_of(lambda: Store(url), None, url)
    assert described.splitlines()[0] == (
        f"The state database postgresql://***@127.0.0.1:{url.rsplit(':', 1)[1]} cannot be "
        "reached: check SMPP_DATABASE_URL and that the database server is running"
    )
    assert "s3cret" not in described


def test_a_drive_folder_that_is_a_file_is_named_with_the_fix(make_engagement: Any) -> None:
    engagement = make_engagement()
    engagement.drive.mkdir(parents=True)
    (engagement.drive / "outbox").write_text("not a folder")
    outbox = OutboxMailer(engagement.drive / "outbox")
    described = failure_of(lambda: outbox.send(message()), engagement)
    assert described.splitlines()[0] == (
        f"The outbox folder {engagement.drive / 'outbox'} cannot be made: part of its path is a "
        "file, not a folder: check drive in acme-foods.yaml"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through any permission bits")
def test_a_drive_folder_without_write_permission_says_so(make_engagement: Any) -> None:
    engagement = make_engagement()
    (engagement.drive / "outbox").mkdir(parents=True)
    (engagement.drive / "outbox").chmod(0o500)
    outbox = OutboxMailer(engagement.drive / "outbox")
    described = failure_of(lambda: outbox.send(message()), engagement)
    (engagement.drive / "outbox").chmod(0o700)
    assert described.splitlines()[0] == (
        f"The outbox folder {engagement.drive / 'outbox'} is not writable (permission denied): "
        "give the worker's user write access to it"
    )


def _can_mount_in_a_namespace() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True)
    return probe.returncode == 0


# Sends one message to the outbox of a drive on the tmpfs mounted at argv[1] and prints the
# failure in words.
_SEND_TO_MOUNTED_OUTBOX = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from smpp.failures import describe_failure
from smpp.mailer import Attachment, Message, OutboxMailer
from smpp.models import parse_engagement
from tests.conftest import engagement_data
engagement = parse_engagement(engagement_data(Path(sys.argv[1])), "test", Path.cwd())
message = Message("k", "company_list_request", "d@agency.example", ("c@acme.example",), "s",
                  "t", "<p>h</p>", datetime(2027, 1, 14, tzinfo=UTC),
                  attachments=(Attachment("big.bin", b"x" * 200_000),))
try:
    OutboxMailer(engagement.outbox_dir).send(message)
except OSError as exc:
    print(describe_failure(exc, engagement).splitlines()[0])
"""


@pytest.mark.skipif(not _can_mount_in_a_namespace(), reason="no user namespace to mount in")
@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # The outbox folder is made; the message's file fills the disk as it is written.
        (
            "size=16k",
            "The drive {drive} is full (no space left on the device): free space on the drive",
        ),
        (
            "ro",
            "The outbox folder {drive}/outbox is on a read-only file system: mount the drive "
            "read-write on the worker",
        ),
    ],
)
def test_a_full_or_read_only_drive_says_so(tmp_path: Path, options: str, expected: str) -> None:
    # A real small (or read-only) file system, mounted in a namespace of the child's own.
    folder = tmp_path / "mounted"
    folder.mkdir()
    mount_and_send = 'mount -t tmpfs -o "$1" tmpfs "$2" && exec "$3" -c "$4" "$2"'
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-c", mount_and_send, "sh", options, str(folder)]
        + [sys.executable, _SEND_TO_MOUNTED_OUTBOX],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert result.stdout == expected.format(drive=folder) + "\n", result.stderr


def test_an_unreachable_web_site_and_anything_else() -> None:
    port = free_port()
    described = failure_of(lambda: httpx.get(f"http://127.0.0.1:{port}/policy"))
    assert described.splitlines()[0] == (
        "The web site 127.0.0.1 could not be reached: check the worker's internet access (proxy, "
        "firewall); the next advance tries again"
    )
    described = failure_of(lambda: {}["missing"])
    assert described == (
        "Unexpected error: the run's logs in the Prefect UI have the whole story; the action "
        "stays due and is tried again on the next advance\n"
        "KeyError: 'missing'"
    )

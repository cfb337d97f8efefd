"""Small fixtures shared by the tests: engagements in tmp dirs, stores, a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from smpp.models import Engagement, parse_engagement
from smpp.simulation import DEMO_SLUG
from smpp.store import Event, Store

WORKSHOP = "2027-02-11T09:30:00"  # a Thursday; T-14 is Thursday 28 January 2027


def engagement_data(drive: Path, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "client": "Acme Foods",
        "slug": "acme-foods",
        "workshop": WORKSHOP,
        "timezone": "Europe/Rome",
        "account_lead": {"name": "Lea Lead", "email": "lea@agency.example"},
        "client_contacts": [{"name": "Carl Client", "email": "carl@acme.example"}],
        "attendees": [{"name": "Carl Client", "email": "carl@acme.example", "role": "Comms"}],
        "drive": str(drive),
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_engagement(tmp_path: Path):  # type: ignore[no-untyped-def]
    def make(**overrides: Any) -> Engagement:
        return parse_engagement(engagement_data(tmp_path / "drive", **overrides), "test", tmp_path)

    return make


@pytest.fixture
def engagements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder for engagement files; flows and commands find the state database beside it."""
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    folder = tmp_path / "engagements"
    folder.mkdir()
    return folder


@pytest.fixture
def opened_store(engagements: Path, tmp_path: Path) -> Iterator[Store]:
    """The same state database, opened by the test itself."""
    opened = Store(f"sqlite:///{tmp_path / 'state.db'}")
    yield opened
    opened.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(f"sqlite:///{tmp_path / 'state.db'}")
    yield opened
    opened.close()


@dataclass
class Received:
    envelope_from: str
    recipients: list[str]
    message: email.message.EmailMessage


@dataclass
class Collector:
    received: list[Received] = field(default_factory=list)
    refuse: bool = False
    # Addresses answered "550 no such user" at RCPT TO.
    unknown_recipients: set[str] = field(default_factory=set)
    # Keep the next this many messages, but hang up instead of answering: delivered, unbeknown
    # to the sender.
    hang_ups: int = 0
    # Called with each message kept, before answering (e.g. to lock the state database).
    on_data: Callable[[email.message.EmailMessage], None] | None = None

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.unknown_recipients:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return "451 4.3.0 Try again later"
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        if self.on_data is not None:
            self.on_data(parsed)  # type: ignore[arg-type]
        if self.hang_ups:
            self.hang_ups -= 1
            server.transport.close()
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpServer:
    host: str
    port: int
    collector: Collector
    controller: Controller | None

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def start(self) -> None:
        self.controller = Controller(self.collector, hostname=self.host, port=self.port)
        self.controller.start()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on loopback that keeps what it receives."""
    server = SmtpServer("127.0.0.1", free_port(), Collector(), None)
    server.start()
    yield server
    server.stop()


def smtp_mail(server: SmtpServer) -> dict[str, Any]:
    return {
        "sender": {"name": "SMPP desk", "email": "smpp@agency.example"},
        "transport": "smtp",
        "smtp": {
            "host": server.host,
            "port": server.port,
            "security": "none",
            "timeout_seconds": 5,
        },
    }


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One Prefect test server for the whole session (it takes seconds to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def sites() -> Iterator[Any]:
    """The demo's sample company sites on loopback (the slow one made quick)."""
    from smpp.site_server import SiteServer

    with SiteServer(delays={"fjellvind.example": 0.2}) as server:
        yield server


@dataclass
class Logins:
    """What an SMTP server that requires AUTH saw: the credentials tried, and which it took."""

    user: str
    password: str
    accepted: int = 0
    refused: int = 0

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        good = (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.user
            and data.password.decode() == self.password
        )
        if good:
            self.accepted += 1
        else:
            self.refused += 1
        return AuthResult(success=good, handled=False)


@dataclass
class AuthSmtpServer(SmtpServer):
    logins: Logins = field(default_factory=lambda: Logins("", ""))

    def start(self) -> None:
        self.controller = Controller(
            self.collector,
            hostname=self.host,
            port=self.port,
            authenticator=self.logins,
            # Loopback only, no TLS: the tests check what travels, and that AUTH took place
            # (the logins counted), rather than refusing mail without it.
            auth_require_tls=False,
        )
        self.controller.start()


SMTP_USER = "smpp@agency.example"
SMTP_PASSWORD = "k7-SECRET-Pw-4f9e2b1c"  # known, so it can be looked for everywhere


@pytest.fixture
def auth_smtp_server() -> Iterator[AuthSmtpServer]:
    """A real SMTP server on loopback offering AUTH, which takes SMTP_PASSWORD only."""
    server = AuthSmtpServer(
        "127.0.0.1", free_port(), Collector(), None, Logins(SMTP_USER, SMTP_PASSWORD)
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    """The demo's recorded engagement (tests/data/demo-record.db, tools/record_demo.py), read
    from a copy: the planner is replayed over it."""
    from tools.record_demo import RECORD

    copy = tmp_path_factory.mktemp("record") / "state.db"
    shutil.copyfile(RECORD, copy)
    store = Store(f"sqlite:///{copy}")
    try:
        return store.events_for(DEMO_SLUG)
    finally:
        store.close()

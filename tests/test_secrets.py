"""The SMTP password reaches the SMTP server's AUTH exchange and nothing else: a whole engagement
(the demo's, simulated) sends through a loopback server that requires AUTH, with the password in
an environment variable, and the password is then looked for in every log line, every status
page, every row of the state database, every message sent and every file on the drive."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from smpp.artifacts import status_markdown
from smpp.engine import AdvanceFailed, advance
from smpp.mailer import build_mailer
from smpp.models import Engagement, engagement_to_yaml, parse_engagement
from smpp.setup import Setup
from smpp.simulation import demo_engagement, demo_kickoff, demo_web, run_engagement
from smpp.site_server import SiteServer
from smpp.stages.company_list.demo import happenings as client_drops
from smpp.stages.questionnaire.demo import happenings as attendee_returns
from smpp.state import State
from smpp.status import engagement_status
from smpp.store import Store, advances, effects, events
from tasks.setup import read_secret
from tests.conftest import SMTP_PASSWORD, SMTP_USER, AuthSmtpServer

VARIABLE = "SMPP_TEST_SMTP_PASSWORD"


def smtp_engagement(root: Path, server: AuthSmtpServer) -> Engagement:
    data = demo_engagement(root).model_dump(mode="json")
    data["mail"] = {
        "sender": data["mail"]["sender"],
        "transport": "smtp",
        "smtp": {
            "host": server.host,
            "port": server.port,
            "security": "none",
            "user": SMTP_USER,
            "password": {"env": VARIABLE},
            "timeout_seconds": 5,
        },
    }
    return parse_engagement(data, "test", root)


def everything_recorded(store: Store) -> str:
    with store.engine.connect() as connection:
        rows = [
            dict(row)
            for table in (events, effects, advances)
            for row in connection.execute(select(table)).mappings()
        ]
    return json.dumps(rows, default=str)


def everything_on_the_drive(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_the_password_travels_only_in_the_auth_exchange(
    tmp_path: Path,
    auth_smtp_server: AuthSmtpServer,
    sites: SiteServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(VARIABLE, SMTP_PASSWORD)
    # Everything at INFO and up, and our own code and the mail library at DEBUG too (the
    # servers' and HTTP clients' debug chatter is left out: it is the tests' own machinery).
    caplog.set_level(logging.INFO)
    for name in ("smpp", "tasks", "flows", "yagmail", "smtplib"):
        caplog.set_level(logging.DEBUG, logger=name)
    root = tmp_path / "drive"
    engagement = smtp_engagement(root, auth_smtp_server)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    mailer = build_mailer(engagement.mail, engagement.drive, read_secret)
    setup = Setup(engagement, store, mailer, demo_web(sites))
    kickoff = demo_kickoff(engagement)
    try:
        # The demo's client and attendees (the lead's replacement depends on which sites answer
        # in time, and is not needed here).
        people = [*client_drops(engagement, kickoff), *attendee_returns(engagement, kickoff)]
        reports = run_engagement(setup, kickoff, people)
        state = State(engagement, tuple(store.events_for(engagement.slug)))
        status = engagement_status(state, reports[-1].now, store.failed_effects(engagement.slug))
        recorded = everything_recorded(store)
    finally:
        store.close()

    received = auth_smtp_server.collector.received
    assert len(received) > 20 and auth_smtp_server.logins.accepted >= len(received)
    assert auth_smtp_server.logins.refused == 0
    secret = SMTP_PASSWORD
    out, err = capfd.readouterr()
    places: dict[str, Any] = {
        "log": caplog.text,
        "stdout and stderr": out + err,
        "status": json.dumps(status),
        "status page": status_markdown(status, engagement.timezone),
        "state database": recorded,
        "mail sent": "".join(m.message.as_string() for m in received),
        "engagement file": engagement_to_yaml(engagement),
        "drive": everything_on_the_drive(root).decode("latin-1"),
    }
    assert caplog.records and status["questionnaire"]["answered"] > 0  # there was much to look at
    assert [name for name, text in places.items() if secret in text] == []
    assert "env: SMPP_TEST_SMTP_PASSWORD" in places["engagement file"]


def test_a_refused_login_records_the_refusal_not_the_password(
    tmp_path: Path, auth_smtp_server: AuthSmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "WRONG-" + SMTP_PASSWORD
    monkeypatch.setenv(VARIABLE, wrong)
    engagement = smtp_engagement(tmp_path / "drive", auth_smtp_server)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    setup = Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, read_secret))
    kickoff = demo_kickoff(engagement)
    try:
        advance(setup, kickoff)
        with pytest.raises(AdvanceFailed) as failed:
            advance(setup, kickoff.replace(day=kickoff.day + 4, hour=10))
        state = State(engagement, tuple(store.events_for(engagement.slug)))
        status = engagement_status(state, kickoff, store.failed_effects(engagement.slug))
        recorded = everything_recorded(store)
    finally:
        store.close()
    assert "SMTPAuthenticationError" in str(failed.value)
    assert auth_smtp_server.logins.refused >= 1 and not auth_smtp_server.collector.received
    for text in (str(failed.value), json.dumps(status), recorded):
        assert wrong not in text and SMTP_PASSWORD not in text

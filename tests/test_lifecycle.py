"""The whole engagement, from the first request to the follow-up report, on a simulated clock:
mail to a real SMTP server on loopback, the company sites on a real HTTP server on loopback, the
demo's people doing what they do. Every stage's deliverable is on the drive, every email arrives
once, and every milestone of the timeline is reached, none later than planned."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from smpp.events import DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.mailer import build_mailer
from smpp.models import parse_engagement
from smpp.setup import Setup, take_stock
from smpp.simulation import (
    demo_engagement,
    demo_happenings,
    demo_kickoff,
    demo_web,
    run_engagement,
)
from smpp.site_server import SiteServer
from smpp.stages import stages
from smpp.status import engagement_status
from smpp.store import Store
from tests.conftest import SmtpServer, smtp_mail


@pytest.fixture(scope="module")
def lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Setup, SmtpServer, Any]]:
    from tests.conftest import Collector, free_port

    root = tmp_path_factory.mktemp("lifecycle")
    server = SmtpServer("127.0.0.1", free_port(), Collector(), None)
    server.start()
    demo = demo_engagement(root)
    data = demo.model_dump(mode="json")
    data["mail"] = smtp_mail(server)
    engagement = parse_engagement(data, "lifecycle", root)
    store = Store(f"sqlite:///{root / 'state.db'}")
    try:
        with SiteServer() as sites:
            setup = Setup(
                engagement,
                store,
                build_mailer(engagement.mail, engagement.drive, str),
                demo_web(sites),
            )
            kickoff = demo_kickoff(engagement)
            reports = run_engagement(setup, kickoff, demo_happenings(engagement, kickoff))
            yield setup, server, reports
    finally:
        server.stop()
        store.close()


def test_every_stage_leaves_its_deliverable_on_the_drive(
    lived: tuple[Setup, SmtpServer, Any],
) -> None:
    setup, _, _ = lived
    state = take_stock(setup)
    written = [e for e in state.events if e.kind == DELIVERABLE_WRITTEN]
    by_stage = Counter(e.data["stage"] for e in written)
    assert set(by_stage) == {
        "company-list",
        "questionnaire",
        "peer-review",
        "packet",
        "consensus",
        "policy",
        "follow-up",
    }
    assert all(Path(e.data["path"]).is_file() for e in written)
    folders = {Path(e.data["path"]).parent.name for e in written}
    assert {s.folder for s in stages()} <= folders


def test_every_email_arrives_once(lived: tuple[Setup, SmtpServer, Any]) -> None:
    setup, server, _ = lived
    state = take_stock(setup)
    sent = [e for e in state.events if e.kind == MAIL_SENT]
    keys = [e.key for e in sent]
    assert len(keys) == len(set(keys))
    received = server.collector.received
    ids = [r.message["Message-ID"] for r in received]
    assert len(ids) == len(set(ids)) == len(sent)
    kinds = Counter(r.message["X-SMPP-Kind"] for r in received)
    for kind in (
        "packet_delivery",
        "consensus_recorded",
        "policy_draft",
        "policy_delivered",
        "follow_up_report_ready",
    ):
        assert kinds[kind] >= 1, kind


def test_every_milestone_is_reached_and_none_later_than_planned(
    lived: tuple[Setup, SmtpServer, Any],
) -> None:
    setup, _, reports = lived
    state = take_stock(setup)
    status = engagement_status(state, reports[-1].now)
    late = [
        (m["milestone"], m["planned"], m["actual"])
        for m in status["timeline"]
        if m["actual"] is None
        or datetime.fromisoformat(m["actual"]).date() > datetime.fromisoformat(m["planned"]).date()
    ]
    assert late == []
    assert status["closed"]  # the follow-up's open items were done: it closed itself

"""The packet stage over the demo's recorded engagement, advanced on: the draft to the lead a
business day before the milestone, delivery to every invited person at it (attached, or linked
above the size limit), once per key; a held packet is not sent; approval is reminded and
escalated."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from smpp.decisions import Decision, DecisionError, decide, record
from smpp.engine import advance
from smpp.events import DELIVERABLE_WRITTEN
from smpp.mailer import OutboxMailer
from smpp.models import PacketSettings
from smpp.setup import Setup, take_stock
from smpp.simulation import DEMO_SLUG, demo_engagement
from smpp.stages.questionnaire.records import invited_people
from smpp.status import engagement_status
from smpp.store import Event, Store
from tools.record_demo import RECORD

ZONE = demo_engagement(Path("/nonexistent")).zone
DRAFT = datetime(2027, 2, 5, 9, 0, tzinfo=ZONE)  # Friday: a business day before the milestone
MILESTONE = datetime(2027, 2, 8, 9, 0, tzinfo=ZONE)  # Monday, T-3
NEXT_DAY = datetime(2027, 2, 9, 9, 0, tzinfo=ZONE)


def _before_the_packet(copy: Path) -> None:
    """The demo's record as it stood before the packet was written: the recorded demo runs on
    to the end of the engagement, these tests advance it from the packet's review day."""
    cut = DRAFT.replace(hour=8).astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    with sqlite3.connect(copy) as db:
        db.execute("DELETE FROM events WHERE at >= ?", (cut,))
        db.execute(
            'DELETE FROM effects WHERE "key" NOT IN '
            '(SELECT "key" FROM events WHERE "key" IS NOT NULL)'
        )


def _setup(tmp_path: Path, **packet: object) -> Iterator[Setup]:
    copy = tmp_path / "state.db"
    shutil.copyfile(RECORD, copy)
    _before_the_packet(copy)
    engagement = demo_engagement(tmp_path)
    if packet:
        engagement = engagement.model_copy(update={"packet": PacketSettings(**packet)})  # type: ignore[arg-type]
    store = Store(f"sqlite:///{copy}")
    try:
        yield Setup(engagement, store, OutboxMailer(tmp_path / "Outbox"))
    finally:
        store.close()


@pytest.fixture
def setup(tmp_path: Path) -> Iterator[Setup]:
    yield from _setup(tmp_path)


def _mails(setup: Setup, template: str) -> list[EmailMessage]:
    found = []
    for path in sorted((setup.engagement.drive.parent / "Outbox").glob(f"*{template}*.eml")):
        found.append(BytesParser(policy=policy.default).parsebytes(path.read_bytes()))
    return found


def _sent(setup: Setup, template: str) -> list[str]:
    return [e.data["to"][0] for e in take_stock(setup).mails(template)]


def _decide(setup: Setup, kind: str, at: datetime, note: str = "") -> None:
    state = take_stock(setup)
    record(setup.store, decide(state, Decision(kind=kind, note=note), at))  # type: ignore[arg-type]


def test_the_lead_gets_the_draft_then_everyone_invited_gets_the_packet_once(setup: Setup) -> None:
    advance(setup, DRAFT.replace(hour=8))
    assert not take_stock(setup).deliverables("packet")  # not before the review moment
    advance(setup, DRAFT)
    state = take_stock(setup)
    written = [
        e for e in state.of_kind(DELIVERABLE_WRITTEN) if e.data["stage"] in ("packet", "consensus")
    ]
    assert [(e.data["stage"], Path(e.data["path"]).name) for e in written] == [
        ("packet", "Workshop packet - Northwind Outdoor Gear - v1.xlsx"),
        ("packet", "Workshop packet - Northwind Outdoor Gear - v1.html"),
        ("packet", "Workshop packet - Northwind Outdoor Gear - v1.docx"),
        ("consensus", "Consensus - Northwind Outdoor Gear - v1.xlsx"),
    ]
    folder = setup.engagement.drive / "04 Workshop packet"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        Path(e.data["path"]).name for e in written
    )
    assert _sent(setup, "packet_draft") == ["Giulia Ferri <giulia.ferri@agency.example>"]
    [draft] = _mails(setup, "packet_draft")
    body = draft.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "The questionnaire is short: 6 of 7 invited people answered." in body
    assert "smpp decide northwind-demo hold" in body
    assert '"Workshop packet - Northwind Outdoor Gear - v1.docx", in the folder' in body
    # At the demo's date most figures are more than 3 years old: the lead is told what to update.
    assert "Scenario figures to update before it goes out:" in body
    assert "Eurostat: look for an edition of 'Digital economy and society statistics" in body
    assert not _sent(setup, "packet_delivery")  # not before the milestone
    advance(setup, MILESTONE)
    invited = [p.attendee.name for p in invited_people(take_stock(setup))]
    sent = _sent(setup, "packet_delivery")
    assert sorted(n.split(" <")[0] for n in sent) == sorted(invited)
    assert "Luca Moretti <luca.moretti@northwind.example>" in sent  # he will not attend
    for message in _mails(setup, "packet_delivery"):
        names = sorted(part.get_filename() for part in message.iter_attachments())
        assert names == [
            "Workshop packet - Northwind Outdoor Gear - v1.docx",
            "Workshop packet - Northwind Outdoor Gear - v1.html",
            "Workshop packet - Northwind Outdoor Gear - v1.xlsx",
        ]
        types = {
            part.get_filename(): part.get_content_type() for part in message.iter_attachments()
        }
        assert types["Workshop packet - Northwind Outdoor Gear - v1.docx"] == (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        )
    luca = next(m for m in _mails(setup, "packet_delivery") if "luca" in m["To"])
    assert "You will not attend" in luca.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    advance(setup, NEXT_DAY)
    assert len(_sent(setup, "packet_delivery")) == len(invited)  # once per key
    assert take_stock(setup).timeline.milestones["packet_delivered"] == MILESTONE


def test_a_held_packet_is_not_sent_until_released(setup: Setup) -> None:
    advance(setup, DRAFT)
    _decide(setup, "hold", DRAFT.replace(hour=11), note="the client renames a role")
    with pytest.raises(DecisionError, match="held already"):
        _decide(setup, "hold", DRAFT.replace(hour=12))
    advance(setup, MILESTONE)
    advance(setup, NEXT_DAY)
    assert _sent(setup, "packet_delivery") == []
    _decide(setup, "release", NEXT_DAY.replace(hour=10))
    advance(setup, NEXT_DAY.replace(hour=10))
    assert len(_sent(setup, "packet_delivery")) == 7
    with pytest.raises(DecisionError, match="went out on 9 February 2027 at 10:00"):
        _decide(setup, "hold", NEXT_DAY.replace(hour=11))


def test_where_approval_is_asked_it_is_reminded_escalated_then_sent(tmp_path: Path) -> None:
    for setup in _setup(tmp_path, approval=True):
        advance(setup, DRAFT)
        [draft] = _mails(setup, "packet_draft")
        assert "smpp decide northwind-demo approve" in draft.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        advance(setup, MILESTONE)
        assert _sent(setup, "packet_delivery") == []
        assert _sent(setup, "packet_approval_reminder") == [
            "Giulia Ferri <giulia.ferri@agency.example>"
        ]
        waits = [w["what"] for w in engagement_status(take_stock(setup), MILESTONE)["awaited"]]
        assert "Approval of the workshop packet" in waits
        advance(setup, NEXT_DAY)
        assert _sent(setup, "packet_approval_escalation") == [
            "Agency SMPP desk <smpp@agency.example>"
        ]
        _decide(setup, "approve", NEXT_DAY.replace(hour=14))
        advance(setup, NEXT_DAY.replace(hour=14))
        assert len(_sent(setup, "packet_delivery")) == 7


def test_approval_is_refused_where_the_engagement_does_not_ask_for_it(setup: Setup) -> None:
    advance(setup, DRAFT)
    with pytest.raises(DecisionError, match="does not ask for the packet's approval"):
        _decide(setup, "approve", DRAFT.replace(hour=10))


def test_above_the_size_limit_the_mail_links_the_files_instead(tmp_path: Path) -> None:
    for setup in _setup(tmp_path, attachment_limit_mb=0.01):
        advance(setup, DRAFT)
        advance(setup, MILESTONE)
        messages = _mails(setup, "packet_delivery")
        assert len(messages) == 7
        for message in messages:
            assert list(message.iter_attachments()) == []
            body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
            assert "larger than 0.01 MB" in body
            assert '"Workshop packet - Northwind Outdoor Gear - v1.xlsx", in the folder' in body
            assert '"Workshop packet - Northwind Outdoor Gear - v1.docx", in the folder' in body


def test_new_inputs_before_delivery_make_a_new_version_the_lead_sees(setup: Setup) -> None:
    advance(setup, DRAFT)
    later = DRAFT.replace(hour=15)
    summary = take_stock(setup).deliverables("questionnaire")[-1]
    setup.store.append(
        Event(
            DEMO_SLUG,
            later,
            DELIVERABLE_WRITTEN,
            f"{DEMO_SLUG}/questionnaire/summary/x",
            {**summary.data, "version": 2},
        )
    )
    advance(setup, later)
    state = take_stock(setup)
    assert [e.data["version"] for e in state.deliverables("packet")] == [1, 1, 1, 2, 2, 2]
    assert [e.data["version"] for e in state.deliverables("consensus")] == [1, 2]
    assert len(_sent(setup, "packet_draft")) == 2  # the lead sees version 2 too
    advance(setup, MILESTONE)
    [first, *_] = _mails(setup, "packet_delivery")
    assert [p.get_filename() for p in first.iter_attachments()] == [
        "Workshop packet - Northwind Outdoor Gear - v2.xlsx",
        "Workshop packet - Northwind Outdoor Gear - v2.html",
        "Workshop packet - Northwind Outdoor Gear - v2.docx",
    ]


def test_the_run_form_and_the_cli_record_packet_decisions(
    engagements: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml
    from typer.testing import CliRunner

    from smpp.cli import app
    from smpp.decisions import DecisionForm
    from tests.conftest import engagement_data

    form = DecisionForm(decision="Hold the workshop packet (it is not sent)", why_held="a role")
    assert form.to_decision() == Decision(kind="hold", note="a role")
    assert DecisionForm(decision="Approve the workshop packet (it goes out)").to_decision() == (
        Decision(kind="approve")
    )
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(engagements))
    (engagements / "acme-foods.yaml").write_text(yaml.safe_dump(engagement_data(tmp_path / "d")))
    result = CliRunner().invoke(app, ["decide", "acme-foods", "hold", "--note", "x"])
    assert result.exit_code == 2  # refused, in words
    assert "The engagement has not started, so there is no packet yet." in result.output

"""The company-list stage end to end on a simulated clock, mail received by a real SMTP server.

The engagements here invite nobody to the workshop, so only this stage's mail is sent."""

from __future__ import annotations

import io
import multiprocessing
import os
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import yaml

from smpp import drive
from smpp.engine import AdvanceFailed, advance
from smpp.mailer import build_mailer
from smpp.models import Engagement, load_engagement, parse_engagement
from smpp.setup import Setup
from smpp.simulation import demo_web, run_engagement
from smpp.site_server import SiteServer
from smpp.stages.company_list.demo import happenings as client_drops
from smpp.store import Store
from tests.conftest import SmtpServer, engagement_data, smtp_mail

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def smtp_setup(tmp_path: Path, server: SmtpServer, sites: SiteServer | None = None) -> Setup:
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(server), attendees=[])
    engagement = parse_engagement(data, "test", tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    mailer = build_mailer(engagement.mail, engagement.drive, str)
    if sites is None:
        return Setup(engagement, store, mailer)
    return Setup(engagement, store, mailer, demo_web(sites))


def subjects_by_kind(server: SmtpServer) -> list[tuple[str, str]]:
    return [(m.message["X-SMPP-Kind"], m.message["Date"]) for m in server.collector.received]


def test_bad_list_then_good_list_after_one_reminder(
    tmp_path: Path, smtp_server: SmtpServer, sites: SiteServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server, sites)
    engagement = setup.engagement
    heard: list[object] = []  # what a progress line hears: each advance as it ends
    reports = run_engagement(
        setup, KICKOFF, client_drops(engagement, KICKOFF), on_step=heard.append
    )
    assert heard == reports and len(reports) > 3

    # The accepted list starts the peer review, whose mail goes to the lead: not this stage's.
    received = [
        m
        for m in smtp_server.collector.received
        if m.message["X-SMPP-Kind"].startswith("company_list")
    ]
    assert [(m.message["X-SMPP-Kind"], m.message["Date"]) for m in received] == [
        ("company_list_request", "Thu, 14 Jan 2027 09:00:00 +0100"),
        ("company_list_rejected", "Fri, 22 Jan 2027 11:15:00 +0100"),
        ("company_list_reminder", "Mon, 25 Jan 2027 09:00:00 +0100"),
        ("company_list_accepted", "Mon, 25 Jan 2027 15:40:00 +0100"),
    ]
    assert len({m.message["Message-ID"] for m in received}) == 4
    # The lead is copied on everything, the reminder too (like the request).
    assert [m.recipients for m in received] == [
        ["carl@acme.example", "lea@agency.example"],
        ["carl@acme.example", "lea@agency.example"],
        ["carl@acme.example", "lea@agency.example"],
        ["carl@acme.example", "lea@agency.example"],
    ]

    request = received[0].message
    assert request["Subject"] == (
        "Acme Foods social media policy workshop: your list of comparable companies, "
        "due Thursday 28 January 2027"
    )
    [attachment] = list(request.iter_attachments())
    assert attachment.get_filename() == "Company list - Acme Foods.xlsx"
    template = openpyxl.load_workbook(io.BytesIO(attachment.get_content()))
    assert template["Companies"]["A1"].value == "Company name *"  # required: marked
    assert template["Companies"]["B1"].value == "Website *"

    refusal = received[1].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "  - Row 7: the Website 'fjellvind gear dot com' contains spaces." in refusal
    assert "repeats" in refusal  # the same company under another spelling
    assert "at least 20 are needed" in refusal

    accepted = received[3].message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "is accepted with 24" in " ".join(accepted.split())  # wrapped at 78 columns

    # The accepted list is the stage deliverable; both returned files are kept, never deleted.
    [deliverable] = (engagement.drive / "01 Company list").iterdir()
    assert deliverable.name == "Company list - Acme Foods - 2027-01-25.xlsx"
    rows = list(openpyxl.load_workbook(deliverable)["Companies"].iter_rows(values_only=True))
    assert len(rows) == 1 + 24
    assert rows[1][0] == "Alpine Crest Outfitters"
    inbox = drive.inbox_dir(engagement.drive)
    assert [p.name for p in inbox.iterdir() if p.is_file()] == []
    assert sorted(p.name for p in (inbox / "Rejected").iterdir()) == [
        "2027-01-22 1115 Northwind comparables.xlsx",
        "2027-01-22 1115 Northwind comparables.xlsx.problems.txt",
    ]
    assert [p.name for p in (inbox / "Accepted").iterdir()] == [
        "2027-01-25 1540 Northwind comparables v2.xlsx"
    ]
    setup.store.close()


def test_a_client_who_never_answers_is_chased_and_the_lead_told_once(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    run_engagement(setup, KICKOFF, [])
    kinds = [m.message["X-SMPP-Kind"] for m in smtp_server.collector.received]
    assert kinds.count("company_list_request") == 1
    assert kinds.count("company_list_reminder") == 3
    assert kinds.count("company_list_escalation") == 1
    assert kinds.count("company_list_overdue") == 9  # each business day from T-13 to T-1
    escalation = next(
        m
        for m in smtp_server.collector.received
        if m.message["X-SMPP-Kind"] == "company_list_escalation"
    )
    assert escalation.recipients == ["lea@agency.example"]
    assert "Reminders sent so far: 3." in escalation.message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    setup.store.close()


def test_advancing_twice_at_the_same_moment_does_nothing_the_second_time(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    first = advance(setup, at("2027-01-14T09:30"))
    second = advance(setup, at("2027-01-14T09:30"))
    assert first.done == ["Ask the client for its list of comparable companies"]
    assert second.done == [] and second.skipped == []
    assert len(smtp_server.collector.received) == 1
    setup.store.close()


def test_a_refused_send_stays_due_and_goes_on_the_next_advance(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    smtp_server.collector.refuse = True
    with pytest.raises(AdvanceFailed, match="451"):
        advance(setup, at("2027-01-14T09:30"))
    smtp_server.stop()
    with pytest.raises(AdvanceFailed, match="Connection refused"):
        advance(setup, at("2027-01-14T10:30"))
    assert setup.store.failed_effects("acme-foods")[0]["attempts"] == 2
    smtp_server.collector.refuse = False
    smtp_server.start()
    report = advance(setup, at("2027-01-14T11:30"))
    assert report.done == ["Ask the client for its list of comparable companies"]
    [delivered] = smtp_server.collector.received
    assert delivered.message["X-SMPP-Kind"] == "company_list_request"
    assert setup.store.failed_effects("acme-foods") == []
    setup.store.close()


def _advance_in_process(
    definition: str, url: str, moment: str, done: multiprocessing.Queue
) -> None:
    engagement = load_engagement(Path(definition))
    setup = Setup(engagement, Store(url), build_mailer(engagement.mail, engagement.drive, str))
    report = advance(setup, datetime.fromisoformat(moment))
    done.put(report.done)
    setup.store.close()


@pytest.mark.parametrize("moment", ["2027-01-14T09:30", "2027-01-29T09:30"])
def test_two_processes_advancing_at_once_send_each_message_once(
    tmp_path: Path, smtp_server: SmtpServer, moment: str
) -> None:
    folder = tmp_path / "engagements"
    folder.mkdir()
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(smtp_server), attendees=[])
    definition = folder / "acme-foods.yaml"
    definition.write_text(yaml.safe_dump(data))
    engagement: Engagement = load_engagement(definition)
    url = f"sqlite:///{tmp_path / 'state.db'}"
    store = Store(url)
    advance(Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str)), KICKOFF)
    # A returned list waits in the inbox too, so both workers race for its intake as well.
    [bad, _] = client_drops(engagement, KICKOFF)
    drive.write_atomically(drive.inbox_dir(engagement.drive) / bad.name, bad.content)

    context = multiprocessing.get_context("spawn")
    done: multiprocessing.Queue = context.Queue()
    moment_iso = at(moment).isoformat()
    workers = [
        context.Process(target=_advance_in_process, args=(str(definition), url, moment_iso, done))
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    results = [done.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)

    kinds = sorted(m.message["X-SMPP-Kind"] for m in smtp_server.collector.received)
    expected = ["company_list_rejected", "company_list_request"]
    if moment.startswith("2027-01-29"):
        # Overdue by then: the request, the refusal, one overdue chaser... and one escalation.
        expected = ["company_list_escalation", "company_list_rejected", "company_list_request"]
    assert kinds == expected
    assert not set(results[0]) & set(results[1])  # nothing done by both
    assert len(results[0]) + len(results[1]) == len(expected) + 1  # + the intake itself
    store.close()


def test_the_reply_lists_the_rows_to_fix_and_the_file_stays_with_its_reasons(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    inbox = drive.inbox_dir(setup.engagement.drive)
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.7 not a list")
    advance(setup, datetime.combine(at("2027-01-15T00:00").date(), time(10), ROME))
    kept = inbox / "Rejected" / "2027-01-15 1000 notes.pdf"
    assert kept.read_bytes() == b"%PDF-1.7 not a list"
    reasons = kept.with_name(kept.name + ".problems.txt").read_text()
    assert "not an Excel workbook" in reasons
    setup.store.close()


@pytest.mark.parametrize(
    ("file_time", "received"),
    [
        # Dropped in the night: counts from when it was dropped, not from the morning's advance.
        ("2027-01-14T22:30", "2027-01-14T22:30"),
        # A copy that kept its time from years ago: no earlier than the record's last moment.
        ("2019-05-01T08:00", "2027-01-14T09:00"),
        # A clock elsewhere running ahead: no later than the advance that takes it in.
        ("2031-01-01T00:00", "2027-01-15T10:00"),
    ],
)
def test_a_files_time_counts_only_within_what_the_record_knows(
    tmp_path: Path, smtp_server: SmtpServer, file_time: str, received: str
) -> None:
    """Time is a parameter: the file's modification time says when it was dropped, bounded by
    the record's last moment before the advance and by the advance's own moment."""
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    advance(setup, at("2027-01-14T09:00"))  # the company list is requested
    path = drive.inbox_dir(setup.engagement.drive) / "notes.pdf"
    path.write_bytes(b"%PDF-1.7 not a list")
    stamp = int(at(file_time).timestamp() * 1e9)
    os.utime(path, ns=(stamp, stamp))
    advance(setup, at("2027-01-15T10:00"))
    judged = next(
        e for e in setup.store.events_for(setup.engagement.slug) if "/inbox/" in str(e.key)
    )
    assert datetime.fromisoformat(judged.data["received"]) == at(received)
    setup.store.close()

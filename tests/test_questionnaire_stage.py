"""The questionnaire stage end to end on a simulated clock, mail received by a real SMTP server:
one invitation per person, reminders only to those without an answer at the time, one
escalation, replies to returned workbooks, and the summary on the drive."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from smpp import drive
from smpp.engine import AdvanceFailed, advance
from smpp.mailer import build_mailer
from smpp.models import parse_engagement
from smpp.setup import Setup, take_stock
from smpp.simulation import run_engagement
from smpp.stages.questionnaire.demo import AttendeeReturns
from smpp.stages.questionnaire.performers import questionnaire_attachment, respondents
from smpp.stages.questionnaire.records import invited_people, person_id, standing_answers
from smpp.stages.questionnaire.workbook import fill_questionnaire
from smpp.status import engagement_status
from smpp.store import Store
from tests.conftest import SmtpServer, engagement_data, smtp_mail

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)
PEOPLE = [
    {"name": "Ann Archer", "email": "ann@acme.example", "role": "Comms"},
    {"name": "Bob Baker", "email": "bob@acme.example", "role": "Legal", "attending": False},
    {"name": "Cat Cole", "email": "cat@acme.example", "role": "Sales"},
    {"name": "Dan Dale", "email": "dan@acme.example", "role": "Sales"},
]
FULL = {
    "who.primer": {"choice": "Yes, for everyone", "text": "A short one."},
    "when.commitment": {"choice": "Only official spokespeople", "text": ""},
    "identity.official": {"text": "Communications owns them."},
    "routing.support": {"text": "To customer service within a day."},
    "reporting.measures": {"text": "Response times."},
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def smtp_setup(tmp_path: Path, server: SmtpServer) -> Setup:
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(server), attendees=PEOPLE)
    engagement = parse_engagement(data, "test", tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    return Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str))


def returns() -> list[AttendeeReturns]:
    no_reporting = {k: v for k, v in FULL.items() if not k.startswith("reporting")}
    training_no = {**FULL, "who.primer": {"choice": "No, optional", "text": ""}}
    return [
        AttendeeReturns(at("2027-01-22T11:00"), "ann@acme.example", "Attending", FULL),
        # Dan's first return leaves a whole question blank; fixed four days later.
        AttendeeReturns(at("2027-01-27T16:00"), "dan@acme.example", None, no_reporting),
        AttendeeReturns(at("2027-01-29T16:00"), "bob@acme.example", "Not attending", training_no),
        AttendeeReturns(at("2027-01-31T18:00"), "dan@acme.example", "Attending", FULL),
    ]


def questionnaire_mail(server: SmtpServer) -> list[tuple[str, str, str]]:
    """(kind, to, local date) of every questionnaire message received, in order."""
    rows = []
    for received in server.collector.received:
        kind = received.message["X-SMPP-Kind"]
        if kind.startswith("questionnaire"):
            day = received.message["Date"].datetime.astimezone(ROME).date().isoformat()
            rows.append((kind, ", ".join(received.recipients), day))
    return rows


def test_invited_reminded_escalated_and_summarised(tmp_path: Path, smtp_server: SmtpServer) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    run_engagement(setup, KICKOFF, returns())

    mail = questionnaire_mail(smtp_server)
    invitations = [m for m in mail if m[0] == "questionnaire_invitation"]
    assert sorted(invitations) == [
        ("questionnaire_invitation", f"{p['email']}", "2027-01-21")
        for p in sorted(PEOPLE, key=lambda p: p["email"])
    ]
    reminders = sorted(m[1:] for m in mail if m[0] == "questionnaire_reminder")
    # T-14: Bob and Cat (Ann had answered; Dan heard from us the day before, with his refusal).
    # T-10: Cat only (Bob answered on Friday, Dan on Sunday). T-7: Cat.
    assert reminders == [
        ("bob@acme.example", "2027-01-28"),
        ("cat@acme.example", "2027-01-28"),
        ("cat@acme.example", "2027-02-01"),
        ("cat@acme.example", "2027-02-04"),
    ]
    assert [m for m in mail if m[0] == "questionnaire_escalation"] == [
        ("questionnaire_escalation", "lea@agency.example", "2027-02-05")
    ]
    replies = [
        (m[0], m[1]) for m in mail if m[0] in ("questionnaire_accepted", "questionnaire_rejected")
    ]
    assert replies == [
        ("questionnaire_accepted", "ann@acme.example"),
        ("questionnaire_rejected", "dan@acme.example"),
        ("questionnaire_accepted", "bob@acme.example"),
        ("questionnaire_accepted", "dan@acme.example"),
    ]
    escalation = next(
        r.message
        for r in smtp_server.collector.received
        if r.message["X-SMPP-Kind"] == "questionnaire_escalation"
    )
    body = escalation.get_body(("plain",)).get_content()
    assert "3 of 4 invited people have answered" in body and "Cat Cole (Sales)" in body
    assert "Bob Baker" not in body

    # Every invitation carried that person's own workbook.
    first = next(
        r.message
        for r in smtp_server.collector.received
        if r.message["X-SMPP-Kind"] == "questionnaire_invitation"
        and "ann@acme.example" in r.recipients
    )
    (attachment,) = list(first.iter_attachments())
    assert attachment.get_filename() == "Questionnaire - Acme Foods - Ann Archer.xlsx"

    # The refused return is kept with its reasons; the accepted ones are kept too.
    inbox = drive.inbox_dir(setup.engagement.drive)
    assert len(list((inbox / drive.ACCEPTED).glob("*.xlsx"))) == 3
    (refused,) = (inbox / drive.REJECTED).glob("*.problems.txt")
    assert "Reporting" in refused.read_text()

    # The summary is written at the deadline (T-7 end of day) with 3 of 4 answers.
    summary = next(
        e
        for e in setup.store.events_for("acme-foods")
        if e.kind == "deliverable.written" and e.data["stage"] == "questionnaire"
    )
    assert summary.at == at("2027-02-04T23:59")
    assert (summary.data["invited"], summary.data["answered"]) == (4, 3)
    book = openpyxl.load_workbook(io.BytesIO(Path(summary.data["path"]).read_bytes()))
    assert "Who" in book.sheetnames and "Carried forward" in book.sheetnames


def test_status_mid_stage_names_the_next_reminder(tmp_path: Path, smtp_server: SmtpServer) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    advance(setup, at("2027-01-21T09:00"))
    returns()[0].happen(setup)
    advance(setup, at("2027-01-22T11:00"))
    status = engagement_status(take_stock(setup), at("2027-01-22T12:00"))
    people = {p["email"]: p for p in status["questionnaire"]["people"]}
    assert people["ann@acme.example"]["next_reminder"] is None
    assert people["cat@acme.example"]["next_reminder"] == "2027-01-28T09:00:00+01:00"
    assert people["bob@acme.example"]["attendance"] == "not attending"
    assert status["questionnaire"]["answered"] == 1
    awaited = [w for w in status["awaited"] if w["what"] == "Questionnaire answers"]
    assert sorted(w["from"][0] for w in awaited) == [
        "Bob Baker <bob@acme.example>",
        "Cat Cole <cat@acme.example>",
        "Dan Dale <dan@acme.example>",
    ]
    assert {w["since"] for w in awaited} == {"2027-01-21T09:00:00+01:00"}


def test_a_forwarded_workbook_filled_in_by_an_outsider_is_refused_and_the_lead_told(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    advance(setup, at("2027-01-21T09:00"))
    state = take_stock(setup)
    ann = next(p for p in invited_people(state) if p.email == "ann@acme.example")
    blank = questionnaire_attachment(setup.engagement, ann.invitee, date(2027, 2, 4)).content
    forwarded = openpyxl.load_workbook(io.BytesIO(blank))
    # Ann forwards her workbook to a colleague who writes in her own name and address.
    sheet = forwarded["Answers"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == "ann@acme.example":
                cell.value = "eve@acme.example"
    out = io.BytesIO()
    forwarded.save(out)
    spoiled = fill_questionnaire(out.getvalue(), FULL, "Attending")
    inbox = drive.inbox_dir(setup.engagement.drive)
    drive.write_atomically(inbox / "from eve.xlsx", spoiled)
    before = len(smtp_server.collector.received)

    advance(setup, at("2027-01-22T10:00"))

    new = smtp_server.collector.received[before:]
    # Ann is told her workbook came back with another address; the lead, that an outsider may
    # have answered.
    assert sorted((m.message["X-SMPP-Kind"], m.recipients) for m in new) == [
        ("questionnaire_rejected", ["ann@acme.example"]),
        ("questionnaire_unknown_sender", ["lea@agency.example"]),
    ]
    new = [m for m in new if m.message["X-SMPP-Kind"] == "questionnaire_unknown_sender"]
    body = new[0].message.get_body(("plain",)).get_content()
    assert "eve@acme.example" in body and "from eve.xlsx" in body
    kept = sorted(p.name for p in (inbox / drive.REJECTED).iterdir())
    assert len(kept) == 2 and kept[1].endswith("from eve.xlsx.problems.txt")
    assert standing_answers(take_stock(setup)) == {}


def answered_workbook(setup: Setup, email: str) -> bytes:
    state = take_stock(setup)
    person = next(p for p in invited_people(state) if p.email == email)
    blank = questionnaire_attachment(setup.engagement, person.invitee, date(2027, 2, 4)).content
    return fill_questionnaire(blank, FULL, "Attending")


def test_a_workbook_whose_properties_were_dropped_is_still_a_questionnaire(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    advance(setup, at("2027-01-21T09:00"))
    book = openpyxl.load_workbook(io.BytesIO(answered_workbook(setup, "ann@acme.example")))
    book.custom_doc_props.props = []  # as some spreadsheet programs save it
    out = io.BytesIO()
    book.save(out)
    inbox = drive.inbox_dir(setup.engagement.drive)
    drive.write_atomically(inbox / "ann.xlsx", out.getvalue())

    advance(setup, at("2027-01-22T10:00"))

    assert "ann@acme.example" in standing_answers(take_stock(setup))
    kinds = [m.message["X-SMPP-Kind"] for m in smtp_server.collector.received]
    assert "company_list_rejected" not in kinds and "questionnaire_accepted" in kinds


def test_an_answer_dropped_at_night_on_the_due_day_is_on_time_and_stops_the_reminders(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    advance(setup, at("2027-01-21T09:00"))
    inbox = drive.inbox_dir(setup.engagement.drive)
    path = drive.write_atomically(inbox / "ann.xlsx", answered_workbook(setup, "ann@acme.example"))
    dropped = at("2027-01-27T22:00").timestamp()
    os.utime(path, (dropped, dropped))
    before = len(smtp_server.collector.received)

    advance(setup, at("2027-01-28T09:05"))  # the T-14 reminder slot, the next scheduled run

    sent = [
        (m.message["X-SMPP-Kind"], m.recipients)
        for m in smtp_server.collector.received[before:]
        if m.message["X-SMPP-Kind"].startswith("questionnaire")
    ]
    assert ("questionnaire_reminder", ["ann@acme.example"]) not in sent
    assert ("questionnaire_accepted", ["ann@acme.example"]) in sent
    reply = next(
        m.message
        for m in smtp_server.collector.received[before:]
        if m.message["X-SMPP-Kind"] == "questionnaire_accepted"
    )
    assert "received 27 Jan 2027, 22:00" in reply.get_body(("plain",)).get_content()
    [ann] = [r for r in respondents(take_stock(setup)) if r.email == "ann@acme.example"]
    assert ann.answered_at == at("2027-01-27T22:00") and not ann.late


def test_a_failure_no_longer_planned_is_not_shown_as_failing(
    tmp_path: Path, smtp_server: SmtpServer
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    advance(setup, at("2027-01-21T09:00"))
    smtp_server.stop()
    with pytest.raises(AdvanceFailed):
        advance(setup, at("2027-01-28T09:00"))  # the reminders fail
    smtp_server.start()
    failing = setup.store.failed_effects("acme-foods")
    assert failing
    state = take_stock(setup)
    shown = engagement_status(state, at("2027-01-28T10:00"), failing)["failing"]
    assert {f["key"] for f in shown} == {f["key"] for f in failing}  # still due: still failing
    # Ann answers; her failed reminder is no longer planned, so no longer "failing".
    inbox = drive.inbox_dir(setup.engagement.drive)
    drive.write_atomically(inbox / "ann.xlsx", answered_workbook(setup, "ann@acme.example"))
    advance(setup, at("2027-01-28T09:30"))
    failing = setup.store.failed_effects("acme-foods")
    shown = engagement_status(take_stock(setup), at("2027-01-28T10:00"), failing)["failing"]
    assert all("reminder" in f["key"] for f in failing)
    assert not [f for f in shown if f["key"].endswith(person_id("ann@acme.example"))]


def inflated(workbook: bytes) -> bytes:
    """The workbook with a small part that unpacks past the limit: a bomb, whose marker can no
    longer be read safely."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
            for info in source.infolist():
                bomb.writestr(info, source.read(info))
            bomb.writestr("xl/media/padding.bin", b"\0" * 11_000_000)
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize(
    ("name", "content", "invited_first", "expected", "says"),
    [
        # Named as we name the questionnaire, unreadable: nobody can be matched, the lead hears.
        (
            "Questionnaire - Acme Foods - Ann Archer.xlsx",
            lambda setup: inflated(answered_workbook(setup, "ann@acme.example")),
            True,
            ("questionnaire_unknown_sender", ["lea@agency.example"]),
            "The workbook unpacks to 11 MB, more than the 10 MB we accept.",
        ),
        # Unreadable and unnamed once questionnaires are out: could be anyone's.
        (
            "IMG_0001.png",
            lambda setup: PNG,
            True,
            ("questionnaire_unknown_sender", ["lea@agency.example"]),
            "(it looks like an image)",
        ),
        # Named as the company list: a list attempt, answered to the client contacts.
        (
            "Companies.pdf",
            lambda setup: b"%PDF-1.7 a list",
            True,
            ("company_list_rejected", ["carl@acme.example", "lea@agency.example"]),
            "(it looks like a PDF document)",
        ),
        # Before any questionnaire went out, only the list was asked for: the contacts hear.
        (
            "IMG_0001.png",
            lambda setup: PNG,
            False,
            ("company_list_rejected", ["carl@acme.example", "lea@agency.example"]),
            "(it looks like an image)",
        ),
    ],
)
def test_an_unreadable_file_is_answered_to_whoever_it_can_be_matched_to(
    tmp_path: Path,
    smtp_server: SmtpServer,
    name: str,
    content: object,
    invited_first: bool,
    expected: tuple[str, list[str]],
    says: str,
) -> None:
    setup = smtp_setup(tmp_path, smtp_server)
    advance(setup, KICKOFF)
    moment = at("2027-01-21T09:00") if invited_first else at("2027-01-14T09:00")
    advance(setup, moment)
    inbox = drive.inbox_dir(setup.engagement.drive)
    drive.write_atomically(inbox / name, content(setup))  # type: ignore[operator]
    before = len(smtp_server.collector.received)

    advance(setup, moment.replace(hour=11))

    replies = [
        m
        for m in smtp_server.collector.received[before:]
        if m.message["X-SMPP-Kind"] in ("questionnaire_unknown_sender", "company_list_rejected")
    ]
    assert [(m.message["X-SMPP-Kind"], m.recipients) for m in replies] == [expected]
    body = " ".join(replies[0].message.get_body(("plain",)).get_content().split())
    assert says in body and name in body
    if expected[0] == "questionnaire_unknown_sender":
        assert "ask them to send their answers again in the workbook we emailed them" in body
        assert replies[0].message["Subject"] == (
            "Acme Foods: a returned file nobody could be matched to was refused"
        )
        assert "could not be read or matched to anyone invited to the workshop" in body

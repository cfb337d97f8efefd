"""The follow-up stage over a record holding a consensus, mail received by a real SMTP server on
loopback: the report (workbook and HTML) read back, reminders to owners once each in working
hours, an owner nobody knows told to the lead, and the engagement closing itself."""

from __future__ import annotations

import email.message
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from smpp.actions import Action
from smpp.decisions import Decision, DecisionError, decide, record
from smpp.engine import advance, perform
from smpp.events import MAIL_SENT, STARTED
from smpp.mailer import build_mailer
from smpp.models import parse_engagement
from smpp.plan import plan
from smpp.setup import Setup, take_stock
from smpp.stages import by_name
from smpp.stages.consensus.events import CONSENSUS_RECORDED
from smpp.stages.follow_up.records import months_after, resolve_owner
from smpp.stages.questionnaire.events import QUESTIONNAIRE_JUDGED
from smpp.state import State
from smpp.status import engagement_status
from smpp.store import Event, Store
from smpp.timeline import milestones_in_order
from tests.conftest import SmtpServer, engagement_data, smtp_mail

ROME = ZoneInfo("Europe/Rome")
SLUG = "acme-foods"
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)  # the workshop is Thursday 11 February 2027
REPORT_DAY = datetime(2027, 2, 25, 9, 0, tzinfo=ROME)  # T+14, a Thursday
HOSTILE = "Eve <b>Evil</b> & Co"
PEOPLE = [
    {"name": "Ann Archer", "email": "ann@acme.example", "role": "Comms"},
    {"name": "Bob Baker", "email": "bob@acme.example", "role": "Legal", "attending": False},
    {"name": "Cat Cole", "email": "cat@acme.example", "role": "Customer service"},
    {"name": HOSTILE, "email": "eve@acme.example", "role": "Sales"},
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def topic(
    element: str,
    choice: str,
    position: str = "",
    wording: str = "",
    follow_up: str = "",
    owner: str = "",
    due: str = "",
) -> dict[str, str]:
    return {
        "topic": element,
        "choice": choice,
        "position": position,
        "wording": wording,
        "follow_up": follow_up,
        "owner": owner,
        "due": due,
        "notes": "",
    }


DECISIONS = [
    topic(
        "E03",
        "position",
        "E03.required-before-official",
        follow_up="Book the primer for the comms team",
        owner="Ann Archer",
        due="2027-03-01",
    ),
    topic("E06", "own", wording="<script>alert('x')</script> & only =SUM(A1) speaks"),
    topic(
        "E21",
        "deferred",
        follow_up="Agree how customer complaints are routed",
        owner="Cat Cole <cat@acme.example>",
        due="2027-03-03",
    ),
    topic(
        "E23",
        "position",
        "E23.measure-results",
        follow_up="Set up the monthly report",
        owner="Zed Unknown",
        due="2027-03-02",
    ),
]


def mail_event(moment: datetime, template: str, to: str) -> Event:
    data = {
        "template": template,
        "to": [to],
        "cc": [],
        "subject": template,
        "message_id": f"<{template}.{moment.timestamp()}@test>",
        "where": "outbox",
        "to_client": False,
        "person": "",
    }
    return Event(SLUG, moment, MAIL_SENT, f"{SLUG}/test/{template}/{to}/{moment:%m%d}", data)


def answer(moment: datetime, person: str, rsvp: str) -> Event:
    verdict = {
        "ok": True,
        "person": person,
        "unknown_sender": False,
        "rsvp": rsvp,
        "delegate_name": "",
        "delegate_email": "",
        "answers": {},
        "blank_prompts": [],
        "problems": [],
        "name_found": "",
        "email_found": person,
    }
    data = {
        "file": f"{person}.xlsx",
        "received": moment.isoformat(),
        "stored": "",
        "sha256": "0" * 64,
        "ok": True,
        "verdict": verdict,
    }
    return Event(SLUG, moment, QUESTIONNAIRE_JUDGED, f"{SLUG}/inbox/{person}", data)


def consensus(moment: datetime, version: int, decisions: list[dict[str, str]]) -> Event:
    data = {"version": version, "source": "decide", "file": "", "decisions": decisions}
    return Event(SLUG, moment, CONSENSUS_RECORDED, None, data)


@pytest.fixture
def setup(tmp_path: Path, smtp_server: SmtpServer) -> Any:
    data = engagement_data(tmp_path / "drive", mail=smtp_mail(smtp_server), attendees=PEOPLE)
    engagement = parse_engagement(data, "test", tmp_path)
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    started = {"kickoff": KICKOFF.isoformat(), "at_risk": False, "token_salt": "salt"}
    for event in (
        Event(SLUG, KICKOFF, STARTED, f"{SLUG}/started", started),
        mail_event(at("2027-01-20T09:00"), "company_list_reminder", "carl@acme.example"),
        mail_event(at("2027-01-22T09:00"), "company_list_reminder", "carl@acme.example"),
        mail_event(at("2027-01-28T09:00"), "questionnaire_reminder", "bob@acme.example"),
        mail_event(at("2027-01-28T09:00"), "questionnaire_reminder", "cat@acme.example"),
        mail_event(at("2027-02-01T09:00"), "questionnaire_reminder", "cat@acme.example"),
        answer(at("2027-01-25T11:00"), "ann@acme.example", "Attending"),
        answer(at("2027-01-26T11:00"), "bob@acme.example", "Not attending"),
        consensus(at("2027-02-12T16:00"), 1, DECISIONS),
    ):
        store.append(event)
    yield Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str))
    store.close()


def follow_up_only(setup: Setup, action: Action, now: datetime) -> str:
    """The engine as it is, carrying out only this stage's actions (the record holds none of
    the earlier stages' work, whose planners would otherwise chase everyone)."""
    if f"/{'follow-up'}/" in action.key or action.key.endswith("/decision/close"):
        return perform(setup, action, now)
    return "skipped"


def go(setup: Setup, moment: datetime) -> None:
    advance(setup, moment, run=follow_up_only)


def kinds(server: SmtpServer) -> list[tuple[str, str, str]]:
    """(kind, recipients, local moment) of every follow-up message received."""
    rows = []
    for received in server.collector.received:
        kind = str(received.message["X-SMPP-Kind"])
        moment = received.message["Date"].datetime.astimezone(ROME).strftime("%a %d %b %H:%M")
        rows.append((kind, ", ".join(received.recipients), moment))
    return rows


def values(sheet: Any) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def report_files(setup: Setup) -> list[str]:
    return sorted(p.name for p in (setup.engagement.drive / "06 Follow-up").iterdir())


def test_the_report_is_written_on_its_day_and_reads_back(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    go(setup, at("2027-02-24T16:00"))  # the day before: nothing yet
    assert report_files(setup) == []
    go(setup, REPORT_DAY)
    assert report_files(setup) == [
        "Follow-up report - Acme Foods - v1.html",
        "Follow-up report - Acme Foods - v1.xlsx",
    ]
    book = openpyxl.load_workbook(setup.engagement.drive / "06 Follow-up" / report_files(setup)[1])
    assert book.sheetnames == [
        "Cover",
        "Timeline",
        "Reminders",
        "Participation",
        "Decisions",
        "Open items",
        "Next steps",
        "Documents",
    ]
    timeline = values(book["Timeline"])
    assert timeline[0] == ["Milestone", "Stage", "Planned", "Actual", "Kept, late or missed"]
    assert [row[0] for row in timeline[1:]] == [m.label for m, _ in milestones_in_order()]
    rows = {row[0]: row for row in timeline[1:]}
    assert rows["Workshop"][2:] == [
        "Thursday 11 February 2027, 09:30",
        "Thursday 11 February 2027, 09:30",
        "kept",
    ]
    assert rows["Follow-up report"][2:] == [
        "Thursday 25 February 2027, 23:59",
        "Thursday 25 February 2027, 09:00",
        "kept",
    ]
    # The consensus stage says when the consensus came in; the policy was never delivered.
    assert rows["Consensus recorded"][2:] == [
        "Sunday 14 February 2027, 23:59",
        "Friday 12 February 2027, 16:00",
        "kept",
    ]
    assert rows["Final policy"][2:] == ["Sunday 21 February 2027, 23:59", "—", "missed"]
    # Nothing in this record shows the company list requested: planned, passed, not reached.
    assert rows["Company list requested"][2:] == ["Thursday 14 January 2027, 09:00", "—", "missed"]
    for row in timeline[1:]:
        assert row[2] and row[3] and row[4]
    assert values(book["Reminders"]) == [
        ["Stage", "Kind", "Sent", "To how many people", "First sent", "Last sent"],
        [
            "Company list",
            "Reminder",
            2,
            1,
            "Wednesday 20 January 2027, 09:00",
            "Friday 22 January 2027, 09:00",
        ],
        [
            "Questionnaire",
            "Reminder",
            3,
            2,
            "Thursday 28 January 2027, 09:00",
            "Monday 1 February 2027, 09:00",
        ],
    ]
    participation = values(book["Participation"])
    assert participation[:6] == [
        ["Who", "People", None, None, None],
        ["Invited", 4, None, None, None],
        ["Answered the questionnaire", 2, None, None, None],
        ["Attending (as said)", 3, None, None, None],
        ["Not attending (as said)", 1, None, None, None],
        ["Sent a delegate", 0, None, None, None],
    ]
    assert ["Bob Baker", "Legal", "not attending", "said in the RSVP"] == participation[10][:4]
    assert participation[11][:5] == [
        "Cat Cole",
        "Customer service",
        "attending",
        "as the engagement file lists (no RSVP)",
        "no",
    ]
    assert len(book["Participation"]._charts) == 1
    decisions = values(book["Decisions"])
    assert [row[:3] for row in decisions[1:]] == [
        [
            "E03 Training, certification & education",
            "Who",
            "Training required before speaking for the company",
        ],
        ["E06 Authorized spokespeople / speaking on behalf of the company", "When", "Own wording"],
        ["E21 Customer-service routing & fulfilment", "Routing", "Deferred: to be decided"],
        ["E23 Monitoring, measurement & reporting", "Reporting", "Results measured and reported"],
    ]
    wording = book["Decisions"]["D3"]
    assert wording.value == "<script>alert('x')</script> & only =SUM(A1) speaks"
    assert wording.data_type == "s"
    assert values(book["Open items"])[1:] == [
        [
            "E03 Training, certification & education",
            "Book the primer for the comms team",
            "Ann Archer",
            "Ann Archer <ann@acme.example>",
            "Monday 1 March 2027",
            "Ann Archer is reminded on 1 March 2027",
        ],
        [
            "E21 Customer-service routing & fulfilment",
            "Agree how customer complaints are routed",
            "Cat Cole <cat@acme.example>",
            "Cat Cole <cat@acme.example>",
            "Wednesday 3 March 2027",
            "Cat Cole is reminded on 3 March 2027",
        ],
        [
            "E23 Monitoring, measurement & reporting",
            "Set up the monthly report",
            "Zed Unknown",
            "nobody named Zed Unknown is among the engagement's people",
            "Tuesday 2 March 2027",
            "Owner not resolved (nobody named Zed Unknown is among the engagement's people): "
            "the account lead is reminded on the day",
        ],
    ]
    steps = {row[0]: row for row in values(book["Next steps"])[1:]}
    assert steps["Primer training"][1].startswith(
        "As agreed on Training, certification & education: Training required before speaking"
    )
    assert steps["Routing set-up"][1].startswith(
        "Put in place the routes agreed: Customer-service routing & fulfilment: Deferred"
    )
    # No policy recorded: 12 months from the final policy's planned day (T+10).
    assert steps["First review of the policy"][2] == "Monday 21 February 2028"
    cover = [str(v) for row in values(book["Cover"]) for v in row if v]
    assert "Follow-up report for Acme Foods" in cover
    assert "•  Timeline: 3 of 10 milestones kept, 0 late, 7 missed." in cover
    assert (
        "•  Open items: 3, the first due on 1 March 2027; 1 without an owner among the "
        "engagement's people." in cover
    )
    assert any(
        line.startswith("•  The final policy is not recorded as delivered") for line in cover
    )
    assert book.properties.title == "Follow-up report - Acme Foods"
    assert book["Timeline"].page_setup.orientation == "landscape"
    # The lead's mail, once, with the workbook attached.
    assert kinds(smtp_server) == [
        ("follow_up_report_ready", "lea@agency.example", "Thu 25 Feb 09:00")
    ]
    message = smtp_server.collector.received[0].message
    assert isinstance(message, email.message.EmailMessage)
    [attached] = list(message.iter_attachments())
    assert attached.get_filename() == "Follow-up report - Acme Foods - v1.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(attached.get_content())).sheetnames[0] == "Cover"
    assert message["Subject"] == "Acme Foods follow-up report v1: 3 open items"
    go(setup, at("2027-02-25T15:00"))
    assert len(smtp_server.collector.received) == 1


def test_the_html_report_escapes_outside_text(setup: Setup) -> None:
    go(setup, REPORT_DAY)
    page = (setup.engagement.drive / "06 Follow-up" / report_files(setup)[0]).read_text()
    assert "<script>" not in page and "<b>Evil" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; only =SUM(A1) speaks" in page
    assert "Eve &lt;b&gt;Evil&lt;/b&gt; &amp; Co" in page
    assert "@media print" in page and "@page { size: A4" in page
    assert "<td>Follow-up report</td>" in page
    assert '<td class="kept">kept</td>' in page
    assert "Monday 21 February 2028" in page


def test_owners_are_reminded_once_each_on_the_due_day_in_working_hours(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    go(setup, REPORT_DAY)
    go(setup, at("2027-03-01T07:30"))  # Monday, before working hours
    assert len(smtp_server.collector.received) == 1
    go(setup, at("2027-03-01T09:00"))
    go(setup, at("2027-03-01T11:00"))
    go(setup, at("2027-03-03T10:00"))
    go(setup, at("2027-03-03T10:00"))
    assert kinds(smtp_server)[1:] == [
        ("follow_up_item_reminder", "ann@acme.example, lea@agency.example", "Mon 01 Mar 09:00"),
        ("follow_up_item_unassigned", "lea@agency.example", "Wed 03 Mar 10:00"),
        ("follow_up_item_reminder", "cat@acme.example, lea@agency.example", "Wed 03 Mar 10:00"),
    ]
    reminder = smtp_server.collector.received[1].message
    assert reminder["Subject"] == (
        "Acme Foods: open item due Monday 1 March 2027: E03 Training, certification & education"
    )
    told = smtp_server.collector.received[2].message.get_body(("plain",)).get_content()
    assert "nobody named Zed Unknown is among the engagement's people" in told
    assert "smpp decide acme-foods item-done --item E23" in told
    state = take_stock(setup)
    assert engagement_status(state, at("2027-03-03T12:00"))["closed"] is False


def test_an_item_due_on_a_weekend_is_recalled_on_the_business_day_before(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    """Saturday 6 March: its owner hears on Friday 5 March, while there is time, not on Monday
    that something was due two days ago."""
    saturday = [dict(d, due="2027-03-06") if d["topic"] == "E21" else d for d in DECISIONS]
    setup.store.append(consensus(at("2027-02-15T10:00"), 2, saturday))
    go(setup, REPORT_DAY)
    go(setup, at("2027-03-05T10:00"))
    reminders = [k for k in kinds(smtp_server) if k[0] == "follow_up_item_reminder"]
    assert (
        "follow_up_item_reminder",
        "cat@acme.example, lea@agency.example",
        "Fri 05 Mar 10:00",
    ) in reminders


def test_the_engagement_closes_itself_once_every_open_item_is_done(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    go(setup, REPORT_DAY)
    state = take_stock(setup)
    with pytest.raises(DecisionError, match="the open items are: E03, E21, E23"):
        decide(state, Decision(kind="item_done", item="E06"), at("2027-02-26T10:00"))
    for item, moment in (("e03", "2027-02-26T10:00"), ("E21", "2027-02-26T10:05")):
        record(
            setup.store,
            decide(take_stock(setup), Decision(kind="item_done", item=item), at(moment)),
        )
    with pytest.raises(DecisionError, match="E03 was marked done on 26 February 2027 already"):
        decide(take_stock(setup), Decision(kind="item_done", item="E03"), at("2027-02-26T11:00"))
    go(setup, at("2027-02-26T11:00"))
    assert not take_stock(setup).closed  # E23 is still open
    record(
        setup.store,
        decide(
            take_stock(setup),
            Decision(kind="item_done", item="E23", note="Report live"),
            at("2027-02-27T10:00"),
        ),  # a Saturday
    )
    go(setup, at("2027-02-27T10:30"))
    assert not take_stock(setup).closed  # the lead is told in working hours, then it closes
    go(setup, at("2027-03-01T09:00"))
    state = take_stock(setup)
    assert state.closed
    status = engagement_status(state, at("2027-03-05T10:00"))
    assert status["closed"] is True
    assert status["closure"] == {
        "at": "2027-03-01T09:00:00+01:00",
        "by": "SMPP desk",
        "reason": "Every open item of the follow-up is done (3 in all).",
    }
    assert status["follow_up"]["summary"] == "Closed."
    assert [d["decision"] for d in status["decisions"]] == [
        "marked an open item of the follow-up done",
        "marked an open item of the follow-up done",
        "marked an open item of the follow-up done",
        "closed the engagement",
    ]
    assert status["decisions"][2]["detail"] == "E23: Report live"
    assert status["awaited"] == []
    lines = by_name("follow-up").status_lines(status["follow_up"])
    assert lines[1].startswith("  done  E03 Training, certification & education: Book the primer")
    # No reminder went out for an item done before its day; the lead heard of the closing once.
    assert [k for k, _, _ in kinds(smtp_server)] == ["follow_up_report_ready", "follow_up_closed"]
    go(setup, at("2027-03-03T10:00"))
    assert len(smtp_server.collector.received) == 2
    with pytest.raises(DecisionError, match="closed"):
        decide(state, Decision(kind="close", reason="again"), at("2027-03-05T10:00"))


def test_the_leads_close_stops_the_reminders(setup: Setup, smtp_server: SmtpServer) -> None:
    go(setup, REPORT_DAY)
    record(
        setup.store,
        decide(
            take_stock(setup),
            Decision(kind="close", reason="Client ends it"),
            at("2027-02-26T10:00"),
        ),
    )
    go(setup, at("2027-03-03T10:00"))
    assert [k for k, _, _ in kinds(smtp_server)] == ["follow_up_report_ready"]
    assert engagement_status(take_stock(setup), at("2027-03-03T10:00"))["closed"] is True


def test_a_new_consensus_makes_a_new_version_of_the_report(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    go(setup, REPORT_DAY)
    setup.store.append(consensus(at("2027-02-26T12:00"), 2, DECISIONS[:2]))
    go(setup, at("2027-02-26T12:30"))
    assert report_files(setup)[-2:] == [
        "Follow-up report - Acme Foods - v2.html",
        "Follow-up report - Acme Foods - v2.xlsx",
    ]
    assert [m["Subject"] for m in (r.message for r in smtp_server.collector.received)] == [
        "Acme Foods follow-up report v1: 3 open items",
        "Acme Foods follow-up report v2: 1 open item",
    ]


def test_without_a_consensus_the_stage_waits_silently(setup: Setup, tmp_path: Path) -> None:
    events = tuple(e for e in setup.store.events_for(SLUG) if e.kind != CONSENSUS_RECORDED)
    state = State(setup.engagement, events)
    current = plan(state, at("2027-03-20T10:00"))
    assert not [a for a in (*current.due, *current.upcoming) if "/follow-up/" in a.key]
    assert engagement_status(state, at("2027-03-20T10:00"))["follow_up"] is None


@pytest.mark.parametrize(
    ("given", "found"),
    [
        ("Ann Archer", "ann@acme.example"),
        ("  ann   ARCHER ", "ann@acme.example"),
        ("cat@ACME.example", "cat@acme.example"),
        ("Someone <cat@acme.example>", "cat@acme.example"),
        ("Lea Lead", "lea@agency.example"),
        ("Carl Client", "carl@acme.example"),
        ("stranger@elsewhere.example", None),
        ("Zed Unknown", None),
        ("", None),
    ],
)
def test_an_owner_is_resolved_by_name_or_address_among_the_engagements_people(
    setup: Setup, given: str, found: str | None
) -> None:
    owner = resolve_owner(take_stock(setup), given)
    assert (str(owner.person.email) if owner.person else None) == found
    assert bool(owner.why) == (found is None)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 2, 21), 12, date(2028, 2, 21)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2027, 11, 15), 3, date(2028, 2, 15)),
    ],
)
def test_the_first_review_falls_months_after(day: date, months: int, expected: date) -> None:
    assert months_after(day, months) == expected


def test_the_run_form_marks_an_open_item_done() -> None:
    from smpp.decisions import DecisionForm

    form = DecisionForm(
        decision="Mark an open item of the follow-up done", open_item="E21", done_note="Agreed"
    )
    assert form.to_decision() == Decision(kind="item_done", item="E21", note="Agreed")
    with pytest.raises(ValueError, match="needs the open item: fill it in the form"):
        DecisionForm(decision="Mark an open item of the follow-up done").to_decision()


def test_the_final_policy_dates_the_first_review_and_is_linked(
    setup: Setup, smtp_server: SmtpServer
) -> None:
    settings = setup.engagement.policy.model_copy(update={"review_months": 6})
    engagement = setup.engagement.model_copy(
        update={"drive_url": "https://drive.example/acme", "policy": settings}
    )
    linked = Setup(engagement, setup.store, setup.mailer)
    policy = engagement.drive / "05 Policy" / "Policy - Acme Foods - v1.docx"
    written = {
        "stage": "policy",
        "path": str(policy),
        "version": 1,
        "format": "docx",
        "consensus_version": 1,
        "findings": [],
    }
    linked.store.append(Event(SLUG, at("2027-02-17T15:00"), "deliverable.written", None, written))
    linked.store.append(mail_event(at("2027-02-19T09:00"), "policy_delivered", "carl@acme.example"))
    go(linked, REPORT_DAY)
    book = openpyxl.load_workbook(engagement.drive / "06 Follow-up" / report_files(linked)[1])
    steps = {row[0]: row for row in values(book["Next steps"])[1:]}
    assert steps["First review of the policy"][1:] == [
        "6 months after the final policy: check it against what happened, the law and the "
        "platforms.",
        "Thursday 19 August 2027",
    ]
    [row] = values(book["Documents"])[1:]
    assert row[:4] == [
        "Final policy",
        "Policy - Acme Foods - v1.docx",
        1,
        "Wednesday 17 February 2027, 15:00",
    ]
    cell = book["Documents"]["E2"]
    assert (
        cell.hyperlink.target
        == "https://drive.example/acme/05%20Policy/Policy%20-%20Acme%20Foods%20-%20v1.docx"
    )
    cover = [str(v) for r in values(book["Cover"]) for v in r if v]
    assert "What this report cannot say yet" not in cover
    page = (engagement.drive / "06 Follow-up" / report_files(linked)[0]).read_text()
    assert (
        '<a href="https://drive.example/acme/05%20Policy/Policy%20-%20Acme%20Foods%20-%20v1.docx">'
        "Policy - Acme Foods - v1.docx</a>"
    ) in page
    html = smtp_server.collector.received[0].message.get_body(("html",)).get_content()
    assert (
        '<a href="https://drive.example/acme/06%20Follow-up/Follow-up%20report%20-%20Acme%20Foods'
        '%20-%20v1.html">'
    ) in html
    # Awaited from the owners once the report is out, each counting its reminder.
    go(linked, at("2027-03-01T09:00"))
    waits = engagement_status(take_stock(linked), at("2027-03-01T12:00"))["awaited"]
    assert [(w["what"][:4], w["from"], w["reminders_sent"], w["overdue"]) for w in waits] == [
        ("E03:", ["Ann Archer <ann@acme.example>"], 1, False),
        ("E21:", ["Cat Cole <cat@acme.example>"], 0, False),
        ("E23:", ["Zed Unknown"], 0, False),
    ]

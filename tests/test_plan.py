"""plan(state, now): what falls due when, from the record alone (company-list stage; the
engagements here invite nobody, so no questionnaire action mixes in)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from smpp.actions import SendMail, TakeInFile
from smpp.drive import InboxFile
from smpp.events import MAIL_SENT, STARTED
from smpp.plan import plan
from smpp.stages.company_list.events import LIST_JUDGED
from smpp.stages.company_list.planner import CompanyListTemplate
from smpp.state import State
from smpp.store import Event

ROME = ZoneInfo("Europe/Rome")
SLUG = "acme-foods"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def started(moment: str = "2027-01-04T10:00") -> Event:
    return Event(SLUG, at(moment), STARTED, f"{SLUG}/started", {"kickoff": at(moment).isoformat()})


def sent(key: str, moment: str, template: str) -> Event:
    return Event(SLUG, at(moment), MAIL_SENT, f"{SLUG}/{key}", {"template": template})


def judged(intake: str, moment: str, ok: bool) -> Event:
    data: dict[str, Any] = {
        "file": f"{intake}.xlsx",
        "stored": "/x",
        "sha256": "0" * 64,
        "ok": ok,
        "companies": 24 if ok else 12,
        "problems": [] if ok else [{"row": None, "column": None, "message": "too few"}],
    }
    return Event(SLUG, at(moment), LIST_JUDGED, f"{SLUG}/inbox/{intake}", data)


REQUESTED = sent("company-list/request", "2027-01-14T09:00", "company_list_request")


def keys(state: State, now: str) -> list[str]:
    return [a.key.removeprefix(f"{SLUG}/") for a in plan(state, at(now)).due]


def test_nothing_is_planned_before_the_engagement_starts(make_engagement) -> None:
    result = plan(State(make_engagement(attendees=[]), ()), at("2027-01-14T10:00"))
    assert result.due == () and result.next_due is None


def test_the_request_falls_due_at_its_milestone_with_the_template_attached(make_engagement) -> None:
    state = State(make_engagement(attendees=[]), (started(),))
    early = plan(state, at("2027-01-10T10:00"))
    assert early.due == ()
    assert early.next_due == at("2027-01-14T09:00")
    due = plan(state, at("2027-01-14T09:00")).due
    assert [a.key for a in due] == [f"{SLUG}/company-list/request"]
    request = due[0]
    assert isinstance(request, SendMail)
    assert request.to == ("Carl Client <carl@acme.example>",)
    assert request.cc == ("Lea Lead <lea@agency.example>",)
    # The blank template, due on the list's due date.
    assert request.attach == (CompanyListTemplate(state.timeline.company_list_deadline.date()),)


def test_reminders_wait_for_their_slot_and_only_the_latest_passed_slot_is_due(
    make_engagement,
) -> None:
    state = State(make_engagement(attendees=[]), (started(), REQUESTED))
    assert keys(state, "2027-01-24T12:00") == []
    assert plan(state, at("2027-01-24T12:00")).next_due == at("2027-01-25T09:00")
    assert keys(state, "2027-01-25T09:00") == ["company-list/reminder/2027-01-25"]
    # The advance did not run for days: one reminder for the latest slot, not three.
    assert keys(state, "2027-01-28T11:00") == ["company-list/reminder/2027-01-28"]


def test_once_overdue_the_client_is_chased_daily_and_the_lead_told_once(make_engagement) -> None:
    state = State(
        make_engagement(attendees=[]),
        (
            started(),
            REQUESTED,
            sent("company-list/reminder/2027-01-28", "2027-01-28T09:00", "company_list_reminder"),
        ),
    )
    due = plan(state, at("2027-01-29T09:00")).due
    assert [a.key.removeprefix(f"{SLUG}/") for a in due] == [
        "company-list/escalation",
        "company-list/overdue/2027-01-29",
    ]
    escalation = due[0]
    assert isinstance(escalation, SendMail) and escalation.to == ("Lea Lead <lea@agency.example>",)
    after = State(
        state.engagement,
        state.events
        + (
            sent("company-list/escalation", "2027-01-29T09:00", "company_list_escalation"),
            sent("company-list/overdue/2027-01-29", "2027-01-29T09:00", "company_list_overdue"),
        ),
    )
    assert keys(after, "2027-01-29T15:00") == []
    assert keys(after, "2027-02-01T09:00") == ["company-list/overdue/2027-02-01"]


def test_nothing_is_sent_after_the_list_is_accepted(make_engagement) -> None:
    state = State(
        make_engagement(attendees=[]),
        (
            started(),
            REQUESTED,
            judged("good", "2027-01-20T11:00", ok=True),
            sent("company-list/reply/good", "2027-01-20T11:00", "company_list_accepted"),
            Event(
                SLUG,
                at("2027-01-20T11:00"),
                "deliverable.written",
                f"{SLUG}/company-list/deliverable/good",
                {"stage": "company-list", "path": "/x"},
            ),
        ),
    )
    for moment in ("2027-01-25T09:00", "2027-01-29T09:00", "2027-02-10T09:00"):
        assert [k for k in keys(state, moment) if not k.startswith("packet/")] == []
    # Only the workshop packet is still to come (its gaps stated on its cover), a business day
    # before its milestone (Monday 8 February).
    assert plan(state, at("2027-01-25T09:00")).next_due == at("2027-02-05T09:00")


def test_an_accepted_list_gets_a_thank_you_and_becomes_a_deliverable(make_engagement) -> None:
    state = State(
        make_engagement(attendees=[]),
        (started(), REQUESTED, judged("good", "2027-01-20T11:00", True)),
    )
    assert keys(state, "2027-01-20T11:00") == [
        "company-list/deliverable/good",
        "company-list/reply/good",
    ]


def test_a_refusal_sent_at_night_waits_for_the_morning_and_replaces_the_reminder(
    make_engagement,
) -> None:
    state = State(
        make_engagement(attendees=[]),
        (started(), REQUESTED, judged("bad", "2027-01-24T18:00", False)),
    )
    assert keys(state, "2027-01-24T18:00") == []
    # Monday 09:00: the refusal goes; the reminder of the same morning would be a second chaser.
    assert keys(state, "2027-01-25T09:00") == ["company-list/reply/bad"]
    reply = plan(state, at("2027-01-25T09:00")).due[0]
    assert isinstance(reply, SendMail) and reply.template == "company_list_rejected"
    assert reply.context["problems"] == [{"row": None, "column": None, "message": "too few"}]


def test_files_in_the_inbox_are_taken_in_at_once(make_engagement) -> None:
    dropped = InboxFile("list.xlsx", "a" * 64, 1000, 123)
    state = State(make_engagement(attendees=[]), (started(), REQUESTED), inbox=(dropped,))
    due = plan(state, at("2027-01-17T03:00")).due
    assert len(due) == 1 and isinstance(due[0], TakeInFile)
    assert due[0].key == f"{SLUG}/inbox/{'a' * 16}-123"

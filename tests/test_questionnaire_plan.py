"""plan(state, now) for the questionnaire: who is invited, reminded, escalated, summarised."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from smpp.actions import SendMail
from smpp.events import MAIL_SENT, STARTED
from smpp.plan import plan
from smpp.stages.questionnaire.events import QUESTIONNAIRE_JUDGED
from smpp.stages.questionnaire.planner import WriteQuestionnaireSummary
from smpp.stages.questionnaire.records import (
    invited_people,
    person_id,
    personal_token,
    standing_answers,
)
from smpp.state import State
from smpp.store import Event

ROME = ZoneInfo("Europe/Rome")
SLUG = "acme-foods"
PEOPLE = [
    {"name": "Ann", "email": "ann@acme.example", "role": "Comms"},
    {"name": "Bob", "email": "bob@acme.example", "role": "Legal", "attending": False},
    {"name": "Cat", "email": "cat@acme.example", "role": "Sales"},
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def started() -> Event:
    kickoff = at("2027-01-04T10:00")
    data = {"kickoff": kickoff.isoformat(), "token_salt": "salt"}
    return Event(SLUG, kickoff, STARTED, f"{SLUG}/started", data)


def invited(email: str, moment: str = "2027-01-21T09:00") -> Event:
    key = f"{SLUG}/questionnaire/invitation/{person_id(email)}"
    data = {"template": "questionnaire_invitation", "person": email}
    return Event(SLUG, at(moment), MAIL_SENT, key, data)


def reminded(email: str, moment: str) -> Event:
    day = moment[:10]
    key = f"{SLUG}/questionnaire/reminder/{day}/{person_id(email)}"
    return Event(
        SLUG, at(moment), MAIL_SENT, key, {"template": "questionnaire_reminder", "person": email}
    )


def answered(email: str | None, moment: str, ok: bool = True, **verdict: Any) -> Event:
    data: dict[str, Any] = {
        "file": "answers.xlsx",
        "stored": "/drive/Inbox/Accepted/answers.xlsx",
        "sha256": "0" * 64,
        "ok": ok,
        "verdict": {
            "ok": ok,
            "person": email,
            "unknown_sender": email is None,
            "rsvp": None,
            "delegate_name": "",
            "delegate_email": "",
            "answers": {"who.primer": {"choice": "Yes, for everyone", "text": ""}},
            "blank_prompts": [],
            "problems": [] if ok else [{"row": 9, "column": "Choice", "message": "Pick one."}],
            "name_found": "",
            "email_found": email or "eve@elsewhere.example",
            **verdict,
        },
    }
    return Event(SLUG, at(moment), QUESTIONNAIRE_JUDGED, f"{SLUG}/inbox/{moment}-{email}", data)


def due_mails(state: State, now: str, *templates: str) -> list[tuple[str, tuple[str, ...]]]:
    """(template, to) of the questionnaire mails due, sorted; only `templates` if given."""
    return sorted(
        (a.template, a.to)
        for a in plan(state, at(now)).due
        if isinstance(a, SendMail)
        and a.template.startswith("questionnaire")
        and (not templates or a.template in templates)
    )


@pytest.fixture
def engagement(make_engagement):  # type: ignore[no-untyped-def]
    return make_engagement(attendees=PEOPLE)


def test_everyone_invited_attending_or_not_gets_a_personal_invitation_at_the_milestone(
    engagement,
) -> None:
    state = State(engagement, (started(),))
    assert due_mails(state, "2027-01-20T17:00") == []
    due = [a for a in plan(state, at("2027-01-21T09:00")).due if isinstance(a, SendMail)]
    invitations = sorted(
        (a for a in due if a.template == "questionnaire_invitation"), key=lambda a: a.to
    )
    assert [a.to for a in invitations] == [
        ("Ann <ann@acme.example>",),
        ("Bob <bob@acme.example>",),
        ("Cat <cat@acme.example>",),
    ]
    assert all(
        [type(spec).__name__ for spec in a.attach] == ["QuestionnaireFile"]
        and a.attach[0].invitee.email == a.person  # type: ignore[attr-defined]
        for a in invitations
    )
    bob = invitations[1].context
    assert bob["attending"] is False and bob["token"] == personal_token("salt", "bob@acme.example")
    assert len({a.context["token"] for a in invitations}) == 3


def test_personal_codes_depend_on_the_engagement_salt() -> None:
    assert personal_token("salt", "Ann@Acme.example ") == personal_token("salt", "ann@acme.example")
    assert personal_token("salt", "ann@acme.example") != personal_token("other", "ann@acme.example")
    assert len(personal_token("salt", "ann@acme.example")) == 9


def test_reminders_go_only_to_those_who_have_not_answered(engagement) -> None:
    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    answered_ann = answered("ann@acme.example", "2027-01-25T10:00")
    state = State(engagement, (*events, answered_ann))
    # T-14 (Thursday 28 January): the first reminder slot.
    assert due_mails(state, "2027-01-28T09:00", "questionnaire_reminder") == [
        ("questionnaire_reminder", ("Bob <bob@acme.example>",)),
        ("questionnaire_reminder", ("Cat <cat@acme.example>",)),
    ]


def test_a_refused_workbook_is_not_an_answer_but_counts_as_contact(engagement) -> None:
    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    refused = answered("bob@acme.example", "2027-01-27T16:00", ok=False)
    reply = Event(
        SLUG,
        at("2027-01-27T16:00"),
        MAIL_SENT,
        f"{SLUG}/questionnaire/reply/x",
        {"template": "questionnaire_rejected", "person": "bob@acme.example"},
    )
    state = State(engagement, (*events, refused, reply))
    assert [to for _, to in due_mails(state, "2027-01-28T09:00", "questionnaire_reminder")] == [
        ("Ann <ann@acme.example>",),
        ("Cat <cat@acme.example>",),
    ]


def test_only_the_latest_passed_slot_is_sent_and_the_lead_is_told_once_who_is_missing(
    engagement,
) -> None:
    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    state = State(engagement, (*events, answered("ann@acme.example", "2027-01-22T10:00")))
    # Nobody ran between T-14 and T-10: only the T-10 reminder goes, not both.
    due = plan(state, at("2027-02-01T09:00")).due
    keys = sorted(
        a.key.split("/", 2)[2]
        for a in due
        if isinstance(a, SendMail) and a.template == "questionnaire_reminder"
    )
    assert keys == [
        f"reminder/2027-02-01/{person_id('bob@acme.example')}",
        f"reminder/2027-02-01/{person_id('cat@acme.example')}",
    ]
    # T-6 (Friday 5 February): the escalation lists who is still missing.
    later = (*events, answered("ann@acme.example", "2027-01-22T10:00"))
    later += (reminded("bob@acme.example", "2027-02-04T09:00"),)
    later += (answered("cat@acme.example", "2027-02-04T12:00"),)
    state = State(engagement, later)
    escalation = [
        a
        for a in plan(state, at("2027-02-05T09:00")).due
        if isinstance(a, SendMail) and a.template == "questionnaire_escalation"
    ]
    assert [a.to for a in escalation] == [("Lea Lead <lea@agency.example>",)]
    missing = escalation[0].context["missing"]
    assert [(m["name"], m["reminders"], m["attending"]) for m in missing] == [("Bob", 1, False)]


def test_no_escalation_when_everyone_answered(engagement) -> None:
    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    events += tuple(answered(p["email"], "2027-01-26T10:00") for p in PEOPLE)
    state = State(engagement, events)
    templates = [t for t, _ in due_mails(state, "2027-02-05T09:00")]
    assert "questionnaire_escalation" not in templates
    assert "questionnaire_reminder" not in templates


def test_the_summary_is_due_at_the_deadline_or_once_everyone_answered(engagement) -> None:
    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    one = State(engagement, (*events, answered("ann@acme.example", "2027-01-26T10:00")))
    summaries = [
        a
        for a in plan(one, at("2027-01-26T10:00")).upcoming
        if isinstance(a, WriteQuestionnaireSummary)
    ]
    assert [a.due for a in summaries] == [at("2027-02-04T23:59")]
    everyone = events + tuple(answered(p["email"], "2027-01-26T10:00") for p in PEOPLE)
    due = plan(State(engagement, everyone), at("2027-01-26T10:00")).due
    assert [a.version for a in due if isinstance(a, WriteQuestionnaireSummary)] == [1]


def test_the_later_answer_stands(engagement) -> None:
    first = answered("ann@acme.example", "2027-01-25T10:00")
    second = answered(
        "ann@acme.example",
        "2027-01-26T10:00",
        answers={"who.primer": {"choice": "No, optional", "text": ""}},
    )
    state = State(engagement, (started(), first, second))
    stands = standing_answers(state)["ann@acme.example"]
    assert stands.data["verdict"]["answers"]["who.primer"]["choice"] == "No, optional"
    reply = [
        a
        for a in plan(state, at("2027-01-26T10:00")).due
        if isinstance(a, SendMail) and a.key.endswith(str(second.key).rsplit("/", 1)[-1])
    ]
    assert reply[0].template == "questionnaire_accepted" and reply[0].context["replaces_earlier"]


def test_someone_not_invited_is_refused_and_only_the_lead_is_told(engagement) -> None:
    state = State(engagement, (started(), answered(None, "2027-01-25T10:00", ok=False)))
    mails = due_mails(state, "2027-01-25T10:00")
    assert ("questionnaire_unknown_sender", ("Lea Lead <lea@agency.example>",)) in mails
    assert not [m for m in mails if m[0] in ("questionnaire_accepted", "questionnaire_rejected")]


def test_a_delegate_named_in_an_rsvp_is_invited_in_their_own_right(engagement) -> None:
    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    rsvp = answered(
        "cat@acme.example",
        "2027-01-25T19:00",
        rsvp="Sending a delegate",
        delegate_name="Dan",
        delegate_email="Dan@Acme.example",
    )
    state = State(engagement, (*events, rsvp))
    people = {p.email: p for p in invited_people(state)}
    assert people["cat@acme.example"].attendance == "delegate sent"
    assert people["dan@acme.example"].delegate_for == "Cat"
    assert people["dan@acme.example"].attendee.role == "Sales"
    # Named in the evening: invited the next working morning.
    invitation = [
        a
        for a in plan(state, at("2027-01-26T09:00")).due
        if isinstance(a, SendMail) and a.person == "dan@acme.example"
    ]
    assert [(a.template, a.due) for a in invitation] == [
        ("questionnaire_invitation", at("2027-01-26T09:00"))
    ]


def test_files_in_the_inbox_are_read_before_anything_is_sent(engagement) -> None:
    from smpp.actions import TakeInFile
    from smpp.drive import InboxFile

    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    dropped = InboxFile("ann.xlsx", "0" * 64, 10, 1)
    state = State(engagement, events, inbox=(dropped,))
    # The T-14 reminder slot has come, but Ann's answer came in overnight: read it first.
    result = plan(state, at("2027-01-28T09:05"))
    assert [type(a) for a in result.due] == [TakeInFile]
    assert result.next_due == at("2027-01-28T09:05")


def test_someone_who_answered_before_the_invitation_is_not_invited(engagement) -> None:
    state = State(engagement, (started(), answered("ann@acme.example", "2027-01-15T10:00")))
    invitations = due_mails(state, "2027-01-21T09:00", "questionnaire_invitation")
    assert [to for _, to in invitations] == [
        ("Bob <bob@acme.example>",),
        ("Cat <cat@acme.example>",),
    ]


def test_after_the_workshop_nobody_new_is_invited_or_reminded_and_the_summary_stands(
    engagement,
) -> None:
    from smpp.events import DELIVERABLE_WRITTEN

    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    events += (answered("ann@acme.example", "2027-01-25T10:00"),)
    summary = Event(
        SLUG,
        at("2027-02-04T23:59"),
        DELIVERABLE_WRITTEN,
        f"{SLUG}/questionnaire/summary/abc",
        {
            "stage": "questionnaire",
            "path": "/x",
            "version": 1,
            "invited": 3,
            "answered": 1,
            "topics": [],
        },
    )
    ready = Event(
        SLUG,
        at("2027-02-05T09:00"),
        MAIL_SENT,
        f"{SLUG}/questionnaire/summary-ready/abc",
        {"template": "questionnaire_summary_ready"},
    )
    late = answered(
        "cat@acme.example",
        "2027-02-15T10:00",
        rsvp="Sending a delegate",
        delegate_name="Dee",
        delegate_email="dee@acme.example",
    )
    state = State(engagement, (*events, summary, ready, late))
    result = plan(state, at("2027-02-15T10:00"))
    mails = [
        (a.template, a.to)
        for a in result.due
        if isinstance(a, SendMail) and a.template.startswith("questionnaire")
    ]
    # Ann and Cat are thanked (Ann's reply was never sent here); Dee is not invited.
    assert sorted(mails) == [
        ("questionnaire_accepted", ("Ann <ann@acme.example>",)),
        ("questionnaire_accepted", ("Cat <cat@acme.example>",)),
    ]
    accepted = next(
        a for a in result.due if isinstance(a, SendMail) and a.person == "cat@acme.example"
    )
    assert accepted.context["after_workshop"] is True
    assert not [a for a in result.due + result.upcoming if isinstance(a, WriteQuestionnaireSummary)]


def test_a_delegate_answers_for_themselves_and_may_send_someone_in_turn(engagement) -> None:
    events = (started(), *(invited(p["email"]) for p in PEOPLE))
    cat = answered(
        "cat@acme.example",
        "2027-01-25T10:00",
        rsvp="Sending a delegate",
        delegate_name="Dee\nDelegate",
        delegate_email="dee@acme.example",
    )
    dee = answered(
        "dee@acme.example",
        "2027-01-26T10:00",
        rsvp="Sending a delegate",
        delegate_name="Eve",
        delegate_email="eve@acme.example",
    )
    people = {p.email: p for p in invited_people(State(engagement, (*events, cat, dee)))}
    assert people["dee@acme.example"].attendee.name == "Dee Delegate"  # no line break in To:
    assert people["dee@acme.example"].attendance == "delegate sent"
    assert people["eve@acme.example"].delegate_for == "Dee Delegate"


def test_a_delegate_with_an_unusable_address_invites_nobody(engagement) -> None:
    bad = answered(
        "cat@acme.example",
        "2027-01-25T10:00",
        rsvp="Sending a delegate",
        delegate_name="Dee",
        delegate_email="dee at acme",
    )
    people = invited_people(State(engagement, (started(), bad)))
    assert [p.email for p in people] == [p["email"] for p in PEOPLE]


def test_an_earlier_answer_is_recognised_whatever_the_case_of_the_address(make_engagement) -> None:
    engagement = make_engagement(
        attendees=[{"name": "Ann", "email": "Ann.Smith@acme.example", "role": "Comms"}]
    )
    first = answered("Ann.Smith@acme.example", "2027-01-25T10:00")
    second = answered("Ann.Smith@acme.example", "2027-01-26T10:00")
    replies = [
        a
        for a in plan(State(engagement, (started(), first, second)), at("2027-01-26T10:00")).due
        if isinstance(a, SendMail) and a.template == "questionnaire_accepted"
    ]
    assert [a.context["replaces_earlier"] for a in replies] == [False, True]


def test_roles_spelled_differently_are_one_role_in_the_summary(make_engagement) -> None:
    from smpp.stages.questionnaire.performers import respondents

    engagement = make_engagement(
        attendees=[
            {"name": "Ann", "email": "ann@acme.example", "role": "Comms"},
            {"name": "Bob", "email": "bob@acme.example", "role": " comms  "},
            {"name": "Cat", "email": "cat@acme.example", "role": "COMMS"},
        ]
    )
    people = respondents(State(engagement, (started(),)))
    assert {p.role for p in people} == {"Comms"}

"""The questionnaire on the status board: who answered, who is awaited since when and will next
be reminded, and what an advance did, in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.actions import Plan, SendMail
from smpp.events import DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.models import Engagement
from smpp.stages.questionnaire.events import QUESTIONNAIRE_JUDGED
from smpp.stages.questionnaire.records import (
    NAME,
    attendance_words,
    invitations_sent,
    invited_people,
    questionnaire_judgements,
    questionnaire_summaries,
    reminders_sent,
    standing_answers,
)
from smpp.state import State
from smpp.status import short
from smpp.store import Event


def actuals(state: State) -> dict[str, datetime]:
    actual: dict[str, datetime] = {}
    sent = state.mails("questionnaire_invitation")
    if sent:
        actual["questionnaire_sent"] = sent[0].at
    # The questionnaire stage is over once its summary is written (at the due date, or when
    # everyone has answered), whoever is still missing.
    summaries = questionnaire_summaries(state)
    if summaries:
        actual["questionnaire_due"] = summaries[0].at
    return actual


def section(state: State, current: Plan) -> dict[str, Any] | None:
    """Who answered, who is awaited since when, and when each will next be reminded."""
    people = invited_people(state)
    if not people:
        return None
    standing = standing_answers(state)
    invited_at = invitations_sent(state)
    next_mail: dict[str, SendMail] = {}
    for action in current.due + current.upcoming:
        if isinstance(action, SendMail) and action.template == "questionnaire_reminder":
            next_mail.setdefault(action.person, action)
    summaries = questionnaire_summaries(state)
    rows = []
    for person in people:
        answer = standing.get(person.email)
        upcoming = next_mail.get(person.email)
        rows.append(
            {
                "name": person.attendee.name,
                "email": str(person.attendee.email),
                "role": person.attendee.role,
                "attendance": person.attendance,
                # As the person said in their RSVP (None: not said), and as the engagement
                # file lists them: "attendance" is the first, else the second.
                "attendance_said": person.said,
                "attendance_listed": person.listed,
                "delegate_for": person.delegate_for,
                "invited": state.iso(invited_at.get(person.email)),
                "answered": state.iso(answer.at if answer else None),
                "reminders_sent": reminders_sent(state, person.email),
                "next_reminder": state.iso(upcoming.due if upcoming and not answer else None),
            }
        )
    return {
        "invited": len(people),
        "answered": sum(1 for r in rows if r["answered"]),
        "people": rows,
        "refused_returns": sum(1 for j in questionnaire_judgements(state) if not j.data["ok"]),
        "summary": summaries[-1].data["path"] if summaries else None,
    }


def awaited(state: State, now: datetime) -> list[dict[str, Any]]:
    """One entry per invited person whose answer is still missing after their invitation."""
    standing = standing_answers(state)
    due = state.timeline.milestones["questionnaire_due"]
    invited_at = invitations_sent(state)
    if now >= state.timeline.workshop:
        return []  # what was not in by the workshop is no longer waited for
    return [
        {
            "what": "Questionnaire answers",
            "from": [f"{p.attendee.name} <{p.attendee.email}>"],
            "since": state.iso(invited_at[p.email]),
            "due": state.iso(due),
            "overdue": now > due,
            "reminders_sent": reminders_sent(state, p.email),
        }
        for p in invited_people(state)
        if p.email in invited_at and p.email not in standing
    ]


def status_markdown(section: dict[str, Any], timezone: str) -> list[str]:
    """The questionnaire on the Prefect status page: the count, then one narrow row per person
    (names without addresses, times without the year: a 1,400-pixel window holds it)."""
    from smpp.artifacts import md, short_time  # the page's own helpers; artifacts reads stages

    lines = [
        f"{section['answered']} of {section['invited']} answered"
        + (
            f"; {section['refused_returns']} return(s) refused"
            if section["refused_returns"]
            else ""
        )
        + ".",
        "",
        "| Name | Role | Attendance | Answered | Next reminder |",
        "|---|---|---|---|---|",
    ]
    for person in section["people"]:
        name = person["name"] + (
            f" (for {person['delegate_for']})" if person.get("delegate_for") else ""
        )
        lines.append(
            f"| {md(name)} | {md(person['role'] or '-')} | {md(_attendance(person))} | "
            f"{short_time(person['answered'], timezone) or 'not yet'} | "
            f"{short_time(person['next_reminder'], timezone) or '-'} |"
        )
    return lines


def warnings(engagement: Engagement) -> list[str]:
    if engagement.attendees:
        return []
    return ["No attendees are listed in the engagement file, so the questionnaire goes to nobody."]


def status_lines(section: dict[str, Any]) -> list[str]:
    """The questionnaire in `smpp status`: the count, then one line per person."""
    lines = [
        f"Questionnaire: {section['answered']} of {section['invited']} answered"
        + (f", summary {section['summary']}" if section["summary"] else "")
    ]
    for person in section["people"]:
        where = (
            f"answered {short(person['answered'])}"
            if person["answered"]
            else f"awaited since {short(person['invited']) or '(not invited yet)'}"
            + (
                f", next reminder {short(person['next_reminder'])}"
                if person["next_reminder"]
                else ""
            )
        )
        lines.append(
            f"  {person['name']} ({person['role'] or 'no role'}, {_attendance(person)}): " + where
        )
    return lines


def _attendance(person: dict[str, Any]) -> str:
    """A status row's attendance in words, saying when it is only as listed."""
    return attendance_words(
        person.get("attendance_listed") or person["attendance"],
        person.get("attendance_said"),
        bool(person["answered"]),
    )


# What a mail says a run did; replies and the summary's notice add nothing.
MAIL_DEEDS: dict[str, str] = {
    "questionnaire_invitation": "questionnaire sent",
    "questionnaire_reminder": "questionnaire reminder sent",
    "questionnaire_escalation": "questionnaire escalated to the lead",
}
# Deeds done to several people at once are counted: "questionnaire sent to 6".
COUNTED = frozenset({"questionnaire sent", "questionnaire reminder sent"})


def deeds(event: Event) -> str | None:
    if event.kind == MAIL_SENT:
        return MAIL_DEEDS.get(str(event.data.get("template")))
    if event.kind == QUESTIONNAIRE_JUDGED:
        return "questionnaire answer taken in" if event.data.get("ok") else "questionnaire refused"
    if event.kind == DELIVERABLE_WRITTEN and event.data.get("stage") == NAME:
        version = int(event.data.get("version") or 1)
        return f"questionnaire summary{f' v{version}' if version > 1 else ''} written"
    return None

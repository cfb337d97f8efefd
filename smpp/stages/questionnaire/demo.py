"""The demo's attendees: each answers the workbook they were sent, as demo_answers.yaml says (one
sends a first return with a whole question blank, one never answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import yaml

from smpp.models import Engagement
from smpp.setup import Setup
from smpp.simulation import drop_in_inbox
from smpp.stages.questionnaire.performers import questionnaire_attachment
from smpp.stages.questionnaire.records import invited_people
from smpp.stages.questionnaire.workbook import fill_questionnaire
from smpp.state import State

_DEMO_ANSWERS = Path(__file__).with_name("demo_answers.yaml")


@dataclass(frozen=True)
class AttendeeReturns:
    """A simulated invitee fills in the workbook they were sent and drops it in the inbox."""

    at: datetime
    email: str
    rsvp: str | None
    answers: dict[str, dict[str, str]]
    delegate: tuple[str, str] | None = None

    def happen(self, setup: Setup) -> None:
        engagement = setup.engagement
        state = State(engagement, tuple(setup.store.events_for(engagement.slug)))
        person = next(p for p in invited_people(state) if p.email == self.email)
        due = state.timeline.milestones["questionnaire_due"].date()
        blank = questionnaire_attachment(engagement, person.invitee, due, self.at).content
        content = fill_questionnaire(blank, self.answers, self.rsvp, self.delegate)
        name = f"{person.attendee.name} - answers {self.at:%d%H%M}.xlsx"
        drop_in_inbox(setup, name, content, self.at)


def happenings(engagement: Engagement, kickoff: datetime) -> list[AttendeeReturns]:
    """The demo's attendees answering as demo_answers.yaml says (one never does)."""
    workshop_day = engagement.workshop_at.date()
    returns = []
    for person in yaml.safe_load(_DEMO_ANSWERS.read_text("utf-8")):
        if person.get("never"):
            continue
        moment = datetime.combine(
            workshop_day - timedelta(days=person["day"]),
            time.fromisoformat(person["time"]),
            engagement.zone,
        )
        answers = {k: dict(v) for k, v in person["answers"].items()}
        delegate = person.get("delegate")
        pair = (delegate["name"], delegate["email"]) if delegate else None
        skipped = person.get("first_without")
        if skipped:  # a first return with one whole question left blank, refused
            partial = {k: v for k, v in answers.items() if not k.startswith(f"{skipped}.")}
            first = moment - timedelta(days=1)
            returns.append(AttendeeReturns(first, person["email"], person["rsvp"], partial, pair))
        returns.append(AttendeeReturns(moment, person["email"], person["rsvp"], answers, pair))
    return returns

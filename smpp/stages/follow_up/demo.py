"""The demo's account lead after the workshop: once the follow-up agreed on the spokespeople is
done and the deferred training topic settled, marks both open items done; the engagement then
closes itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from smpp.decisions import mark_item_done
from smpp.models import Engagement
from smpp.setup import Setup
from smpp.state import State

# Two days after the follow-up the demo's workshop agreed falls due (see consensus/demo.py).
DONE_AFTER_WORKSHOP_DAYS = 33


@dataclass(frozen=True)
class LeadMarksDone:
    at: datetime
    item: str
    note: str

    def happen(self, setup: Setup) -> None:
        state = State(setup.engagement, tuple(setup.store.events_for(setup.engagement.slug)))
        lead = setup.engagement.account_lead.name
        setup.store.append(mark_item_done(state, self.item, self.note, lead, self.at))


def happenings(engagement: Engagement, kickoff: datetime) -> list[LeadMarksDone]:
    day = engagement.workshop_at.date() + timedelta(days=DONE_AFTER_WORKSHOP_DAYS)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return [
        LeadMarksDone(
            datetime.combine(day, time(11, 0), engagement.zone),
            "E06",
            "The three spokespeople are named on the intranet.",
        ),
        LeadMarksDone(
            datetime.combine(day, time(11, 30), engagement.zone),
            "E03",
            "Primer training budgeted for next year; the policy's next version will say so.",
        ),
    ]

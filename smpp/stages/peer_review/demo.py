"""The demo's account lead: after reading the review, swaps the slow site's start-up for a market
leader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from smpp.decisions import replace_company
from smpp.models import Engagement
from smpp.setup import Setup
from smpp.state import State

# The account lead prefers a market leader to the slow site's small start-up.
DEMO_REPLACEMENT = ("Fjellvind Gear", "Everpeak Sports")


@dataclass(frozen=True)
class LeadReplaces:
    """The simulated account lead replaces one of the companies chosen for review."""

    at: datetime
    out: str
    into: str

    def happen(self, setup: Setup) -> None:
        state = State(setup.engagement, tuple(setup.store.events_for(setup.engagement.slug)))
        lead = setup.engagement.account_lead.name
        setup.store.append(replace_company(state, self.out, self.into, lead, self.at))


def happenings(engagement: Engagement, kickoff: datetime) -> list[LeadReplaces]:
    """After reading the review, the lead swaps the slow site's start-up for a market leader."""
    day = engagement.workshop_at.date() - timedelta(days=16)
    out, into = DEMO_REPLACEMENT
    return [LeadReplaces(datetime.combine(day, time(10, 30), engagement.zone), out, into)]

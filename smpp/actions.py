"""What a planner plans: actions, each with its idempotency key and the moment it falls due.

Two kinds of action are shared by every stage and carried out by the engine itself: sending a
mail (`SendMail`) and taking a file in from the inbox (`TakeInFile`). A stage declares its own
action types beside its planner, with a performer for each (see smpp/stages/anatomy.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr
from typing import TYPE_CHECKING, Any, Protocol

from smpp.drive import InboxFile
from smpp.models import Person

if TYPE_CHECKING:
    from smpp.state import State
    from smpp.timeline import Timeline

# Nobody is chased twice within this span, whatever the schedule says.
MIN_GAP_BETWEEN_CHASERS = timedelta(hours=20)


class Action(Protocol):
    """Anything a planner plans: done once under its key, not before it is due."""

    @property
    def key(self) -> str: ...

    @property
    def due(self) -> datetime: ...

    @property
    def description(self) -> str: ...


@dataclass(frozen=True)
class SendMail:
    key: str
    due: datetime
    template: str
    to: tuple[str, ...]
    context: dict[str, Any]
    cc: tuple[str, ...] = ()
    # What to attach, each a typed description whose stage builds the file at send time.
    attach: tuple[object, ...] = ()
    description: str = ""
    # The invited person a questionnaire mail is about (their email), so chasers can be counted.
    person: str = ""


@dataclass(frozen=True)
class TakeInFile:
    """Judge a file dropped in the inbox as the form it is (the stages' forms tell them apart)."""

    key: str
    due: datetime
    file: InboxFile
    description: str = ""
    # What each form's judge needs to know, by form marker, as known when the file came in: for
    # a returned questionnaire, who may return one, with their personal codes.
    known: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    due: tuple[Action, ...]
    next_due: datetime | None
    upcoming: tuple[Action, ...] = field(default=())


def key(state: State, *parts: str) -> str:
    return "/".join((state.slug, *parts))


def intake_key(state: State, item: InboxFile) -> str:
    return key(state, "inbox", item.intake_id)


def address(person: Person) -> str:
    return formataddr((person.name, str(person.email)))


def digest(*parts: str) -> str:
    """A short stable fingerprint, for keys that must change when what they are about does."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def common_context(state: State, timeline: Timeline) -> dict[str, Any]:
    """What every mail to or about the engagement can say."""
    engagement = state.engagement
    return {
        "client": engagement.client,
        "account_lead": engagement.account_lead.name,
        "account_lead_email": str(engagement.account_lead.email),
        "contacts": [c.name for c in engagement.client_contacts],
        "workshop": timeline.workshop.isoformat(),
        "due": timeline.company_list_deadline.isoformat(),
        "min_companies": engagement.min_companies,
        "at_risk": timeline.at_risk,
        "return_instructions": engagement.return_instructions,
    }

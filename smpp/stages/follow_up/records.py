"""What the record says of the follow-up: the reports written, the open items the consensus left
and which the account lead marked done, the final policy, and who owns each item."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from email.utils import parseaddr

from smpp.events import DECISION
from smpp.models import Engagement, Person
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.consensus.records import latest_consensus, open_items
from smpp.state import State
from smpp.store import Event

NAME = "follow-up"
POLICY_DELIVERED = "policy_delivered"  # the policy stage's mail that sends it to the client
ITEM_DONE = "item_done"  # the lead's decision marking an open item done


def reports(state: State) -> list[Event]:
    """The follow-up reports written, oldest first."""
    return state.deliverables(NAME)


def final_policy(state: State) -> Event | None:
    """The policy's latest editable version (its DOCX), if the policy stage has written one."""
    from smpp.stages.policy.records import policies

    written = policies(state)
    return written[-1] if written else None


def policy_delivered(state: State) -> Event | None:
    """The last mail that delivered the policy to the client: the final policy's moment."""
    sent = state.mails(POLICY_DELIVERED)
    return sent[-1] if sent else None


def items_done(state: State) -> dict[str, Event]:
    """The lead's word that an open item is done, by topic (the element's id): the first one
    stands."""
    done: dict[str, Event] = {}
    for item in state.of_kind(DECISION):
        if item.data.get("decision") == ITEM_DONE:
            done.setdefault(str(item.data.get("item", "")), item)
    return done


def consensus_version(state: State) -> int:
    latest = latest_consensus(state)
    return 0 if latest is None else int(latest["version"])


@dataclass(frozen=True)
class Owner:
    """Who an open item's owner turned out to be among the engagement's people."""

    given: str  # as the consensus wrote it
    person: Person | None  # None: not resolved
    why: str  # why not, in words ("" when resolved)


def engagement_people(state: State) -> list[Person]:
    """Everyone the engagement knows by name and address: the account lead, the client's
    contacts, the attendees and the delegates they named."""
    from smpp.stages.questionnaire.records import invited_people

    engagement: Engagement = state.engagement
    people: list[Person] = [engagement.account_lead, *engagement.client_contacts]
    people += [p.attendee for p in invited_people(state)]
    seen: set[str] = set()
    unique = []
    for person in people:
        email = str(person.email).lower()
        if email not in seen:
            seen.add(email)
            unique.append(person)
    return unique


def _plain(text: str) -> str:
    return " ".join(text.casefold().split())


def resolve_owner(state: State, given: str) -> Owner:
    """The engagement's person an owner names, by address or by name; an owner nobody matches
    (or two people share) is left unresolved, with the reason: mail goes only to people the
    engagement file or an RSVP names, never to an address typed into a workbook."""
    text = " ".join(given.split())
    if not text:
        return Owner(given, None, "no owner was agreed")
    name, address = parseaddr(text)
    people = engagement_people(state)
    if "@" in address:
        for person in people:
            if str(person.email).lower() == address.lower():
                return Owner(given, person, "")
        if not name:
            return Owner(given, None, f"{address} is not among the engagement's people")
    wanted = _plain(name or text)
    named = [p for p in people if _plain(p.name) == wanted]
    if len(named) == 1:
        return Owner(given, named[0], "")
    if named:
        return Owner(given, None, f"{len(named)} of the engagement's people are named {text}")
    return Owner(given, None, f"nobody named {text} is among the engagement's people")


def due_date(item: TopicDecision) -> date | None:
    """An item's due date; None when none was agreed (or it is not a date)."""
    try:
        return date.fromisoformat(item["due"]) if item["due"] else None
    except ValueError:
        return None


def tracked_items(state: State) -> list[TopicDecision]:
    """The open items the follow-up tracks: the latest consensus's deferred topics and agreed
    follow-ups."""
    return open_items(state)


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))

"""A drafting topic decided by the account lead with `smpp decide` or the UI form, instead of (or
after) the consensus workbook: checked as a workbook row is, and recorded as a decision; the
consensus stage makes a new version of the consensus from the decisions once every topic has
one."""

from __future__ import annotations

from datetime import datetime

from smpp.events import DECISION
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.consensus.judge import topic_decision
from smpp.state import State
from smpp.store import Event
from smpp.taxonomy import load_taxonomy

TOPIC = "topic"


class TopicRefused(ValueError):
    """The topic cannot be decided as given; the message says what to change."""


def decide_topic(
    state: State,
    topic: str,
    choice: str,
    wording: str,
    follow_up: str,
    owner: str,
    due: str,
    notes: str,
    by: str,
    now: datetime,
) -> Event:
    wanted = topic.strip().upper()
    known = [e.id for e in load_taxonomy()]
    if wanted not in known:
        raise TopicRefused(f"'{topic}' is not a drafting topic; topics are E01 to E25.")
    if state.engagement.workshop_at > now:
        raise TopicRefused(
            "The workshop has not taken place yet; topics are decided in it, or after it."
        )
    values = {
        "decision": " ".join(choice.split()),
        "agreed wording": " ".join(wording.split()),
        "follow-up": " ".join(follow_up.split()),
        "owner": " ".join(owner.split()),
        "notes": " ".join(notes.split()),
    }
    decided, problems = topic_decision(wanted, values, due.strip() or None)
    if decided is None:
        raise TopicRefused(" ".join(problems))
    data = {"decision": TOPIC, "topic": wanted, "decided": dict(decided), "by": by}
    return Event(state.slug, now, DECISION, None, data)


def pending_topics(state: State, since: datetime | None) -> list[TopicDecision]:
    """Topics the lead decided after `since` (the latest consensus), the latest word per topic."""
    found: dict[str, TopicDecision] = {}
    for item in state.of_kind(DECISION):
        if item.data.get("decision") == TOPIC and (since is None or item.at > since):
            found[item.data["topic"]] = item.data["decided"]
    return list(found.values())

"""After the workshop the facilitator returns the filled consensus workbook (through the inbox):
a complete one is a new version of the consensus, confirmed to the account lead; an incomplete
one goes back to the lead with everything missing in one list. The lead is reminded on the last
business day on or before the consensus is due (T+3), and once after it, while none is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from smpp.actions import (
    Action,
    SendMail,
    address,
    common_context,
    digest,
    drive_place,
    key,
    lead_context,
)
from smpp.positions import position
from smpp.stages.consensus.decide import pending_topics
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.consensus.records import NAME, consensus_versions, refusals
from smpp.state import State
from smpp.taxonomy import element, load_taxonomy
from smpp.timeline import Timeline, last_business_day, next_working_moment, working_start


@dataclass(frozen=True)
class RecordDecisions:
    """A new version of the consensus from the topics the lead decided since the last one."""

    key: str
    due: datetime
    decisions: tuple[TopicDecision, ...]  # every topic, in the taxonomy's order
    by: str
    description: str = ""


def from_decisions(state: State) -> RecordDecisions | None:
    """The consensus the lead's topic decisions make, once every topic has a decision (those of
    the latest version stand where the lead decided nothing new)."""
    versions = consensus_versions(state)
    since = versions[-1].at if versions else None
    pending = pending_topics(state, since)
    if not pending:
        return None
    merged = {d["topic"]: d for d in (versions[-1].data["decisions"] if versions else [])}
    merged.update({d["topic"]: d for d in pending})
    topics = [e.id for e in load_taxonomy()]
    if any(t not in merged for t in topics):
        return None
    decided = [e for e in state.of_kind("decision.recorded") if e.data.get("decision") == "topic"]
    latest = decided[-1]
    return RecordDecisions(
        key(state, NAME, "decided", digest(*(e.at.isoformat() for e in decided))),
        latest.at,
        tuple(merged[t] for t in topics),
        by=str(latest.data.get("by", "")),
        description="Record the consensus from the topics the account lead decided",
    )


def missing_topics(state: State) -> list[str]:
    """The topics with no decision yet, neither in the latest consensus nor decided since."""
    versions = consensus_versions(state)
    if versions:
        return []
    decided = {d["topic"] for d in pending_topics(state, None)}
    return [e.id for e in load_taxonomy() if e.id not in decided]


def _words(decision: dict[str, str]) -> str:
    if decision["choice"] == "position":
        return position(decision["position"]).label
    if decision["choice"] == "own":
        return "own wording"
    return "deferred"


def actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    engagement = state.engagement
    lead = (address(engagement.account_lead),)
    common = {**common_context(state, timeline), **lead_context(engagement)}
    mails: list[Action] = []
    recording = from_decisions(state)
    if recording is not None and state.done(recording.key) is None:
        mails.append(recording)
    for refused in refusals(state):
        assert refused.key is not None
        mails.append(
            SendMail(
                key(state, NAME, "incomplete", refused.key.rsplit("/", 1)[-1]),
                next_working_moment(refused.at, engagement),
                "consensus_incomplete",
                lead,
                {
                    **common,
                    "file": refused.data["file"],
                    "problems": refused.data["problems"],
                    "kept": drive_place(engagement, refused.data["stored"]),
                },
                description="Tell the account lead what the consensus workbook still lacks",
            )
        )
    versions = consensus_versions(state)
    for number, recorded in enumerate(versions, 1):
        decisions = recorded.data["decisions"]
        mails.append(
            SendMail(
                key(state, NAME, "recorded", f"v{number}"),
                next_working_moment(recorded.at, engagement),
                "consensus_recorded",
                lead,
                {
                    **common,
                    "version": number,
                    "file": recorded.data.get("file", ""),
                    "decided": sum(d["choice"] != "deferred" for d in decisions),
                    "deferred": [
                        element(d["topic"]).name for d in decisions if d["choice"] == "deferred"
                    ],
                    "follow_ups": [
                        {
                            "topic": element(d["topic"]).name,
                            "what": d["follow_up"],
                            "owner": d["owner"],
                            "due": d["due"],
                        }
                        for d in decisions
                        if d["follow_up"]
                    ],
                    "decisions": [
                        {"topic": element(d["topic"]).name, "decision": _words(d)}
                        for d in decisions
                    ],
                },
                description=f"Confirm consensus version {number} to the account lead",
            )
        )
    if not versions and not state.closed and now >= timeline.workshop:
        due_day = timeline.milestones["consensus_recorded"].astimezone(engagement.zone).date()
        # Before the deadline, on its last business day (T+3 is a Sunday after a Thursday
        # workshop: the reminder on Friday, not on Monday saying it is due the day before);
        # the overdue notice once the deadline has passed, never on the reminder's day.
        reminder = working_start(last_business_day(due_day, engagement), engagement)
        overdue = working_start(due_day + timedelta(days=1), engagement)
        for name, moment in (("reminder", reminder), ("overdue", overdue)):
            mails.append(
                SendMail(
                    key(state, NAME, name),
                    moment,
                    "consensus_reminder",
                    lead,
                    {
                        **common,
                        "overdue": name == "overdue",
                        "due_by": timeline.milestones["consensus_recorded"].isoformat(),
                        "refused": len(refusals(state)),
                    },
                    description="Remind the account lead to return the consensus workbook",
                )
            )
    return [action for action in mails if state.done(action.key) is None]

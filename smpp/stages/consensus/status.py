"""The consensus on the status board: recorded or awaited, and what the workshop decided."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.actions import Plan
from smpp.stages.consensus.events import CONSENSUS_RECORDED, CONSENSUS_REFUSED
from smpp.stages.consensus.records import consensus_versions, latest_consensus, refusals
from smpp.state import State
from smpp.store import Event


def actuals(state: State) -> dict[str, datetime]:
    reached: dict[str, datetime] = {}
    # The workshop is planned by the engagement, not done by the product: it is reached when the
    # record shows the clock passed it.
    workshop = state.engagement.workshop_at
    if any(e.at >= workshop for e in state.events):
        reached["workshop"] = workshop
    versions = consensus_versions(state)
    if versions:
        reached["consensus_recorded"] = versions[0].at
    return reached


def section(state: State, current: Plan) -> dict[str, Any] | None:
    latest = latest_consensus(state)
    refused = refusals(state)
    if latest is None and not refused:
        return None
    if latest is None:
        return {
            "recorded": False,
            "summary": f"{len(refused)} consensus workbook(s) received incomplete; the account "
            "lead has the list of what is missing.",
            "version": 0,
            "decided": 0,
            "deferred": 0,
            "follow_ups": 0,
        }
    decisions = latest["decisions"]
    deferred = sum(d["choice"] == "deferred" for d in decisions)
    follow_ups = sum(bool(d["follow_up"]) for d in decisions)
    version = len(consensus_versions(state))
    return {
        "recorded": True,
        "summary": f"Version {version}: {len(decisions) - deferred} topics decided, {deferred} "
        f"deferred, {follow_ups} follow-up(s) agreed.",
        "version": version,
        "decided": len(decisions) - deferred,
        "deferred": deferred,
        "follow_ups": follow_ups,
    }


def status_lines(consensus: dict[str, Any]) -> list[str]:
    return [f"Consensus: {consensus['summary']}"]


def awaited(state: State, now: datetime) -> list[dict[str, Any]]:
    """After the workshop, until a consensus is recorded: the lead's filled workbook."""
    if consensus_versions(state) or state.closed or state.kickoff is None:
        return []
    workshop = state.engagement.workshop_at
    if now < workshop:
        return []
    return [
        {
            "what": "the filled consensus workbook, in the inbox",
            "who": state.engagement.account_lead.name,
            "since": state.iso(workshop),
        }
    ]


def deeds(event: Event) -> str | None:
    if event.kind == CONSENSUS_RECORDED:
        return "consensus recorded"
    if event.kind == CONSENSUS_REFUSED:
        return "consensus workbook incomplete"
    return None

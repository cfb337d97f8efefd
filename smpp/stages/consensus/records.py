"""What the record says of the consensus: the latest version, its decisions, the open items."""

from __future__ import annotations

from smpp.stages.consensus.events import (
    CONSENSUS_RECORDED,
    CONSENSUS_REFUSED,
    ConsensusRecorded,
    TopicDecision,
)
from smpp.state import State
from smpp.store import Event

NAME = "consensus"


def consensus_versions(state: State) -> list[Event]:
    """Every consensus taken in, oldest first; the last one stands."""
    return state.of_kind(CONSENSUS_RECORDED)


def latest_consensus(state: State) -> ConsensusRecorded | None:
    versions = consensus_versions(state)
    return None if not versions else versions[-1].data  # type: ignore[return-value]


def decisions(state: State) -> list[TopicDecision]:
    latest = latest_consensus(state)
    return [] if latest is None else list(latest["decisions"])


def open_items(state: State) -> list[TopicDecision]:
    """Topics left for later and agreed follow-ups: what the follow-up report tracks."""
    return [d for d in decisions(state) if d["choice"] == "deferred" or d["follow_up"]]


def refusals(state: State) -> list[Event]:
    return state.of_kind(CONSENSUS_REFUSED)

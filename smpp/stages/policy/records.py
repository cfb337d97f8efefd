"""What the record says of the policy: the versions written, their check, what the lead accepted,
what went to the client."""

from __future__ import annotations

from smpp.events import DECISION
from smpp.state import State
from smpp.store import Event

NAME = "policy"


def policies(state: State) -> list[Event]:
    """The editable policy of each version written, oldest first."""
    return [e for e in state.deliverables(NAME) if e.data.get("format") == "docx"]


def policy_pages(state: State) -> list[Event]:
    return [e for e in state.deliverables(NAME) if e.data.get("format") == "html"]


def accepted_findings(state: State) -> dict[str, Event]:
    """The check findings the account lead accepted, by finding key (the latest word counts)."""
    return {
        e.data["key"]: e
        for e in state.of_kind(DECISION)
        if e.data.get("decision") == "accept_finding"
    }


def open_findings(state: State, written: Event) -> list[dict[str, str]]:
    """A written policy's findings the lead has not accepted: they hold its delivery."""
    accepted = accepted_findings(state)
    return [f for f in written.data.get("findings", []) if f["key"] not in accepted]

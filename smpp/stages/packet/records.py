"""What the record says of the workshop packet: the versions written, the lead's word on it
(hold, release, approve), and the mails that delivered it."""

from __future__ import annotations

from smpp.events import DECISION
from smpp.state import State
from smpp.store import Event

NAME = "packet"
CONSENSUS = "consensus"  # the stage the consensus workbook is recorded under
WORKBOOK, DOCUMENT, WORD = "workbook", "document", "word"  # WORD: the .docx
HOLD, RELEASE, APPROVE = "hold", "release", "approve"
PACKET_DECISIONS = (HOLD, RELEASE, APPROVE)
DELIVERY_TEMPLATE = "packet_delivery"


def packet_workbooks(state: State) -> list[Event]:
    return [e for e in state.deliverables(NAME) if e.data.get("part") == WORKBOOK]


def packet_documents(state: State) -> list[Event]:
    return [e for e in state.deliverables(NAME) if e.data.get("part") == DOCUMENT]


def packet_words(state: State) -> list[Event]:
    """The packet's document as an editable Word file (versions written before it have none)."""
    return [e for e in state.deliverables(NAME) if e.data.get("part") == WORD]


def packet_decisions(state: State) -> list[Event]:
    return [e for e in state.of_kind(DECISION) if e.data.get("decision") in PACKET_DECISIONS]


def held(state: State) -> Event | None:
    """The hold that stands (not released since), if any."""
    standing = None
    for item in packet_decisions(state):
        if item.data["decision"] == HOLD:
            standing = item
        elif item.data["decision"] == RELEASE:
            standing = None
    return standing


def released(state: State) -> Event | None:
    last = [e for e in packet_decisions(state) if e.data["decision"] == RELEASE]
    return last[-1] if last else None


def approval(state: State) -> Event | None:
    found = [e for e in packet_decisions(state) if e.data["decision"] == APPROVE]
    return found[0] if found else None


def deliveries(state: State) -> list[Event]:
    return state.mails(DELIVERY_TEMPLATE)

"""What the record says of the company list."""

from __future__ import annotations

from smpp.actions import key
from smpp.stages.company_list.events import LIST_JUDGED
from smpp.state import State
from smpp.store import Event

NAME = "company-list"


def list_judgements(state: State) -> list[Event]:
    return state.of_kind(LIST_JUDGED)


def accepted_list(state: State) -> Event | None:
    """The list that stands: the latest one accepted."""
    accepted = [item for item in list_judgements(state) if item.data["ok"]]
    return accepted[-1] if accepted else None


def list_request_key(state: State) -> str:
    return key(state, NAME, "request")

"""What the record says of the peer review: the companies on the accepted list, each one's latest
search, the lead's replacements, and so which companies are chosen."""

from __future__ import annotations

from dataclasses import dataclass

from smpp.events import DECISION
from smpp.stages.company_list.records import accepted_list
from smpp.stages.peer_review.events import COMPANY_REVIEWED
from smpp.stages.peer_review.selection import Candidate, Found, Replacement, Selection, choose
from smpp.state import State
from smpp.store import Event

NAME = "peer-review"


@dataclass(frozen=True)
class Evidence:
    """A reviewed company's sentence on an element, as it stands in its published policy, with
    where it was read: what the packet quotes and the policy's provenance cites."""

    company: str
    sentence: str
    url: str


def candidates(state: State) -> list[Candidate]:
    accepted = accepted_list(state)
    if accepted is None:
        return []
    return [Candidate.from_row(row) for row in accepted.data.get("company_rows", [])]


def latest_searches(state: State) -> dict[str, Found]:
    """The latest search for each company's policy, by domain."""
    found: dict[str, Found] = {}
    for item in state.of_kind(COMPANY_REVIEWED):
        data = item.data
        found[data["domain"]] = Found(
            bool(data["found"]),
            data.get("final_url") or data.get("url"),
            tuple(data.get("notes", ())),
        )
    return found


def latest_reviews(state: State) -> dict[str, Event]:
    latest: dict[str, Event] = {}
    for item in state.of_kind(COMPANY_REVIEWED):
        latest[item.data["domain"]] = item
    return latest


def replacements(state: State) -> list[Replacement]:
    return [
        Replacement(e.data["out"], e.data["into"])
        for e in state.of_kind(DECISION)
        if e.data.get("decision") == "replace"
    ]


def current_selection(state: State) -> Selection:
    return choose(candidates(state), latest_searches(state), replacements(state))


def review_workbooks(state: State) -> list[Event]:
    return state.deliverables(NAME)

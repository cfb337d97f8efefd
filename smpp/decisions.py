"""Decisions the account lead records: checked against the engagement's state before they count.

A decision is an event in the record like any other; the plan reads it on the next advance, so
only what the decision changes is redone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.plan import DECISION, State
from smpp.selection import Candidate
from smpp.store import Event


class DecisionError(ValueError):
    """A decision that cannot be taken as given; the message says why and what would work."""


def _find(candidates: list[Candidate], name: str) -> Candidate | None:
    wanted = " ".join(name.casefold().split())
    for candidate in candidates:
        if wanted in (" ".join(candidate.name.casefold().split()), candidate.domain):
            return candidate
    return None


def replace_company(state: State, out: str, into: str, by: str, now: datetime) -> Event:
    """The event recording that `into` replaces `out` among the companies reviewed."""
    candidates = state.candidates()
    if not candidates:
        raise DecisionError("There is no accepted company list yet, so nothing to replace.")
    chosen = state.selection().chosen
    leaving = _find(list(chosen), out)
    if leaving is None:
        names = ", ".join(c.name for c in chosen) or "none yet"
        raise DecisionError(f"'{out}' is not among the companies chosen ({names}).")
    entering = _find(candidates, into)
    if entering is None:
        raise DecisionError(
            f"'{into}' is not on the accepted company list; use a name or web domain from it."
        )
    if entering in chosen:
        raise DecisionError(f"'{entering.name}' is already among the companies chosen.")
    data: dict[str, Any] = {
        "decision": "replace",
        "out": leaving.domain,
        "into": entering.domain,
        "out_name": leaving.name,
        "into_name": entering.name,
        "by": by,
    }
    return Event(state.slug, now, DECISION, None, data)

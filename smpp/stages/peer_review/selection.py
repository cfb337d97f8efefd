"""Choosing the five companies to review from the client's accepted list.

The client's priority comes first (a rank, 1 first; high, medium and low are 1, 2 and 3), then
companies whose policy address the client already knows, then the order of the list; a company
counts only once its policy has actually been found. Every company gets a reason: chosen, passed
over, or not needed. The account lead can replace a choice; the replacement then stands whatever
the order says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

REVIEW_SIZE = 5
_WORDS = ("high", "medium", "low")


def priority_scale(priorities: Iterable[int | None]) -> int:
    """The highest priority number a list uses (0 when none): above 3, the list is a ranking."""
    return max((p for p in priorities if p is not None), default=0)


def priority_words(priority: int | None, scale: int = 0) -> str:
    """A company's priority as people say it, the same wherever it shows: "high", "medium",
    "low" on a list that uses no more; "4 of 22" on a ranked one (`scale`: its highest number,
    from `priority_scale`); "not given"."""
    if priority is None:
        return "not given"
    top = max(scale, priority)
    return _WORDS[priority - 1] if top <= len(_WORDS) else f"{priority} of {top}"


@dataclass(frozen=True)
class Candidate:
    name: str
    website: str
    domain: str
    priority: int | None
    policy_url: str | None
    row: int

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Candidate:
        return cls(
            name=str(row["name"]),
            website=str(row["website"]),
            domain=str(row["domain"]),
            priority=row.get("priority"),
            policy_url=row.get("policy_url") or None,
            row=int(row["row"]),
        )


@dataclass(frozen=True)
class Found:
    """What the search for one company's policy came to."""

    found: bool
    url: str | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Replacement:
    out: str  # domain of the company taken out
    into: str  # domain of the company put in


@dataclass(frozen=True)
class Verdict:
    candidate: Candidate
    status: str  # "chosen" | "passed over" | "not needed" | "awaiting search"
    reason: str
    scale: int = 0  # the list's highest priority number, for `priority_words`

    @property
    def priority(self) -> str:
        return priority_words(self.candidate.priority, self.scale)


@dataclass(frozen=True)
class Selection:
    chosen: tuple[Candidate, ...]
    verdicts: tuple[Verdict, ...]  # one per company, in selection order
    to_search: tuple[Candidate, ...]  # whose policy must be looked for before choosing

    @property
    def complete(self) -> bool:
        return not self.to_search


def selection_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    return sorted(
        candidates,
        key=lambda c: (c.priority is None, c.priority or 0, c.policy_url is None, c.row),
    )


def _why_not_found(found: Found) -> str:
    return "No public social media policy found: " + "; ".join(found.notes or ("nothing matched",))


def _why_chosen(candidate: Candidate, found: Found, scale: int) -> str:
    return (
        f"Client priority {priority_words(candidate.priority, scale)}; policy found at {found.url}."
    )


def choose(
    candidates: Sequence[Candidate],
    searches: Mapping[str, Found],
    replacements: Sequence[Replacement] = (),
    size: int = REVIEW_SIZE,
) -> Selection:
    """Pure: the choice given what has been searched so far (keyed by domain)."""
    by_domain = {c.domain: c for c in candidates}
    scale = priority_scale(c.priority for c in candidates)
    forced_out = {r.out for r in replacements}
    forced_in = [by_domain[r.into] for r in replacements if r.into in by_domain]
    forced_in = [c for c in forced_in if c.domain not in forced_out or _readded(c, replacements)]
    chosen: list[Candidate] = []
    verdicts: dict[str, Verdict] = {}
    to_search: list[Candidate] = []
    for candidate in forced_in:
        found = searches.get(candidate.domain)
        if found is None:
            to_search.append(candidate)
            verdicts[candidate.domain] = Verdict(
                candidate,
                "awaiting search",
                "Chosen by the account lead; its policy is being looked for.",
            )
        elif found.found:
            chosen.append(candidate)
            verdicts[candidate.domain] = Verdict(
                candidate, "chosen", f"Chosen by the account lead; policy found at {found.url}."
            )
        else:
            verdicts[candidate.domain] = Verdict(
                candidate,
                "passed over",
                "Chosen by the account lead. " + _why_not_found(found),
            )
    for candidate in selection_order(candidates):
        if candidate.domain in verdicts:
            continue
        if candidate.domain in forced_out:
            verdicts[candidate.domain] = Verdict(
                candidate, "passed over", "Replaced at the account lead's request."
            )
            continue
        found = searches.get(candidate.domain)
        if found is not None and not found.found:
            verdicts[candidate.domain] = Verdict(
                candidate,
                "passed over",
                _why_not_found(found),
            )
            continue
        if len(chosen) + len(to_search) >= size:
            verdicts[candidate.domain] = Verdict(
                candidate, "not needed", "Five companies ranked higher had a policy to review."
            )
            continue
        if found is None:
            to_search.append(candidate)
            verdicts[candidate.domain] = Verdict(
                candidate, "awaiting search", "Its policy is being looked for."
            )
        else:
            chosen.append(candidate)
            verdicts[candidate.domain] = Verdict(
                candidate, "chosen", _why_chosen(candidate, found, scale)
            )
    ordered = [verdicts[c.domain] for c in forced_in if c.domain in verdicts]
    ordered += [
        verdicts[c.domain]
        for c in selection_order(candidates)
        if c.domain not in {v.candidate.domain for v in ordered}
    ]
    ordered = [replace(v, scale=scale) for v in ordered]
    return Selection(tuple(chosen), tuple(ordered), tuple(to_search))


def _readded(candidate: Candidate, replacements: Sequence[Replacement]) -> bool:
    """A company taken out and later put back in: the last decision about it stands."""
    last = None
    for replacement in replacements:
        if candidate.domain in (replacement.out, replacement.into):
            last = replacement
    return last is not None and last.into == candidate.domain

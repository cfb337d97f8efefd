"""The policy, assembled from the workshop's decisions: one section per question, one clause per
decided topic, written from the clause templates in the client's name, each clause carrying the
decision it comes from and the peer-review evidence behind it; the method's two procedures; and
the deferred topics and agreed follow-ups as open items, never dropped. Pure: no clock, no I/O
beyond reading the templates once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from jinja2 import Environment, StrictUndefined

from smpp.models import PolicySettings
from smpp.positions import Position, matching, position
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.peer_review.records import Evidence
from smpp.taxonomy import QUESTIONS, load_taxonomy

CLAUSES_FILE = Path(__file__).with_name("clauses.yaml")

SECTION_TITLES = {
    "who": "Who this policy covers and who takes part",
    "when": "What to post, and when to hold back",
    "identity": "Identity and accounts",
    "routing": "Routing and responses",
    "reporting": "Measurement, records and consequences",
}


@dataclass(frozen=True)
class Clause:
    number: str  # "2.3": section, then place in it
    element: str  # "E06"
    title: str  # the element's name
    text: str
    choice: str  # "position" | "own"
    position: str  # the position's id, "" for own wording
    basis: str  # the decision in words: "Position chosen: ..." / "Own wording agreed ..."
    evidence: tuple[
        Evidence, ...
    ]  # the reviewed companies that take this position (or speak to it)


@dataclass(frozen=True)
class Section:
    number: int
    question: str
    title: str
    clauses: tuple[Clause, ...]


@dataclass(frozen=True)
class Procedure:
    title: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class OpenItem:
    element: str
    title: str
    what: str  # the follow-up agreed, or that the topic was left for later
    owner: str
    due: date | None
    notes: str
    deferred: bool  # the topic itself is not decided yet


@dataclass(frozen=True)
class Decided:
    """A topic decided without a clause of its own (e.g. "no training")."""

    element: str
    title: str
    basis: str


@dataclass(frozen=True)
class Policy:
    client: str
    version: int
    sections: tuple[Section, ...]
    procedures: tuple[Procedure, ...]
    open_items: tuple[OpenItem, ...]
    without_clause: tuple[Decided, ...]

    def clauses(self) -> list[Clause]:
        return [clause for section in self.sections for clause in section.clauses]


class AssemblyError(ValueError):
    """Decisions the policy cannot be written from; the message names the topic."""


@cache
def _templates() -> tuple[dict[str, str], dict[str, dict[str, object]]]:
    with CLAUSES_FILE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return dict(data["clauses"]), dict(data["procedures"])


@cache
def _environment() -> Environment:
    # Plain text out: the DOCX writer sets it as text and the HTML page escapes it.
    return Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-z])")


def _render(template: str, context: Mapping[str, object]) -> str:
    text = " ".join(_environment().from_string(template).render(**context).split())
    # A role such as "the Legal team" may open a sentence.
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def context(client: str, settings: PolicySettings) -> dict[str, object]:
    return {"client": client, **settings.model_dump()}


def clause_template(position_id: str) -> str:
    templates, _ = _templates()
    if position_id not in templates:
        raise AssemblyError(f"no clause is written for position {position_id}")
    return templates[position_id]


def _basis(decision: TopicDecision, chosen: Position | None) -> str:
    if decision["choice"] == "own":
        return "Own wording agreed in the workshop"
    assert chosen is not None
    refined = " (wording refined in the workshop)" if decision["wording"].strip() else ""
    return f"Position chosen: {chosen.label}{refined}"


def _evidence(
    element_id: str, chosen: Position | None, found: Sequence[Evidence]
) -> tuple[Evidence, ...]:
    """The reviewed companies' sentences that take the chosen position; when none matches (or
    the wording is the attendees' own), every sentence the review filed under the element."""
    if chosen is not None:
        taking = [e for e in found if chosen in matching(element_id, [e.sentence])]
        if taking:
            return tuple(taking)
    return tuple(found)


def _open_item(decision: TopicDecision, title: str) -> OpenItem:
    deferred = decision["choice"] == "deferred"
    what = decision["follow_up"].strip() or "The topic was left for a later decision."
    due = date.fromisoformat(decision["due"]) if decision["due"] else None
    return OpenItem(
        decision["topic"], title, what, decision["owner"], due, decision["notes"], deferred
    )


def assemble(
    client: str,
    decisions: Sequence[TopicDecision],
    settings: PolicySettings,
    evidence: Mapping[str, Sequence[Evidence]],
    version: int,
) -> Policy:
    """The policy written from the decisions (one per topic; a topic without one is an open
    item, never silently dropped)."""
    by_topic = {d["topic"]: d for d in decisions}
    strays = sorted(set(by_topic) - {element.id for element in load_taxonomy()})
    if strays:
        raise AssemblyError(f"decisions on unknown topics: {', '.join(strays)}")
    values = context(client, settings)
    sections: list[Section] = []
    open_items: list[OpenItem] = []
    without_clause: list[Decided] = []
    for number, question in enumerate(QUESTIONS, 1):
        clauses: list[Clause] = []
        for element in (e for e in load_taxonomy() if e.question == question):
            decision = by_topic.get(element.id)
            if decision is None:
                decision = TopicDecision(
                    topic=element.id,
                    choice="deferred",
                    position="",
                    wording="",
                    follow_up="No decision was recorded on this topic.",
                    owner="",
                    due="",
                    notes="",
                )
            if decision["choice"] == "deferred" or decision["follow_up"].strip():
                open_items.append(_open_item(decision, element.name))
            if decision["choice"] == "deferred":
                continue
            chosen = None
            if decision["choice"] == "position":
                try:
                    chosen = position(decision["position"])
                except KeyError:
                    raise AssemblyError(
                        f"{element.id}: no position {decision['position']!r}"
                    ) from None
                if chosen.element != element.id:
                    raise AssemblyError(f"{element.id}: {chosen.id} is another topic's position")
            wording = " ".join(decision["wording"].split())
            if decision["choice"] == "own" and not wording:
                raise AssemblyError(f"{element.id}: own wording was chosen but none is given")
            text = wording or _render(clause_template(decision["position"]), values)
            basis = _basis(decision, chosen)
            if not text:
                without_clause.append(Decided(element.id, element.name, basis))
                continue
            clauses.append(
                Clause(
                    number=f"{number}.{len(clauses) + 1}",
                    element=element.id,
                    title=element.name,
                    text=text,
                    choice=decision["choice"],
                    position=decision["position"] if chosen else "",
                    basis=basis,
                    evidence=_evidence(element.id, chosen, evidence.get(element.id, ())),
                )
            )
        sections.append(Section(number, question, SECTION_TITLES[question], tuple(clauses)))
    return Policy(
        client=client,
        version=version,
        sections=tuple(sections),
        procedures=procedures(client, settings),
        open_items=tuple(open_items),
        without_clause=tuple(without_clause),
    )


def procedures(client: str, settings: PolicySettings) -> tuple[Procedure, ...]:
    _, written = _templates()
    values = context(client, settings)
    found = []
    for key in ("routing", "reporting"):
        raw = written[key]
        steps = raw["steps"]
        assert isinstance(steps, list)
        found.append(
            Procedure(_render(str(raw["title"]), values), tuple(_render(s, values) for s in steps))
        )
    return tuple(found)


def changes(previous: Policy | None, current: Policy) -> list[str]:
    """What changed since the previous version, in words, clause by clause."""
    if previous is None:
        return ["First version."]
    before = {c.element: c for c in previous.clauses()}
    after = {c.element: c for c in current.clauses()}
    found: list[str] = []
    for element in load_taxonomy():
        old, new = before.get(element.id), after.get(element.id)
        if old is None and new is not None:
            found.append(f"{new.number} {new.title}: added ({new.basis.lower()}).")
        elif old is not None and new is None:
            found.append(f"{old.number} {old.title}: removed (now an open item).")
        elif old is not None and new is not None and (old.text, old.basis) != (new.text, new.basis):
            found.append(f"{new.number} {new.title}: changed ({new.basis.lower()}).")
    open_before = {(i.element, i.what) for i in previous.open_items}
    open_after = {(i.element, i.what) for i in current.open_items}
    for item in current.open_items:
        if (item.element, item.what) not in open_before:
            found.append(f"Open item added on {item.title}: {item.what}")
    for item in previous.open_items:
        if (item.element, item.what) not in open_after:
            found.append(f"Open item closed on {item.title}: {item.what}")
    if previous.procedures != current.procedures:
        found.append("Procedures: roles or response times changed.")
    return found or ["No change to the text; regenerated from the same decisions."]


def policy_text(policy: Policy) -> str:
    """The policy as plain text, one clause per paragraph: what the policy check reads."""
    lines = [f"{policy.client} social media policy"]
    for section in policy.sections:
        lines.append(f"{section.number}. {section.title}")
        lines += [clause.text for clause in section.clauses]
    for procedure in policy.procedures:
        lines.append(procedure.title)
        lines += list(procedure.steps)
    return "\n\n".join(lines)

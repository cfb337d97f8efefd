"""The positions a social media policy can take on each element of the taxonomy.

They are the options of the workshop's drafting topics (each shown with the reviewed companies
whose policies take it), the choices of the consensus workbook's Decision column, and what the
policy stage writes a clause for. The catalogue is `positions.yaml`; this module reads it once,
checks it against the taxonomy, and says which positions a company's evidence sentences show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from smpp.taxonomy import load_taxonomy

POSITIONS_FILE = Path(__file__).with_name("positions.yaml")
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Position:
    id: str  # "<element>.<key>", e.g. "E06.named-spokespeople": stable, recorded in decisions
    element: str  # "E06"
    label: str  # the option in a few words, as a drop-down shows it
    summary: str  # one sentence: what the policy says when it takes this position
    cues: tuple[str, ...]  # lower-case regular expressions matched against evidence sentences
    recommended: bool  # the agency's starting point when the reviewed companies point nowhere
    reason: str  # why it is recommended ("" on the others)
    patterns: tuple[re.Pattern[str], ...]


class PositionsError(ValueError):
    """The catalogue is not usable; the message names the element and the field."""


def _position(element_id: str, raw: Any, where: str) -> Position:
    if not isinstance(raw, dict):
        raise PositionsError(f"{where}: a position is a mapping of key, label, summary, cues")
    unknown = set(raw) - {"key", "label", "summary", "cues", "recommended", "reason"}
    if unknown:
        raise PositionsError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    key = str(raw.get("key") or "")
    if not KEY_PATTERN.match(key):
        raise PositionsError(f"{where}: key {key!r} must be a lower-case slug")
    for name in ("label", "summary"):
        if not str(raw.get(name) or "").strip():
            raise PositionsError(f"{where} ({key}): {name} is missing")
    cues = tuple(str(cue) for cue in raw.get("cues") or ())
    patterns = []
    for cue in cues:
        try:
            patterns.append(re.compile(cue))
        except re.error as error:
            raise PositionsError(
                f"{where} ({key}): cue {cue!r} is not a pattern: {error}"
            ) from None
    recommended = bool(raw.get("recommended", False))
    reason = str(raw.get("reason") or "").strip()
    if recommended and not reason:
        raise PositionsError(f"{where} ({key}): a recommended position needs its reason")
    return Position(
        id=f"{element_id}.{key}",
        element=element_id,
        label=" ".join(str(raw["label"]).split()),
        summary=" ".join(str(raw["summary"]).split()),
        cues=cues,
        recommended=recommended,
        reason=reason,
        patterns=tuple(patterns),
    )


def parse_positions(data: Any, source: str) -> dict[str, tuple[Position, ...]]:
    """The catalogue by element id, in the taxonomy's order; every element has positions, one
    of them recommended, with labels unique within the element."""
    if not isinstance(data, dict) or not isinstance(data.get("elements"), dict):
        raise PositionsError(f"{source}: expected a mapping with one key, 'elements'")
    given = data["elements"]
    known = [element.id for element in load_taxonomy()]
    strays = sorted(set(given) - set(known))
    if strays:
        raise PositionsError(f"{source}: unknown element(s) {', '.join(map(str, strays))}")
    catalogue: dict[str, tuple[Position, ...]] = {}
    for element_id in known:
        raw = given.get(element_id)
        if not isinstance(raw, list) or not raw:
            raise PositionsError(f"{source}: {element_id} has no positions")
        found = tuple(
            _position(element_id, item, f"{source} {element_id} #{n}")
            for n, item in enumerate(raw, 1)
        )
        labels = [p.label.casefold() for p in found]
        ids = [p.id for p in found]
        if len(set(labels)) != len(labels) or len(set(ids)) != len(ids):
            raise PositionsError(f"{source}: {element_id} has two positions with one key or label")
        if sum(p.recommended for p in found) != 1:
            raise PositionsError(f"{source}: {element_id} needs exactly one recommended position")
        catalogue[element_id] = found
    return catalogue


@cache
def catalogue() -> dict[str, tuple[Position, ...]]:
    with POSITIONS_FILE.open(encoding="utf-8") as handle:
        return parse_positions(yaml.safe_load(handle), POSITIONS_FILE.name)


def positions(element_id: str) -> tuple[Position, ...]:
    """The positions of one element, the recommended one among them, in the catalogue's order."""
    try:
        return catalogue()[element_id]
    except KeyError:
        raise KeyError(f"no element {element_id!r} in the taxonomy") from None


def position(position_id: str) -> Position:
    element_id = position_id.partition(".")[0]
    for candidate in positions(element_id):
        if candidate.id == position_id:
            return candidate
    raise KeyError(f"no position {position_id!r}")


def recommended(element_id: str) -> Position:
    return next(p for p in positions(element_id) if p.recommended)


def by_label(element_id: str, label: str) -> Position | None:
    """The element's position a person chose by its label (case and spacing ignored)."""
    wanted = " ".join(label.split()).casefold()
    return next((p for p in positions(element_id) if p.label.casefold() == wanted), None)


def matching(element_id: str, sentences: Iterable[str]) -> list[Position]:
    """The element's positions whose cues match any of the sentences (a company's evidence under
    that element): which options its policy takes. In the catalogue's order."""
    lowered = [" ".join(sentence.split()).lower() for sentence in sentences]
    return [
        candidate
        for candidate in positions(element_id)
        if any(pattern.search(text) for pattern in candidate.patterns for text in lowered)
    ]

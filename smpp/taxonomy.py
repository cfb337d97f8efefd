"""The 25 elements a social media policy is reviewed against, as defined in `taxonomy.json`.

The JSON file is the single source of truth (definitions, red flags, sources); this module only
reads it into frozen records so the classifier and the reports can refer to elements by id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.json")

# The five questions a policy answers; every element belongs to one of them.
QUESTIONS = ("who", "when", "identity", "routing", "reporting")


@dataclass(frozen=True)
class Element:
    id: str  # "E01" .. "E25"
    key: str
    name: str
    definition: str
    question: str
    secondary_questions: tuple[str, ...]
    red_flag: str | None  # None when the taxonomy gives no red flag for the element
    sources: tuple[str, ...]


def _element(raw: dict[str, Any]) -> Element:
    question = str(raw["question"])
    if question not in QUESTIONS:
        raise ValueError(f"{raw.get('id')}: unknown question {question!r}")
    return Element(
        id=str(raw["id"]),
        key=str(raw["key"]),
        name=str(raw["name"]),
        definition=str(raw["definition"]),
        question=question,
        secondary_questions=tuple(str(q) for q in raw.get("secondary_questions") or ()),
        red_flag=str(raw.get("red_flag") or "").strip() or None,
        sources=tuple(str(s) for s in raw.get("sources") or ()),
    )


@cache
def load_taxonomy() -> tuple[Element, ...]:
    """All elements, in id order (read once, then cached)."""
    raw = json.loads(TAXONOMY_FILE.read_text(encoding="utf-8"))
    return tuple(sorted((_element(item) for item in raw), key=lambda e: e.id))


@cache
def _by_id() -> dict[str, Element]:
    return {e.id: e for e in load_taxonomy()}


def element(id: str) -> Element:
    """The element with this id ("E07"); KeyError if there is none."""
    try:
        return _by_id()[id]
    except KeyError:
        raise KeyError(f"no taxonomy element {id!r}") from None

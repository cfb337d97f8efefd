"""The comparison at the heart of the peer review: five companies' policies against the taxonomy.

A matrix of companies x elements with evidence; what most of them share, where they differ, what
only one has; how each covers the five questions of the method; the red flags; and a short
critical note per company (strengths, gaps, risks, clarity).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from smpp.taxonomy import QUESTIONS, Element, load_taxonomy

QUESTION_LABELS = {
    "who": "Who",
    "when": "When",
    "identity": "Identity",
    "routing": "Routing",
    "reporting": "Reporting",
}
STANCE_WORDS = {
    "encourage": "encourages employees to take part",
    "permit": "permits personal use",
    "restrict": "restricts participation",
    "unclear": "takes no clear stance on participation",
}


@dataclass(frozen=True)
class CompanyReview:
    """One reviewed policy, as recorded: where it came from and what the classifier found."""

    name: str
    domain: str
    url: str
    fetched_at: str
    sha256: str
    source_path: str
    elements: Mapping[str, Sequence[str]]  # element id -> evidence sentences
    red_flags: Sequence[Mapping[str, str]]  # {"element", "sentence", "reason"}
    stance: str = "unclear"
    disclosure: str | None = None
    words: int = 0
    sentences: int = 0
    headings: int = 0

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> CompanyReview:
        found = data["classification"]
        reading = data.get("reading", {})
        return cls(
            name=data["name"],
            domain=data["domain"],
            url=data["final_url"] or data["url"],
            fetched_at=data["fetched_at"],
            sha256=data["sha256"],
            source_path=data["source_path"],
            elements={e["id"]: tuple(e["evidence"]) for e in found["elements"]},
            red_flags=tuple(found["red_flags"]),
            stance=found.get("stance", "unclear"),
            disclosure=found.get("disclosure"),
            words=int(reading.get("words", 0)),
            sentences=int(reading.get("sentences", 0)),
            headings=int(reading.get("headings", 0)),
        )


@dataclass(frozen=True)
class CompanyNote:
    company: str
    strengths: str
    gaps: str
    risks: str
    clarity: str


@dataclass
class Comparison:
    companies: list[str]
    matrix: pd.DataFrame  # index: element ids; columns: company names; values: bool
    elements: dict[str, Element]
    common: list[str] = field(default_factory=list)  # present in most
    differences: list[str] = field(default_factory=list)  # present in some
    unique: dict[str, str] = field(default_factory=dict)  # element id -> the one company
    absent: list[str] = field(default_factory=list)  # in none
    coverage: pd.DataFrame = field(default_factory=pd.DataFrame)  # questions x companies, 0..1
    question_gaps: list[str] = field(default_factory=list)  # readable lines
    notes: list[CompanyNote] = field(default_factory=list)

    def count(self, element_id: str) -> int:
        return int(self.matrix.loc[element_id].sum())


def _most(n: int) -> int:
    """How many of n make 'most': four of five, three of four, two of two."""
    return max(1, math.ceil(n * 0.7)) if n > 2 else n


def compare(reviews: Sequence[CompanyReview]) -> Comparison:
    taxonomy = load_taxonomy()
    elements = {e.id: e for e in taxonomy}
    companies = [r.name for r in reviews]
    matrix = pd.DataFrame(
        {r.name: [e.id in r.elements for e in taxonomy] for r in reviews},
        index=[e.id for e in taxonomy],
        dtype=bool,
    )
    comparison = Comparison(companies, matrix, elements)
    if not reviews:
        comparison.absent = list(elements)
        return comparison
    counts = matrix.sum(axis=1)
    most = _most(len(reviews))
    comparison.common = [i for i, n in counts.items() if n >= most]
    comparison.differences = [i for i, n in counts.items() if 1 < n < most]
    comparison.unique = {
        str(i): str(matrix.columns[matrix.loc[i]].tolist()[0])
        for i, n in counts.items()
        if n == 1 and most > 1
    }
    comparison.absent = [str(i) for i, n in counts.items() if n == 0]
    question_of = pd.Series({e.id: e.question for e in taxonomy})
    comparison.coverage = matrix.groupby(question_of).mean().reindex(list(QUESTIONS))
    for question in QUESTIONS:
        ids = [e.id for e in taxonomy if e.question == question]
        thin = [i for i in ids if counts[i] * 2 < len(reviews)]
        if thin:
            names = ", ".join(elements[i].name for i in thin)
            comparison.question_gaps.append(
                f"{QUESTION_LABELS[question]}: fewer than half of the policies address {names}."
            )
    comparison.notes = [_note(r, comparison, most) for r in reviews]
    return comparison


def _names(ids: Sequence[str], elements: Mapping[str, Element]) -> str:
    return ", ".join(elements[i].name for i in ids)


def _note(review: CompanyReview, comparison: Comparison, most: int) -> CompanyNote:
    elements = comparison.elements
    present = [i for i in comparison.matrix.index if comparison.matrix.loc[i, review.name]]
    coverage = comparison.coverage[review.name]
    strong = [QUESTION_LABELS[q] for q in QUESTIONS if coverage[q] >= 0.75]
    weak = [QUESTION_LABELS[q] for q in QUESTIONS if coverage[q] < 0.5]
    only_here = [i for i, company in comparison.unique.items() if company == review.name]
    strengths = f"Covers {len(present)} of {len(elements)} elements"
    strengths += f"; strongest on {', '.join(strong)}." if strong else "."
    if only_here:
        strengths += f" The only one of the five to address {_names(only_here, elements)}."
    strengths += f" It {STANCE_WORDS.get(review.stance, STANCE_WORDS['unclear'])}"
    strengths += f"; disclosure by {review.disclosure}." if review.disclosure else "."
    missing_common = [i for i in comparison.common if i not in review.elements]
    gaps_parts = []
    if weak:
        gaps_parts.append(f"Thin on {', '.join(weak)}.")
    if missing_common:
        gaps_parts.append(
            f"Unlike most of the others, says nothing on {_names(missing_common, elements)}."
        )
    gaps = " ".join(gaps_parts) or "No notable gap against the others."
    if review.red_flags:
        flagged = sorted({f["element"] for f in review.red_flags})
        risks = f"{len(review.red_flags)} red flag(s) ({_names(flagged, elements)}): " + " ".join(
            f["reason"] for f in review.red_flags[:2]
        )
    else:
        risks = "No red flag found."
    clarity = _clarity(review)
    return CompanyNote(review.name, strengths, gaps, risks, clarity)


def _clarity(review: CompanyReview) -> str:
    if not review.sentences:
        return "Length and structure could not be measured."
    average = review.words / review.sentences
    verdict = "readable" if average <= 22 and review.headings >= 3 else "dense"
    if review.headings < 3:
        verdict += ", with little structure to guide the reader"
    return (
        f"About {review.words:,} words in {review.sentences} sentences ({average:.0f} words "
        f"each on average) under {review.headings} headings: {verdict}."
    )

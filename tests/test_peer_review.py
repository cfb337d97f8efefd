"""The comparison of five reviewed policies, and the review workbook read back cell by cell."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from smpp.peer_review import CompanyReview, compare
from smpp.review_workbook import TICK, build_review_workbook
from smpp.selection import Candidate, Verdict


def review(name: str, elements: dict[str, str], flags: int = 0, **extra: object) -> CompanyReview:
    domain = name.lower().replace(" ", "") + ".example"
    return CompanyReview(
        name=name,
        domain=domain,
        url=f"https://{domain}/social-media-policy",
        fetched_at="2027-01-25T15:41:00+00:00",
        sha256="ab" * 32,
        source_path=f"/drive/03 Peer review/Sources/{domain}.html",
        elements={k: (v,) for k, v in elements.items()},
        red_flags=[
            {
                "element": "E08",
                "sentence": "Never disclose internal information.",
                "reason": "Overbroad confidentiality without examples.",
            }
        ]
        * flags,
        **extra,  # type: ignore[arg-type]
    )


FIVE = [
    review(
        "Alpha",
        {
            "E01": "This policy applies to all staff.",
            "E07": "Say views are yours.",
            "E08": "Keep secrets.",
            "E12": "Be respectful.",
            "E21": "Route complaints.",
        },
        stance="encourage",
        disclosure="hashtag (#employee)",
        words=900,
        sentences=60,
        headings=8,
    ),
    review(
        "Bravo",
        {
            "E01": "Applies to employees.",
            "E07": "Speak for yourself.",
            "E08": "No confidential data.",
            "E12": "No harassment.",
        },
        flags=1,
        stance="restrict",
        words=700,
        sentences=20,
        headings=1,
    ),
    review(
        "Charlie",
        {
            "E01": "Scope: everyone.",
            "E07": "Use a disclaimer.",
            "E08": "Protect information.",
            "E24": "Keep records of posts.",
        },
    ),
    review("Delta", {"E01": "All employees.", "E08": "Confidential means...", "E12": "Be civil."}),
    review("Echo", {"E01": "Who is covered.", "E07": "Personal views.", "E12": "Respect."}),
]


@pytest.fixture(scope="module")
def comparison():  # type: ignore[no-untyped-def]
    return compare(FIVE)


def test_common_different_unique_and_absent_elements(comparison) -> None:
    assert comparison.common == ["E01", "E07", "E08", "E12"]  # four or five of five
    assert comparison.differences == []
    assert comparison.unique == {"E21": "Alpha", "E24": "Charlie"}
    assert "E02" in comparison.absent and "E21" not in comparison.absent
    assert comparison.count("E01") == 5 and comparison.count("E07") == 4


def test_coverage_of_the_five_questions(comparison) -> None:
    routing = comparison.coverage.loc["routing"]
    assert routing["Alpha"] == pytest.approx(1 / 3)  # E20, E21, E22: only E21
    assert routing["Bravo"] == 0
    assert any(
        line.startswith("Routing: fewer than half of the policies address")
        for line in comparison.question_gaps
    )


def test_critical_notes_name_strengths_gaps_risks_and_clarity(comparison) -> None:
    alpha, bravo, charlie = comparison.notes[:3]
    assert alpha.strengths.startswith("Covers 5 of 25 elements")
    assert "The only one of the five to address Customer-service routing & fulfilment" in (
        alpha.strengths
    )
    assert "encourages employees to take part; disclosure by hashtag (#employee)." in (
        alpha.strengths
    )
    assert alpha.risks == "No red flag found."
    assert alpha.clarity == (
        "About 900 words in 60 sentences (15 words each on average) under 8 headings: readable."
    )
    assert bravo.risks.startswith("1 red flag(s) (Confidential & proprietary information)")
    assert bravo.clarity.endswith("dense, with little structure to guide the reader.")
    assert "Unlike most of the others, says nothing on Respect, civility" in charlie.gaps


def test_the_workbook_read_back_cell_by_cell(comparison) -> None:
    candidates = [Candidate(r.name, r.url, r.domain, 1, None, n) for n, r in enumerate(FIVE, 2)]
    verdicts = [Verdict(c, "chosen", "Client priority high.") for c in candidates]
    made = datetime(2027, 1, 25, 16, 0, tzinfo=ZoneInfo("Europe/Rome"))
    content = build_review_workbook('Acme =HYPERLINK("x")', FIVE, comparison, verdicts, made)
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "Summary",
        "Matrix",
        "Evidence",
        "Red flags",
        "Notes",
        "Selection",
        "Sources",
    ]

    summary = book["Summary"]
    assert summary["A1"].value == 'Peer review of social media policies for Acme =HYPERLINK("x")'
    assert summary["A1"].data_type == "s"  # outside text never becomes a formula
    assert [c.value for c in summary[4]] == [
        "Company",
        "Policy",
        "Elements covered",
        "Red flags",
        "Stance",
        "Disclosure",
    ]
    assert [c.value for c in summary[5]] == [
        "Alpha",
        "https://alpha.example/social-media-policy",
        5,
        0,
        "encourage",
        "hashtag (#employee)",
    ]
    assert summary["B5"].hyperlink.target == "https://alpha.example/social-media-policy"

    matrix = book["Matrix"]
    assert [c.value for c in matrix[1]] == [
        "ID",
        "Element",
        "Question",
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
        "Echo",
        "Count",
    ]
    assert [c.value for c in matrix[2]] == [
        "E01",
        "Scope & applicability",
        "Who",
        TICK,
        TICK,
        TICK,
        TICK,
        TICK,
        5,
    ]
    e24 = [c.value for c in matrix[25]]
    assert e24[0] == "E24" and e24[3:] == [None, None, TICK, None, None, 1]
    assert matrix.freeze_panes == "D2"
    assert matrix.auto_filter.ref == "A1:I26"
    rules = matrix.conditional_formatting
    assert [r.sqref for r in rules] and str(next(iter(rules)).sqref) == "D2:H26"

    evidence = book["Evidence"]
    assert [c.value for c in evidence[2]] == [
        "Alpha",
        "E01",
        "Scope & applicability",
        "This policy applies to all staff.",
        "https://alpha.example/social-media-policy",
    ]
    assert evidence["E2"].hyperlink.target == "https://alpha.example/social-media-policy"
    assert evidence.max_row == 1 + 5 + 4 + 4 + 3 + 3

    flags = book["Red flags"]
    assert [c.value for c in flags[2]] == [
        "Bravo",
        "E08",
        "Confidential & proprietary information",
        "Never disclose internal information.",
        "Overbroad confidentiality without examples.",
    ]
    notes = book["Notes"]
    assert notes["A2"].value == "Alpha" and notes["B2"].value == comparison.notes[0].strengths
    selection = book["Selection"]
    assert [c.value for c in selection[2]] == [
        "Alpha",
        "https://alpha.example/social-media-policy",
        "high",
        "chosen",
        "Client priority high.",
    ]
    sources = book["Sources"]
    assert [c.value for c in sources[2]] == [
        "Alpha",
        "https://alpha.example/social-media-policy",
        "2027-01-25T15:41:00+00:00",
        "ab" * 32,
        "/drive/03 Peer review/Sources/alpha.example.html",
    ]

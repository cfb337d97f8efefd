"""The comparison of five reviewed policies, and the review workbook read back cell by cell."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from smpp.stages.peer_review.comparison import CompanyReview, compare
from smpp.stages.peer_review.selection import Candidate, Verdict
from smpp.stages.peer_review.workbook import TICK, build_review_workbook, reason_in_words


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


def workbook(comparison, **options: object):  # type: ignore[no-untyped-def]
    candidates = [Candidate(r.name, r.url, r.domain, 1, None, n) for n, r in enumerate(FIVE, 2)]
    verdicts = [Verdict(c, "chosen", "Client priority high.") for c in candidates]
    made = datetime(2027, 1, 25, 16, 0, tzinfo=ZoneInfo("Europe/Rome"))
    content = build_review_workbook(
        'Acme =HYPERLINK("x")',
        FIVE,
        comparison,
        verdicts,
        made,
        **options,  # type: ignore[arg-type]
    )
    return openpyxl.load_workbook(io.BytesIO(content))


def test_the_workbook_read_back_cell_by_cell(comparison) -> None:
    book = workbook(comparison)
    assert book.sheetnames == [
        "Cover",
        "Summary",
        "Overview",
        "Matrix",
        "Coverage",
        "Evidence",
        "Red flags",
        "Notes",
        "Selection",
        "Technical",
    ]
    assert book.active.title == "Cover"
    assert book["Cover"]["A1"].value == (
        'Peer review of social media policies for Acme =HYPERLINK("x")'
    )
    assert book["Cover"]["A1"].data_type == "s"  # outside text never becomes a formula

    summary = book["Summary"]
    assert summary["A1"].value == 'What the peer review means for Acme =HYPERLINK("x")'
    assert summary["A1"].data_type == "s"
    advice = [row for row in summary.iter_rows(max_col=2, values_only=True) if any(row)]
    assert advice[2:8] == [
        ("Red flags (1)", None),
        ("1. Bravo: Confidential & proprietary information", None),
        ("Their sentence", "“Never disclose internal information.”"),
        ("Why it is a risk", "Overbroad confidentiality without examples."),
        ("The fix", "See the reason on the Red flags sheet."),
        (
            "Law it rests on",
            'US law. The engagement does not say in which country Acme =HYPERLINK("x") is, '
            "so whether this applies needs a legal check.",
        ),
    ]
    headings = [a for a, b in advice if b is None]
    assert 'What this means for Acme =HYPERLINK("x")' in headings
    assert "Recommendations for the drafting session" in headings

    overview = book["Overview"]
    assert [c.value for c in overview[1]] == [
        "Company",
        "Policy",
        "Elements covered",
        "Red flags",
        "Stance on taking part",
        "Disclosure",
    ]
    assert [c.value for c in overview[2]] == [
        "Alpha",
        "alpha.example/…",  # a link's text fits its column on one line
        5,
        0,
        "encourages employees to take part",
        "hashtag (#employee)",
    ]
    assert overview["B2"].hyperlink.target == "https://alpha.example/social-media-policy"

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
    legend = [row[:2] for row in matrix.iter_rows(min_row=28, max_row=30, values_only=True)]
    assert legend == [
        ("Legend", None),
        (TICK, "The policy covers the element: its sentences are on Evidence."),
        (None, "The policy does not cover the element."),
    ]
    assert len(book["Coverage"]._charts) == 2  # per element, and per question and company

    evidence = book["Evidence"]
    assert [c.value for c in evidence[2]] == [
        "Alpha",
        "E01",
        "Scope & applicability",
        "This policy applies to all staff.",
        "alpha.example",
    ]
    assert evidence["E2"].hyperlink.target == "https://alpha.example/social-media-policy"
    assert evidence.max_row == 1 + 5 + 4 + 4 + 3 + 3

    flags = book["Red flags"]
    assert [c.value for c in flags[2]][:6] == [
        "Bravo",
        "E08",
        "Confidential & proprietary information",
        "Never disclose internal information.",
        "Overbroad confidentiality without examples.",
        None,  # the reason gives no fix
    ]
    notes = book["Notes"]
    assert notes["A2"].value == "Alpha" and notes["B2"].value == comparison.notes[0].strengths
    assert notes["D3"].value == (
        "1 red flag(s): Confidential & proprietary information. See the Summary sheet."
    )
    selection = book["Selection"]
    assert [c.value for c in selection[2]] == [
        "Alpha",
        "high",
        "chosen",
        "Client priority high; its policy was found on its site.",
    ]
    assert selection["A2"].hyperlink.target == "https://alpha.example/social-media-policy"
    technical = book["Technical"]
    assert [c.value for c in technical[3]] == [
        "Alpha",
        "https://alpha.example/social-media-policy",
        "2027-01-25T15:41:00+00:00",
        "ab" * 32,
        "/drive/03 Peer review/Sources/alpha.example.html",
    ]


REASON = (
    "This bans sharing 'confidential' information without saying what that covers. Fix: define "
    "it with examples. Basis: AGC (OM 12-31) and the NLRB's Stericycle (2023) decision."
)


@pytest.mark.parametrize(
    ("country", "flag", "law", "applies"),
    [
        (
            "IT",
            {},
            "US: National Labor Relations Act (NLRA), Section 7, as the NLRB applies it",
            "It does not apply in Italy as such. No equivalent under the law of Italy was "
            "checked: a prompt for a local legal check, not a finding.",
        ),
        (
            "US",
            {},
            "US: National Labor Relations Act (NLRA), Section 7, as the NLRB applies it",
            'Acme =HYPERLINK("x") is in the United States, where this law applies.',
        ),
        (
            "GB",
            {"jurisdiction": "US", "law": "US: FTC Endorsement Guides"},
            "US: FTC Endorsement Guides",
            "It does not apply in the United Kingdom as such. No equivalent under the law of "
            "the United Kingdom was checked: a prompt for a local legal check, not a finding.",
        ),
    ],
)
def test_each_red_flag_says_which_law_it_rests_on_and_whether_it_applies(
    comparison, country: str, flag: dict[str, str], law: str, applies: str
) -> None:
    flagged = [
        replace(
            r, red_flags=[{"element": "E08", "sentence": "No secrets.", "reason": REASON, **flag}]
        )
        if r.name == "Bravo"
        else r
        for r in FIVE
    ]
    candidates = [Candidate(r.name, r.url, r.domain, 1, None, n) for n, r in enumerate(FIVE, 2)]
    verdicts = [Verdict(c, "chosen", "Client priority high.") for c in candidates]
    made = datetime(2027, 1, 25, 16, 0, tzinfo=ZoneInfo("Europe/Rome"))
    data = build_review_workbook(
        'Acme =HYPERLINK("x")', flagged, compare(flagged), verdicts, made, country=country
    )
    summary = openpyxl.load_workbook(io.BytesIO(data))["Summary"]
    facts = {a: b for a, b in summary.iter_rows(max_col=2, values_only=True) if a and b}
    assert facts["Why it is a risk"] == (
        "This bans sharing 'confidential' information without saying what that covers."
    )
    assert facts["The fix"] == "Define it with examples."
    assert facts["Law it rests on"] == f"{law}. {applies}"


@pytest.mark.parametrize(
    ("status", "reason", "words", "detail"),
    [
        (
            "passed over",
            "No public social media policy found: sitemap https://x.example/sitemap.xml "
            "returned HTTP 404; no social media policy found (11 candidate pages checked)",
            "No social media policy found on its site.",
            "sitemap https://x.example/sitemap.xml returned HTTP 404; no social media policy "
            "found (11 candidate pages checked)",
        ),
        (
            "passed over",
            "No public social media policy found: home page could not be fetched: ConnectError",
            "Its site could not be reached, so its policy could not be looked for.",
            "home page could not be fetched: ConnectError",
        ),
        (
            "chosen",
            "Chosen by the account lead; policy found at https://x.example/policy.",
            "Chosen by the account lead; its policy was found on its site.",
            "",
        ),
        (
            "passed over",
            "Replaced at the account lead's request.",
            "Replaced at the account lead's request.",
            "",
        ),
    ],
)
def test_selection_reasons_are_words_a_lead_can_repeat(
    status: str, reason: str, words: str, detail: str
) -> None:
    candidate = Candidate("X", "https://x.example", "x.example", 2, None, 3)
    assert reason_in_words(Verdict(candidate, status, reason)) == (words, detail)

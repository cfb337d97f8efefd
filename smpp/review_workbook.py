"""The peer-review deliverable: an Excel workbook an account lead can open in the workshop.

Sheets: Summary, Matrix (companies x elements, conditional formatting, frozen panes, filters),
Evidence (every sentence behind a tick, with its source link), Red flags, Notes, Selection and
Sources. All text from outside (policies, client list) goes through `set_text`, never as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from smpp.peer_review import QUESTION_LABELS, CompanyReview, Comparison
from smpp.selection import PRIORITY_WORDS, Verdict
from smpp.sheets import BOLD, TITLE, set_text, to_bytes, write_cell, write_table

TICK = "✓"
PRESENT_FILL = PatternFill("solid", fgColor="C6EFCE")
ABSENT_FILL = PatternFill("solid", fgColor="F8D7DA")


def _link(sheet: Worksheet, row: int, column: int, url: str) -> None:
    cell = sheet.cell(row=row, column=column)
    set_text(cell, url)
    if url.startswith(("http://", "https://")):
        cell.hyperlink = url
        cell.font = Font(color="0563C1", underline="single")


def build_review_workbook(
    client: str,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    verdicts: Sequence[Verdict],
    made_at: datetime,
) -> bytes:
    book = Workbook()
    _summary(book.active, client, reviews, comparison, made_at)
    _matrix(book.create_sheet("Matrix"), comparison)
    _evidence(book.create_sheet("Evidence"), reviews, comparison)
    _red_flags(book.create_sheet("Red flags"), reviews, comparison)
    _notes(book.create_sheet("Notes"), comparison)
    _selection(book.create_sheet("Selection"), verdicts)
    _sources(book.create_sheet("Sources"), reviews)
    return to_bytes(book)


def _summary(
    sheet: Worksheet,
    client: str,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    made_at: datetime,
) -> None:
    sheet.title = "Summary"
    write_cell(sheet, 1, 1, f"Peer review of social media policies for {client}")
    sheet["A1"].font = TITLE
    write_cell(
        sheet,
        2,
        1,
        f"Made {made_at:%d %B %Y %H:%M}; {len(reviews)} companies reviewed "
        f"against {len(comparison.elements)} policy elements.",
    )
    last = write_table(
        sheet,
        4,
        ["Company", "Policy", "Elements covered", "Red flags", "Stance", "Disclosure"],
        [
            [r.name, r.url, len(r.elements), len(r.red_flags), r.stance, r.disclosure or "none"]
            for r in reviews
        ],
        [34, 60, 18, 12, 14, 30],
    )
    for offset, review in enumerate(reviews, start=1):
        _link(sheet, 4 + offset, 2, review.url)
    elements = comparison.elements
    sections: list[tuple[str, list[str]]] = [
        (
            "Common to most",
            [
                f"{i} {elements[i].name} ({comparison.count(i)} of {len(reviews)})"
                for i in comparison.common
            ],
        ),
        (
            "Differences",
            [
                f"{i} {elements[i].name}: "
                + ", ".join(comparison.matrix.columns[comparison.matrix.loc[i]].tolist())
                for i in comparison.differences
            ],
        ),
        (
            "Only one company",
            [f"{i} {elements[i].name}: {company}" for i, company in comparison.unique.items()],
        ),
        ("Addressed by none", [f"{i} {elements[i].name}" for i in comparison.absent]),
        ("Gaps against the five questions", comparison.question_gaps or ["None."]),
    ]
    row = last + 2
    for title, lines in sections:
        write_cell(sheet, row, 1, title)
        sheet.cell(row=row, column=1).font = BOLD
        for line in lines or ["None."]:
            row += 1
            write_cell(sheet, row, 1, line)
        row += 2


def _matrix(sheet: Worksheet, comparison: Comparison) -> None:
    companies = comparison.companies
    headers = ["ID", "Element", "Question", *companies, "Count"]
    rows = []
    for element_id in comparison.matrix.index:
        element = comparison.elements[element_id]
        marks = [TICK if comparison.matrix.loc[element_id, c] else "" for c in companies]
        rows.append(
            [
                element_id,
                element.name,
                QUESTION_LABELS[element.question],
                *marks,
                comparison.count(element_id),
            ]
        )
    last = write_table(sheet, 1, headers, rows, [6, 46, 11, *([22] * len(companies)), 8])
    if companies:
        first_col = get_column_letter(4)
        last_col = get_column_letter(3 + len(companies))
        area = f"{first_col}2:{last_col}{last}"
        sheet.conditional_formatting.add(
            area, CellIsRule(operator="equal", formula=[f'"{TICK}"'], fill=PRESENT_FILL)
        )
        sheet.conditional_formatting.add(
            area, CellIsRule(operator="notEqual", formula=[f'"{TICK}"'], fill=ABSENT_FILL)
        )
        for row in sheet.iter_rows(min_row=2, max_row=last, min_col=4, max_col=3 + len(companies)):
            for cell in row:
                cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"


def _evidence(sheet: Worksheet, reviews: Sequence[CompanyReview], comparison: Comparison) -> None:
    rows = []
    links = []
    for review in reviews:
        for element_id in sorted(review.elements):
            for sentence in review.elements[element_id]:
                rows.append(
                    [
                        review.name,
                        element_id,
                        comparison.elements[element_id].name,
                        sentence,
                        review.url,
                    ]
                )
                links.append(review.url)
    write_table(
        sheet,
        1,
        ["Company", "ID", "Element", "Evidence sentence", "Source"],
        rows,
        [28, 6, 36, 90, 50],
        filtered=True,
    )
    for offset, url in enumerate(links, start=2):
        _link(sheet, offset, 5, url)


def _red_flags(sheet: Worksheet, reviews: Sequence[CompanyReview], comparison: Comparison) -> None:
    rows = [
        [
            review.name,
            flag["element"],
            comparison.elements[flag["element"]].name,
            flag["sentence"],
            flag["reason"],
        ]
        for review in reviews
        for flag in review.red_flags
    ]
    write_table(
        sheet,
        1,
        ["Company", "ID", "Element", "Sentence", "Why it is a risk"],
        rows,
        [28, 6, 30, 70, 80],
        filtered=True,
    )


def _notes(sheet: Worksheet, comparison: Comparison) -> None:
    rows = [[n.company, n.strengths, n.gaps, n.risks, n.clarity] for n in comparison.notes]
    write_table(
        sheet, 1, ["Company", "Strengths", "Gaps", "Risks", "Clarity"], rows, [28, 60, 60, 60, 45]
    )
    sheet.freeze_panes = "B2"


def _selection(sheet: Worksheet, verdicts: Sequence[Verdict]) -> None:
    rows = [
        [
            v.candidate.name,
            v.candidate.website,
            PRIORITY_WORDS.get(v.candidate.priority or 0, "not given"),
            v.status,
            v.reason,
        ]
        for v in verdicts
    ]
    write_table(
        sheet,
        1,
        ["Company", "Website", "Client priority", "Status", "Reason"],
        rows,
        [30, 36, 14, 16, 90],
        filtered=True,
    )


def _sources(sheet: Worksheet, reviews: Sequence[CompanyReview]) -> None:
    rows = [[r.name, r.url, r.fetched_at, r.sha256, r.source_path] for r in reviews]
    write_table(
        sheet,
        1,
        ["Company", "Policy URL", "Fetched at", "SHA-256", "Kept as"],
        rows,
        [28, 60, 28, 66, 60],
    )
    for offset, review in enumerate(reviews, start=2):
        _link(sheet, offset, 2, review.url)

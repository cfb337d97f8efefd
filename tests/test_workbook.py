"""The company-list template and the accepted-list deliverable, read back cell by cell."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from smpp.sheets import FORM_MARKER_NAME
from smpp.stages.company_list.judge import Company, judge_company_list
from smpp.stages.company_list.workbook import (
    COMPANY_COLUMNS,
    ENTERED,
    FORM_MARKER,
    PRIORITY_CHOICES,
    SIZE_CHOICES,
    build_accepted_company_list,
    build_company_list_template,
    due_date_text,
    set_text,
    template_header,
)

DUE = date(2026, 12, 1)


def load(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def non_empty_values(sheet: Any) -> list[tuple[object, ...]]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def test_the_template_has_the_columns_and_sheets() -> None:
    book = load(build_company_list_template("Globex =cmd", DUE))
    assert book.sheetnames == ["Instructions", "Companies"]
    assert book.active.title == "Instructions"  # it opens on what to do
    sheet = book["Companies"]
    assert [c.value for c in sheet[1]] == [
        "Company name *",  # required columns are marked; the judge reads titles without it
        "Website *",
        "Industry",
        "Country",
        "Size (employees)",
        "Why comparable",
        "Priority",
        "Social media policy URL (if known)",
    ]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 24
    assert sheet.column_dimensions["F"].width == 29
    assert non_empty_values(sheet) == [tuple(template_header(c) for c in COMPANY_COLUMNS)]
    assert sheet["A1"].fill.fgColor.rgb != sheet["C1"].fill.fgColor.rgb  # required: coloured
    assert sheet["A61"].border.left.style == "thin"  # the 60-row area is drawn
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)
    assert sheet.print_title_rows == "$1:$1"


def test_the_template_has_drop_down_lists_and_a_website_hint() -> None:
    book = load(build_company_list_template("Globex", DUE))
    validations = {
        str(v.sqref): (v.type, v.formula1, v.prompt)
        for v in book["Companies"].data_validations.dataValidation
    }
    assert validations == {
        "E2:E1001": ("list", "SizeChoices", "Pick one of the choices in the list."),
        "G2:G1001": (
            "list",
            "PriorityChoices",
            "Pick one of the choices, or type a rank: 1, 2, 3, 4 ... (1 first).",
        ),
        "B2:B1001": (
            None,
            None,
            "The company's website, for example acme.com or https://www.acme.com",
        ),
    }
    for name, choices in (("SizeChoices", SIZE_CHOICES), ("PriorityChoices", PRIORITY_CHOICES)):
        [(title, cells)] = list(book.defined_names[name].destinations)
        assert title == "Instructions"
        assert tuple(c.value for (c,) in book[title][cells.replace("$", "")]) == choices


def test_the_instructions_say_what_to_do_and_by_when() -> None:
    book = load(build_company_list_template("Globex =cmd", DUE, min_companies=25))
    guide = book["Instructions"]
    lines = [row[0] for row in non_empty_values(guide)]
    assert lines[0] == "Comparable companies for Globex =cmd"
    assert guide["A1"].data_type == "s"  # the client name is not a formula
    facts = {row[0]: row[1] for row in non_empty_values(guide)}
    assert facts["Please return it by"] == "Tuesday 1 December 2026"
    steps = lines[lines.index("What to do") + 1 : lines.index("What to write in each column")]
    assert steps == [
        "1. On the Companies sheet, write one company per row, starting in row 2.",
        "2. List at least 25 different companies that you consider comparable to yours.",
        '3. "Company name" and "Website" (marked *) are required for every company; the other '
        "columns help us but may be left empty.",
        "4. Type the values themselves: do not add formulas.",
        "5. Keep the header row (row 1) as it is; you may add columns, we will ignore them.",
        "6. Save the file as an Excel Workbook (.xlsx), not as .xls, .xlsm or PDF.",
        "7. Return the file to us as our email describes.",
    ]


def test_the_instructions_count_the_companies_entered_live() -> None:
    guide = load(build_company_list_template("Globex", DUE, min_companies=25))["Instructions"]
    [count] = [row[1] for row in guide.iter_rows(max_col=2) if row[0].value == ENTERED]
    assert count.data_type == "f"  # our own formula: Excel counts as the client types
    assert count.value == (
        "=COUNTA('Companies'!A2:A1001)&\" of the 25 asked for\"&"
        'IF(COUNTA(\'Companies\'!A2:A1001)>=25,": enough, thank you","")'
    )


def test_a_template_for_no_client_in_particular_names_nobody() -> None:
    book = load(build_company_list_template(None, None))
    texts = [str(v) for s in book.worksheets for row in s.iter_rows(values_only=True) for v in row]
    assert not any("Your company" in t for t in texts)
    facts = {row[0]: row[1] for row in non_empty_values(book["Instructions"])}
    assert facts["Please return it by"] == "the date in our email"
    assert book["Instructions"]["A1"].value == "Comparable companies"
    assert book.properties.title == "Comparable companies"


def test_the_template_carries_the_form_marker() -> None:
    book = load(build_company_list_template("Globex", DUE))
    props = {p.name: p.value for p in book.custom_doc_props}
    assert props == {FORM_MARKER_NAME: FORM_MARKER}
    assert (FORM_MARKER_NAME, FORM_MARKER) == ("smpp_form", "company-list")


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 12, 1), "Tuesday 1 December 2026"),
        (date(2027, 1, 31), "Sunday 31 January 2027"),
        (date(2028, 2, 29), "Tuesday 29 February 2028"),
    ],
)
def test_due_date_text(day: date, text: str) -> None:
    assert due_date_text(day) == text


def test_the_template_filled_in_is_accepted(tmp_path: Path) -> None:
    book = load(build_company_list_template("Globex", DUE))
    sheet = book["Companies"]
    for i in range(20):  # as the client would: from row 2, in the drawn area
        values = [f"Company {i}", f"www.company{i}.com", "Retail", "UK", SIZE_CHOICES[i % 6]]
        values += ["", PRIORITY_CHOICES[i % 3]]
        for col, value in enumerate(values, start=1):
            sheet.cell(row=2 + i, column=col, value=value or None)
    path = tmp_path / "returned.xlsx"
    book.save(path)
    verdict = judge_company_list(path)
    assert verdict.ok, verdict.problems
    assert len(verdict.companies) == 20
    first = verdict.companies[0]
    assert (first.row, first.website, first.domain, first.size, first.priority) == (
        2,
        "https://www.company0.com",
        "company0.com",
        "1-50",
        1,
    )


def test_the_blank_template_asks_for_companies(tmp_path: Path) -> None:
    path = tmp_path / "blank.xlsx"
    path.write_bytes(build_company_list_template("Globex", DUE))
    verdict = judge_company_list(path)
    assert [p.message for p in verdict.problems] == [
        "The list has no companies yet; at least 20 are needed. Add them below the header row, "
        "one company per row, and send the file again."
    ]


def test_the_accepted_list_reads_back_cell_by_cell() -> None:
    companies = [
        Company(
            name='=HYPERLINK("http://evil","x")',
            website="https://acme.com",
            domain="acme.com",
            industry="Retail",
            country="UK",
            size="51-250",
            why_comparable="Same market",
            priority=2,
            policy_url="https://acme.com/social",
            row=4,
        ),
        Company("Globex", "http://globex.com/about", "globex.com", "", "", "", "", None, None, 9),
    ]
    received = datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
    book = load(
        build_accepted_company_list(
            "Initech", companies, "list.xlsx", received, "ab12", agency="Agency desk"
        )
    )
    assert book.sheetnames == ["Cover", "Companies", "Technical"]
    sheet = book["Companies"]
    assert non_empty_values(sheet) == [
        (
            "Company name",
            "Website",
            "Industry",
            "Country",
            "Size (employees)",
            "Why comparable",
            "Priority",
            "Social media policy",
            "Notes",
            "Row in file",
        ),
        (
            '=HYPERLINK("http://evil","x")',
            "acme.com",
            "Retail",
            "UK",
            "51-250",
            "Same market",
            "medium",
            "acme.com/social",
            None,
            4,
        ),
        ("Globex", "globex.com/about", None, None, None, None, None, None, None, 9),
    ]
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].hyperlink.target == "https://acme.com"
    assert sheet["H2"].hyperlink.target == "https://acme.com/social"
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J3"
    assert sheet.column_dimensions["A"].width == 20
    assert book.properties.creator == "Agency desk"
    cover = {row[0]: row[1] for row in non_empty_values(book["Cover"])}
    assert cover["Date"] == "Friday 20 November 2026, 14:05"
    assert non_empty_values(book["Technical"]) == [
        ("Client", "Initech"),
        ("File name", "list.xlsx"),
        ("Received at", "2026-11-20T14:05:00+00:00"),
        ("SHA-256", "ab12"),
        ("Companies", 2),
    ]


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil","click")', "+1", "@SUM(A1)", "-2+3", "\t=1+1", "plain text"],
)
def test_set_text_never_makes_a_formula(text: str) -> None:
    book = openpyxl.Workbook()
    set_text(book.active["A1"], text)
    buffer = io.BytesIO()
    book.save(buffer)
    cell = load(buffer.getvalue()).active["A1"]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix == (text != "plain text")


def test_set_text_drops_characters_xml_cannot_hold() -> None:
    book = openpyxl.Workbook()
    set_text(book.active["A1"], "Acme\x00\x07 Ltd\nline two")
    assert book.active["A1"].value == "Acme Ltd\nline two"

"""The Excel files of the company-list stage: the blank template the client fills in, and the
accepted list that is the stage's deliverable.

Every text that comes from outside (client name, company names, file names) is written through
`set_text`, so that none of it can become a formula when the file is opened in Excel.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from smpp.documents import (
    DEFAULT_AGENCY,
    DocumentInfo,
    Mark,
    add_cover,
    finish_workbook,
    link,
    link_text,
    long_date,
    long_day,
    new_workbook,
    write_facts,
    write_heading,
    write_paragraph,
)
from smpp.sheets import mark_form, set_text, to_bytes
from smpp.stages.company_list.judge import (
    COMPANY_COLUMNS,
    PRIORITY_CHOICES,
    SIZE_CHOICES,
    Column,
    Company,
)
from smpp.stages.peer_review.selection import priority_scale, priority_words

__all__ = [
    "COMPANY_COLUMNS",
    "FORM_MARKER",
    "PRIORITY_CHOICES",
    "SIZE_CHOICES",
    "Column",
    "build_accepted_company_list",
    "build_company_list_template",
    "due_date_text",
    "set_text",
]

# The form marker (smpp.sheets.FORM_MARKER_NAME) our company-list template carries.
FORM_MARKER = "company-list"

COMPANIES_SHEET = "Companies"  # the sheet the judge reads, by this name
INSTRUCTIONS_SHEET = "Instructions"
TEMPLATE_ROWS = 60  # the bordered empty area; the client may go past it
VALIDATED_ROWS = 1_000  # drop-down lists reach this far below the header

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED = "FCE4D6"  # the header colour of a required column
_REQUIRED_FILL = PatternFill("solid", fgColor=REQUIRED)
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
REQUIRED_MARK = " *"  # after a required column's title; the judge reads titles without it

# Narrower than the columns' own widths (the judge's spec), so the list prints on one page wide
# at a readable size.
_PRINT_WIDTHS = {
    "name": 24,
    "website": 22,
    "industry": 15,
    "country": 12,
    "size": 13,
    "why_comparable": 29,
    "priority": 10,
    "policy_url": 22,
}
TEMPLATE_TITLE = "Comparable companies"
RETURN_BY = "Please return it by"
ENTERED = "Companies entered so far"
NO_DUE_DATE = "the date in our email"


def due_date_text(day: date) -> str:
    """ "Tuesday 1 December 2026", in English whatever the machine's locale."""
    return long_day(day)


def template_header(column: Column) -> str:
    """The title a column has in the template: required ones are marked."""
    return column.header + (REQUIRED_MARK if column.required else "")


def build_company_list_template(
    client_name: str | None,
    due_date: date | None,
    min_companies: int = 20,
    *,
    agency: str = DEFAULT_AGENCY,
    saved_at: datetime | None = None,
) -> bytes:
    """The blank company-list workbook mailed to the client, as .xlsx bytes. Without a client
    or a due date it is neutral: it names nobody and points to the date in our email.
    `saved_at` dates the file (the moment the mail it goes with is sent)."""
    book = new_workbook()
    sheet = book.active
    sheet.title = COMPANIES_SHEET

    for index, column in enumerate(COMPANY_COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        set_text(cell, template_header(column))
        cell.font = _BOLD
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.border = _BOX
        cell.alignment = _WRAP
        cell.comment = Comment(column.help, "smpp")
        sheet.column_dimensions[letter].width = _PRINT_WIDTHS.get(column.key, column.width)
        for row in range(2, TEMPLATE_ROWS + 2):
            sheet.cell(row=row, column=index).border = _BOX
    sheet.freeze_panes = "A2"
    sheet.page_setup.orientation = "landscape"

    due = due_date_text(due_date) if due_date else NO_DUE_DATE
    info = DocumentInfo(
        client=client_name,
        title=TEMPLATE_TITLE,
        agency=agency,
        audience=f"whoever at {client_name} compiles the list" if client_name else "the client",
        purpose=(
            "The companies you consider comparable to yours. We review the public social media "
            "policies of five of them and bring what we learn to the workshop."
        ),
        keywords=("company list", "template"),
        dated=f"please return by {due}",
        saved_at=saved_at,
    )
    guide = add_cover(
        book,
        info,
        [
            (COMPANIES_SHEET, "Where you write the companies, one per row, from row 2."),
            (INSTRUCTIONS_SHEET, "This sheet: what to do, and the choices for two columns."),
        ],
        [
            Mark("Title *", "A required column: fill it in for every company.", REQUIRED),
            Mark("Title", "A column that helps us but may be left empty.", "DDEBF7"),
        ],
        title=INSTRUCTIONS_SHEET,
        facts=[(RETURN_BY, due), (ENTERED, "")],
    )
    _write_count(guide, min_companies)
    _write_instructions(guide, guide.max_row + 2, min_companies)
    choices_row = guide.max_row + 2
    size_ref = _write_choices(guide, choices_row, 1, "Choices for Size (employees)", SIZE_CHOICES)
    priority_ref = _write_choices(guide, choices_row, 2, "Choices for Priority", PRIORITY_CHOICES)
    # Lists go through defined names: the size choices contain commas, so they cannot be typed
    # into the validation itself, and a named range works in every Excel version.
    book.defined_names.add(DefinedName("SizeChoices", attr_text=size_ref))
    book.defined_names.add(DefinedName("PriorityChoices", attr_text=priority_ref))

    last = VALIDATED_ROWS + 1
    for key, name, title, error, prompt in (
        (
            "size",
            "SizeChoices",
            "Size (employees)",
            "Please pick one of the choices in the list.",
            "Pick one of the choices in the list.",
        ),
        (
            "priority",
            "PriorityChoices",
            "Priority",
            # A warning, not a stop: a rank (a whole number, 1 first) is welcome too.
            "Pick high, medium or low, or type a whole number to rank the companies (1 first).",
            "Pick one of the choices, or type a rank: 1, 2, 3, 4 ... (1 first).",
        ),
    ):
        letter = _letter(key)
        validation = DataValidation(
            type="list",
            formula1=name,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if key == "priority" else "stop",
            errorTitle=title,
            error=error,
            showInputMessage=True,
            promptTitle=title,
            prompt=prompt,
        )
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    website = _letter("website")
    hint = DataValidation(
        showInputMessage=True,
        promptTitle="Website",
        prompt="The company's website, for example acme.com or https://www.acme.com",
    )
    hint.add(f"{website}2:{website}{last}")
    sheet.add_data_validation(hint)

    mark_form(book, FORM_MARKER)
    finish_workbook(book, info)
    return to_bytes(book)


def _write_count(guide: Any, minimum: int) -> None:
    """Next to its label on the cover: how many companies the Companies sheet holds so far."""
    name_column = _letter("name")
    names = f"{name_column}2:{name_column}{VALIDATED_ROWS + 1}"
    entered = f"COUNTA({quote_sheetname(COMPANIES_SHEET)}!{names})"
    for (label,) in guide.iter_rows(max_col=1):
        if label.value in (RETURN_BY, ENTERED):
            guide.cell(row=label.row, column=2).font = _BOLD
        if label.value == ENTERED:
            # Our own formula (never outside text): the count goes up as the client types.
            guide.cell(row=label.row, column=2).value = (
                f'={entered}&" of the {minimum} asked for"'
                f'&IF({entered}>={minimum},": enough, thank you","")'
            )


def _write_instructions(guide: Any, top: int, minimum: int) -> None:
    required = " and ".join(f'"{c.header}"' for c in COMPANY_COLUMNS if c.required)
    row = top
    lines = (
        f"1. On the {COMPANIES_SHEET} sheet, write one company per row, starting in row 2.",
        f"2. List at least {minimum} different companies that you consider comparable to yours.",
        f"3. {required} (marked *) are required for every company; the other columns help us "
        "but may be left empty.",
        "4. Type the values themselves: do not add formulas.",
        "5. Keep the header row (row 1) as it is; you may add columns, we will ignore them.",
        "6. Save the file as an Excel Workbook (.xlsx), not as .xls, .xlsm or PDF.",
        "7. Return the file to us as our email describes.",
    )
    row = write_heading(guide, row, "What to do")
    for line in lines:
        row = write_paragraph(guide, row, line, 2)
    row = write_heading(guide, row + 1, "What to write in each column")
    for col, title in enumerate(("Column", "What to write"), start=1):
        set_text(guide.cell(row=row, column=col), title)
        guide.cell(row=row, column=col).font = _BOLD
        guide.cell(row=row, column=col).fill = _HEADER_FILL
    for column in COMPANY_COLUMNS:
        row += 1
        set_text(guide.cell(row=row, column=1), template_header(column))
        guide.cell(row=row, column=1).alignment = _WRAP
        need = "Required. " if column.required else "Optional. "
        set_text(guide.cell(row=row, column=2), need + column.help)
        guide.cell(row=row, column=2).alignment = _WRAP


def _write_choices(guide: Any, row: int, col: int, title: str, choices: Sequence[str]) -> str:
    """Writes a titled list of choices downwards; returns its absolute range reference."""
    set_text(guide.cell(row=row, column=col), title)
    guide.cell(row=row, column=col).font = _BOLD
    for offset, choice in enumerate(choices, start=1):
        set_text(guide.cell(row=row + offset, column=col), choice)
    letter = get_column_letter(col)
    sheet: str = quote_sheetname(guide.title)
    return f"{sheet}!${letter}${row + 1}:${letter}${row + len(choices)}"


def _letter(key: str) -> str:
    index = next(i for i, c in enumerate(COMPANY_COLUMNS, start=1) if c.key == key)
    letter: str = get_column_letter(index)
    return letter


_ACCEPTED_COLUMNS: tuple[tuple[str, int], ...] = (
    ("Company name", 20),
    ("Website", 22),
    ("Industry", 13),
    ("Country", 12),
    ("Size (employees)", 12),
    ("Why comparable", 20),
    ("Priority", 9),
    ("Social media policy", 16),
    ("Notes", 18),
    ("Row in file", 7),
)
_WEBSITE_WIDTH, _POLICY_WIDTH = _ACCEPTED_COLUMNS[1][1], _ACCEPTED_COLUMNS[7][1]
ACCEPTED_TITLE = "Accepted list of comparable companies"


def build_accepted_company_list(
    client_name: str,
    companies: Sequence[Company],
    source_name: str,
    received_at: datetime,
    sha256: str,
    *,
    agency: str = DEFAULT_AGENCY,
) -> bytes:
    """The stage deliverable: the accepted companies, normalised, and where they came from.
    `received_at` is in the client's zone."""
    book = new_workbook()
    sheet = book.active
    sheet.title = COMPANIES_SHEET
    for index, (header, width) in enumerate(_ACCEPTED_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        set_text(cell, header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
        sheet.column_dimensions[get_column_letter(index)].width = width
    scale = priority_scale(c.priority for c in companies)
    for row, company in enumerate(companies, start=2):
        priority = priority_words(company.priority, scale) if company.priority else ""
        texts = (
            company.name,
            company.website,
            company.industry,
            company.country,
            company.size,
            company.why_comparable,
            priority,
            company.policy_url or "",
            "\n".join(company.notes),
        )
        for index, text in enumerate(texts, start=1):
            cell = sheet.cell(row=row, column=index)
            if text:  # empty stays empty rather than an empty string
                set_text(cell, text)
            cell.alignment = _WRAP
        link(
            sheet.cell(row=row, column=2),
            company.website,
            link_text(company.website, _WEBSITE_WIDTH),
        )
        if company.policy_url:
            policy = company.policy_url
            link(sheet.cell(row=row, column=8), policy, link_text(policy, _POLICY_WIDTH))
        sheet.cell(row=row, column=len(texts) + 1, value=company.row).alignment = _WRAP
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(_ACCEPTED_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(companies) + 1}"

    technical = book.create_sheet("Technical")
    technical.column_dimensions["A"].width = 22
    technical.column_dimensions["B"].width = 70
    facts: tuple[tuple[str, str | int], ...] = (
        ("Client", client_name),
        ("File name", source_name),
        ("Received at", received_at.isoformat()),
        ("SHA-256", sha256),
        ("Companies", len(companies)),
    )
    write_facts(technical, 1, facts)

    info = DocumentInfo(
        client=client_name,
        title=ACCEPTED_TITLE,
        made_at=received_at,
        agency=agency,
        audience=f"the account lead and {client_name}",
        purpose=(
            f"The companies {client_name} considers comparable, as accepted: checked, with web "
            "addresses made uniform and repeated companies removed. The peer review chooses "
            "five of them."
        ),
        changes=("First version: the list as accepted.",),
        findings=_list_findings(companies, source_name, received_at),
        keywords=("company list", client_name),
    )
    add_cover(
        book,
        info,
        [
            (
                COMPANIES_SHEET,
                "One row per company, in the order of the client's file; Notes say what of a "
                "row could not be taken (the company is kept).",
            ),
            ("Technical", "The file as received: its name, time of receipt and fingerprint."),
        ],
        [Mark("link", "Underlined blue text: a link to the company's site or policy.", link=True)],
    )
    finish_workbook(book, info)
    return to_bytes(book)


def _list_findings(
    companies: Sequence[Company], source_name: str, received_at: datetime
) -> tuple[str, ...]:
    lines = [
        f"{len(companies)} companies accepted from {source_name}, received "
        f"{long_date(received_at)}."
    ]
    given = Counter(c.priority for c in companies)
    unranked = given.pop(None, 0)
    scale = priority_scale(given)
    if scale > 3:
        named = f"ranked from 1 to {scale}"
    else:
        named = ", ".join(f"{given[p]} {priority_words(p)}" for p in (1, 2, 3) if given[p])
    lines.append(
        f"Priorities: {named or 'none given'}" + (f", {unranked} not given." if unranked else ".")
    )
    noted = [c for c in companies if c.notes]
    if noted:
        lines.append(
            f"{len(noted)} {'company has' if len(noted) == 1 else 'companies have'} a note: a "
            "cell that could not be taken was left out (see Notes)."
        )
    known = sum(1 for c in companies if c.policy_url)
    lines.append(f"The client gave the policy address of {known} of them.")
    for label, values in (
        ("Countries", [c.country for c in companies]),
        ("Industries", [c.industry for c in companies]),
    ):
        common = Counter(v for v in values if v).most_common(3)
        if common:
            lines.append(
                f"{label}, most often: " + ", ".join(f"{v} ({n})" for v, n in common) + "."
            )
    return tuple(lines[:5])

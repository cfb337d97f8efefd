"""The Excel files of the company-list stage: the blank template the client fills in, and the
accepted list that is the stage's deliverable.

Every text that comes from outside (client name, company names, file names) is written through
`set_text`, so that none of it can become a formula when the file is opened in Excel.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from smpp.intake import COMPANY_COLUMNS, PRIORITY_CHOICES, SIZE_CHOICES, Column, Company
from smpp.sheets import clean_text, set_text, to_bytes

__all__ = [
    "COMPANY_COLUMNS",
    "FORM_MARKER",
    "FORM_MARKER_NAME",
    "PRIORITY_CHOICES",
    "SIZE_CHOICES",
    "Column",
    "build_accepted_company_list",
    "build_company_list_template",
    "due_date_text",
    "set_text",
]

# A custom document property on the template, kept by Excel when the client saves, so that a
# returned file can be recognised as our company-list form.
FORM_MARKER_NAME = "smpp_form"
FORM_MARKER = "company-list"

TEMPLATE_ROWS = 60  # the bordered empty area; the client may go past it
VALIDATED_ROWS = 1_000  # drop-down lists reach this far below the header

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def due_date_text(day: date) -> str:
    """ "Tuesday 1 December 2026", in English whatever the machine's locale."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def build_company_list_template(client_name: str, due_date: date, min_companies: int = 20) -> bytes:
    """The blank company-list workbook mailed to the client, as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Companies"
    guide = book.create_sheet("Instructions")

    for index, column in enumerate(COMPANY_COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index)
        set_text(cell, column.header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = _WRAP
        cell.comment = Comment(column.help, "smpp")
        sheet.column_dimensions[letter].width = column.width
        for row in range(2, TEMPLATE_ROWS + 2):
            sheet.cell(row=row, column=index).border = _BOX
    sheet.freeze_panes = "A2"

    _write_instructions(guide, client_name, due_date, min_companies)
    choices_row = guide.max_row + 2
    size_ref = _write_choices(guide, choices_row, 1, "Choices for Size (employees)", SIZE_CHOICES)
    priority_ref = _write_choices(guide, choices_row, 2, "Choices for Priority", PRIORITY_CHOICES)
    # Lists go through defined names: the size choices contain commas, so they cannot be typed
    # into the validation itself, and a named range works in every Excel version.
    book.defined_names.add(DefinedName("SizeChoices", attr_text=size_ref))
    book.defined_names.add(DefinedName("PriorityChoices", attr_text=priority_ref))

    last = VALIDATED_ROWS + 1
    for key, name, title in (
        ("size", "SizeChoices", "Size (employees)"),
        ("priority", "PriorityChoices", "Priority"),
    ):
        letter = _letter(key)
        validation = DataValidation(
            type="list",
            formula1=name,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=title,
            error="Please pick one of the choices in the list.",
            showInputMessage=True,
            promptTitle=title,
            prompt="Pick one of the choices in the list.",
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

    book.custom_doc_props.append(StringProperty(name=FORM_MARKER_NAME, value=FORM_MARKER))
    book.properties.title = clean_text(f"Comparable companies - {client_name}")[:250]
    return to_bytes(book)


def _write_instructions(guide: Any, client_name: str, due_date: date, minimum: int) -> None:
    required = " and ".join(f'"{c.header}"' for c in COMPANY_COLUMNS if c.required)
    lines = (
        f"Comparable companies for {client_name}",
        "",
        f"Please return this list by {due_date_text(due_date)}.",
        "",
        "1. On the Companies sheet, write one company per row, starting in row 2.",
        f"2. List at least {minimum} different companies that you consider comparable to yours.",
        f"3. {required} are required for every company; the other columns help us but may be "
        "left empty.",
        "4. Type the values themselves: do not add formulas.",
        "5. Keep the header row (row 1) as it is; you may add columns, we will ignore them.",
        "6. Save the file as an Excel Workbook (.xlsx), not as .xls, .xlsm or PDF.",
        "7. Return the file to us as our email describes.",
        "",
        "What to write in each column:",
    )
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 20
    guide.column_dimensions["C"].width = 80
    for row, line in enumerate(lines, start=1):
        if line:
            set_text(guide.cell(row=row, column=1), line)
    guide.cell(row=1, column=1).font = Font(bold=True, size=14)
    guide.cell(row=3, column=1).font = _BOLD

    row = len(lines) + 1
    for col, title in enumerate(("Column", "Required", "What to write"), start=1):
        set_text(guide.cell(row=row, column=col), title)
        guide.cell(row=row, column=col).font = _BOLD
    for column in COMPANY_COLUMNS:
        row += 1
        set_text(guide.cell(row=row, column=1), column.header)
        set_text(guide.cell(row=row, column=2), "required" if column.required else "optional")
        set_text(guide.cell(row=row, column=3), column.help)


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
    ("Company name", 32),
    ("Website", 36),
    ("Domain", 24),
    ("Industry", 22),
    ("Country", 18),
    ("Size (employees)", 18),
    ("Why comparable", 48),
    ("Priority", 14),
    ("Social media policy URL", 40),
    ("Source row", 12),
)


def build_accepted_company_list(
    client_name: str,
    companies: Sequence[Company],
    source_name: str,
    received_at: datetime,
    sha256: str,
) -> bytes:
    """The stage deliverable: the accepted companies, normalised, and where they came from."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Companies"
    for index, (header, width) in enumerate(_ACCEPTED_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        set_text(cell, header)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row, company in enumerate(companies, start=2):
        priority = PRIORITY_CHOICES[company.priority - 1] if company.priority else ""
        texts = (
            company.name,
            company.website,
            company.domain,
            company.industry,
            company.country,
            company.size,
            company.why_comparable,
            priority,
            company.policy_url or "",
        )
        for index, text in enumerate(texts, start=1):
            if text:  # empty stays empty rather than an empty string
                set_text(sheet.cell(row=row, column=index), text)
        sheet.cell(row=row, column=len(texts) + 1, value=company.row)
    sheet.freeze_panes = "A2"
    last = get_column_letter(len(_ACCEPTED_COLUMNS))
    sheet.auto_filter.ref = f"A1:{last}{len(companies) + 1}"

    source = book.create_sheet("Source")
    source.column_dimensions["A"].width = 22
    source.column_dimensions["B"].width = 70
    facts: tuple[tuple[str, str | int], ...] = (
        ("Client", client_name),
        ("File name", source_name),
        ("Received at", received_at.isoformat()),
        ("SHA-256", sha256),
        ("Companies", len(companies)),
    )
    for row, (label, value) in enumerate(facts, start=1):
        set_text(source.cell(row=row, column=1), label)
        source.cell(row=row, column=1).font = _BOLD
        if isinstance(value, str):
            set_text(source.cell(row=row, column=2), value)
        else:
            source.cell(row=row, column=2, value=value)
    book.properties.title = clean_text(f"Accepted comparable companies - {client_name}")[:250]
    return to_bytes(book)

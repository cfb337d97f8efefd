"""What every workbook the product writes shares: text written so it can never become a formula,
tables with a styled header row, and the file as bytes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
WRAP = Alignment(wrap_text=True, vertical="top")

# Excel treats a cell typed with one of these first characters as a formula (tab and CR are the
# tricks used to hide one).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A custom document property on every workbook a person fills in and sends back, kept by Excel
# and LibreOffice when they save, so that a returned file is recognised as the form it is.
FORM_MARKER_NAME = "smpp_form"


def mark_form(book: Any, form: str) -> None:
    """Mark `book` as our form `form` (read back by smpp.uploads.form_marker)."""
    from openpyxl.packaging.custom import StringProperty

    book.custom_doc_props.append(StringProperty(name=FORM_MARKER_NAME, value=form))


def set_text(cell: Any, value: str) -> None:
    """Writes `value` into `cell` as text, never as a formula, whatever it starts with."""
    clean = clean_text(value)
    cell.value = clean
    # openpyxl makes any string starting with "=" a formula; "s" keeps it a plain string.
    cell.data_type = "s"
    if clean.startswith(_FORMULA_STARTS):
        # Excel's leading apostrophe: the cell stays text even if the reader edits it.
        cell.quotePrefix = True


def clean_text(value: str) -> str:
    """Drops control characters that XML cannot hold (openpyxl refuses them); tab and newlines
    stay."""
    return "".join(ch for ch in value if ch in "\t\n\r" or not (ch < " " or ch == "\x7f"))


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    """A value into a cell; strings through `set_text`, so outside text stays text."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def write_table(
    sheet: Worksheet,
    top: int,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    widths: Sequence[int] = (),
    filtered: bool = False,
    formats: dict[int, str] | None = None,
) -> int:
    """Write a header row and rows from `top`; returns the last row written. `filtered` freezes
    the header row and puts filters on it (for sheets that are one table from the top);
    `formats` maps a 1-based column to a number format."""
    for column, header in enumerate(headers, start=1):
        write_cell(sheet, top, column, header)
        sheet.cell(row=top, column=column).font = BOLD
        sheet.cell(row=top, column=column).fill = HEADER_FILL
        sheet.cell(row=top, column=column).alignment = WRAP
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            write_cell(sheet, top + offset, column, value)
            cell = sheet.cell(row=top + offset, column=column)
            cell.alignment = WRAP
            if formats and column in formats:
                cell.number_format = formats[column]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = top + len(rows)
    if filtered:
        sheet.freeze_panes = sheet.cell(row=top + 1, column=1).coordinate
        sheet.auto_filter.ref = f"A{top}:{get_column_letter(len(headers))}{max(last, top)}"
    return last


def to_bytes(book: Any) -> bytes:
    """The workbook as xlsx bytes. Written through openpyxl's writer directly: `book.save`
    would stamp the real time as the file's last modification (time is a parameter)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()

"""The document standard checked on a written workbook, as its reader will open it: rows tall
enough for their wrapped text, links short enough for one line, a print set-up and a page header
on every sheet, properties, explicit fonts, a cover first, and no machine data outside the
technical sheet.

Deliberately simpler than `smpp.documents`' own arithmetic (characters per line from the column
width and font size, explicit line breaks counted), so it checks the result, not the code.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils import get_column_letter

# Measured in LibreOffice for Arial (Liberation Sans): a column width unit holds about 1.2
# characters at 10 points, and a line takes about 1.12 times the font size.
CHARS_PER_UNIT_AT_10 = 1.2
POINTS_PER_LINE = 1.12
DEFAULT_ROW_POINTS = 12.8  # LibreOffice's height for a row nobody sized, at Arial 10
SANS_FONTS = {"Arial", "Liberation Sans"}
PAGE_WIDTH = {"portrait": 100, "landscape": 146}  # width units between A4 margins
TECHNICAL_SHEETS = {"Technical"}
COVER_SHEETS = {"Cover", "Instructions"}
MACHINE_DATA = (
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"), "an ISO time"),
    (re.compile(r"\b[0-9a-f]{64}\b"), "a SHA-256"),
    (re.compile(r"(?:^|\s)/(?:tmp|home|mnt|var|srv|Users|drive)/"), "a server path"),
    (re.compile(r"\b[A-Z]:\\"), "a Windows path"),
)


def check_workbook(data: bytes, client: str | None, version: int) -> list[str]:
    """Every way the workbook in `data` falls short of the standard, one line each ([] when
    it meets it)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    problems = property_problems(book) + cover_problems(book) + font_problems(book)
    for sheet in book.worksheets:
        problems += row_problems(sheet)
        problems += print_problems(sheet, client, version)
        problems += machine_data_problems(sheet)
    return problems


def _width(sheet: Any, column: int) -> float:
    dimension = sheet.column_dimensions.get(get_column_letter(column))
    if dimension is None:
        # openpyxl reads a run of equal columns into its first one's dimension
        for other in sheet.column_dimensions.values():
            if other.min and other.max and other.min <= column <= other.max:
                dimension = other
                break
    if dimension is None:
        return 8.43
    return 0.0 if dimension.hidden else float(dimension.width or 8.43)


def chars_per_line(width: float, size: float, bold: bool) -> int:
    return max(1, math.floor(width * CHARS_PER_UNIT_AT_10 * 10 / size * (0.9 if bold else 1.0)))


def lines_needed(text: str, chars: int) -> int:
    return sum(max(1, math.ceil(len(part) / chars)) for part in text.split("\n"))


def row_problems(sheet: Any) -> list[str]:
    """Wrapped text taller than its row, and link text wider than its cell (LibreOffice never
    wraps a cell holding a link)."""
    spans: dict[str, tuple[float, float]] = {}  # top-left -> (width, height of the rows)
    covered: set[str] = set()
    for cells in sheet.merged_cells.ranges:
        width = sum(_width(sheet, c) for c in range(cells.min_col, cells.max_col + 1))
        height = sum(
            sheet.row_dimensions[r].height or DEFAULT_ROW_POINTS
            for r in range(cells.min_row, cells.max_row + 1)
        )
        spans[f"{get_column_letter(cells.min_col)}{cells.min_row}"] = (width, height)
        for row in range(cells.min_row, cells.max_row + 1):
            for column in range(cells.min_col, cells.max_col + 1):
                covered.add(f"{get_column_letter(column)}{row}")
    problems = []
    for line in sheet.iter_rows():
        for cell in line:
            if not isinstance(cell.value, str) or cell.data_type == "f" or not cell.value:
                continue
            if cell.coordinate in covered and cell.coordinate not in spans:
                continue
            width, height = spans.get(
                cell.coordinate,
                (
                    _width(sheet, cell.column),
                    sheet.row_dimensions[cell.row].height or DEFAULT_ROW_POINTS,
                ),
            )
            if width == 0.0:
                continue  # a hidden column
            size = float(cell.font.sz or 11)
            chars = chars_per_line(width, size, bool(cell.font.b))
            where = f"{sheet.title}!{cell.coordinate}"
            if cell.hyperlink is not None:
                if len(cell.value) > chars:
                    problems.append(
                        f"{where}: link text of {len(cell.value)} characters does not fit "
                        f"its {width:g}-wide column on one line"
                    )
                continue
            if not cell.alignment.wrap_text:
                continue
            lines = lines_needed(cell.value, chars)
            needed = lines * size * POINTS_PER_LINE
            if needed > height + 0.5:
                problems.append(
                    f"{where}: needs {lines} lines ({needed:.0f} pt) but the row is {height:.0f} pt"
                )
    return problems


def print_problems(sheet: Any, client: str | None, version: int) -> list[str]:
    where = sheet.title
    setup = sheet.page_setup
    problems = []
    fit = sheet.sheet_properties.pageSetUpPr
    if not (fit is not None and fit.fitToPage and setup.fitToWidth == 1):
        problems.append(f"{where}: not set to print one page wide")
    elif setup.fitToHeight != 0:
        problems.append(f"{where}: squeezed to a fixed number of pages down")
    if setup.orientation not in PAGE_WIDTH:
        problems.append(f"{where}: no orientation chosen")
    else:
        used = sum(_width(sheet, c) for c in range(1, sheet.max_column + 1))
        if used > PAGE_WIDTH[setup.orientation] * 1.15:
            problems.append(
                f"{where}: {used:.0f} width units on a {setup.orientation} page print "
                f"at under 87% of their size"
            )
    if setup.paperSize is None:
        problems.append(f"{where}: no paper size")
    header = " ".join(
        str(part.text or "")
        for part in (sheet.oddHeader.left, sheet.oddHeader.center, sheet.oddHeader.right)
    )
    footer = " ".join(
        str(part.text or "")
        for part in (sheet.oddFooter.left, sheet.oddFooter.center, sheet.oddFooter.right)
    )
    if client and client.replace("&", "&&")[:40] not in header:
        problems.append(f"{where}: the page header does not name the client")
    if f"Version {version}" not in header:
        problems.append(f"{where}: the page header does not give version {version}")
    if "&P" not in footer or "&N" not in footer:
        problems.append(f"{where}: no page numbers (page x of n) in the footer")
    frozen = sheet[sheet.freeze_panes].row if sheet.freeze_panes else 1
    if (frozen > 1 or sheet.auto_filter.ref) and not sheet.print_title_rows:
        problems.append(f"{where}: the table's header rows are not repeated on every page")
    return problems


def property_problems(book: Any) -> list[str]:
    properties = book.properties
    problems = []
    for name in ("title", "subject", "creator", "keywords"):
        value = getattr(properties, name)
        if not value:
            problems.append(f"workbook: no {name} property")
        elif str(value).strip().casefold() == "openpyxl":
            problems.append(f"workbook: {name} is {value!r}")
    if (properties.lastModifiedBy or "").casefold() == "openpyxl":
        problems.append("workbook: last modified by 'openpyxl'")
    return problems


def cover_problems(book: Any) -> list[str]:
    first = book.worksheets[0]
    problems = []
    if first.title not in COVER_SHEETS:
        problems.append(f"workbook: the first sheet is {first.title!r}, not a cover")
    if book.active is not first:
        problems.append(f"workbook: opens on {book.active.title!r}, not on its cover")
    title = first["A1"]
    if not isinstance(title.value, str) or not title.font.b or (title.font.sz or 11) < 14:
        problems.append(f"{first.title}!A1: no title")
    return problems


def font_problems(book: Any) -> list[str]:
    problems = []
    normal = book._named_styles["Normal"].font  # openpyxl keeps no public handle on it
    if normal.name not in SANS_FONTS:
        problems.append(f"workbook: default font {normal.name!r}, not a sans font set on purpose")
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                if cell.value is not None and cell.font.name not in SANS_FONTS:
                    problems.append(f"{sheet.title}!{cell.coordinate}: font {cell.font.name!r}")
                    break  # one per row is enough to say it
    return problems


def machine_data_problems(sheet: Any) -> list[str]:
    if sheet.title in TECHNICAL_SHEETS or sheet.sheet_state != "visible":
        return []
    problems = []
    for line in sheet.iter_rows():
        for cell in line:
            if not isinstance(cell.value, str) or _width(sheet, cell.column) == 0.0:
                continue
            for pattern, what in MACHINE_DATA:
                if pattern.search(cell.value):
                    problems.append(f"{sheet.title}!{cell.coordinate}: shows {what}")
    return problems


# --- as printed -----------------------------------------------------------------------------

_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>'
)


def overlapping_words(bbox_html: str) -> list[tuple[int, str, str]]:
    """Words printed on top of each other, from `pdftotext -bbox` output: (page, word, word).
    Neighbouring lines touch a little; words count as overlapping when they share more than
    40% of the smaller one's height."""
    pages: list[list[tuple[float, float, float, float, str]]] = []
    for line in bbox_html.splitlines():
        if "<page " in line:
            pages.append([])
        found = _WORD.search(line)
        if found and pages:
            x0, y0, x1, y1 = (float(v) for v in found.groups()[:4])
            pages[-1].append((x0, y0, x1, y1, found.group(5)))
    hits = []
    for number, words in enumerate(pages, start=1):
        words.sort()
        for index, a in enumerate(words):
            for b in words[index + 1 :]:
                if b[0] >= a[2]:
                    break
                across = min(a[2], b[2]) - max(a[0], b[0])
                down = min(a[3], b[3]) - max(a[1], b[1])
                if across > 1 and down > 0.4 * min(a[3] - a[1], b[3] - b[1]):
                    hits.append((number, a[4], b[4]))
    return hits


# --- printing, as a reader's office software does ------------------------------------------

CAN_PRINT = bool(
    (shutil.which("soffice") or shutil.which("libreoffice")) and shutil.which("pdftotext")
)
CANNOT_PRINT = "needs LibreOffice and pdftotext (poppler-utils)"


def print_to_pdf(folder: Path, *sources: Path) -> None:
    """`sources` printed to PDF in `folder` by LibreOffice headless, under a profile of its own
    (another LibreOffice may be running)."""
    office = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
    subprocess.run(
        [
            office,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )


def pdf_text(pdf: Path, *options: str) -> str:
    """What pdftotext reads in `pdf` (`-bbox` for each word's box)."""
    return subprocess.run(
        ["pdftotext", *options, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout

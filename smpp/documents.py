"""The document standard every workbook the product writes follows, in one place: a cover sheet,
rows tall enough for their text, a print set-up, workbook properties, explicit fonts, dates in
words and real links.

A builder makes its workbook with `new_workbook`, writes its sheets (outside text through
`sheets.set_text`, links through `link`, long text cut with `detail_text`), adds its cover with
`add_cover` and ends with `finish_workbook`, which sets fonts, row heights, print set-up and
properties on every sheet. Pure: no clock (dates are parameters), no Prefect, no LibreOffice.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.drawing.text import Font as DrawingFont
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from smpp.sheets import clean_text, set_text

if TYPE_CHECKING:
    from smpp.models import Engagement
    from smpp.store import Event

# Arial, because LibreOffice renders it with Liberation Sans, which has the same metrics: a page
# looks the same in Excel and in LibreOffice. Calibri has no such twin here and falls back to a
# wider font (and, for bold headings, to a serif one).
FONT_NAME = "Arial"
BODY_SIZE = 10.0
TITLE_SIZE = 16.0
HEADING_SIZE = 12.0
LINK_COLOUR = "0563C1"
MUTED_COLOUR = "595959"
DEFAULT_AGENCY = "SMPP desk"  # the engagement's mail sender name when none is given

# Row heights: points per line of text, as a share of the font size, plus a little padding.
# LibreOffice spaces Arial lines at about 1.12 times the size; Excel a little more.
LINE_PITCH = 1.25
ROW_PADDING = 3.0
MAX_ROW_HEIGHT = 409.0  # Excel's limit
DEFAULT_COLUMN_WIDTH = 8.43  # Excel's width for a column nobody sized
# Column width units (digits of the default font) that fit between the margins of A4 portrait;
# a sheet wider than that is printed landscape (146 units), both scaled to one page wide.
PORTRAIT_WIDTH = 100

TITLE_FONT = Font(name=FONT_NAME, size=TITLE_SIZE, bold=True)
HEADING_FONT = Font(name=FONT_NAME, size=HEADING_SIZE, bold=True)
LABEL_FONT = Font(name=FONT_NAME, size=BODY_SIZE, bold=True)
NOTE_FONT = Font(name=FONT_NAME, size=BODY_SIZE, italic=True, color=MUTED_COLOUR)
LINK_FONT = Font(name=FONT_NAME, size=BODY_SIZE, color=LINK_COLOUR, underline="single")
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")

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


@dataclass(frozen=True)
class Mark:
    """One entry of a cover's legend: what a cell shows (a mark, a colour, or both) and what it
    means. `fill` is a hex colour as the sheets use it."""

    sample: str
    meaning: str
    fill: str | None = None
    link: bool = False  # the sample is shown as a link is


@dataclass(frozen=True)
class DocumentInfo:
    """What a document says about itself: on its cover, in its page headers and footers and in
    its properties. `made_at` is in the client's time zone; None for a form with no date of its
    own (its header then shows `dated`, for example the date it is due)."""

    client: str | None  # None: a neutral form, for no client in particular
    title: str  # what it is, short: "Peer review of social media policies"
    version: int = 1
    made_at: datetime | None = None
    agency: str = DEFAULT_AGENCY
    audience: str = ""  # for whom: "the account lead and the client's drafting team"
    purpose: str = ""  # what it is for, in a sentence or two
    changes: tuple[str, ...] = ()  # what changed since the previous version
    findings: tuple[str, ...] = ()  # the key findings, at most five lines
    keywords: tuple[str, ...] = ()
    dated: str = ""  # the header's date words when there is no `made_at`
    # When a form without a date of its own was made (the mail it goes out with): its file
    # properties' date, since time is a parameter and the machine's clock is not the engagement's.
    saved_at: datetime | None = None

    @property
    def heading(self) -> str:
        return f"{self.title} for {self.client}" if self.client else self.title

    @property
    def version_line(self) -> str:
        when = short_day(self.made_at.date()) if self.made_at else self.dated
        return f"Version {self.version}" + (f", {when}" if when else "")


@dataclass(frozen=True)
class PreviousVersion:
    """The version a new one replaces, as its `deliverable.written` event recorded it: for the
    cover's "what changed". `facts` is that event's data (each builder reads its own keys)."""

    version: int
    made_at: datetime
    facts: Mapping[str, Any]


def previous_version(written: list[Event], engagement: Engagement) -> PreviousVersion | None:
    """The last deliverable of a stage written so far (the one a new version replaces)."""
    if not written:
        return None
    last = written[-1]
    return PreviousVersion(
        int(last.data["version"]), last.at.astimezone(engagement.zone), last.data
    )


# --- dates and text -------------------------------------------------------------------------


def long_day(day: date) -> str:
    """ "Monday 25 January 2027", in English whatever the machine's locale."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def long_date(moment: datetime) -> str:
    """ "Monday 25 January 2027, 15:40": the moment as its reader says it, in its own zone."""
    return f"{long_day(moment.date())}, {moment:%H:%M}"


def short_day(day: date) -> str:
    """ "25 January 2027"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def detail_text(text: str, limit: int, sheet: str) -> str:
    """`text` as it is when it has at most `limit` characters; otherwise cut at a sentence or
    word boundary before the limit, saying which sheet holds it in full."""
    if len(text) <= limit:
        return text
    note = f"… (full text on sheet {sheet})"
    room = max(1, limit - len(note))
    cut = text[:room]
    sentence = max(cut.rfind(". "), cut.rfind("; "))
    if sentence >= room * 0.6:
        cut = cut[: sentence + 1]
    elif " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + note


def text_chunks(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, broken between paragraphs, then sentences,
    then words: for a detail sheet, where one cell per piece keeps every row printable."""
    pieces: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for sentence in re.split(r"(?<=[.!?;])\s+", paragraph.strip()):
            for word_piece in textwrap.wrap(sentence, limit) or [""]:
                joined = f"{current} {word_piece}".strip()
                if len(joined) <= limit:
                    current = joined
                else:
                    pieces.append(current)
                    current = word_piece
        if current or not pieces:
            pieces.append(current)
    return [p for p in pieces if p] or [""]


FULL_TEXTS = "Full texts"
_CHUNK = 1_200  # characters per cell on the detail sheet: about 15 lines at its width


class FullTexts:
    """The texts a builder cut for legibility, kept whole for a detail sheet: `cut` a text where
    it is shown, `write` the sheet once the rest is written (nothing when nothing was cut)."""

    def __init__(self, sheet: str = FULL_TEXTS) -> None:
        self.sheet = sheet
        self.entries: list[tuple[str, str]] = []  # (where it is shown, the whole text)

    def cut(self, text: str, limit: int, where: str) -> str:
        if len(text) <= limit:
            return text
        self.entries.append((where, text))
        return detail_text(text, limit, self.sheet)

    def write(self, book: Workbook) -> Worksheet | None:
        if not self.entries:
            return None
        sheet = book.create_sheet(self.sheet)
        for column, (header, width) in enumerate((("Shown on", 28), ("Full text", 100)), 1):
            cell = sheet.cell(row=1, column=column)
            set_text(cell, header)
            cell.font = LABEL_FONT
            cell.fill = PatternFill("solid", fgColor="DDE4EE")
            sheet.column_dimensions[get_column_letter(column)].width = width
        row = 2
        for where, text in self.entries:
            for number, piece in enumerate(text_chunks(text, _CHUNK)):
                label = where if number == 0 else f"{where} (continued)"
                for column, value in ((1, label), (2, piece)):
                    set_text(sheet.cell(row=row, column=column), value)
                    sheet.cell(row=row, column=column).alignment = TOP_WRAP
                row += 1
        sheet.freeze_panes = "A2"
        return sheet


def link(cell: Any, url: str, text: str | None = None) -> None:
    """The cell shows `text` (or the URL) on one line and opens `url` when clicked; only
    http(s) addresses become links, anything else stays plain text."""
    set_text(cell, text if text is not None else url)
    if re.fullmatch(r"https?://[^\s\x00-\x1f\x7f]{1,2000}", url):
        cell.hyperlink = url
        cell.font = LINK_FONT
        # One line: LibreOffice never wraps a link, so Excel should not either (link_text
        # keeps the text short enough).
        cell.alignment = TOP


def sheet_link(cell: Any, sheet: str, text: str | None = None) -> None:
    """The cell opens `sheet` of the same workbook when clicked."""
    set_text(cell, text if text is not None else sheet)
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"{quote_sheetname(sheet)}!A1")
    cell.font = LINK_FONT


def web_address(url: str) -> str:
    """A URL as people read it: without "https://" and a closing slash."""
    return re.sub(r"^https?://", "", url).rstrip("/")


def link_text(url: str, width: float) -> str:
    """A URL's address as link text when it fits a `width` column on one line, else its host
    and "/…": LibreOffice never wraps a cell that holds a link."""
    address = web_address(url)
    chars = chars_per_line(width, BODY_SIZE, False)
    if len(address) <= chars:
        return address
    short = site_name(url) + "/…"
    return short if len(short) <= chars else short[: chars - 1] + "…"


def site_name(url: str) -> str:
    """The host of a URL ("www.acme.com"), as short link text."""
    return web_address(url).split("/", 1)[0]


# --- writing --------------------------------------------------------------------------------


def new_workbook() -> Workbook:
    """An empty workbook whose default font is the document font, so that column widths and
    empty rows measure the same in Excel and LibreOffice."""
    book = Workbook()
    base = Font(name=FONT_NAME, sz=BODY_SIZE, family=2)
    # openpyxl has no public setting for the default font: font 0 is what every cell without
    # a font of its own uses, and the Normal style is what Excel measures column widths in.
    book._fonts = IndexedList([base])
    book._named_styles["Normal"].font = base
    return book


def write_heading(sheet: Worksheet, row: int, text: str, font: Font = HEADING_FONT) -> int:
    """A heading in column A; returns the row after it."""
    cell = sheet.cell(row=row, column=1)
    set_text(cell, text)
    cell.font = font
    return row + 1


def write_paragraph(
    sheet: Worksheet, row: int, text: str, last_column: int, font: Font | None = None
) -> int:
    """Text across columns A to `last_column` (merged), wrapped; returns the row after it."""
    cell = sheet.cell(row=row, column=1)
    set_text(cell, text)
    cell.alignment = TOP_WRAP
    if font is not None:
        cell.font = font
    if last_column > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last_column)
    return row + 1


def write_facts(sheet: Worksheet, row: int, facts: Iterable[tuple[str, Any]]) -> int:
    """Label in column A (bold), value in column B (wrapped); returns the row after them."""
    for label, value in facts:
        label_cell = sheet.cell(row=row, column=1)
        set_text(label_cell, label)
        label_cell.font = LABEL_FONT
        label_cell.alignment = TOP
        value_cell = sheet.cell(row=row, column=2)
        if isinstance(value, str):
            set_text(value_cell, value)
        else:
            value_cell.value = value
        value_cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        row += 1
    return row


# --- the cover ------------------------------------------------------------------------------

COVER = "Cover"
_COVER_WIDTHS = (26, 72)


def add_cover(
    book: Workbook,
    info: DocumentInfo,
    sheets: Sequence[tuple[str, str]] = (),
    marks: Sequence[Mark] = (),
    *,
    title: str = COVER,
    facts: Sequence[tuple[str, str]] = (),
) -> Worksheet:
    """The first sheet, and the one the workbook opens on: what the document is, for whom,
    version and date, what changed, the key findings, what each sheet holds and what its
    colours and marks mean. `sheets` pairs a sheet's name with what it holds. A form passes its
    instructions sheet's `title` and goes on writing below (from `sheet.max_row + 2`); `facts`
    are added to the cover's own (client, audience, version, date, author)."""
    sheet = book.create_sheet(title, 0)
    book.active = 0
    for column, width in enumerate(_COVER_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = len(_COVER_WIDTHS)
    row = write_paragraph(sheet, 1, info.heading, last, TITLE_FONT)
    if info.purpose:
        row = write_paragraph(sheet, row, info.purpose, last)
    row += 1
    own: list[tuple[str, str]] = []
    if info.client:
        own.append(("Client", info.client))
    if info.audience:
        own.append(("For", info.audience))
    own.append(("Version", str(info.version)))
    if info.made_at is not None:
        own.append(("Date", long_date(info.made_at)))
    own.append(("Prepared by", info.agency))
    row = write_facts(sheet, row, [*own, *facts]) + 1
    for heading, lines in (
        ("What changed since the previous version", info.changes),
        ("Key findings", info.findings[:5]),
    ):
        if lines:
            row = write_heading(sheet, row, heading)
            for line in lines:
                row = write_paragraph(sheet, row, f"•  {line}", last)
            row += 1
    if sheets:
        row = write_heading(sheet, row, "How to read this workbook")
        for name, what in sheets:
            sheet_link(sheet.cell(row=row, column=1), name)
            sheet.cell(row=row, column=1).alignment = TOP
            what_cell = sheet.cell(row=row, column=2)
            set_text(what_cell, what)
            what_cell.alignment = TOP_WRAP
            row += 1
        row += 1
    if marks:
        row = write_heading(sheet, row, "Colours and marks")
        for mark in marks:
            sample = sheet.cell(row=row, column=1)
            set_text(sample, mark.sample)
            sample.alignment = Alignment(horizontal="center", vertical="top")
            if mark.fill:
                sample.fill = PatternFill("solid", fgColor=mark.fill)
            if mark.link:
                sample.font = LINK_FONT
            meaning = sheet.cell(row=row, column=2)
            set_text(meaning, mark.meaning)
            meaning.alignment = TOP_WRAP
            row += 1
    return sheet


# --- charts -------------------------------------------------------------------------------

CHART_ROW_HEIGHT = 15.0  # points: the rows a chart covers are set to this, so it can be placed
PAGE_HEIGHT = 700.0  # points of an A4 portrait page between the margins, with a little spare
CM = 72 / 2.54  # points per centimetre


def bar_chart(
    values: Reference,
    categories: Reference,
    *,
    horizontal: bool = True,
    percent: bool = False,
    most: float | None = None,
    series_titles: bool = False,
) -> BarChart:
    """A native bar chart in the document's look: no title of its own (the sheet's heading above
    it says what it shows), small Arial axis text, every category named, values on the bars;
    `percent` shows 0-100%, `most` caps the value axis."""
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.add_data(values, titles_from_data=series_titles)
    chart.set_categories(categories)
    chart.title = None
    chart.legend = None
    if horizontal:
        chart.x_axis.scaling.orientation = "maxMin"  # the first category at the top
    chart.x_axis.tickLblSkip = 1
    chart.y_axis.scaling.min = 0
    if percent:
        chart.y_axis.scaling.max = 1
        chart.y_axis.number_format = "0%"
        chart.y_axis.majorUnit = 0.25
    elif most is not None:
        chart.y_axis.scaling.max = most
        chart.y_axis.majorUnit = 1
    # openpyxl hides both axes unless told otherwise.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    for axis in (chart.x_axis, chart.y_axis):
        axis.txPr = _chart_text(8)
    # Only the value: LibreOffice otherwise adds the category and the series name.
    chart.dataLabels = DataLabelList(
        showVal=True, showCatName=False, showSerName=False, showLegendKey=False, showPercent=False
    )
    chart.dataLabels.txPr = _chart_text(8)
    return chart


def _chart_text(size: float) -> RichText:
    props = CharacterProperties(sz=int(size * 100), latin=DrawingFont(typeface=FONT_NAME))
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


class ChartColumn:
    """Charts stacked down a sheet's column A, each under its heading, with a page break
    before one that would not fit on the page: a chart is never cut in two when printed."""

    def __init__(self, sheet: Worksheet, top: int, width_cm: float | None = None) -> None:
        """Charts go from row `top`, `width_cm` wide; without a width, as wide as the columns
        already sized, else 16 cm with column A widened to match (so the page fits them)."""
        self.sheet = sheet
        self.row = top
        if width_cm is None and sheet.column_dimensions:
            width_cm = used_width(sheet) * 5.25 / CM  # a width unit is about 7 px (5.25 pt)
        if width_cm is None:
            width_cm = 16.0
            sheet.column_dimensions["A"].width = round(width_cm * CM / 5.25) + 2
        self.width_cm = width_cm
        self.span = len(column_widths(sheet))
        self.used = sum(
            sheet.row_dimensions[r].height or row_height(1, BODY_SIZE) for r in range(1, top)
        )

    def _heading(self, heading: str, needed: float) -> None:
        """The heading at the current row, on a new page when what follows it (`needed` points
        in all) would not fit on this one."""
        if self.used + needed > PAGE_HEIGHT and self.used > 0:
            self.sheet.row_breaks.append(Break(id=self.row - 1))
            self.used = 0.0
        cell = self.sheet.cell(row=self.row, column=1)
        set_text(cell, heading)
        cell.font = HEADING_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")

    def add(self, heading: str, chart: BarChart, height_cm: float) -> None:
        rows = math.ceil(height_cm * CM / CHART_ROW_HEIGHT) + 1
        needed = row_height(2, HEADING_SIZE) + rows * CHART_ROW_HEIGHT
        self._heading(heading, needed)
        if self.span > 1:  # the heading as wide as the chart
            self.sheet.merge_cells(
                start_row=self.row, start_column=1, end_row=self.row, end_column=self.span
            )
        chart.width, chart.height = self.width_cm, height_cm
        self.sheet.add_chart(chart, f"A{self.row + 1}")
        for number in range(self.row + 1, self.row + 1 + rows):
            self.sheet.row_dimensions[number].height = CHART_ROW_HEIGHT
        self.row += rows + 1
        self.used += needed

    def add_text(self, heading: str, text: str) -> None:
        """A heading with a line of text where a chart would show nothing (no data yet)."""
        needed = row_height(2, HEADING_SIZE) + row_height(1, BODY_SIZE)
        self._heading(heading, needed)
        set_text(self.sheet.cell(row=self.row + 1, column=1), text)
        if self.span > 1:
            for row in (self.row, self.row + 1):
                self.sheet.merge_cells(
                    start_row=row, start_column=1, end_row=row, end_column=self.span
                )
        self.row += 3
        self.used += needed + row_height(1, BODY_SIZE)


# --- finishing ------------------------------------------------------------------------------


def finish_workbook(book: Workbook, info: DocumentInfo) -> None:
    """Fonts, row heights and print set-up on every sheet, and the workbook's properties. Call
    it last: it measures what the sheets hold."""
    for sheet in book.worksheets:
        set_fonts(sheet)
        fit_row_heights(sheet)
        set_print(sheet, info)
    properties = book.properties
    title = f"{info.title} - {info.client}" if info.client else info.title
    properties.title = _property(title)
    properties.subject = _property(info.purpose or info.title)
    properties.creator = properties.lastModifiedBy = _property(info.agency)
    properties.keywords = _property(", ".join(("social media policy", *info.keywords)))
    properties.description = _property(f"For {info.audience}.") if info.audience else None
    # Dated by what the document is about, never by the clock of the machine that saves it
    # (openpyxl stamps both with the real time; `sheets.to_bytes` keeps what is set here).
    moment = info.made_at or info.saved_at
    if moment is not None:
        properties.created = properties.modified = moment.astimezone(UTC).replace(tzinfo=None)


def _property(text: str) -> str:
    return clean_text(text)[:250]


def set_fonts(sheet: Worksheet) -> None:
    """The document font on every cell written or styled, keeping its size, weight, slant,
    colour and underline, so no reader's program has to guess a substitute."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            old = cell.font
            if old.name == FONT_NAME and old.sz:
                continue
            cell.font = Font(
                name=FONT_NAME,
                sz=old.sz or BODY_SIZE,
                b=old.b,
                i=old.i,
                color=old.color,
                u=old.u,
                strike=old.strike,
                vertAlign=old.vertAlign,
            )


def column_widths(sheet: Worksheet) -> dict[int, float]:
    """Each used column's width (hidden columns: 0)."""
    widths: dict[int, float] = {}
    for column in range(1, sheet.max_column + 1):
        dimension = sheet.column_dimensions.get(get_column_letter(column))
        if dimension is not None and dimension.hidden:
            widths[column] = 0.0
        elif dimension is not None and dimension.customWidth and dimension.width:
            widths[column] = float(dimension.width)
        else:
            widths[column] = DEFAULT_COLUMN_WIDTH
    # openpyxl keeps a run of equal columns under its first letter (min..max).
    for dimension in sheet.column_dimensions.values():
        if dimension.min and dimension.max and dimension.max > dimension.min:
            for column in range(dimension.min, min(dimension.max, sheet.max_column) + 1):
                widths[column] = widths[dimension.min]
    return widths


def chars_per_line(width: float, size: float, bold: bool) -> int:
    """How many characters of Arial at `size` points a line of a `width` column holds, erring
    short. Measured in LibreOffice at 10 points: 12 characters in a 12-wide column, 25 in 24,
    57 in 48, 113 in 96; bold takes about 15% more room."""
    chars = (1.17 * width - 2.5) * 10 / size
    if size > 10:
        chars *= 0.95  # larger sizes take a little more than their share
    return max(1, math.floor(chars * (0.85 if bold else 1.0)))


def lines_needed(text: str, chars: int) -> int:
    """Lines `text` takes wrapped at word boundaries to `chars` characters, as LibreOffice and
    Excel wrap: a word too long for a line starts a new one and is broken over as many as it
    needs."""
    lines = 0
    for part in text.split("\n"):
        count, used = 0, 0
        for word in part.split():
            if used and used + 1 + len(word) <= chars:
                used += 1 + len(word)
                continue
            count += math.ceil(len(word) / chars)
            used = len(word) % chars or chars
        lines += max(1, count)
    return lines


def row_height(lines: int, size: float) -> float:
    return lines * size * LINE_PITCH + ROW_PADDING


def fit_row_heights(sheet: Worksheet) -> None:
    """Every row tall enough for its wrapped text at its column's width (merged cells: the
    merged width), and for the size of its largest font; a taller height already set stays."""
    widths = column_widths(sheet)
    merged: dict[tuple[int, int], float] = {}
    covered: set[tuple[int, int]] = set()
    for cells in sheet.merged_cells.ranges:
        if cells.min_row == cells.max_row:
            span = range(cells.min_col, cells.max_col + 1)
            merged[(cells.min_row, cells.min_col)] = sum(widths.get(c, 0.0) for c in span)
            covered.update((cells.min_row, c) for c in span if c != cells.min_col)
    for row in sheet.iter_rows():
        needed = 0.0
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in covered:
                continue
            width = merged.get((cell.row, cell.column), widths.get(cell.column, 0.0))
            if width == 0.0:  # hidden
                continue
            size = float(cell.font.sz or BODY_SIZE)
            lines = 1
            # A number never wraps: it shows in its format ("33%"), not as its digits.
            if cell.alignment.wrap_text and isinstance(cell.value, str) and cell.data_type != "f":
                chars = chars_per_line(width, size, bool(cell.font.b))
                lines = lines_needed(str(cell.value), chars)
            needed = max(needed, row_height(lines, size))
        if not needed:
            continue
        index = row[0].row
        current = sheet.row_dimensions[index].height or 0.0
        sheet.row_dimensions[index].height = min(MAX_ROW_HEIGHT, max(current, needed))


def used_width(sheet: Worksheet) -> float:
    return sum(column_widths(sheet).values())


def set_print(sheet: Worksheet, info: DocumentInfo) -> None:
    """A4, portrait or landscape by the used width, one page wide (as many pages down as it
    takes), the table's header rows repeated on every page, and a header and footer naming the
    client, the document, its version and date, the agency and the page. What a builder set
    itself (an orientation, the rows to repeat) stays."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    if setup.orientation not in ("portrait", "landscape"):
        setup.orientation = "landscape" if used_width(sheet) > PORTRAIT_WIDTH else "portrait"
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(
        left=0.5, right=0.5, top=0.75, bottom=0.75, header=0.3, footer=0.3
    )
    if not sheet.print_title_rows and sheet.freeze_panes:
        frozen = sheet[sheet.freeze_panes].row
        if frozen > 1:
            sheet.print_title_rows = f"1:{frozen - 1}"
    header, footer = sheet.oddHeader, sheet.oddFooter
    for part, text in (
        (header.left, _header_text(info.client or "", 60)),
        (header.center, _header_text(info.title, 80)),
        (header.right, _header_text(info.version_line, 60)),
        (footer.left, _header_text(info.agency, 60)),
        (footer.center, "Page &P of &N"),
        (footer.right, "&A"),  # the sheet's name
    ):
        part.text = text
        part.size = 8
        part.font = f"{FONT_NAME},Regular"


def _header_text(text: str, limit: int) -> str:
    """Text for a page header or footer: on one line, short, "&" doubled (a lone one starts a
    code there)."""
    flat = " ".join(clean_text(text).split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return flat.replace("&", "&&")

"""What every Word document the product writes shares (the workshop packet's, the policy's): outside
text cleaned of what Word refuses and laid out right to left where it reads so, fields (page
numbers, the table of contents), live links, Arial set explicitly on the styles, an A4 page with
a header and a numbered footer, and tables whose header row repeats and whose widths hold in
Word and LibreOffice alike.

Every outside value goes in as a run's text, never as markup or a field, so a formula or a tag
shows as the text it is. Pure: no clock, no Prefect, no LibreOffice.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from smpp.documents import FONT_NAME, LINK_COLOUR, MUTED_COLOUR
from smpp.sheets import clean_text

HEADING_COLOUR = RGBColor(0x1F, 0x3A, 0x5F)
MUTED = RGBColor.from_string(MUTED_COLOUR)
HEADER_SIZE = Pt(8)
# The bidirectional classes that start right-to-left text: Hebrew and Arabic letters, and the
# right-to-left embedding and override marks.
RIGHT_TO_LEFT = {"R", "AL", "RLE", "RLO"}
# What may follow w:bidi in a paragraph's properties (ECMA-376's order): Word refuses a file
# whose properties stand out of order, so the mark goes in before the first of these present.
AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def text(value: object) -> str:
    """Outside text for a Word run: no control characters Word would refuse (tab and newlines
    stay)."""
    return clean_text(str(value))


def right_to_left(value: str) -> bool:
    """Whether the text's first strong character reads right to left (Arabic, Hebrew): the rule
    the packet's HTML follows with dir="auto", so the Word file lays a name out as the page
    does."""
    for ch in value:
        direction = unicodedata.bidirectional(ch)
        if direction in RIGHT_TO_LEFT:
            return True
        if direction == "L":
            return False
    return False


def mark_right_to_left(paragraph: Paragraph, value: str) -> None:
    """Lays the paragraph out right to left (w:bidi) when `value`, the outside text it holds,
    reads so; otherwise leaves it as it is."""
    if right_to_left(value):
        properties = paragraph._p.get_or_add_pPr()
        properties.insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)


def paragraph(
    where: WordDocument | _Cell,
    value: str,
    *,
    bold: str = "",
    muted: bool = False,
    indent: float = 0,
    style: str | None = None,
) -> Paragraph:
    """A paragraph of outside text (in `style`, or the body's), led by an optional bold label,
    right to left if the text reads so."""
    added = where.add_paragraph(style=style)
    if indent:
        added.paragraph_format.left_indent = Cm(indent)
    if bold:
        added.add_run(text(bold)).bold = True
    run = added.add_run(text(value))
    if muted:
        run.font.color.rgb = MUTED
    mark_right_to_left(added, value)
    return added


def begin_field(paragraph: Paragraph, instruction: str) -> None:
    """The start of a Word field: its instruction (PAGE, TOC ...), then the mark after which its
    shown result stands. A field may end in a later paragraph (the table of contents does)."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    paragraph.add_run()._r.append(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    paragraph.add_run()._r.append(separate)


def end_field(paragraph: Paragraph) -> None:
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (page number, page count) showing `shown` until Word updates it, so a
    program that never updates fields still shows something sensible."""
    begin_field(paragraph, instruction)
    paragraph.add_run(shown)
    end_field(paragraph)


def link(paragraph: Paragraph, url: str, shown: str, size: Length | None = None) -> None:
    """A hyperlink to `url` showing `shown` (the address itself, so it survives printing). Only
    a web address becomes a link; anything else stays text, so an outside value cannot open a
    file or run a program."""
    address = text(url).strip()
    if not address.lower().startswith(("https://", "http://")):
        paragraph.add_run(text(shown)).font.size = size
        return
    r_id = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), LINK_COLOUR)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(colour)
    properties.append(underline)
    if size is not None:
        points = OxmlElement("w:sz")
        points.set(qn("w:val"), str(round(size.pt * 2)))  # half-points
        properties.append(points)
    run.append(properties)
    shown_text = OxmlElement("w:t")
    shown_text.set(qn("xml:space"), "preserve")
    shown_text.text = text(shown)
    run.append(shown_text)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def base_styles(
    document: WordDocument,
    names: Sequence[str],
    sizes: Mapping[str, float],
) -> None:
    """Arial on every style in `names`, for every script (Latin, East Asian, complex: Arabic and
    Hebrew fall back to it too), the `sizes` in points, and the title and headings in the
    headings' colour. Arial because LibreOffice shows it with the metrically equal Liberation
    Sans: the pages break alike in Word and LibreOffice (see `smpp.documents`).

    The default template's headings also name theme fonts, which win over the font named, so
    they are dropped."""
    styles = document.styles
    for name in names:
        style = styles[name]
        style.font.name = FONT_NAME
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT_NAME)
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    for name, size in sizes.items():
        styles[name].font.size = Pt(size)
    for name in names:
        if name == "Title" or name.startswith("Heading"):
            styles[name].font.color.rgb = HEADING_COLOUR


def page_and_header_footer(document: WordDocument, header: str, footer: str) -> None:
    """A4 portrait with 2.2 cm side margins (16.6 cm of text, which the tables' widths add up
    to); `header` on every page and "`footer` · page N of M" at the foot, both in small type
    (set on their styles, so the page numbers, fields Word and LibreOffice fill in, match the
    words around them)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    for name in ("Header", "Footer"):
        document.styles[name].font.size = HEADER_SIZE
    section.header.paragraphs[0].add_run(text(header))
    line = section.footer.paragraphs[0]
    line.add_run(text(f"{footer} · page "))
    field(line, "PAGE", "1")
    line.add_run(" of ")
    field(line, "NUMPAGES", "1")


def table(
    document: WordDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    size: Length | None = None,
    right: Sequence[int] = (),
) -> list[list[_Cell]]:
    """A table with its header row repeated on every page it runs onto, columns `widths` cm
    wide, text at `size` (None: the body's), the `right` columns' numbers and marks aligned
    right, and each cell right to left where its text reads so; returns the body's cells."""
    added = document.add_table(rows=1, cols=len(headers))
    added.style = "Table Grid"
    # Fixed widths on the grid's columns and on every cell: LibreOffice lays a table out from
    # its grid, Word from its cells.
    added.autofit = False
    for column, width in zip(added.columns, widths, strict=True):
        column.width = Cm(width)
    for cell, header, width in zip(added.rows[0].cells, headers, widths, strict=True):
        cell.width = Cm(width)
        label = cell.paragraphs[0].add_run(text(header))
        label.bold = True
        if size is not None:
            label.font.size = size
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    added.rows[0]._tr.get_or_add_trPr().append(repeat)
    body = []
    for values in rows:
        cells = added.add_row().cells
        for column, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = Cm(width)
            shown = cell.paragraphs[0].add_run(text(value))
            if size is not None:
                shown.font.size = size
            mark_right_to_left(cell.paragraphs[0], value)
            if column in right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        body.append(list(cells))
    return body

"""The packet as a Word document the attendees and the facilitator can open and edit in any
office program: the same segments, in the same order and with the same facts, as the HTML page.
Word's own styles (Title, Heading 1, Heading 2) so the navigation pane and a table of contents
work; every outside value goes through `clean_text`, so a control character cannot break the
file, and is added as a run's text, so markup or a formula shows as the text it is.

Pure: the date and everything shown are parameters.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from smpp.documents import FONT_NAME, long_date
from smpp.sheets import clean_text
from smpp.stages.packet.content import Evidence, Packet, agenda_total, figure_value
from smpp.taxonomy import element

SUBJECT = "Workshop packet"
MUTED = RGBColor(0x59, 0x59, 0x59)
LINK = RGBColor(0x05, 0x63, 0xC1)
HEADINGS = RGBColor(0x1F, 0x3A, 0x5F)
TABLE_SIZE = Pt(9)
WIDTH = 16.6  # cm of text on an A4 portrait page with 2.2 cm margins
_RTL = {"R", "AL", "RLE", "RLO"}


def _text(value: object) -> str:
    """Outside text for a Word run: no control characters Word would refuse."""
    return clean_text(str(value))


def _right_to_left(value: str) -> bool:
    """Whether the text's first strong character reads right to left (Arabic, Hebrew)."""
    for ch in value:
        direction = unicodedata.bidirectional(ch)
        if direction in _RTL:
            return True
        if direction == "L":
            return False
    return False


def _bidi(paragraph: Paragraph, value: str) -> None:
    """A paragraph of right-to-left text laid out right to left, as the HTML's dir="auto"."""
    if _right_to_left(value):
        properties = paragraph._p.get_or_add_pPr()
        properties.append(OxmlElement("w:bidi"))


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (page number, page count) with the text shown until updated."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = paragraph.add_run()
        if kind is not None:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run._r.append(code)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _link(paragraph: Paragraph, url: str, shown: str, size: Pt | None = None) -> None:
    """A hyperlink to `url` showing `shown` (the address itself, so it survives printing)."""
    address = _text(url).strip()
    if not address.lower().startswith(("https://", "http://")):
        paragraph.add_run(_text(shown)).font.size = size
        return
    r_id = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), str(LINK))
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    properties.append(colour)
    properties.append(underline)
    if size is not None:
        points = OxmlElement("w:sz")
        points.set(qn("w:val"), str(round(size.pt * 2)))
        properties.append(points)
    run.append(properties)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = _text(shown)
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


def _styles(document: WordDocument) -> None:
    styles = document.styles
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"):
        style = styles[name]
        style.font.name = FONT_NAME
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT_NAME)
        # The default template's heading themes name another font; the styles say Arial.
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
    styles["Normal"].font.size = Pt(10)
    styles["Title"].font.size = Pt(22)
    styles["Heading 1"].font.size = Pt(15)
    styles["Heading 2"].font.size = Pt(12)
    styles["Heading 3"].font.size = Pt(11)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.color.rgb = HEADINGS
    # Heading 1 starts each segment on a new page, as the HTML's print styles do.
    styles["Heading 1"].paragraph_format.page_break_before = True


def _header_footer(
    document: WordDocument, packet: Packet, made_at: datetime, version: int, agency: str
) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.0)
    header = section.header.paragraphs[0]
    header.add_run(
        _text(f"Workshop packet for {packet.client} · Version {version}, {long_date(made_at)}")
    ).font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.add_run(_text(f"{agency} for {packet.client} · page ")).font.size = Pt(8)
    _field(footer, "PAGE", "1")
    footer.add_run(" of ").font.size = Pt(8)
    _field(footer, "NUMPAGES", "1")


def _paragraph(
    where: WordDocument | _Cell,
    value: str,
    *,
    bold: str = "",
    muted: bool = False,
    indent: float = 0,
    style: str = "Normal",
) -> Paragraph:
    """A paragraph of outside text, led by an optional bold label."""
    paragraph = where.add_paragraph(style=style)
    if indent:
        paragraph.paragraph_format.left_indent = Cm(indent)
    if bold:
        paragraph.add_run(_text(bold)).bold = True
    run = paragraph.add_run(_text(value))
    if muted:
        run.font.color.rgb = MUTED
    _bidi(paragraph, value)
    return paragraph


def _quote(where: WordDocument | _Cell, evidence: Evidence, *, named: bool = True) -> None:
    """A company's sentence as published, with its source's address."""
    said = f"{evidence.company}: “{evidence.quote}” " if named else f"“{evidence.quote}” "
    paragraph = _paragraph(where, said, indent=0.8)
    paragraph.runs[-1].italic = True
    _link(paragraph, evidence.url, evidence.url)


def _table(
    document: WordDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    right: Sequence[int] = (),
) -> list[list[_Cell]]:
    """A table with a header row repeated on every page (the `right` columns' numbers and marks
    aligned right); returns the body's cells."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    # Fixed widths on the grid too: LibreOffice lays the table out from the grid's columns.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for cell, header, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Cm(width)
        label = cell.paragraphs[0].add_run(_text(header))
        label.bold, label.font.size = True, TABLE_SIZE
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    body = []
    for values in rows:
        cells = table.add_row().cells
        for column, (cell, value, width) in enumerate(zip(cells, values, widths, strict=True)):
            cell.width = Cm(width)
            shown = cell.paragraphs[0].add_run(_text(value))
            shown.font.size = TABLE_SIZE
            _bidi(cell.paragraphs[0], value)
            if column in right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        body.append(list(cells))
    # The last row never stands alone on a page (an agenda's total with its last item).
    for cells in body[-2:-1]:
        for cell in cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    return body


def packet_docx(
    packet: Packet, made_at: datetime, *, version: int, agency: str, draft: bool = False
) -> bytes:
    """The packet as a .docx; `made_at` in the client's time zone."""
    document = Document()
    _styles(document)
    _header_footer(document, packet, made_at, version, agency)
    title = f"Workshop packet for {packet.client}"
    properties = document.core_properties
    properties.title = _text(title)[:250]
    properties.subject = SUBJECT
    properties.author = properties.last_modified_by = _text(agency)[:250]
    properties.comments = _text(f"Version {version}")
    properties.keywords = "workshop packet; social media policy"
    properties.revision = max(version, 1)  # Word counts revisions from 1
    # Core properties hold UTC (the file says "Z"), as the workbooks' do.
    properties.created = properties.modified = made_at.astimezone(UTC).replace(tzinfo=None)

    _cover(document, packet, made_at, version, agency, draft, title)
    _agenda(document, packet)
    _scenario(document, packet)
    _questions(document, packet)
    _review(document, packet)
    _topics(document, packet)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cover(
    document: WordDocument,
    packet: Packet,
    made_at: datetime,
    version: int,
    agency: str,
    draft: bool,
    title: str,
) -> None:
    _bidi(document.add_paragraph(_text(title), style="Title"), packet.client)
    _paragraph(
        document,
        f"Version {version}, {long_date(made_at)}"
        + (": draft for the account lead's review" if draft else "")
        + f". Workshop: {long_date(packet.workshop)}, {packet.session_minutes} minutes. "
        f"Prepared by {agency}.",
        muted=True,
    )
    if packet.missing:
        _paragraph(document, " This packet goes out without:", bold="Missing inputs.")
        for line in packet.missing:
            _paragraph(document, line, style="List Bullet")
    if packet.stale:
        # The count here; each stale figure is marked in the scenario's table (the account lead
        # had the advice on what to update in the draft's mail).
        _paragraph(
            document,
            f" {len(packet.stale)} of the {len(packet.figures)} scenario figures are older than "
            "the engagement allows; each is marked in the scenario segment.",
            bold="Stale figures.",
        )
    _paragraph(
        document,
        "Read this before the workshop. It follows the session's four segments: the social "
        "media scenario, the five questions with what you answered in advance, the critical "
        "review of comparable companies, and the drafting topics on which the room is to reach "
        "consensus.",
    )


def _agenda(document: WordDocument, packet: Packet) -> None:
    # The agenda follows the cover on its page, as in the HTML.
    document.add_heading("Agenda", level=1).paragraph_format.page_break_before = False
    rows = [
        (
            f"{item.start:%H:%M}–{item.end:%H:%M}",
            item.segment,
            item.item,
            str(item.minutes),
        )
        for item in packet.agenda
    ]
    rows.append(("", "", "Total", str(agenda_total(packet.agenda))))
    body = _table(
        document, ("Time", "Segment", "Item", "Minutes"), rows, (2.4, 3.4, 9.0, 1.8), right=(3,)
    )
    for run in body[-1][2].paragraphs[0].runs + body[-1][3].paragraphs[0].runs:
        run.bold = True


def _scenario(document: WordDocument, packet: Packet) -> None:
    document.add_heading("1. The social media scenario", level=1)
    if not packet.figures:
        _paragraph(document, "No figures.", muted=True)
        return
    body = _table(
        document,
        ("Figure", "Value", "Source"),
        [("", figure_value(shown.figure), "") for shown in packet.figures],
        (8.4, 2.2, 6.0),
        right=(1,),
    )
    for shown, cells in zip(packet.figures, body, strict=True):
        figure = shown.figure
        first = cells[0].paragraphs[0]
        first.add_run(_text(figure.stated()))
        if shown.stale:
            first.add_run(f" (stale: {shown.stale.age_years} years old)").bold = True
        quote = _paragraph(cells[0], f"“{figure.quote}”", indent=0.4)
        quote.runs[-1].italic = True
        source = cells[2].paragraphs[0]
        source.add_run(_text(f"{figure.publisher}, {figure.year}: {figure.title} "))
        _link(source, figure.url, figure.url, TABLE_SIZE)
        for cell in cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_SIZE


def _questions(document: WordDocument, packet: Packet) -> None:
    document.add_heading("2. The five questions", level=1)
    _paragraph(
        document,
        f"{packet.answered} of {packet.invited} invited people answered"
        + ("; names are withheld." if packet.anonymised else "."),
    )
    if packet.not_answered:
        _paragraph(document, "Not answered: " + "; ".join(packet.not_answered) + ".")
    if packet.unrepresented:
        _paragraph(
            document,
            "Not represented: no answer from anyone in " + ", ".join(packet.unrepresented) + ".",
        )
    if packet.absent:
        _paragraph(
            document,
            "Answered but will not attend (their view is carried into the room): "
            + "; ".join(packet.absent)
            + ".",
        )
    for segment in packet.questions:
        document.add_heading(
            _text(f"{segment.question.title}: {segment.question.question}"), level=2
        )
        for counts in segment.counts:
            tally = ", ".join(f"{option} {n}" for option, n in counts.counts)
            _paragraph(document, f"{counts.prompt} ({counts.label}): {tally}")
        for divergence in segment.divergences:
            _paragraph(
                document,
                f" on “{divergence.prompt}”: {divergence.reason}",
                bold="Divergence",
            )
        for quote in segment.quotes:
            said = _paragraph(document, quote.text, indent=0.8)
            said.runs[-1].italic = True
            said.paragraph_format.space_after = Pt(0)  # its author right below it
            _paragraph(
                document,
                f"— {quote.who}" + (", will not attend" if quote.absent else ""),
                muted=True,
                indent=0.8,
            )
        if not segment.counts and not segment.quotes:
            _paragraph(document, "No answers to this question.", muted=True)


def _review(document: WordDocument, packet: Packet) -> None:
    document.add_heading("3. The peer review", level=1)
    if not packet.companies:
        _paragraph(document, "No company policy was reviewed.", muted=True)
        return
    share = (WIDTH - 5.6) / len(packet.companies)
    rows = [
        (
            f"{e_id} {element(str(e_id)).name}",
            *("✓" if bool(packet.matrix.loc[e_id, c]) else "" for c in packet.companies),
        )
        for e_id in packet.matrix.index
    ]
    _table(
        document,
        ("Element", *packet.companies),
        rows,
        (5.6, *([share] * len(packet.companies))),
        right=tuple(range(1, len(packet.companies) + 1)),
    )
    for heading, ids in (
        ("Common elements (most companies)", packet.common),
        ("Differences (some companies)", packet.differences),
    ):
        document.add_heading(heading, level=2)
        if not ids:
            _paragraph(document, "None.", muted=True)
        for element_id in ids:
            _paragraph(document, "", bold=f"{element_id} {element(element_id).name}")
            for company in packet.companies:
                found = packet.review_evidence.get((element_id, company))
                if found is not None:
                    _quote(document, found)
    document.add_heading("Red flags", level=2)
    if not packet.red_flags:
        _paragraph(document, "No red flag in the policies reviewed.", muted=True)
    for flag in packet.red_flags:
        _paragraph(document, f"{flag.company}, {flag.element}: {flag.reason}")
        _quote(document, Evidence(flag.company, flag.sentence, flag.url), named=False)


def _topics(document: WordDocument, packet: Packet) -> None:
    document.add_heading("4. The drafting topics", level=1)
    _paragraph(
        document,
        f"{len(packet.topics)} topics, one per element, ordered by the five questions: "
        f"{len(packet.quick_topics)} quick confirmations, {len(packet.discussion_topics)} for "
        "discussion.",
    )
    for topic in packet.topics:
        minutes = f", {topic.minutes} min" if topic.minutes else ""
        document.add_heading(
            _text(
                f"{topic.id} {topic.element.name} ({topic.question}; {topic.kind.lower()}{minutes})"
            ),
            level=2,
        )
        _paragraph(document, topic.element.definition, muted=True)
        for option in topic.options:
            _paragraph(
                document,
                f": {option.position.summary}" + ("" if option.peers else " (no company)"),
                bold=option.position.label,
                style="List Bullet",
            )
            for peer in option.peers:
                _quote(document, peer)
        for peer in topic.other_words:
            _paragraph(document, f"In other words, {peer.company}:")
            _quote(document, peer, named=False)
        if topic.silent:
            _paragraph(document, "Silent on it: " + ", ".join(topic.silent) + ".", muted=True)
        for divergence in topic.divergences:
            _paragraph(document, f"Questionnaire: “{divergence.prompt}”: {divergence.reason}")
        for flag in topic.red_flags:
            _paragraph(document, f" ({flag.company}): {flag.reason}", bold="Red flag")
        start = (f"{topic.recommended.label}. " if topic.recommended else "") + topic.reason
        _paragraph(document, " " + start, bold="Start from:")

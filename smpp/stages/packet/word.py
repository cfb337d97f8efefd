"""The packet as a Word document the attendees and the facilitator can open and edit in any
office program: the same segments, in the same order and with the same facts, as the HTML page.
Word's own styles (Title, Heading 1, Heading 2) so the navigation pane and a table of contents
work; every outside value goes in through `smpp.word`, so a control character cannot break the
file, and as a run's text, so markup or a formula shows as the text it is.

Pure: the date and everything shown are parameters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.shared import Pt
from docx.table import _Cell

from smpp import word
from smpp.documents import long_date
from smpp.stages.packet.content import Packet, agenda_total, figure_value
from smpp.stages.peer_review.records import Evidence
from smpp.taxonomy import element

SUBJECT = "Workshop packet"
TABLE_SIZE = Pt(9)
WIDTH = 16.6  # cm of text on an A4 portrait page with 2.2 cm margins


def _styles(document: WordDocument) -> None:
    word.base_styles(
        document,
        ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet"),
        {"Normal": 10, "Title": 22, "Heading 1": 15, "Heading 2": 12, "Heading 3": 11},
    )
    # Heading 1 starts each segment on a new page, as the HTML's print styles do.
    document.styles["Heading 1"].paragraph_format.page_break_before = True


def _quote(where: WordDocument | _Cell, evidence: Evidence, *, named: bool = True) -> None:
    """A company's sentence as published, with its source's address."""
    said = f"{evidence.company}: “{evidence.sentence}” " if named else f"“{evidence.sentence}” "
    paragraph = word.paragraph(where, said, indent=0.8)
    paragraph.runs[-1].italic = True
    word.link(paragraph, evidence.url, evidence.url)


def _table(
    document: WordDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    right: Sequence[int] = (),
) -> list[list[_Cell]]:
    """The packet's tables, in small type; returns the body's cells."""
    body = word.table(document, headers, rows, widths, size=TABLE_SIZE, right=right)
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
    word.page_and_header_footer(
        document,
        f"Workshop packet for {packet.client} · Version {version}, {long_date(made_at)}",
        f"{agency} for {packet.client}",
    )
    title = f"Workshop packet for {packet.client}"
    properties = document.core_properties
    properties.title = word.text(title)[:250]
    properties.subject = SUBJECT
    properties.author = properties.last_modified_by = word.text(agency)[:250]
    properties.comments = word.text(f"Version {version}")
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
    title_paragraph = document.add_paragraph(word.text(title), style="Title")
    word.mark_right_to_left(title_paragraph, packet.client)
    word.paragraph(
        document,
        f"Version {version}, {long_date(made_at)}"
        + (": draft for the account lead's review" if draft else "")
        + f". Workshop: {long_date(packet.workshop)}, {packet.session_minutes} minutes. "
        f"Prepared by {agency}.",
        muted=True,
    )
    if packet.missing:
        word.paragraph(document, " This packet goes out without:", bold="Missing inputs.")
        for line in packet.missing:
            word.paragraph(document, line, style="List Bullet")
    if packet.stale:
        # The count here; each stale figure is marked in the scenario's table (the account lead
        # had the advice on what to update in the draft's mail).
        word.paragraph(
            document,
            f" {len(packet.stale)} of the {len(packet.figures)} scenario figures are older than "
            "the engagement allows; each is marked in the scenario segment.",
            bold="Stale figures.",
        )
    word.paragraph(
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
        word.paragraph(document, "No figures.", muted=True)
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
        first.add_run(word.text(figure.stated()))
        if shown.stale:
            first.add_run(f" (stale: {shown.stale.age_years} years old)").bold = True
        quote = word.paragraph(cells[0], f"“{figure.quote}”", indent=0.4)
        quote.runs[-1].italic = True
        source = cells[2].paragraphs[0]
        source.add_run(word.text(f"{figure.publisher}, {figure.year}: {figure.title} "))
        word.link(source, figure.url, figure.url, TABLE_SIZE)
        for cell in cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_SIZE


def _questions(document: WordDocument, packet: Packet) -> None:
    document.add_heading("2. The five questions", level=1)
    word.paragraph(
        document,
        f"{packet.answered} of {packet.invited} invited people answered"
        + ("; names are withheld." if packet.anonymised else "."),
    )
    if packet.not_answered:
        word.paragraph(document, "Not answered: " + "; ".join(packet.not_answered) + ".")
    if packet.unrepresented:
        word.paragraph(
            document,
            "Not represented: no answer from anyone in " + ", ".join(packet.unrepresented) + ".",
        )
    if packet.absent:
        word.paragraph(
            document,
            "Answered but will not attend (their view is carried into the room): "
            + "; ".join(packet.absent)
            + ".",
        )
    for segment in packet.questions:
        document.add_heading(
            word.text(f"{segment.question.title}: {segment.question.question}"), level=2
        )
        for counts in segment.counts:
            tally = ", ".join(f"{option} {n}" for option, n in counts.counts)
            word.paragraph(document, f"{counts.prompt} ({counts.label}): {tally}")
        for divergence in segment.divergences:
            word.paragraph(
                document,
                f" on “{divergence.prompt}”: {divergence.reason}",
                bold="Divergence",
            )
        for quote in segment.quotes:
            said = word.paragraph(document, quote.text, indent=0.8)
            said.runs[-1].italic = True
            said.paragraph_format.space_after = Pt(0)  # its author right below it
            word.paragraph(
                document,
                f"— {quote.who}" + (", will not attend" if quote.absent else ""),
                muted=True,
                indent=0.8,
            )
        if not segment.counts and not segment.quotes:
            word.paragraph(document, "No answers to this question.", muted=True)


def _review(document: WordDocument, packet: Packet) -> None:
    document.add_heading("3. The peer review", level=1)
    if not packet.companies:
        word.paragraph(document, "No company policy was reviewed.", muted=True)
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
            word.paragraph(document, "None.", muted=True)
        for element_id in ids:
            word.paragraph(document, "", bold=f"{element_id} {element(element_id).name}")
            for company in packet.companies:
                found = packet.review_evidence.get((element_id, company))
                if found is not None:
                    _quote(document, found)
    document.add_heading("Red flags", level=2)
    if not packet.red_flags:
        word.paragraph(document, "No red flag in the policies reviewed.", muted=True)
    for flag in packet.red_flags:
        word.paragraph(document, f"{flag.company}, {flag.element}: {flag.reason}")
        _quote(document, Evidence(flag.company, flag.sentence, flag.url), named=False)


def _topics(document: WordDocument, packet: Packet) -> None:
    document.add_heading("4. The drafting topics", level=1)
    word.paragraph(
        document,
        f"{len(packet.topics)} topics, one per element, ordered by the five questions: "
        f"{len(packet.quick_topics)} quick confirmations, {len(packet.discussion_topics)} for "
        "discussion.",
    )
    for topic in packet.topics:
        minutes = f", {topic.minutes} min" if topic.minutes else ""
        document.add_heading(
            word.text(
                f"{topic.id} {topic.element.name} ({topic.question}; {topic.kind.lower()}{minutes})"
            ),
            level=2,
        )
        word.paragraph(document, topic.element.definition, muted=True)
        for option in topic.options:
            word.paragraph(
                document,
                f": {option.position.summary}" + ("" if option.peers else " (no company)"),
                bold=option.position.label,
                style="List Bullet",
            )
            for peer in option.peers:
                _quote(document, peer)
        for peer in topic.other_words:
            word.paragraph(document, f"In other words, {peer.company}:")
            _quote(document, peer, named=False)
        if topic.silent:
            word.paragraph(document, "Silent on it: " + ", ".join(topic.silent) + ".", muted=True)
        for divergence in topic.divergences:
            word.paragraph(document, f"Questionnaire: “{divergence.prompt}”: {divergence.reason}")
        for flag in topic.red_flags:
            word.paragraph(document, f" ({flag.company}): {flag.reason}", bold="Red flag")
        start = (f"{topic.recommended.label}. " if topic.recommended else "") + topic.reason
        word.paragraph(document, " " + start, bold="Start from:")

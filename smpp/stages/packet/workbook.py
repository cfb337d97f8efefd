"""The packet workbook: cover, agenda, scenario (with a native chart), the five questions, the
review matrix, the drafting topics and the evidence behind each option, in the order the
facilitator walks through them. Outside text (names, answers, quotes) is written as text."""

from __future__ import annotations

from datetime import datetime

from openpyxl.chart import Reference
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from smpp.documents import (
    HEADING_FONT,
    NOTE_FONT,
    TITLE_FONT,
    ChartColumn,
    DocumentInfo,
    FullTexts,
    Mark,
    add_cover,
    bar_chart,
    finish_workbook,
    link,
    link_text,
    long_date,
    new_workbook,
    write_paragraph,
)
from smpp.sheets import BOLD, HEADER_FILL, WRAP, set_text, to_bytes, write_cell, write_table
from smpp.stages.packet.content import (
    QUICK,
    Packet,
    Topic,
    agenda_total,
)
from smpp.stages.peer_review.comparison import QUESTION_LABELS
from smpp.taxonomy import element

TITLE = "Workshop packet"
SHEETS = (
    "Cover",
    "Agenda",
    "Scenario",
    "Questions",
    "Review matrix",
    "Review evidence",
    "Drafting topics",
    "Evidence",
)
TOPIC_HEADERS = (
    "Topic",
    "Element",
    "Question",
    "Kind",
    "Options seen among the companies",
    "Questionnaire divergences",
    "Red flags",
    "Recommended start",
    "Why",
)
TOPIC_WIDTHS = (6, 16, 9, 12, 40, 22, 24, 16, 22)
AGENDA_HEADERS = ("Time", "Segment", "Item", "Minutes")
SCENARIO_HEADERS = (
    "Topic",
    "Figure",
    "Value",
    "Year",
    "Source",
    "Quote",
    "Link",
    "Stale",
)
REVIEW_HEADERS = ("Element", "Kind", "Company", "Evidence", "Source")
EVIDENCE_HEADERS = ("Topic", "Position", "Company", "Quote", "Source")
STALE = "FCE4D6"
STALE_FILL = PatternFill("solid", fgColor=STALE)
QUICK_COLOUR = "E2EFDA"
QUICK_FILL = PatternFill("solid", fgColor=QUICK_COLOUR)
CELL_LIMIT = 700  # characters of a quote or list shown in a cell; the rest on "Full texts"


def build_packet_workbook(
    packet: Packet, made_at: datetime, *, version: int, agency: str, draft: bool = False
) -> bytes:
    book = new_workbook()
    book.remove(book.active)
    full = FullTexts()
    _agenda_sheet(book.create_sheet("Agenda"), packet)
    _scenario_sheet(book.create_sheet("Scenario"), packet)
    _questions_sheet(book.create_sheet("Questions"), packet, full)
    _matrix_sheet(book.create_sheet("Review matrix"), packet)
    _review_evidence_sheet(book.create_sheet("Review evidence"), packet, full)
    _topics_sheet(book.create_sheet("Drafting topics"), packet, full)
    _evidence_sheet(book.create_sheet("Evidence"), packet, full)
    full.write(book)
    info = packet_info(packet, made_at, version, agency)
    cover = add_cover(
        book,
        info,
        [
            ("Agenda", f"The session of {packet.session_minutes} minutes, segment by segment."),
            ("Scenario", "Figures on social media in business, each with its source and quote."),
            ("Questions", "The five questions with what the attendees answered in advance."),
            ("Review matrix", "Which of the 25 elements each company's policy addresses."),
            ("Review evidence", "For each common element and difference, each company's sentence."),
            ("Drafting topics", "One row per element: options, divergences, red flags, start."),
            ("Evidence", "The sentence behind every option a company takes, with its source."),
        ],
        [
            Mark("", "Quick confirmation: the companies and the respondents agree.", QUICK_COLOUR),
            Mark("", "A scenario figure older than the engagement allows: to update.", STALE),
        ],
        facts=[("Workshop", long_date(packet.workshop))]
        + ([("Status", _status(draft))] if draft else []),
    )
    if packet.missing:
        row = cover.max_row + 2
        set_text(cover.cell(row=row, column=1), "Missing inputs")
        cover.cell(row=row, column=1).font = HEADING_FONT
        for line in packet.missing:
            row = write_paragraph(cover, row + 1, f"•  {line}", 2) - 1
    finish_workbook(book, info)
    return to_bytes(book)


def _status(draft: bool) -> str:
    return "Draft for the account lead's review" if draft else "For the attendees"


def packet_info(packet: Packet, made_at: datetime, version: int, agency: str) -> DocumentInfo:
    quick = len(packet.quick_topics)
    findings = [
        f"{len(packet.topics)} drafting topics: {quick} quick confirmations, "
        f"{len(packet.topics) - quick} for discussion.",
        f"{len(packet.companies)} companies reviewed; {len(packet.red_flags)} red flags.",
        f"{packet.answered} of {packet.invited} invited people answered the questionnaire.",
        f"{len(packet.figures)} scenario figures"
        + (f", {len(packet.stale)} of them stale." if packet.stale else "."),
    ]
    return DocumentInfo(
        client=packet.client,
        title=TITLE,
        version=version,
        made_at=made_at,
        agency=agency,
        audience="the workshop's attendees, those who will not attend, and the facilitator",
        purpose="What to read before the workshop and what the facilitator walks through in "
        "it: the social media scenario, the five questions, the peer review and the drafting "
        "topics on which consensus is to be reached.",
        findings=tuple(findings),
        keywords=("workshop", "packet"),
    )


def _title(sheet: Worksheet, text: str, note: str, columns: int) -> int:
    set_text(sheet.cell(row=1, column=1), text)
    sheet.cell(row=1, column=1).font = TITLE_FONT
    return write_paragraph(sheet, 2, note, columns, NOTE_FONT) + 1


def _agenda_sheet(sheet: Worksheet, packet: Packet) -> None:
    top = _title(
        sheet,
        "Agenda",
        f"The session starts {long_date(packet.workshop)} and lasts "
        f"{agenda_total(packet.agenda)} minutes.",
        4,
    )
    rows = [(f"{a.start:%H:%M}-{a.end:%H:%M}", a.segment, a.item, a.minutes) for a in packet.agenda]
    last = write_table(sheet, top, AGENDA_HEADERS, rows, widths=(12, 22, 56, 8))
    total = last + 1
    set_text(sheet.cell(row=total, column=3), "Total")
    sheet.cell(row=total, column=3).font = BOLD
    sheet.cell(row=total, column=4).value = f"=SUM(D{top + 1}:D{last})"
    sheet.freeze_panes = f"A{top + 1}"


def _scenario_sheet(sheet: Worksheet, packet: Packet) -> None:
    top = _title(
        sheet,
        "Social media scenario",
        "Each figure with the publisher, year, title and address of its source and the "
        "sentence that states it, so anyone can check it.",
        len(SCENARIO_HEADERS),
    )
    rows = []
    for shown in packet.figures:
        f = shown.figure
        rows.append(
            (
                shown.topic_words,
                f.stated(),
                f.value / 100 if f.unit == "%" else f.value,
                f.year,
                f"{f.publisher}: {f.title}",
                f.quote,
                "",
                f"Stale: {shown.stale.age_years} years old" if shown.stale else "",
            )
        )
    widths = (11, 34, 8, 6, 22, 48, 24, 12)
    last = write_table(sheet, top, SCENARIO_HEADERS, rows, widths=widths)
    for offset, shown in enumerate(packet.figures, start=1):
        row = top + offset
        value = sheet.cell(row=row, column=3)
        value.number_format = "0.0%" if shown.figure.unit == "%" else "General"
        link(sheet.cell(row=row, column=7), shown.figure.url, link_text(shown.figure.url, 24))
        if shown.stale:
            for column in range(1, len(SCENARIO_HEADERS) + 1):
                sheet.cell(row=row, column=column).fill = STALE_FILL
    sheet.freeze_panes = f"A{top + 1}"
    percent = [i for i, s in enumerate(packet.figures, start=1) if s.figure.unit == "%"]
    if not percent:
        return
    # The chart reads a compact table of its own, so it shows only the percentages.
    data_top = last + 3
    set_text(sheet.cell(row=data_top, column=1), "Chart data")
    sheet.cell(row=data_top, column=1).font = BOLD
    for n, index in enumerate(percent, start=1):
        shown = packet.figures[index - 1]
        set_text(sheet.cell(row=data_top + n, column=1), f"{shown.figure.id} ({shown.figure.year})")
        sheet.cell(row=data_top + n, column=3).value = shown.figure.value / 100
        sheet.cell(row=data_top + n, column=3).number_format = "0%"
    end = data_top + len(percent)
    chart = bar_chart(
        Reference(sheet, min_col=3, min_row=data_top + 1, max_row=end),
        Reference(sheet, min_col=1, min_row=data_top + 1, max_row=end),
        percent=True,
    )
    charts = ChartColumn(sheet, end + 2)
    charts.add("The scenario's percentages", chart, max(8.0, 0.7 * len(percent) + 2))


def _questions_sheet(sheet: Worksheet, packet: Packet, full: FullTexts) -> None:
    widths = (58, 28, 9)
    for n, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    row = _title(
        sheet,
        "The five questions",
        f"{packet.answered} of {packet.invited} invited people answered"
        + (
            " (names withheld: the engagement asks for anonymised answers)."
            if packet.anonymised
            else "."
        ),
        3,
    )
    if packet.not_answered:
        row = write_paragraph(sheet, row, "Not answered: " + "; ".join(packet.not_answered), 3)
    if packet.unrepresented:
        row = write_paragraph(
            sheet,
            row,
            "Not represented (no answer from anyone in): " + "; ".join(packet.unrepresented),
            3,
        )
    if packet.absent:
        row = write_paragraph(
            sheet,
            row,
            "Answered but will not attend (their view is carried in): " + "; ".join(packet.absent),
            3,
        )
    for segment in packet.questions:
        row += 1
        q = segment.question
        set_text(sheet.cell(row=row, column=1), f"{q.title}: {q.question}")
        sheet.cell(row=row, column=1).font = HEADING_FONT
        sheet.cell(row=row, column=1).alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)
        row += 1
        for counts in segment.counts:
            tally = ", ".join(f"{option}: {n}" for option, n in counts.counts)
            row = write_paragraph(sheet, row, f"{counts.prompt} ({counts.label}) - {tally}", 3)
        for d in segment.divergences:
            row = write_paragraph(sheet, row, f"Divergence - {d.prompt}: {d.reason}", 3, BOLD)
        prompts = list(dict.fromkeys(quote.prompt for quote in segment.quotes))
        for prompt in prompts:
            row = write_paragraph(sheet, row, prompt, 3, BOLD)
            for n, header in enumerate(("Answer", "Who", "Attends"), start=1):
                cell = sheet.cell(row=row, column=n)
                set_text(cell, header)
                cell.font = BOLD
                cell.fill = HEADER_FILL
            row += 1
            for quote in (q for q in segment.quotes if q.prompt == prompt):
                where = f"Questions, {q.title}: {quote.who}"
                write_cell(sheet, row, 1, full.cut(quote.text, CELL_LIMIT, where))
                write_cell(sheet, row, 2, quote.who)
                write_cell(sheet, row, 3, "no" if quote.absent else "yes")
                for n in range(1, 4):
                    sheet.cell(row=row, column=n).alignment = WRAP
                row += 1
        if not segment.quotes and not segment.counts:
            row = write_paragraph(sheet, row, "No answers to this question.", 3, NOTE_FONT)


def _matrix_sheet(sheet: Worksheet, packet: Packet) -> None:
    companies = list(packet.companies)
    headers = ("Element", "Question", *companies, "Companies")
    top = _title(
        sheet,
        "Review matrix",
        "✓: the company's policy addresses the element (the Evidence sheet and the peer review "
        "hold the sentences).",
        len(headers),
    )
    rows = []
    for e_id in packet.matrix.index if companies else []:
        e = element(str(e_id))
        marks = ["✓" if bool(packet.matrix.loc[e_id, c]) else "" for c in companies]
        rows.append(
            (f"{e.id} {e.name}", QUESTION_LABELS[e.question], *marks, sum(m == "✓" for m in marks))
        )
    widths = (34, 11, *([14] * len(companies)), 11)
    last = write_table(sheet, top, headers, rows, widths=widths)
    for r in range(top + 1, last + 1):
        for c in range(3, 3 + len(companies)):
            sheet.cell(row=r, column=c).alignment = Alignment(horizontal="center", vertical="top")
    sheet.freeze_panes = f"C{top + 1}"
    row = last + 2
    for label, ids in (
        ("Common elements (most companies)", packet.common),
        ("Differences (some companies)", packet.differences),
    ):
        names = "; ".join(f"{i} {element(i).name}" for i in ids) or "none"
        row = write_paragraph(sheet, row, f"{label}: {names}", len(headers))
    if packet.unique:
        only = "; ".join(f"{i} {element(i).name} ({c})" for i, c in packet.unique.items())
        row = write_paragraph(sheet, row, f"Only one company: {only}", len(headers))
    row += 1
    set_text(sheet.cell(row=row, column=1), "Red flags")
    sheet.cell(row=row, column=1).font = HEADING_FONT
    if not packet.red_flags:
        write_paragraph(
            sheet, row + 1, "No red flag in the policies reviewed.", len(headers), NOTE_FONT
        )
    for flag in packet.red_flags:
        row = (
            write_paragraph(
                sheet,
                row + 1,
                f"{flag.company}, {flag.element} {element(flag.element).name}: {flag.reason} "
                f"- \u201c{flag.sentence}\u201d ({flag.url})",
                len(headers),
            )
            - 1
        )


def _review_evidence_sheet(sheet: Worksheet, packet: Packet, full: FullTexts) -> None:
    top = _title(
        sheet,
        "Review evidence",
        "The common elements (most companies address them) and the differences (some do), each "
        "with the sentence of each company's policy that addresses it and its source.",
        5,
    )
    rows: list[tuple[str, str, str, str, str]] = []
    urls: list[str] = []
    for kind, ids in (("Common", packet.common), ("Difference", packet.differences)):
        for element_id in ids:
            for company in packet.companies:
                found = packet.review_evidence.get((element_id, company))
                if found is None:
                    continue
                where = f"Review evidence, {element_id} {company}"
                name = f"{element_id} {element(element_id).name}"
                rows.append((name, kind, company, full.cut(found.sentence, CELL_LIMIT, where), ""))
                urls.append(found.url)
    write_table(sheet, top, REVIEW_HEADERS, rows, widths=(26, 11, 18, 60, 24), filtered=True)
    for offset, url in enumerate(urls, start=1):
        link(sheet.cell(row=top + offset, column=5), url, link_text(url, 24))


def _topic_row(topic: Topic, full: FullTexts) -> tuple[object, ...]:
    lines = [
        f"{o.position.label}: " + (", ".join(o.companies) if o.peers else "no company")
        for o in topic.options
    ]
    if topic.other_words:
        lines.append("In other words: " + ", ".join(e.company for e in topic.other_words))
    if topic.silent:
        lines.append("Silent: " + ", ".join(topic.silent))
    options = "\n".join(lines)
    # The prompts only: their counts and reasons are on the Questions sheet.
    divergences = "\n".join(d.prompt for d in topic.divergences) or "none"
    flags = "\n".join(f"{f.company}: {f.reason}" for f in topic.red_flags) or "none"
    start = topic.recommended.label if topic.recommended else "(none)"
    return (
        topic.id,
        topic.element.name,
        topic.question,
        f"{topic.kind}, {topic.minutes} min" if topic.minutes else topic.kind,
        full.cut(options, CELL_LIMIT, f"Drafting topics, {topic.id} options"),
        full.cut(divergences, CELL_LIMIT, f"Drafting topics, {topic.id} divergences"),
        full.cut(flags, CELL_LIMIT, f"Drafting topics, {topic.id} red flags"),
        start,
        topic.reason,
    )


def _topics_sheet(sheet: Worksheet, packet: Packet, full: FullTexts) -> None:
    top = _title(
        sheet,
        "Drafting topics",
        "Every element of the taxonomy, ordered by the five questions. Quick confirmations are "
        "shaded; the rest are for discussion, in the agenda's order.",
        len(TOPIC_HEADERS),
    )
    rows = [_topic_row(t, full) for t in packet.topics]
    write_table(sheet, top, TOPIC_HEADERS, rows, widths=TOPIC_WIDTHS, filtered=True)
    for offset, topic in enumerate(packet.topics, start=1):
        if topic.kind == QUICK:
            for column in range(1, len(TOPIC_HEADERS) + 1):
                sheet.cell(row=top + offset, column=column).fill = QUICK_FILL
    sheet.page_setup.orientation = "landscape"


def _evidence_sheet(sheet: Worksheet, packet: Packet, full: FullTexts) -> None:
    top = _title(
        sheet,
        "Evidence",
        "The sentence of each company's policy that shows the position it takes (or covers the "
        "element in other words), with its source.",
        len(EVIDENCE_HEADERS),
    )
    rows: list[tuple[str, str, str, str, str]] = []
    urls: list[str] = []
    for topic in packet.topics:
        for option in topic.options:
            for peer in option.peers:
                rows.append(
                    (
                        topic.id,
                        option.position.label,
                        peer.company,
                        full.cut(peer.sentence, CELL_LIMIT, f"Evidence, {topic.id} {peer.company}"),
                        "",
                    )
                )
                urls.append(peer.url)
        for peer in topic.other_words:
            rows.append(
                (
                    topic.id,
                    "(in other words)",
                    peer.company,
                    full.cut(peer.sentence, CELL_LIMIT, f"Evidence, {topic.id} {peer.company}"),
                    "",
                )
            )
            urls.append(peer.url)
    write_table(sheet, top, EVIDENCE_HEADERS, rows, widths=(7, 26, 18, 64, 24), filtered=True)
    for offset, url in enumerate(urls, start=1):
        link(sheet.cell(row=top + offset, column=5), url, link_text(url, 24))

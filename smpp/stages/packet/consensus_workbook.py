"""The consensus workbook the facilitator fills in during the workshop: one row per drafting
topic (an element of the taxonomy) with its options, a decision chosen from a drop-down (one of
the element's positions, own wording, or deferred), the agreed wording, the follow-up with its
owner and due date, and notes. It carries the form marker `consensus`, so that the returned copy
is taken in like every other returned workbook (the consensus stage judges it)."""

from __future__ import annotations

from datetime import datetime

from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Border, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from smpp.documents import NOTE_FONT, TITLE_FONT, DocumentInfo, add_cover, finish_workbook
from smpp.sheets import BOLD, HEADER_FILL, WRAP, mark_form, set_text, to_bytes
from smpp.stages.packet.content import Packet, Topic

FORM = "consensus"  # the value of the FORM_MARKER_NAME document property
SHEET = "Consensus"
LISTS_SHEET = "Lists"  # hidden: each topic's choices for its drop-down
COLUMNS = (
    "Topic",
    "Element",
    "Question",
    "Options",
    "Recommended",
    "Decision",
    "Agreed wording",
    "Follow-up",
    "Owner",
    "Due date",
    "Notes",
)
DECISION_OWN = "Own wording"
DECISION_DEFERRED = "Deferred"
ANSWER_COLUMNS = ("Decision", "Agreed wording", "Follow-up", "Owner", "Due date", "Notes")
ENGAGEMENT_PROPERTY = "smpp_engagement"
VERSION_PROPERTY = "smpp_version"
WIDTHS = (6, 15, 9, 28, 15, 15, 28, 17, 10, 11, 13)
HEADER_ROW = 4
_ANSWER_FILL = PatternFill("solid", fgColor="FFF9E5")
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_UNLOCKED = Protection(locked=False)


def choices(topic: Topic) -> list[str]:
    """The decision drop-down of a topic: its positions' labels, then own wording, deferred."""
    return [o.position.label for o in topic.options] + [DECISION_OWN, DECISION_DEFERRED]


def build_consensus_workbook(
    packet: Packet, slug: str, made_at: datetime, *, version: int, agency: str
) -> bytes:
    from smpp.documents import new_workbook

    book = new_workbook()
    sheet = book.active
    sheet.title = SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    set_text(sheet.cell(row=1, column=1), f"Consensus: {packet.client}")
    sheet.cell(row=1, column=1).font = TITLE_FONT
    note = sheet.cell(row=2, column=1)
    set_text(
        note,
        "One row per topic. Choose the decision in its drop-down (a position, own wording or "
        "deferred), write the agreed wording, and any follow-up with its owner and due date. "
        "Only the yellow cells can be changed.",
    )
    note.font = NOTE_FONT
    note.alignment = WRAP
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(COLUMNS))
    sheet.row_dimensions[2].height = 28
    for column, (header, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column)
        set_text(cell, header)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(column)].width = width
    decision_col = COLUMNS.index("Decision") + 1
    due_col = COLUMNS.index("Due date") + 1
    dates = DataValidation(
        type="date",
        operator="between",
        formula1="DATE(2000,1,1)",
        formula2="DATE(2199,12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Due date",
        error="Write a date, for example 15/03/2027.",
    )
    sheet.add_data_validation(dates)
    for offset, topic in enumerate(packet.topics, start=1):
        row = HEADER_ROW + offset
        options = "\n".join(
            f"{o.position.label}: " + (", ".join(o.companies) if o.peers else "no company")
            for o in topic.options
        )
        values = (
            topic.id,
            topic.element.name,
            topic.question,
            options,
            topic.recommended.label if topic.recommended else "",
        )
        for column, value in enumerate(values, start=1):
            set_text(sheet.cell(row=row, column=column), value)
        listed = choices(topic)
        for n, label in enumerate(listed, start=1):
            set_text(lists.cell(row=offset, column=n), label)
        end = get_column_letter(len(listed))
        drop = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(LISTS_SHEET)}!$A${offset}:${end}${offset}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Decision",
            error="Choose one of the topic's options, " + f"{DECISION_OWN} or {DECISION_DEFERRED}.",
        )
        sheet.add_data_validation(drop)
        drop.add(sheet.cell(row=row, column=decision_col))
        dates.add(sheet.cell(row=row, column=due_col))
        sheet.cell(row=row, column=due_col).number_format = "DD/MM/YYYY"
        for column in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.alignment = WRAP
            cell.border = _BOX
            if COLUMNS[column - 1] in ANSWER_COLUMNS:
                cell.protection = _UNLOCKED
                cell.fill = _ANSWER_FILL
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    # No password: the protection only guards against accidental edits of the structure.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    info = DocumentInfo(
        client=packet.client,
        title="Workshop consensus",
        version=version,
        made_at=made_at,
        agency=agency,
        audience="the workshop's facilitator",
        purpose="The decisions of the workshop, topic by topic, as the facilitator records them "
        "in the session; put the filled-in workbook in the Inbox afterwards.",
        keywords=("workshop", "consensus"),
    )
    add_cover(
        book,
        info,
        [(SHEET, "One row per drafting topic: the decision, agreed wording and follow-ups.")],
    )
    finish_workbook(book, info)
    mark_form(book, FORM)
    book.custom_doc_props.append(StringProperty(name=ENGAGEMENT_PROPERTY, value=slug))
    book.custom_doc_props.append(StringProperty(name=VERSION_PROPERTY, value=str(version)))
    return to_bytes(book)

"""The follow-up report as a workbook: a cover with the key findings, then one sheet per part
(timeline, reminders, participation with its chart, decisions, open items, next steps, the
documents delivered), following smpp/documents.py."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.chart import Reference
from openpyxl.styles import PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from smpp.documents import (
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
    long_day,
    new_workbook,
    write_heading,
    write_paragraph,
)
from smpp.sheets import to_bytes, write_table
from smpp.stages.follow_up.report import FollowUpReport

TITLE = "Follow-up report"
KEPT, LATE, MISSED = "E2EFDA", "FFF2CC", "F8CBAD"  # the verdict cells' colours
DETAIL_LIMIT = 400  # characters of a decision's detail shown in its row; the rest on Full texts

_SHEETS = (
    ("Timeline", "Every milestone: the moment planned, the moment reached, kept or not."),
    ("Reminders", "The reminders and escalations sent, by stage and kind."),
    ("Participation", "Who was invited, who answered, who said they would attend; a chart."),
    ("Decisions", "What the workshop decided on each topic."),
    ("Open items", "What is still to do: owner, due date and where it stands."),
    ("Next steps", "Primer training, routing set-up and the policy's first review."),
    ("Documents", "The documents delivered during the engagement, with links."),
)
_MARKS = (
    Mark("kept", "On the Timeline: reached by the moment planned.", KEPT),
    Mark("late", "On the Timeline: reached after the moment planned.", LATE),
    Mark("missed", "On the Timeline: planned, passed, and not reached.", MISSED),
    Mark("link", "Underlined blue text is a link: to a document or a sheet.", link=True),
)


def _when(moment: datetime | None) -> str:
    return long_date(moment) if moment is not None else "—"


def _day(day: date | None) -> str:
    return long_day(day) if day is not None else "none agreed"


def _timeline(sheet: Worksheet, report: FollowUpReport) -> None:
    rows = [
        (m.label, m.stage.capitalize(), _when(m.planned), _when(m.actual), m.verdict)
        for m in report.milestones
    ]
    headers = ("Milestone", "Stage", "Planned", "Actual", "Kept, late or missed")
    write_table(sheet, 1, headers, rows, widths=(28, 18, 30, 30, 20), filtered=True)
    for number, milestone in enumerate(report.milestones, start=2):
        colour = {"kept": KEPT, "missed": MISSED}.get(milestone.verdict)
        if milestone.verdict.startswith("late"):
            colour = LATE
        if colour:
            sheet.cell(row=number, column=5).fill = PatternFill("solid", fgColor=colour)


def _reminders(sheet: Worksheet, report: FollowUpReport) -> None:
    headers = ("Stage", "Kind", "Sent", "To how many people", "First sent", "Last sent")
    rows = [
        (r.stage, r.kind, r.sent, r.people, _when(r.first), _when(r.last)) for r in report.reminders
    ]
    last = write_table(sheet, 1, headers, rows, widths=(18, 28, 8, 12, 30, 30), filtered=True)
    if not rows:
        write_paragraph(sheet, last + 2, "No reminder or escalation had to be sent.", 4)


def _participation(sheet: Worksheet, report: FollowUpReport) -> None:
    p = report.participation
    if p is None:
        write_paragraph(sheet, 1, "Nobody was invited to the questionnaire.", 4)
        return
    counts = (
        ("Invited", p.invited),
        ("Answered the questionnaire", p.answered),
        ("Attending (as said)", p.attending),
        ("Not attending (as said)", p.not_attending),
        ("Sent a delegate", p.delegates),
    )
    last = write_table(sheet, 1, ("Who", "People"), counts)
    row = last + 2
    headers = ("Name", "Role", "Attendance", "Where it comes from", "Answered")
    people = [
        (r.name, r.role or "—", r.attendance, r.said, _when(r.answered) if r.answered else "no")
        for r in p.people
    ]
    row = write_heading(sheet, row, "Everyone invited")
    last = write_table(sheet, row, headers, people, widths=(30, 22, 16, 30, 30))
    chart = bar_chart(
        Reference(sheet, min_col=2, min_row=2, max_row=1 + len(counts)),
        Reference(sheet, min_col=1, min_row=2, max_row=1 + len(counts)),
        most=max(p.invited, 1),
    )
    ChartColumn(sheet, last + 2).add("Participation at a glance", chart, 7.0)


def _decisions(sheet: Worksheet, report: FollowUpReport, full: FullTexts) -> None:
    headers = ("Topic", "Question", "Decision", "What it means", "Follow-up", "Owner", "Due")
    rows = [
        (
            f"{d.topic} {d.name}",
            d.question,
            d.decision,
            full.cut(d.detail, DETAIL_LIMIT, f"Decisions, {d.topic}") or "—",
            d.follow_up or "—",
            d.owner or "—",
            _day(d.due) if d.follow_up else "—",
        )
        for d in report.decisions
    ]
    last = write_table(sheet, 1, headers, rows, widths=(24, 10, 22, 36, 26, 24, 20), filtered=True)
    if not rows:
        write_paragraph(sheet, last + 2, "No consensus is recorded yet.", 4)


def _open_items(sheet: Worksheet, report: FollowUpReport) -> None:
    headers = ("Topic", "What is to be done", "Owner", "Owner found", "Due", "Where it stands")
    rows = [
        (
            f"{i.topic} {i.name}",
            i.what,
            i.owner.given or "—",
            (f"{i.owner.person.name} <{i.owner.person.email}>" if i.owner.person else i.owner.why),
            _day(i.due),
            i.state,
        )
        for i in report.open_items
    ]
    last = write_table(sheet, 1, headers, rows, widths=(22, 30, 24, 28, 20, 30), filtered=True)
    if not rows:
        write_paragraph(sheet, last + 2, "The consensus left no item open.", 4)


def _next_steps(sheet: Worksheet, report: FollowUpReport) -> None:
    rows = [(s.what, s.detail, s.when) for s in report.next_steps]
    write_table(sheet, 1, ("Step", "What", "When"), rows, widths=(24, 60, 28), filtered=True)


def _documents(sheet: Worksheet, report: FollowUpReport) -> None:
    headers = ("Stage", "Document", "Version", "Written", "Where")
    rows = [(d.stage, d.name, d.version, _when(d.at), d.folder) for d in report.documents]
    write_table(sheet, 1, headers, rows, widths=(18, 40, 8, 30, 40), filtered=True)
    for number, document in enumerate(report.documents, start=2):
        if document.link:
            link(sheet.cell(row=number, column=5), document.link, link_text(document.link, 40))


def build_report_workbook(report: FollowUpReport, agency: str) -> bytes:
    """The report as .xlsx bytes."""
    book = new_workbook()
    full = FullTexts()
    _timeline(book.active, report)
    book.active.title = "Timeline"
    _reminders(book.create_sheet("Reminders"), report)
    _participation(book.create_sheet("Participation"), report)
    _decisions(book.create_sheet("Decisions"), report, full)
    _open_items(book.create_sheet("Open items"), report)
    _next_steps(book.create_sheet("Next steps"), report)
    _documents(book.create_sheet("Documents"), report)
    full.write(book)
    info = DocumentInfo(
        client=report.client,
        title=TITLE,
        version=report.version,
        made_at=report.made_at,
        agency=agency,
        audience=f"the account lead, and {report.client}'s people who own the open items",
        purpose=(
            "How the engagement went against its plan, who took part, what was decided, what "
            "is still open and what comes next."
        ),
        changes=("First version.",)
        if report.version == 1
        else (f"Version {report.version}: the consensus or the policy changed since.",),
        findings=report.findings(),
        keywords=("follow-up", report.client),
    )
    cover = add_cover(book, info, _SHEETS, _MARKS)
    if report.gaps:
        row = write_heading(cover, cover.max_row + 2, "What this report cannot say yet")
        for gap in report.gaps:
            row = write_paragraph(cover, row, f"•  {gap}", 2)
    finish_workbook(book, info)
    return to_bytes(book)

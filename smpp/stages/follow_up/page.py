"""The follow-up report as an HTML page: the same content as the workbook, for reading in a
browser and printing (A4). Jinja2 with autoescape on: names and wordings from outside are text,
never markup."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from smpp.documents import long_date, long_day
from smpp.stages.follow_up.report import FollowUpReport
from smpp.stages.follow_up.workbook import TITLE
from smpp.templating import page_environment

TEMPLATES = Path(__file__).with_name("templates")


def _when(moment: datetime | None) -> str:
    return long_date(moment) if moment is not None else "—"


def _day(day: date | None) -> str:
    return long_day(day) if day is not None else "none agreed"


def render_report_page(report: FollowUpReport, agency: str) -> str:
    return (
        page_environment(TEMPLATES, when=_when, day=_day)
        .get_template("report.html")
        .render(title=TITLE, report=report, findings=report.findings(), agency=agency)
    )

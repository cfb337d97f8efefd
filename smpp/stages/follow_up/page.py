"""The follow-up report as an HTML page: the same content as the workbook, for reading in a
browser and printing (A4). Jinja2 with autoescape on: names and wordings from outside are text,
never markup."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from smpp.documents import long_date, long_day
from smpp.stages.follow_up.report import FollowUpReport
from smpp.stages.follow_up.workbook import TITLE

TEMPLATES = Path(__file__).with_name("templates")


def _when(moment: datetime | None) -> str:
    return long_date(moment) if moment is not None else "—"


def _day(day: date | None) -> str:
    return long_day(day) if day is not None else "none agreed"


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["when"] = _when
    environment.filters["day"] = _day
    return environment


def render_report_page(report: FollowUpReport, agency: str) -> str:
    return (
        _environment()
        .get_template("report.html")
        .render(title=TITLE, report=report, findings=report.findings(), agency=agency)
    )

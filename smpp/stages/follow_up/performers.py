"""Carrying out the follow-up's actions: writing the report (workbook and HTML page), attaching
it to the lead's mail, and closing the engagement once nothing is open."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from smpp import drive
from smpp.events import DECISION, DELIVERABLE_WRITTEN
from smpp.mailer import Attachment
from smpp.models import Engagement
from smpp.setup import Setup, take_stock
from smpp.stages.anatomy import Performed
from smpp.stages.follow_up.events import ReportWritten
from smpp.stages.follow_up.page import render_report_page
from smpp.stages.follow_up.planner import CloseEngagement, ReportFile, WriteFollowUpReport
from smpp.stages.follow_up.records import NAME, tracked_items
from smpp.stages.follow_up.report import build_report
from smpp.stages.follow_up.workbook import build_report_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_report(setup: Setup, action: WriteFollowUpReport, now: datetime) -> Performed:
    engagement = setup.engagement
    state = take_stock(setup)
    report = build_report(state, state.timeline, now, action.version)
    agency = engagement.mail.sender.name
    stem = f"Follow-up report - {drive.safe_name(engagement.client)} - v{action.version}"
    path = drive.write_deliverable(
        engagement.drive, NAME, f"{stem}.xlsx", build_report_workbook(report, agency)
    )
    page = drive.write_deliverable(
        engagement.drive, NAME, f"{stem}.html", render_report_page(report, agency).encode()
    )
    written = ReportWritten(
        stage=NAME,
        path=str(path),
        html=str(page),
        version=action.version,
        consensus_version=report.consensus_version,
        policy=report.policy_path,
        open_items=len(tracked_items(state)),
        gaps=list(report.gaps),
    )
    return DELIVERABLE_WRITTEN, dict(written), []


def attachment(engagement: Engagement, spec: ReportFile, now: datetime) -> Attachment:
    """The report's workbook as written on the drive (never a file outside it)."""
    path = drive.check_inside(engagement.drive, Path(spec.path))
    with drive.open_regular(path) as handle:
        return Attachment(path.name, handle.read(), XLSX)


def close_engagement(setup: Setup, action: CloseEngagement, now: datetime) -> Performed:
    data = {"decision": "close", "reason": action.reason, "by": setup.engagement.mail.sender.name}
    return DECISION, data, []

"""Carrying out the follow-up's actions: writing the report (workbook and HTML page), attaching
it to the lead's mail, and closing the engagement once nothing is open."""

from __future__ import annotations

from datetime import datetime

from smpp import drive
from smpp.events import DECISION, DELIVERABLE_WRITTEN
from smpp.setup import Setup, take_stock
from smpp.stages.anatomy import Performed
from smpp.stages.follow_up.events import ReportWritten
from smpp.stages.follow_up.page import render_report_page
from smpp.stages.follow_up.planner import CloseEngagement, WriteFollowUpReport
from smpp.stages.follow_up.records import NAME, tracked_items
from smpp.stages.follow_up.report import build_report
from smpp.stages.follow_up.workbook import build_report_workbook


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


def close_engagement(setup: Setup, action: CloseEngagement, now: datetime) -> Performed:
    data = {"decision": "close", "reason": action.reason, "by": setup.engagement.mail.sender.name}
    return DECISION, data, []

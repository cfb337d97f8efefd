"""Carrying out the company list's actions: judging a list from the inbox, building the template
sent to the client, writing the accepted list to the drive."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from smpp import drive
from smpp.events import DELIVERABLE_WRITTEN, payload
from smpp.mailer import Attachment
from smpp.models import Engagement
from smpp.setup import Setup
from smpp.stages.anatomy import Intake, Judged, Performed
from smpp.stages.company_list.events import LIST_JUDGED, CompanyListWritten, ListJudged
from smpp.stages.company_list.judge import judge_company_list
from smpp.stages.company_list.planner import CompanyListTemplate, WriteCompanyList
from smpp.stages.company_list.records import NAME
from smpp.stages.company_list.workbook import (
    build_accepted_company_list,
    build_company_list_template,
)
from smpp.uploads import form_marker

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORM = "company-list"  # the marker our company-list template carries


def is_company_list(path: Path) -> bool:
    return form_marker(path) == FORM


def judge(intake: Intake) -> Judged:
    verdict = judge_company_list(intake.path, min_companies=intake.engagement.min_companies)
    return Judged(
        LIST_JUDGED,
        verdict.ok,
        [p.message for p in verdict.problems],
        {
            "companies": len(verdict.companies),
            "problems": [p.as_dict() for p in verdict.problems],
            # The accepted list itself, so later stages plan from the record alone.
            "company_rows": [asdict(c) for c in verdict.companies] if verdict.ok else [],
        },
        unreadable=verdict.unreadable,
    )


def template_attachment(
    engagement: Engagement, spec: CompanyListTemplate, now: datetime
) -> Attachment:
    content = build_company_list_template(
        engagement.client,
        spec.due,
        min_companies=engagement.min_companies,
        agency=engagement.mail.sender.name,
        saved_at=now,
    )
    return Attachment(f"Company list - {drive.safe_name(engagement.client)}.xlsx", content, XLSX)


def write_company_list(setup: Setup, action: WriteCompanyList, now: datetime) -> Performed:
    engagement = setup.engagement
    judged = next(e for e in setup.store.events_for(engagement.slug) if e.key == action.intake_key)
    data = payload(judged, ListJudged)
    stored = Path(data["stored"])
    verdict = judge_company_list(stored, min_companies=engagement.min_companies)
    received = judged.at.astimezone(engagement.zone)
    content = build_accepted_company_list(
        engagement.client,
        verdict.companies,
        data["file"],
        received,
        data["sha256"],
        agency=engagement.mail.sender.name,
    )
    name = f"Company list - {drive.safe_name(engagement.client)} - {received:%Y-%m-%d}.xlsx"
    path = drive.write_deliverable(engagement.drive, NAME, name, content)
    written = CompanyListWritten(stage=NAME, path=str(path), companies=len(verdict.companies))
    return DELIVERABLE_WRITTEN, dict(written), []

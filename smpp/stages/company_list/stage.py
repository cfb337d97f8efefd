"""The company list: two weeks before the workshop the client sends 20 comparable companies.
Asked for at T-28 with a template, reminded, judged when it comes back, escalated when late."""

from __future__ import annotations

from pathlib import Path

from smpp.stages.anatomy import Form, Milestone, Stage
from smpp.stages.company_list import performers, planner, status
from smpp.stages.company_list.demo import happenings
from smpp.stages.company_list.events import LIST_JUDGED, CompanyListWritten, ListJudged
from smpp.stages.company_list.records import NAME

STAGE = Stage(
    name=NAME,
    words="company list",
    folder="01 Company list",
    templates=Path(__file__).with_name("templates"),
    milestones=(
        Milestone("company_list_requested", "Company list requested", "send"),
        Milestone("company_list_due", "Company list due", "end of day"),
    ),
    planner=planner.actions,
    performers={planner.WriteCompanyList: performers.write_company_list},
    attachments={planner.CompanyListTemplate: performers.template_attachment},
    forms=(
        Form(
            marker=performers.FORM,
            recognises=performers.is_company_list,
            judge=performers.judge,
            name_words=("compan", "list", "peer", "compar"),
            default=True,
        ),
    ),
    events={LIST_JUDGED: ListJudged},
    deliverable=CompanyListWritten,
    actuals=status.actuals,
    awaited=status.awaited,
    client_chasers=planner.CLIENT_CHASERS,
    deeds=status.deeds,
    demo=happenings,
)

"""The questionnaire: five questions to everyone invited to the workshop, sent at T-21, due at
T-7, with reminders to those who have not answered; the answers summarised for the workshop."""

from __future__ import annotations

from pathlib import Path

from smpp.stages.anatomy import Form, Milestone, Stage
from smpp.stages.questionnaire import demo, performers, planner, status, workbook
from smpp.stages.questionnaire.events import (
    QUESTIONNAIRE_JUDGED,
    QuestionnaireJudged,
    SummaryWritten,
)
from smpp.stages.questionnaire.records import NAME

STAGE = Stage(
    name=NAME,
    words="questionnaire",
    folder="02 Questionnaire",
    templates=Path(__file__).with_name("templates"),
    milestones=(
        Milestone("questionnaire_sent", "Questionnaire sent", "send"),
        Milestone("questionnaire_due", "Questionnaire due", "end of day"),
    ),
    planner=planner.actions,
    performers={planner.WriteQuestionnaireSummary: performers.write_questionnaire_summary},
    attachments={planner.QuestionnaireFile: performers.attachment},
    forms=(
        Form(
            marker=workbook.FORM,
            recognises=workbook.is_questionnaire,
            judge=performers.judge,
            name_words=("questionnaire",),
            knows=performers.invitees,
            takes_unreadable=performers.questionnaires_out,
        ),
    ),
    events={QUESTIONNAIRE_JUDGED: QuestionnaireJudged},
    deliverable=SummaryWritten,
    actuals=status.actuals,
    status=status.section,
    status_lines=status.status_lines,
    status_markdown=status.status_markdown,
    awaited=status.awaited,
    warnings=status.warnings,
    deeds=status.deeds,
    counted=status.COUNTED,
    demo=demo.happenings,
)

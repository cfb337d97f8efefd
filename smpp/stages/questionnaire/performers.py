"""Carrying out the questionnaire's actions: each person's workbook, judging a returned one, and
writing the summary of the answers that stand."""

from __future__ import annotations

from datetime import date, datetime

from smpp import drive
from smpp.documents import previous_version
from smpp.events import DELIVERABLE_WRITTEN
from smpp.intake import received_at
from smpp.mailer import Attachment
from smpp.models import Engagement
from smpp.setup import Setup, take_stock
from smpp.stages.anatomy import Intake, Judged, Performed
from smpp.stages.questionnaire.events import QUESTIONNAIRE_JUDGED, SummaryWritten, Topic
from smpp.stages.questionnaire.planner import QuestionnaireFile, WriteQuestionnaireSummary
from smpp.stages.questionnaire.questions import questions_for
from smpp.stages.questionnaire.records import (
    NAME,
    delegate_named,
    invited_people,
    questionnaire_summaries,
    standing_answers,
)
from smpp.stages.questionnaire.summary import Respondent, build_summary_workbook, summarise
from smpp.stages.questionnaire.workbook import (
    Invitee,
    build_questionnaire,
    judge_questionnaire,
)
from smpp.state import State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def invitees(state: State) -> tuple[Invitee, ...]:
    """Who may return a questionnaire, with their personal codes."""
    return tuple(person.invitee for person in invited_people(state))


def questionnaires_out(state: State) -> bool:
    return bool(state.mails("questionnaire_invitation"))


def judge(intake: Intake) -> Judged:
    engagement = intake.engagement
    verdict = judge_questionnaire(
        intake.path, intake.known or (), questions_for(engagement.questions)
    )
    messages = [p.message for p in verdict.problems]
    return Judged(QUESTIONNAIRE_JUDGED, verdict.ok, messages, {"verdict": verdict.as_dict()})


def attachment(engagement: Engagement, spec: QuestionnaireFile, now: datetime) -> Attachment:
    return questionnaire_attachment(engagement, spec.invitee, spec.due, now)


def questionnaire_attachment(
    engagement: Engagement, invitee: Invitee, due: date, now: datetime | None = None
) -> Attachment:
    """The personal workbook a person receives: their name and code, the engagement's questions;
    `now` (when it is sent) dates the file."""
    content = build_questionnaire(
        engagement.client,
        invitee,
        questions_for(engagement.questions),
        due,
        engagement.workshop_at,
        agency=engagement.mail.sender.name,
        saved_at=now,
    )
    name = f"Questionnaire - {drive.safe_name(engagement.client)} - {drive.safe_name(invitee.name)}"
    return Attachment(f"{name}.xlsx", content, XLSX)


def write_questionnaire_summary(
    setup: Setup, action: WriteQuestionnaireSummary, now: datetime
) -> Performed:
    engagement = setup.engagement
    state = take_stock(setup)
    summary = summarise(questions_for(engagement.questions), respondents(state))
    content = build_summary_workbook(
        engagement.client,
        summary,
        now.astimezone(engagement.zone),
        anonymise=engagement.anonymise_answers,
        version=action.version,
        previous=previous_version(questionnaire_summaries(state), engagement),
        agency=engagement.mail.sender.name,
    )
    name = f"Questionnaire summary - {drive.safe_name(engagement.client)} - v{action.version}.xlsx"
    path = drive.write_deliverable(engagement.drive, NAME, name, content)
    written = SummaryWritten(
        stage=NAME,
        path=str(path),
        version=action.version,
        invited=summary.invited,
        answered=summary.answered,
        topics=[
            Topic(question=d.question, prompt=d.prompt, reason=d.reason)
            for d in summary.divergences
        ],
    )
    return DELIVERABLE_WRITTEN, dict(written), []


def respondents(state: State) -> list[Respondent]:
    """Everyone invited, with the answer that stands for each (if any)."""
    standing = standing_answers(state)
    due = state.timeline.milestones["questionnaire_due"]
    # One spelling per role ("Comms", "comms " and "COMMS" are one role), the first one written.
    spelling: dict[str, str] = {}
    people = []
    for person in invited_people(state):
        role = " ".join(person.attendee.role.split())
        role = spelling.setdefault(role.casefold(), role)
        answer = standing.get(person.email)
        received = received_at(answer) if answer else None
        people.append(
            Respondent(
                name=person.attendee.name,
                email=str(person.attendee.email),
                role=role,
                attendance=person.attendance,
                answered_at=received,
                answers=answer.data["verdict"]["answers"] if answer else {},
                late=bool(received and received > due),
                carried_by=delegate_named(answer),
            )
        )
    return people

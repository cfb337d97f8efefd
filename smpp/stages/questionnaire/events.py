"""The questionnaire stage's events."""

from typing import Any, TypedDict

from smpp.events import Deliverable, FileJudged

QUESTIONNAIRE_JUDGED = "questionnaire.judged"


class Verdict(TypedDict):
    """A returned questionnaire as its judge read it (QuestionnaireVerdict.as_dict())."""

    ok: bool
    person: str | None  # the invited person's email it was matched to
    unknown_sender: bool
    rsvp: str | None
    delegate_name: str
    delegate_email: str
    answers: dict[str, dict[str, str]]
    blank_prompts: list[str]
    problems: list[dict[str, Any]]
    name_found: str
    email_found: str


class QuestionnaireJudged(FileJudged):
    verdict: Verdict


class Topic(TypedDict):
    question: str
    prompt: str
    reason: str


class SummaryWritten(Deliverable):
    version: int
    invited: int
    answered: int
    topics: list[Topic]  # where the answers diverge: the workshop's topics

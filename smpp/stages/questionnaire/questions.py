"""The questionnaire's questions: the method's five (Who, When, Identity, Routing, Reporting) as
data, with the rewordings and additions an engagement asks for applied.

Every prompt has a stable id, which is what answers are filed under; rewording a prompt keeps its
id, so answers stay comparable across engagements.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

QUESTIONS_FILE = Path(__file__).with_name("questions.yaml")
ID_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$"


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Choice(Frozen):
    label: str = Field(min_length=1)
    options: tuple[str, ...] = Field(min_length=2)


class Prompt(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    text: str = Field(min_length=1)
    choice: Choice | None = None


class Question(Frozen):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    question: str = Field(min_length=1)
    prompts: tuple[Prompt, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _prompts_belong(self) -> Question:
        for prompt in self.prompts:
            if not prompt.id.startswith(f"{self.id}."):
                raise ValueError(f"prompt '{prompt.id}' must start with '{self.id}.'")
        return self


class Reword(Frozen):
    """An engagement's change to a default question or prompt, found by its id."""

    id: str = Field(pattern=ID_PATTERN)
    title: str | None = None
    question: str | None = None
    text: str | None = None
    choice: Choice | None = None


class QuestionChanges(Frozen):
    reword: tuple[Reword, ...] = ()
    add: tuple[Question, ...] = ()
    # Prompts an engagement adds to a default question, e.g. {"who": [{"id": "who.x", ...}]}.
    add_prompts: dict[str, tuple[Prompt, ...]] = Field(default_factory=dict)


@cache
def default_questions() -> tuple[Question, ...]:
    data = yaml.safe_load(QUESTIONS_FILE.read_text(encoding="utf-8"))
    return TypeAdapter(tuple[Question, ...]).validate_python(data)


def questions_for(changes: QuestionChanges | None = None) -> tuple[Question, ...]:
    """The default questions with an engagement's changes; raises ValueError naming the id when a
    change refers to nothing or would give two prompts the same id."""
    questions = list(default_questions())
    if changes is None:
        return tuple(questions)
    for question_id, prompts in changes.add_prompts.items():
        index = _index(questions, question_id)
        merged = questions[index].prompts + prompts
        questions[index] = Question.model_validate(
            {**questions[index].model_dump(), "prompts": [p.model_dump() for p in merged]}
        )
    for reword in changes.reword:
        questions = _apply(questions, reword)
    questions += list(changes.add)
    seen: set[str] = set()
    for question in questions:
        for item_id in (question.id, *(p.id for p in question.prompts)):
            if item_id in seen:
                raise ValueError(f"the questionnaire has '{item_id}' twice; ids must be unique")
            seen.add(item_id)
    return tuple(questions)


def _index(questions: list[Question], question_id: str) -> int:
    for index, question in enumerate(questions):
        if question.id == question_id:
            return index
    known = ", ".join(q.id for q in questions)
    raise ValueError(f"there is no question '{question_id}' (questions: {known})")


def _apply(questions: list[Question], reword: Reword) -> list[Question]:
    if "." not in reword.id:
        index = _index(questions, reword.id)
        if reword.text is not None or reword.choice is not None:
            raise ValueError(f"'{reword.id}' is a question: reword its title or question")
        wording = {k: v for k, v in (("title", reword.title), ("question", reword.question)) if v}
        questions[index] = questions[index].model_copy(update=wording)
        return questions
    index = _index(questions, reword.id.split(".", 1)[0])
    question = questions[index]
    prompts = list(question.prompts)
    for position, prompt in enumerate(prompts):
        if prompt.id == reword.id:
            if reword.title is not None or reword.question is not None:
                raise ValueError(f"'{reword.id}' is a prompt: reword its text or choice")
            update: dict[str, object] = {}
            if reword.text is not None:
                update["text"] = reword.text
            if reword.choice is not None:
                update["choice"] = reword.choice
            prompts[position] = prompt.model_copy(update=update)
            questions[index] = question.model_copy(update={"prompts": tuple(prompts)})
            return questions
    known = ", ".join(p.id for p in prompts)
    raise ValueError(f"there is no prompt '{reword.id}' (prompts: {known})")

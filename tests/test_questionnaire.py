"""The questionnaire's questions as data, and an engagement's changes to them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from smpp.models import EngagementError, load_engagement
from smpp.stages.questionnaire.questions import QuestionChanges, default_questions, questions_for
from tests.conftest import engagement_data


def test_the_five_questions_of_the_method_in_order() -> None:
    questions = default_questions()
    assert [q.title for q in questions] == ["Who", "When", "Identity", "Routing", "Reporting"]
    who = questions[0]
    assert [p.id for p in who.prompts] == ["who.participants", "who.primer", "who.time"]
    primer = who.prompts[1]
    assert primer.choice is not None
    assert primer.choice.options == (
        "Yes, for everyone",
        "Only for official accounts",
        "No, optional",
    )


def test_every_prompt_id_is_unique_and_under_its_question() -> None:
    ids = [p.id for q in default_questions() for p in q.prompts]
    assert len(ids) == len(set(ids)) == 14
    assert all(any(i.startswith(q.id + ".") for q in default_questions()) for i in ids)


def test_an_engagement_rewords_and_adds_keeping_the_ids() -> None:
    changes = QuestionChanges.model_validate(
        {
            "reword": [
                {"id": "who", "question": "Who in the group should speak on social media?"},
                {
                    "id": "when.disclaimer",
                    "text": "Should personal posts about us carry a disclaimer?",
                },
            ],
            "add_prompts": {
                "routing": [
                    {
                        "id": "routing.languages",
                        "text": "Which languages must support replies cover?",
                    }
                ]
            },
            "add": [
                {
                    "id": "regulated",
                    "title": "Regulated topics",
                    "question": "What may never be discussed on social media?",
                    "prompts": [{"id": "regulated.topics", "text": "List the topics."}],
                }
            ],
        }
    )
    questions = questions_for(changes)
    assert [q.id for q in questions] == [
        "who",
        "when",
        "identity",
        "routing",
        "reporting",
        "regulated",
    ]
    assert questions[0].question == "Who in the group should speak on social media?"
    assert questions[0].title == "Who"
    disclaimer = next(p for p in questions[1].prompts if p.id == "when.disclaimer")
    assert disclaimer.text == "Should personal posts about us carry a disclaimer?"
    assert disclaimer.choice is not None  # the choice stays unless reworded
    assert questions[3].prompts[-1].id == "routing.languages"
    assert default_questions()[0].question.startswith("Who should take part")  # untouched


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"reword": [{"id": "why", "title": "Why"}]}, "there is no question 'why'"),
        ({"reword": [{"id": "who.budget", "text": "x"}]}, "there is no prompt 'who.budget'"),
        ({"reword": [{"id": "who", "text": "x"}]}, "'who' is a question: reword its title"),
        (
            {
                "add": [
                    {
                        "id": "who",
                        "title": "Again",
                        "question": "?",
                        "prompts": [{"id": "who.again", "text": "x"}],
                    }
                ]
            },
            "has 'who' twice",
        ),
        (
            {"add_prompts": {"when": [{"id": "who.primer", "text": "x"}]}},
            "prompt 'who.primer' must start with 'when.'",
        ),
    ],
)
def test_a_change_that_names_nothing_is_refused_in_the_engagement_file(
    tmp_path: Path, changes: dict[str, object], expected: str
) -> None:
    data = engagement_data(tmp_path / "drive", questions=changes)
    path = tmp_path / "acme-foods.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(EngagementError) as refused:
        load_engagement(path)
    assert any(expected in problem for problem in refused.value.problems), refused.value.problems
    assert all(problem.startswith("questions") for problem in refused.value.problems)

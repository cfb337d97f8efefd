"""The questionnaire answers combined: response rates, choice counts, drafting topics, and the
summary workbook read back cell by cell."""

from __future__ import annotations

import io
import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest

from smpp.documents import PreviousVersion
from smpp.stages.questionnaire.questions import questions_for
from smpp.stages.questionnaire.summary import (
    ATTENDING,
    DELEGATE_SENT,
    NOT_ATTENDING,
    Divergence,
    Respondent,
    ToRead,
    build_summary_workbook,
    sheet_titles,
    summarise,
)

ROME = ZoneInfo("Europe/Rome")
QUESTIONS = questions_for()
FORMULA = '=HYPERLINK("http://evil.example","click")'
YES, OFFICIAL, OPTIONAL = "Yes, for everyone", "Only for official accounts", "No, optional"
SPOKES, TRAINED = "Only official spokespeople", "Trained employees within their role"
TEXT_ONLY = [p.id for q in QUESTIONS for p in q.prompts if p.choice is None]


def at(day: int) -> datetime:
    return datetime(2027, 1, day, 9, 0, tzinfo=ROME)


def person(
    name: str,
    role: str,
    attendance: str,
    answered: int | None,
    choices: dict[str, str],
    texts: dict[str, str],
    late: bool = False,
) -> Respondent:
    answers: dict[str, dict[str, str | None]] = {
        pid: {"choice": choices.get(pid), "text": texts.get(pid, "")} for pid in {*choices, *texts}
    }
    email = f"{name.split()[0].lower()}@acme.example"
    return Respondent(
        name, email, role, attendance, at(answered) if answered else None, answers, late
    )


def comms_texts(n: int) -> dict[str, str]:
    """Comms answer every free-text prompt but identity.branding, which only Ana answers."""
    return {pid: f"Comms view {n} on {pid}" for pid in TEXT_ONLY if pid != "identity.branding"}


def choices(primer: str, commitment: str, disclaimer: str, audience: str) -> dict[str, str]:
    return {
        "who.primer": primer,
        "when.commitment": commitment,
        "when.disclaimer": disclaimer,
        "reporting.audience": audience,
    }


# 6 invited: 4 attending who answered, 1 not attending who answered late, 1 delegate-sender with
# no role given who never answered.
PEOPLE = (
    person(
        "Ana Alvarez",
        "Comms",
        ATTENDING,
        20,
        choices(YES, SPOKES, "Yes", "Quarterly"),
        {**comms_texts(1), "identity.branding": "Never the logo in a profile picture."},
    ),
    person(
        "Ben Brown",
        "Comms",
        ATTENDING,
        21,
        choices(OFFICIAL, SPOKES, "Yes", "Quarterly"),
        {**comms_texts(2), "who.participants": FORMULA},
    ),
    person(
        "Cleo Chen",
        "Legal",
        ATTENDING,
        22,
        choices(OFFICIAL, TRAINED, "Yes", "Quarterly"),
        {"who.participants": "Only trained staff.", "when.commitment": "Legal must approve."},
    ),
    person(
        "Dan Diaz",
        "Legal",
        ATTENDING,
        23,
        choices(OPTIONAL, TRAINED, "Only when discussing company topics", "Quarterly"),
        {"who.participants": "Sales and support."},
    ),
    person(
        "Eve Evans",
        "Comms",
        NOT_ATTENDING,
        29,
        choices(YES, SPOKES, "Yes", "Monthly"),
        comms_texts(5),
        late=True,
    ),
    person("Finn Fox", "", DELEGATE_SENT, None, {}, {}),
)
NAMES_AND_EMAILS = [s for p in PEOPLE for s in (p.name, p.email, p.name.split()[1])]


@pytest.fixture(scope="module")
def summary() -> Any:
    return summarise(QUESTIONS, PEOPLE)


def rows(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_counts_invited_answered_and_rate(summary: Any) -> None:
    assert (summary.invited, summary.answered) == (6, 5)
    assert summary.response_rate == pytest.approx(5 / 6)
    assert [p.name for p in summary.respondents] == [p.name for p in PEOPLE]


def test_nobody_invited_gives_a_zero_rate_and_little_input_everywhere() -> None:
    empty = summarise(QUESTIONS, [])
    assert (empty.invited, empty.answered, empty.response_rate) == (0, 0, 0.0)
    assert empty.answers.empty and empty.by_role.empty and empty.by_attendance.empty
    assert len(empty.divergences) == 14
    assert {d.reason for d in empty.divergences} == {
        "little input: decide in the workshop (no answer)"
    }
    opened = openpyxl.load_workbook(io.BytesIO(build_summary_workbook("Acme", empty, GENERATED)))
    assert values(opened["Who"]) == [
        ("Prompt", "Respondent", "Role", "Attendance", "Choice", "Answer", "Late")
    ]
    assert facts(opened["Summary"])["Response rate"] == 0


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (
            "by_role",
            [("Comms", 3, 3, 1.0), ("Legal", 2, 2, 1.0), ("(no role given)", 1, 0, 0.0)],
        ),
        (
            "by_attendance",
            [("attending", 4, 4, 1.0), ("not attending", 1, 1, 1.0), ("delegate sent", 1, 0, 0.0)],
        ),
    ],
)
def test_response_rate_tables(summary: Any, frame: str, expected: list[tuple[Any, ...]]) -> None:
    table = getattr(summary, frame)
    assert list(table.columns) == [frame.removeprefix("by_"), "invited", "answered", "rate"]
    assert rows(table) == expected


@pytest.mark.parametrize(
    ("prompt_id", "expected"),
    [
        ("who.primer", [(YES, 2, 0.4), (OFFICIAL, 2, 0.4), (OPTIONAL, 1, 0.2)]),
        (
            "reporting.audience",
            [("Monthly", 1, 0.2), ("Quarterly", 4, 0.8), ("Only on request", 0, 0.0)],
        ),
    ],
)
def test_choice_counts_list_every_option(
    summary: Any, prompt_id: str, expected: list[tuple[Any, ...]]
) -> None:
    counts = summary.choice_counts
    assert list(counts.columns) == ["prompt_id", "prompt", "option", "count", "share"]
    assert counts["prompt_id"].unique().tolist() == [
        "who.primer",
        "when.commitment",
        "when.disclaimer",
        "reporting.audience",
    ]
    mine = counts[counts["prompt_id"] == prompt_id]
    assert rows(mine[["option", "count", "share"]]) == expected


def test_answers_frame_one_row_per_answer(summary: Any) -> None:
    answers = summary.answers
    assert list(answers.columns) == [
        "question_id",
        "question",
        "prompt_id",
        "prompt",
        "name",
        "email",
        "role",
        "attendance",
        "choice",
        "text",
        "late",
    ]
    # 5 who.participants + 5 who.primer + 3 who.time
    assert len(answers[answers["question_id"] == "who"]) == 13
    primer = answers[answers["prompt_id"] == "who.primer"]
    assert rows(primer[["name", "role", "attendance", "choice", "text", "late"]]) == [
        ("Ana Alvarez", "Comms", "attending", YES, "", False),
        ("Ben Brown", "Comms", "attending", OFFICIAL, "", False),
        ("Cleo Chen", "Legal", "attending", OFFICIAL, "", False),
        ("Dan Diaz", "Legal", "attending", OPTIONAL, "", False),
        ("Eve Evans", "Comms", "not attending", YES, "", True),
    ]


def test_divergences_and_the_reading_list(summary: Any) -> None:
    assert summary.divergences == (
        Divergence(
            "who.primer",
            "Who",
            QUESTIONS[0].prompts[1].text,
            f"2 of 5 chose '{YES}', 2 '{OFFICIAL}', 1 '{OPTIONAL}': the most common has 40%, "
            "under the 60% agreement line",
            {YES: 2, OFFICIAL: 2, OPTIONAL: 1},
        ),
        Divergence(
            "when.commitment",
            "When",
            QUESTIONS[1].prompts[1].text,
            f"3 of 5 chose '{SPOKES}', 2 '{TRAINED}'; "
            f"roles disagree: Comms chose '{SPOKES}', Legal chose '{TRAINED}'",
            {SPOKES: 3, TRAINED: 2, "Any employee": 0},
        ),
        Divergence(
            "identity.branding",
            "Identity",
            QUESTIONS[2].prompts[1].text,
            "little input: decide in the workshop (only 1 answer)",
            {},
        ),
        Divergence(
            "reporting.audience",
            "Reporting",
            QUESTIONS[4].prompts[1].text,
            "4 of 5 chose 'Quarterly', 1 'Monthly'; those not attending chose 'Monthly', "
            "attendees 'Quarterly': carry their view into the room",
            {"Monthly": 1, "Quarterly": 4, "Only on request": 0},
        ),
    )
    # when.disclaimer (4 of 5 agree, no role or attendance split) is not a topic.
    assert "when.disclaimer" not in {d.prompt_id for d in summary.divergences}
    assert summary.to_read == (
        ToRead(
            "who.participants",
            "Who",
            QUESTIONS[0].prompts[0].text,
            "5 answers from Comms and Legal",
        ),
    )


@pytest.mark.parametrize(
    ("agreement", "topics"),
    [
        (0.6, ["who.primer", "when.commitment", "identity.branding", "reporting.audience"]),
        (
            0.85,
            [
                "who.primer",
                "when.commitment",
                "when.disclaimer",
                "identity.branding",
                "reporting.audience",
            ],
        ),
    ],
)
def test_the_threshold_decides_what_is_split(agreement: float, topics: list[str]) -> None:
    found = summarise(QUESTIONS, PEOPLE, agreement=agreement)
    assert [d.prompt_id for d in found.divergences] == topics


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"agreement": 0.0}, "agreement must be above 0"),
        ({"people": [PEOPLE[0], PEOPLE[0]]}, "ana@acme.example is invited twice"),
        (
            {"people": [Respondent("X", "x@acme.example", "", "maybe", None, {})]},
            "attendance 'maybe' is not one of",
        ),
    ],
)
def test_bad_input_is_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        summarise(QUESTIONS, change.get("people", PEOPLE), agreement=change.get("agreement", 0.6))


def test_same_answers_in_any_order_give_the_same_summary(summary: Any) -> None:
    shuffled = list(PEOPLE)
    random.Random(7).shuffle(shuffled)
    for other in (summarise(QUESTIONS, shuffled), summarise(QUESTIONS, PEOPLE[::-1])):
        for name in ("answers", "choice_counts", "by_role", "by_attendance"):
            pd.testing.assert_frame_equal(getattr(other, name), getattr(summary, name))
        assert other.divergences == summary.divergences
        assert other.to_read == summary.to_read
        assert other.respondents == summary.respondents


@pytest.mark.parametrize(
    ("wanted", "titles"),
    [
        (["Who", "When"], ["Who", "When"]),
        (["Who?", "who", "Summary"], ["Who", "who (2)", "Summary (2)"]),
        (["'A/B: [x]*'", "x" * 40], ["A B   x", "x" * 31]),
    ],
)
def test_sheet_titles_are_excel_safe(wanted: list[str], titles: list[str]) -> None:
    assert sheet_titles(wanted, reserved=["Summary"]) == titles


# The workbook ------------------------------------------------------------------------------

GENERATED = datetime(2027, 2, 1, 8, 5, tzinfo=ROME)


def book(summary: Any, **options: Any) -> Any:
    data = build_summary_workbook("Acme Foods", summary, GENERATED, version=2, **options)
    return openpyxl.load_workbook(io.BytesIO(data))


def values(sheet: Any) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def facts(sheet: Any) -> dict[str, Any]:
    return {a: b for a, b, *_ in sheet.iter_rows(min_row=3, max_row=9, values_only=True)}


def test_workbook_sheets_and_properties(summary: Any) -> None:
    opened = book(summary)
    assert opened.sheetnames == [
        "Cover",
        "Summary",
        "Charts",
        "Who",
        "When",
        "Identity",
        "Routing",
        "Reporting",
        "Choices",
        "Carried forward",
        "Not answered",
    ]
    marker = {p.name: p.value for p in opened.custom_doc_props.props}
    assert marker == {"smpp_form": "questionnaire-summary"}
    assert opened.properties.title == "Questionnaire summary - Acme Foods"
    assert opened.active.title == "Cover"
    assert len(opened["Charts"]._charts) == 1 + 4  # rate by role, and each choice prompt


def test_summary_sheet_figures_and_topics(summary: Any) -> None:
    sheet = book(summary)["Summary"]
    assert sheet["A1"].value == "Questionnaire answers for Acme Foods"
    assert facts(sheet) == {
        "Client": "Acme Foods",
        "Version": 2,
        "Generated at": "Monday 1 February 2027, 08:05",
        "Invited": 6,
        "Answered": 5,
        "Response rate": pytest.approx(5 / 6),
        "Answered late": 1,
    }
    assert sheet["B8"].number_format == "0%"
    table = values(sheet)
    start = table.index(("Response rate by role", None, None, None))
    assert table[start + 1 : start + 5] == [
        ("Role", "Invited", "Answered", "Rate"),
        ("Comms", 3, 3, 1),
        ("Legal", 2, 2, 1),
        ("(no role given)", 1, 0, 0),
    ]
    start = table.index(("Response rate by attendance", None, None, None))
    assert table[start + 2 : start + 5] == [
        ("Attending", 4, 4, 1),
        ("Not attending", 1, 1, 1),
        ("Delegate sent", 1, 0, 0),
    ]
    start = table.index(("Candidate drafting topics", None, None, None))
    topics = table[start + 2 : start + 6]
    assert [(q, p, why) for q, p, why, _ in topics] == [
        (d.question, d.prompt, d.reason) for d in summary.divergences
    ]
    text = [row[0] for row in table]
    assert (
        "Free text is not scored: a free-text prompt answered from 2 or more roles is "
        "listed under To read, to be read before the workshop." in text
    )
    assert any(
        str(t).startswith("Split: a choice with at least 2 answers") and "60%" in str(t)
        for t in text
    )
    assert not any(str(t).startswith("Answers are anonymised") for t in text)


def test_question_sheet_rows_and_carried_forward_marking(summary: Any) -> None:
    sheet = book(summary)["Who"]
    table = values(sheet)
    primer = QUESTIONS[0].prompts[1].text
    assert table[0] == ("Prompt", "Respondent", "Role", "Attendance", "Choice", "Answer", "Late")
    assert len(table) == 1 + 13
    assert table[6:11] == [
        (primer, "Ana Alvarez", "Comms", "Attending", YES, None, None),
        (primer, "Ben Brown", "Comms", "Attending", OFFICIAL, None, None),
        (primer, "Cleo Chen", "Legal", "Attending", OFFICIAL, None, None),
        (primer, "Dan Diaz", "Legal", "Attending", OPTIONAL, None, None),
        (primer, "Eve Evans", "Comms", "Not attending: carried forward", YES, None, "late"),
    ]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G14"
    assert sheet["A2"].alignment.wrap_text
    assert sheet["A11"].fill.fgColor.rgb == "00FFF2CC"  # Eve's row
    assert sheet["A10"].fill.fgColor.rgb != "00FFF2CC"


def test_the_cover_says_what_changed_since_the_previous_version(summary: Any) -> None:
    earlier = PreviousVersion(
        1,
        datetime(2027, 1, 30, 9, 0, tzinfo=ROME),
        {"invited": 6, "answered": 3, "topics": [{}] * 6},
    )
    cover = book(summary, previous=earlier)["Cover"]
    lines = [row[0] for row in cover.iter_rows(values_only=True) if row[0]]
    start = lines.index("What changed since the previous version")
    assert lines[start + 1 : start + 4] == [
        "•  Replaces version 1 of Saturday 30 January 2027, 09:00.",
        "•  Answers: 5 of 6 now, 3 of 6 in version 1.",
        f"•  Candidate drafting topics: {len(summary.divergences)} now, 6 before.",
    ]


def test_a_formula_like_answer_stays_text(summary: Any) -> None:
    cell = book(summary)["Who"]["F3"]  # Ben's who.participants
    assert cell.value == FORMULA
    assert cell.data_type == "s"


def test_choices_sheet_counts_with_zeros(summary: Any) -> None:
    sheet = book(summary)["Choices"]
    table = values(sheet)
    assert table[0] == ("Question", "Choice asked", "Option", "Count", "Share")
    assert len(table) == 1 + 12
    assert table[10:13] == [
        ("Reporting", "How often should activity be reported?", "Monthly", 1, 0.2),
        ("Reporting", "How often should activity be reported?", "Quarterly", 4, 0.8),
        ("Reporting", "How often should activity be reported?", "Only on request", 0, 0),
    ]
    assert sheet["E2"].number_format == "0%"


@pytest.mark.parametrize(("anonymise", "who"), [(False, "Eve Evans"), (True, "Respondent 5")])
def test_carried_forward_holds_only_absent_peoples_answers(
    summary: Any, anonymise: bool, who: str
) -> None:
    sheet = book(summary, anonymise=anonymise)["Carried forward"]
    table = values(sheet)
    assert table[0][:4] == ("Question", "Prompt", "Respondent", "Role")
    assert table[0][-1] == "Carried by"
    # Eve: 4 choices and 9 free-text answers (every text-only prompt but identity.branding).
    assert len(table) == 1 + 13
    assert {row[2] for row in table[1:]} == {who}
    assert {row[4] for row in table[1:]} == {"Not attending: carried forward"}
    assert sheet["A2"].fill.fgColor.rgb == "00FFF2CC"


@pytest.mark.parametrize(
    ("anonymise", "expected"),
    [
        (
            False,
            [
                ("Name", "Role", "Attendance"),
                ("Finn Fox", "(no role given)", "No answer (listed as delegate sent)"),
            ],
        ),
        (True, [("Role", "Invited", "Not answered"), ("(no role given)", 1, 1)]),
    ],
)
def test_not_answered_sheet(summary: Any, anonymise: bool, expected: list[tuple[Any, ...]]) -> None:
    assert values(book(summary, anonymise=anonymise)["Not answered"]) == expected


def test_anonymised_workbook_holds_no_name_or_email(summary: Any) -> None:
    opened = book(summary, anonymise=True)
    texts = [
        str(value)
        for sheet in opened.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert texts
    for secret in NAMES_AND_EMAILS:
        assert not [t for t in texts if secret.casefold() in t.casefold()], secret
    who = values(opened["Who"])
    assert [row[1] for row in who[6:11]] == [f"Respondent {n}" for n in range(1, 6)]
    notes = [row[0] for row in values(opened["Summary"])]
    assert any(str(t).startswith("Answers are anonymised") for t in notes)


def test_a_choice_prompt_answered_only_in_words_is_read_and_its_choice_left_open() -> None:
    from datetime import datetime as moment

    words = {"who.primer": {"choice": None, "text": "Depends on the role."}}
    people = [
        Respondent(
            name, f"{name.lower()}@acme.example", role, ATTENDING, moment(2027, 1, 25), words
        )
        for name, role in (("Ann", "Comms"), ("Bob", "Legal"), ("Cat", "Sales"))
    ]
    summary = summarise(questions_for(), people)
    assert "who.primer" in [t.prompt_id for t in summary.to_read]
    topics = {d.prompt_id: d.reason for d in summary.divergences}
    assert topics["who.primer"] == (
        "no answers on 'Should a primer training be mandatory?': decide in the workshop"
    )

"""The questionnaire summary states facts, not defaults: the delegate who carries a view into
the room is named, someone who never answered is not shown as attending, and a choice nobody
picked is "no answers" (and a topic to settle), never 0% of nothing. The status says the same:
attendance as the person said it, or as the engagement file lists them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from smpp.mailer import OutboxMailer
from smpp.models import parse_engagement
from smpp.setup import Setup, take_stock
from smpp.simulation import run_engagement
from smpp.stages.questionnaire.demo import AttendeeReturns
from smpp.stages.questionnaire.questions import questions_for
from smpp.stages.questionnaire.status import status_lines, status_markdown
from smpp.stages.questionnaire.summary import (
    DELEGATE_SENT,
    NOT_ATTENDING,
    Respondent,
    build_summary_workbook,
    summarise,
)
from smpp.status import engagement_status
from smpp.store import Store
from tests.conftest import engagement_data

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)
PEOPLE = [
    {"name": "Ann Archer", "email": "ann@acme.example", "role": "Comms"},
    {"name": "Bob Baker", "email": "bob@acme.example", "role": "Legal"},
    {"name": "Cat Cole", "email": "cat@acme.example", "role": "Sales"},
]
FREQUENCY = "How often should activity be reported?"
# Everyone writes about reporting in words; nobody picks how often.
ANSWERS = {
    "who.primer": {"choice": "Yes, for everyone", "text": "A short one."},
    "when.commitment": {"choice": "Only official spokespeople", "text": ""},
    "identity.official": {"text": "Communications owns them."},
    "routing.support": {"text": "To customer service within a day."},
    "reporting.measures": {"text": "Response times."},
    "reporting.audience": {"text": "The board, when something happens."},
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def values(sheet: Any) -> list[tuple[Any, ...]]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


@pytest.fixture(scope="module")
def engagement_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Setup, Path]]:
    """Ann attends; Bob, listed as attending, sends Dora Delegate; Cat never answers (nor does
    Dora); the summary is written at the due date."""
    root = tmp_path_factory.mktemp("facts")
    data = engagement_data(root / "drive", attendees=PEOPLE)
    engagement = parse_engagement(data, "test", root)
    store = Store(f"sqlite:///{root / 'state.db'}")
    setup = Setup(engagement, store, OutboxMailer(root / "Outbox"))
    returns = [
        AttendeeReturns(at("2027-01-22T11:00"), "ann@acme.example", "Attending", ANSWERS),
        AttendeeReturns(
            at("2027-01-25T15:00"),
            "bob@acme.example",
            "Sending a delegate",
            ANSWERS,
            ("Dora Delegate", "dora@acme.example"),
        ),
    ]
    run_engagement(setup, KICKOFF, returns)
    summary = next(
        e
        for e in store.events_for("acme-foods")
        if e.kind == "deliverable.written" and e.data["stage"] == "questionnaire"
    )
    yield setup, Path(summary.data["path"])
    store.close()


@pytest.fixture(scope="module")
def book(engagement_run: tuple[Setup, Path]) -> Any:
    return openpyxl.load_workbook(io.BytesIO(engagement_run[1].read_bytes()))


def test_carried_by_names_the_delegate_the_rsvp_named(book: Any) -> None:
    table = values(book["Carried forward"])
    assert table[0][-1] == "Carried by"
    carried = {(row[2], row[4], row[-1]) for row in table[1:]}
    assert carried == {("Bob Baker", "Delegate sent: carried forward", "Dora Delegate")}


def test_someone_who_never_answered_is_not_shown_as_attending(book: Any) -> None:
    assert values(book["Not answered"]) == [
        ("Name", "Role", "Attendance"),
        # The delegate is invited in her own right, with Bob's role.
        ("Dora Delegate", "Legal", "No answer (listed as attending)"),
        ("Cat Cole", "Sales", "No answer (listed as attending)"),
    ]


def test_a_choice_nobody_picked_is_no_answers_not_zero_percent(book: Any) -> None:
    rows = [row for row in values(book["Choices"]) if row[1] == FREQUENCY]
    assert rows == [("Reporting", FREQUENCY, "no answers", None, None)]
    charts = [str(v) for row in values(book["Charts"]) for v in row if v]
    at_chart = charts.index(f"Reporting: {FREQUENCY}")
    assert charts[at_chart + 1] == "No answers: nobody has chosen an option."


def test_a_choice_nobody_picked_is_a_drafting_topic_worded_from_the_question(book: Any) -> None:
    table = values(book["Summary"])
    start = table.index(("Candidate drafting topics", None, None, None))
    end = table.index(("To read: free text answered from several roles", None, None, None))
    topics = {row[1]: row[2] for row in table[start + 2 : end] if row[0] == "Reporting"}
    prompt = next(p for p in topics if "receives the reports" in p)
    assert topics[prompt] == f"no answers on '{FREQUENCY}': decide in the workshop"


def test_status_carries_attendance_as_said_and_as_listed(
    engagement_run: tuple[Setup, Path],
) -> None:
    setup, _ = engagement_run
    status = engagement_status(take_stock(setup), at("2027-02-08T10:00"))
    section = status["questionnaire"]
    people = {p["email"]: p for p in section["people"]}
    said = {
        e: (p["attendance"], p["attendance_said"], p["attendance_listed"])
        for e, p in people.items()
    }
    assert said == {
        "ann@acme.example": ("attending", "attending", "attending"),
        "bob@acme.example": ("delegate sent", "delegate sent", "attending"),
        "cat@acme.example": ("attending", None, "attending"),
        "dora@acme.example": ("attending", None, "attending"),
    }
    lines = status_lines(section)
    assert "  Cat Cole (Sales, listed as attending): awaited since Thu 21 Jan 2027 09:00" in [
        line.split(", next reminder")[0] for line in lines
    ]
    assert any(line.startswith("  Ann Archer (Comms, attending): answered") for line in lines)
    markdown = status_markdown(section, "Europe/Rome")
    cat = next(line for line in markdown if line.startswith("| Cat Cole |"))
    assert cat.split(" | ")[2] == "listed as attending"
    bob = next(line for line in markdown if line.startswith("| Bob Baker |"))
    assert bob.split(" | ")[2] == "delegate sent"


def test_an_anonymised_summary_says_a_delegate_carries_the_view_without_naming_them() -> None:
    answered = datetime(2027, 1, 25, 9, tzinfo=ROME)
    answers: dict[str, dict[str, str | None]] = {
        "who.primer": {"choice": "No, optional", "text": "A guide is enough."}
    }
    people = [
        Respondent(
            "Paolo Greco",
            "paolo@acme.example",
            "Sales",
            DELEGATE_SENT,
            answered,
            answers,
            carried_by="Anna Ricci",
        ),
        Respondent("Luca Moretti", "luca@acme.example", "Legal", NOT_ATTENDING, answered, answers),
    ]
    summary = summarise(questions_for(), people)
    for anonymise, carrier in ((False, "Anna Ricci"), (True, "their delegate")):
        data = build_summary_workbook("Acme", summary, answered, anonymise=anonymise)
        table = values(openpyxl.load_workbook(io.BytesIO(data))["Carried forward"])
        assert {(row[4], row[-1]) for row in table[1:]} == {
            ("Delegate sent: carried forward", carrier),
            ("Not attending: carried forward", None),
        }
        if anonymise:
            assert "Anna Ricci" not in str(table)

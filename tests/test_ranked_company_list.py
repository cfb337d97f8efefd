"""A client who ranks its companies 1..N in the Priority column has given a clear order: the list
is accepted and the review follows it (smaller first; high, medium and low are 1, 2 and 3, and a
list may mix them). An optional cell that cannot be taken never refuses the list: it is left out
with a note on the company, shown in the accepted list and given to the acceptance mail."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from smpp.actions import SendMail
from smpp.events import MAIL_SENT, STARTED
from smpp.plan import plan
from smpp.stages.company_list.events import LIST_JUDGED
from smpp.stages.company_list.judge import ListVerdict, judge_company_list
from smpp.stages.company_list.workbook import build_accepted_company_list
from smpp.stages.peer_review import workbook as review_workbook
from smpp.stages.peer_review.selection import (
    Candidate,
    Found,
    choose,
    priority_words,
    selection_order,
)
from smpp.stages.peer_review.workbook import reason_in_words
from smpp.state import State
from smpp.store import Event

ROME = ZoneInfo("Europe/Rome")
HEADERS = ("Company name", "Website", "Priority")


def firms(count: int) -> list[list[Any]]:
    return [[f"Firm {i:03d}", f"firm{i:03d}.com"] for i in range(1, count + 1)]


def xlsx(rows: list[list[Any]], headers: tuple[str, ...] = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Companies"
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def judge(tmp_path: Path, data: bytes, name: str = "list.xlsx") -> ListVerdict:
    path = tmp_path / name
    path.write_bytes(data)
    return judge_company_list(path)


def test_a_list_ranked_1_to_22_is_accepted_in_its_order(tmp_path: Path) -> None:
    # Ranked backwards down the sheet: the last row is the client's first choice.
    rows = [[*firm, 23 - n] for n, firm in enumerate(firms(22), start=1)]
    verdict = judge(tmp_path, xlsx(rows))
    assert verdict.problems == ()
    assert verdict.ok and len(verdict.companies) == 22
    assert [c.priority for c in verdict.companies] == list(range(22, 0, -1))
    candidates = [Candidate.from_row(asdict(c)) for c in verdict.companies]
    assert [c.name for c in selection_order(candidates)][:3] == ["Firm 022", "Firm 021", "Firm 020"]


def test_a_ranked_csv_is_accepted_too(tmp_path: Path) -> None:
    lines = [",".join(HEADERS)] + [
        f"{name},{site},{n}" for n, (name, site) in enumerate(firms(21), 1)
    ]
    verdict = judge(tmp_path, "\r\n".join(lines).encode(), "list.csv")
    assert verdict.ok
    assert [c.priority for c in verdict.companies] == list(range(1, 22))


@pytest.mark.parametrize(
    ("given", "priority"),
    [
        ("1 - high", 1),
        ("High", 1),
        ("medium", 2),
        ("low", 3),
        (4, 4),
        (4.0, 4),
        ("4", 4),
        (" 12 ", 12),
        ("07", 7),
        (None, None),
    ],
)
def test_mixed_priorities_read_as_one_order(tmp_path: Path, given: object, priority: int) -> None:
    rows = [[*firm, "low"] for firm in firms(20)]
    rows[5][2] = given
    verdict = judge(tmp_path, xlsx(rows))
    assert verdict.ok
    assert verdict.companies[5].priority == priority
    assert verdict.companies[5].notes == ()


@pytest.mark.parametrize(
    ("column", "given", "note"),
    [
        (
            "Priority",
            "urgent",
            "Priority: 'urgent' is neither a rank (a whole number, 1 first) nor high, medium or "
            "low; left out.",
        ),
        (
            "Priority",
            0,
            "Priority: '0' is neither a rank (a whole number, 1 first) nor high, medium or low; "
            "left out.",
        ),
        (
            "Priority",
            2.5,
            "Priority: '2.5' is neither a rank (a whole number, 1 first) nor high, medium or "
            "low; left out.",
        ),
        (
            "Social media policy URL (if known)",
            "see their intranet",
            "Social media policy URL (if known): 'see their intranet' contains spaces; left out.",
        ),
        ("Industry", "=A1&A2", "Industry: a formula (=A1&A2), not a value; left out."),
        (
            "Why comparable",
            "x" * 1_001,
            "Why comparable: 1,001 characters, over the 1,000 we take; left out.",
        ),
    ],
)
def test_an_optional_cell_that_cannot_be_taken_is_a_note_not_a_refusal(
    tmp_path: Path, column: str, given: object, note: str
) -> None:
    rows = [[*firm, None] for firm in firms(20)]
    rows[3][2] = given
    verdict = judge(tmp_path, xlsx(rows, ("Company name", "Website", column)))
    assert verdict.ok, verdict.problems
    assert len(verdict.companies) == 20
    company = verdict.companies[3]
    assert company.notes == (note,)
    assert (company.priority, company.policy_url, company.industry, company.why_comparable) == (
        None,
        None,
        "",
        "",
    )
    assert verdict.as_dict()["notes"] == [f"Row 5 (Firm 004): {note}"]


def test_a_formula_in_a_column_we_do_not_read_is_ignored(tmp_path: Path) -> None:
    rows = [[*firm, "=1+1"] for firm in firms(20)]
    verdict = judge(tmp_path, xlsx(rows, ("Company name", "Website", "Score")))
    assert verdict.ok and all(c.notes == () for c in verdict.companies)


def test_a_formula_in_a_required_column_still_refuses_the_row(tmp_path: Path) -> None:
    rows = firms(20)
    rows[2][1] = '=LOWER(A4)&".com"'
    verdict = judge(tmp_path, xlsx(rows, ("Company name", "Website")))
    assert not verdict.ok
    assert verdict.problems[0].message.startswith("Row 4, Website, contains a formula")


@pytest.mark.parametrize(
    ("priority", "scale", "words"),
    [
        (1, 3, "high"),
        (2, 0, "medium"),
        (3, 3, "low"),
        (1, 22, "1 of 22"),
        (4, 22, "4 of 22"),
        (4, 0, "4 of 4"),
        (None, 22, "not given"),
    ],
)
def test_priority_in_words(priority: int | None, scale: int, words: str) -> None:
    assert priority_words(priority, scale) == words


def test_the_review_says_a_ranked_priority_the_same_everywhere() -> None:
    candidates = [
        Candidate(f"Firm {n}", f"https://firm{n}.example", f"firm{n}.example", 23 - n, None, n)
        for n in range(1, 23)
    ]
    searches = {c.domain: Found(True, f"https://{c.domain}/policy") for c in candidates}
    selection = choose(candidates, searches)
    first = selection.verdicts[0]
    assert first.candidate.name == "Firm 22"
    assert first.reason == "Client priority 1 of 22; policy found at https://firm22.example/policy."
    assert first.priority == "1 of 22"
    assert reason_in_words(first) == (
        "Client priority 1 of 22; its policy was found on its site.",
        "",
    )
    not_needed = selection.verdicts[-1]
    assert (not_needed.status, not_needed.priority) == ("not needed", "22 of 22")
    # One table of words, in selection: the review workbook keeps none of its own.
    assert not hasattr(review_workbook, "PRIORITY_WORDS")


def test_the_accepted_list_shows_the_ranks_and_the_notes(tmp_path: Path) -> None:
    rows = [[*firm, n] for n, firm in enumerate(firms(22), start=1)]
    rows[1][2] = "soon"
    verdict = judge(tmp_path, xlsx(rows))
    assert verdict.ok
    received = datetime(2027, 1, 25, 15, 40, tzinfo=ROME)
    data = build_accepted_company_list("Acme", verdict.companies, "list.xlsx", received, "ab12")
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Companies"]
    header = [c.value for c in sheet[1]]
    priority, notes = header.index("Priority") + 1, header.index("Notes") + 1
    assert sheet.cell(row=2, column=priority).value == "1 of 22"
    assert sheet.cell(row=3, column=priority).value is None
    assert sheet.cell(row=3, column=notes).value == (
        "Priority: 'soon' is neither a rank (a whole number, 1 first) nor high, medium or low; "
        "left out."
    )
    assert sheet.cell(row=23, column=priority).value == "22 of 22"
    cover = [str(v) for row in book["Cover"].iter_rows(values_only=True) for v in row if v]
    assert "•  Priorities: ranked from 1 to 22, 1 not given." in cover
    assert (
        "•  1 company has a note: a cell that could not be taken was left out (see Notes)." in cover
    )


def test_the_acceptance_mail_is_given_the_notes(tmp_path: Path, make_engagement: Any) -> None:
    rows = [[*firm, n] for n, firm in enumerate(firms(21), start=1)]
    rows[6][2] = "top"
    verdict = judge(tmp_path, xlsx(rows))
    assert verdict.ok
    slug = "acme-foods"
    kickoff = datetime(2027, 1, 4, 10, tzinfo=ROME)
    events = (
        Event(slug, kickoff, STARTED, f"{slug}/started", {"kickoff": kickoff.isoformat()}),
        Event(
            slug,
            datetime(2027, 1, 14, 8, tzinfo=UTC),
            MAIL_SENT,
            f"{slug}/company-list/request",
            {"template": "company_list_request"},
        ),
        Event(
            slug,
            datetime(2027, 1, 18, 19, tzinfo=UTC),  # 20:00 in Rome: the reply waits for morning
            LIST_JUDGED,
            f"{slug}/inbox/list-1",
            {
                "file": "list.xlsx",
                "stored": str(tmp_path / "list.xlsx"),
                "sha256": "0" * 64,
                "ok": True,
                "companies": 21,
                "problems": [],
                "company_rows": [asdict(c) for c in verdict.companies],
            },
        ),
    )
    state = State(make_engagement(attendees=[]), events)
    result = plan(state, datetime(2027, 1, 19, 9, 0, tzinfo=ROME))
    (reply,) = [
        a for a in result.due if isinstance(a, SendMail) and a.template == "company_list_accepted"
    ]
    assert reply.context["notes"] == [
        "Row 8 (Firm 007): Priority: 'top' is neither a rank (a whole number, 1 first) nor "
        "high, medium or low; left out."
    ]


def test_check_list_accepts_a_ranked_list_and_prints_its_notes(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from smpp.cli import app

    rows = [[*firm, n] for n, firm in enumerate(firms(22), start=1)]
    rows[0][2] = "first!"
    path = tmp_path / "ranked.xlsx"
    path.write_bytes(xlsx(rows))
    runner = CliRunner()
    result = runner.invoke(app, ["check-list", str(path), "--json"])
    assert result.exit_code == 0
    note = (
        "Row 2 (Firm 001): Priority: 'first!' is neither a rank (a whole number, 1 first) nor "
        "high, medium or low; left out."
    )
    assert json.loads(result.output) == {
        "ok": True,
        "companies": 22,
        "problems": [],
        "notes": [note],
    }
    said = runner.invoke(app, ["check-list", str(path)])
    assert said.exit_code == 0
    assert " ".join(said.output.split()).endswith(f"note: {note}")  # wrapped at the width

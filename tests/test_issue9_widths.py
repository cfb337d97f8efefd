"""Issue 9, point 3: "Tables on the status, open-steps and board pages fit a 1,400-pixel window
(who, since, due and overdue visible)". No browser here, so the tables are measured as text over
every moment of the demo's engagement (six attendees, long names): a table that fits has few
columns, names without e-mail addresses, and rows of at most 130 characters (the Prefect UI
shows about 7 pixels a character, beside its 250-pixel navigation)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from smpp.artifacts import open_steps, status_markdown
from smpp.board import board_entry, board_markdown
from smpp.mailer import OutboxMailer
from smpp.setup import Setup
from smpp.simulation import demo_engagement, demo_happenings, demo_kickoff, demo_web, run_engagement
from smpp.site_server import SiteServer
from smpp.state import State
from smpp.status import engagement_status
from smpp.store import Store

MAX_COLUMNS = 5
MAX_ROW = 130
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def tables(markdown: str) -> list[list[list[str]]]:
    """Each markdown table of a page, as rows of cells (the separator row left out)."""
    found: list[list[list[str]]] = []
    current: list[list[str]] = []
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            if not all(set(c) <= {"-", ":"} for c in cells):
                current.append(cells)
        elif current:
            found.append(current)
            current = []
    return found


def too_wide(rows: list[list[str]]) -> list[str]:
    problems = []
    for cells in rows:
        text = "  ".join(cells)
        if len(cells) > MAX_COLUMNS:
            problems.append(f"{len(cells)} columns: {text}")
        elif len(text) > MAX_ROW:
            problems.append(f"{len(text)} characters: {text}")
        elif EMAIL.search(text):
            problems.append(f"an e-mail address: {text}")
    return problems


@pytest.fixture(scope="module")
def moments(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[State, Any]]]:
    """The demo's engagement at every moment an advance ran."""
    folder = tmp_path_factory.mktemp("widths")
    engagement = demo_engagement(folder / "drive")
    store = Store(f"sqlite:///{folder / 'state.db'}")
    try:
        with SiteServer(delays={"fjellvind.example": 0.2}) as sites:
            setup = Setup(engagement, store, OutboxMailer(engagement.outbox_dir), demo_web(sites))
            kickoff = demo_kickoff(engagement)
            reports = run_engagement(setup, kickoff, demo_happenings(engagement, kickoff))
        events = store.events_for(engagement.slug)
        yield [
            (State(engagement, tuple(e for e in events if e.at <= r.now)), r.now) for r in reports
        ]
    finally:
        store.close()


def test_the_open_steps_and_the_board_fit_the_window(moments: list[tuple[State, Any]]) -> None:
    problems = []
    for state, now in moments:
        status = engagement_status(state, now)
        steps = open_steps(status, state.engagement.timezone)
        problems += too_wide([list(row.values()) for row in steps])
        entry = board_entry(state, [], None, now)
        for table in tables(board_markdown([entry], [], now, {})):
            problems += too_wide(table)
    assert problems == []


def test_the_status_pages_tables_fit_the_window(moments: list[tuple[State, Any]]) -> None:
    problems: set[str] = set()
    for state, now in moments:
        page = status_markdown(engagement_status(state, now), state.engagement.timezone)
        for table in tables(page):
            problems |= set(too_wide(table))
    assert sorted(problems) == []


def test_the_measure_sees_a_table_that_does_not_fit() -> None:
    page = "| A | B |\n|---|---|\n| Carl | carl@acme.example |\n\n| " + " | ".join("x" * 9) + " |\n"
    assert too_wide(tables(page)[0]) == ["an e-mail address: Carl  carl@acme.example"]
    assert too_wide(tables(page)[1])[0].startswith("9 columns")

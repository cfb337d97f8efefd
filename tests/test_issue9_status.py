"""Issue 9, point 3 and 4, where no other test looked: the board of a review that reached no site
(one line, not a row per company), the drive's web address from SMPP_DRIVE_URL, and the names of
the decide flow's runs (the client's name, like every other run)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from smpp.artifacts import deliverable_links, status_markdown
from smpp.board import board_entry, board_markdown, board_rows, waits
from smpp.engine import advance
from smpp.mailer import OutboxMailer
from smpp.models import parse_engagement
from smpp.setup import Setup
from smpp.simulation import demo_web
from smpp.site_server import SiteServer
from smpp.stages.company_list.demo import DEMO_COMPANIES
from smpp.state import State
from smpp.store import Store
from tests.conftest import engagement_data
from tests.test_peer_review_stage import NINE, dead_web, drop_list

# --- a review that reached no site, on the board -------------------------------------------


@pytest.fixture
def offline(tmp_path: Path, sites: SiteServer) -> Iterator[Setup]:
    """The client's list accepted while the worker has no network: not one site answers."""
    engagement = parse_engagement(
        engagement_data(tmp_path / "drive", attendees=[]), "test", tmp_path
    )
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    setup = Setup(engagement, store, OutboxMailer(tmp_path / "out"), demo_web(sites))
    drop_list(setup, [tuple(row) for row in DEMO_COMPANIES], NINE)
    advance(replace(setup, web=dead_web()), NINE)
    yield setup
    store.close()


def test_a_review_that_reached_no_site_is_one_line_on_the_board_and_the_status(
    offline: Setup,
) -> None:
    now = NINE + timedelta(minutes=5)
    state = State(offline.engagement, tuple(offline.store.events_for("acme-foods")))
    entry = board_entry(state, offline.store.failed_effects("acme-foods"), None, now)
    found = waits([entry])
    problems = [w for w in found if w.kind == "problem"]
    assert [(w.who, w.what.split(" (")[0]) for w in problems] == [
        ("the agency (operators)", "No company site could be reached")
    ]
    # Nothing else of ours on the board: no failing action per company, no row per site.
    assert [w.kind for w in found if w.kind != "awaited"] == ["problem"]
    page = board_markdown([entry], [], now, {})
    assert page.count("No company site could be reached") == 1
    companies = [str(row[0]) for row in DEMO_COMPANIES]
    # The companies are named once, in the next action (the search to retry), never a row each.
    naming = [line for line in page.splitlines() if any(name in line for name in companies)]
    assert len(naming) == 1 and "next: Find and review the policies of" in naming[0]
    [row] = [r for r in board_rows(found) if r["kind"] == "problem"]
    assert row["since"] == "Thu 14 Jan, 09:30 CET"

    # The status page: the one line under Problems; no company named with its error.
    shown = status_markdown(entry.status, "Europe/Rome")
    assert shown.count("No company site could be reached") == 2  # the problem, the review
    naming = [line for line in shown.splitlines() if any(name in line for name in companies)]
    assert [line.split(" ")[:2] for line in naming] == [["Find", "and"], ["-", "Searching:"]]
    # No site's error on the page: those went to the lead's mail, one per site.
    assert "refused" not in shown.lower() and "sitemap" not in shown.lower()


# --- links to deliverables from SMPP_DRIVE_URL -----------------------------------------------


def test_smpp_drive_url_gives_each_clients_folder_its_web_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from smpp.status import engagement_status
    from tasks.setup import with_drive_url

    drive = tmp_path / "Acme Foods"
    engagement = parse_engagement(engagement_data(drive, attendees=[]), "test", tmp_path)
    monkeypatch.delenv("SMPP_DRIVE_URL", raising=False)
    assert with_drive_url(engagement).drive_url is None  # no address: paths shown as text

    monkeypatch.setenv("SMPP_DRIVE_URL", "https://files.agency.example/clients/")
    addressed = with_drive_url(engagement)
    assert addressed.drive_url == "https://files.agency.example/clients/Acme%20Foods"
    # The engagement's own drive_url comes first.
    own = parse_engagement(
        engagement_data(drive, attendees=[], drive_url="https://elsewhere.example/acme"),
        "test",
        tmp_path,
    )
    assert with_drive_url(own).drive_url == "https://elsewhere.example/acme"

    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    try:
        advance(Setup(addressed, store, OutboxMailer(tmp_path / "out")), NINE)
        state = State(addressed, tuple(store.events_for("acme-foods")))
        from smpp.events import DELIVERABLE_WRITTEN
        from smpp.store import Event

        path = drive / "01 Company list" / "Company list - Acme Foods.xlsx"
        store.append(
            Event(
                "acme-foods",
                NINE,
                DELIVERABLE_WRITTEN,
                None,
                {"stage": "company-list", "path": str(path)},
            )
        )
        state = State(addressed, tuple(store.events_for("acme-foods")))
        status = engagement_status(state, NINE)
    finally:
        store.close()
    [link] = deliverable_links(status, "Europe/Rome")
    assert link.link == (
        "https://files.agency.example/clients/Acme%20Foods/01%20Company%20list/"
        "Company%20list%20-%20Acme%20Foods.xlsx"
    )


# --- the decide flow's run names --------------------------------------------------------------


@pytest.fixture
def decide_engagements(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMPP_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    folder = tmp_path / "engagements"
    folder.mkdir()
    monkeypatch.setenv("SMPP_ENGAGEMENTS", str(folder))
    data = engagement_data(tmp_path / "drive")
    (folder / "acme-foods.yaml").write_text(yaml.safe_dump(data))
    return folder


def run_name(state: Any) -> str:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return str(client.read_flow_run(state.state_details.flow_run_id).name)


@pytest.mark.prefect
@pytest.mark.usefixtures("prefect_harness", "decide_engagements")
def test_decision_runs_are_named_after_the_client_and_what_was_recorded() -> None:
    from flows.decide import record_decision
    from smpp.decisions import DecisionForm

    def close(reason: str) -> DecisionForm:
        return DecisionForm.model_validate(
            {
                "decision": "Close the engagement (nothing more is sent)",
                "by": "Lea Lead",
                "reason": reason,
            }
        )

    done = record_decision("acme-foods", close("Budget withdrawn."), return_state=True)
    assert done.is_completed()
    assert run_name(done) == "Acme Foods: engagement closed"

    again = record_decision("acme-foods", close("Twice?"), return_state=True)
    assert again.is_failed()
    assert run_name(again) == "Acme Foods: decision refused"
    nobody = record_decision("nobody", close("x"), return_state=True)
    assert nobody.is_failed() and run_name(nobody) == "nobody: decision refused"


# --- an engagement closed before its first advance ---------------------------------------------


def test_an_engagement_closed_before_it_started_plans_nothing(
    tmp_path: Path, make_engagement: Any, store: Store
) -> None:
    from smpp.decisions import close_engagement
    from smpp.status import engagement_status

    engagement = make_engagement()
    store.append(close_engagement(State(engagement, ()), "Cancelled.", "Lea Lead", NINE))
    closed = State(engagement, tuple(store.events_for("acme-foods")))
    status = engagement_status(closed, NINE + timedelta(days=1))
    assert status["closed"] is True
    assert status["next_action"] is None  # closed: nothing more is planned, not even the start

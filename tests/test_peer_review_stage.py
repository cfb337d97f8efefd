"""The peer-review stage end to end: the sample company sites on loopback, a simulated clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from smpp.engine import Setup
from smpp.mailer import OutboxMailer
from smpp.models import parse_engagement
from smpp.plan import COMPANY_REVIEWED, POLICIES_SEARCHED, State
from smpp.simulation import LeadReplaces, client_drops, demo_web, run_engagement
from smpp.site_server import SiteServer
from smpp.store import Store
from tests.conftest import engagement_data

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)


@pytest.fixture
def setup(tmp_path: Path, sites: SiteServer) -> Iterator[Setup]:
    engagement = parse_engagement(
        engagement_data(tmp_path / "drive", attendees=[]), "test", tmp_path
    )
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    yield Setup(engagement, store, OutboxMailer(tmp_path / "out"), demo_web(sites))
    store.close()


def searched(setup: Setup) -> list[list[str]]:
    events = setup.store.events_for(setup.engagement.slug)
    return [e.data["companies"] for e in events if e.kind == POLICIES_SEARCHED]


def test_five_policies_found_reviewed_and_one_replaced(setup: Setup) -> None:
    drops = client_drops(setup.engagement, KICKOFF)
    swap = LeadReplaces(
        datetime(2027, 1, 26, 10, 30, tzinfo=ROME), "Fjellvind Gear", "Everpeak Sports"
    )
    run_engagement(setup, KICKOFF, [*drops, swap])

    # Priority first, a known address first among equals; the site with no policy is passed
    # over, so one more (the slow site) is searched; the replacement alone is searched later.
    assert searched(setup) == [
        [
            "northpass.example",
            "alpinecrest.example",
            "bluefjord.example",
            "cedarpine.example",
            "dunmoretrail.example",
        ],
        ["fjellvind.example"],
        ["everpeak.example"],
    ]
    state = State(setup.engagement, tuple(setup.store.events_for(setup.engagement.slug)))
    assert [c.name for c in state.selection().chosen] == [
        "Everpeak Sports",
        "Northpass Footwear",
        "Alpine Crest Outfitters",
        "Bluefjord Apparel",
        "Cedar & Pine Co.",
    ]
    reviews = state.reviews()
    assert reviews["everpeak.example"].data["final_url"] == (
        "https://everpeak.example/company/guidelines/social-media"  # after the redirect
    )
    assert reviews["cedarpine.example"].data["final_url"].endswith(".pdf")
    dunmore = reviews["dunmoretrail.example"].data
    assert dunmore["found"] is False and dunmore["notes"]

    folder = setup.engagement.drive / "03 Peer review"
    assert sorted(p.name for p in folder.glob("*.xlsx")) == [
        "Peer review - Acme Foods - v1.xlsx",
        "Peer review - Acme Foods - v2.xlsx",
    ]
    kept = list((folder / "Sources").iterdir())
    assert len([p for p in kept if p.suffix == ".json"]) == 6  # every policy found, kept
    book = openpyxl.load_workbook(folder / "Peer review - Acme Foods - v2.xlsx")
    assert [c.value for c in book["Matrix"][1]][3:8] == [
        "Everpeak Sports",
        "Northpass Footwear",
        "Alpine Crest Outfitters",
        "Bluefjord Apparel",
        "Cedar & Pine Co.",
    ]
    flagged = {row[0] for row in book["Red flags"].iter_rows(min_row=2, values_only=True)}
    assert "Cedar & Pine Co." in flagged  # its overbroad and non-disparagement clauses

    sent = sorted(p.name for p in (setup.mailer.folder).iterdir())  # type: ignore[attr-defined]
    assert sum("peer_review_ready" in name for name in sent) == 2  # v1, then v2


def test_reviewing_again_at_the_same_moment_fetches_nothing(setup: Setup) -> None:
    drops = client_drops(setup.engagement, KICKOFF)
    reports = run_engagement(setup, KICKOFF, drops)
    before = len(setup.store.events_for(setup.engagement.slug))
    from smpp.engine import advance

    again = advance(setup, reports[-1].now + timedelta(minutes=1))
    assert again.done == [] and len(setup.store.events_for(setup.engagement.slug)) == before
    assert (
        len(
            [e for e in setup.store.events_for(setup.engagement.slug) if e.kind == COMPANY_REVIEWED]
        )
        == 6
    )

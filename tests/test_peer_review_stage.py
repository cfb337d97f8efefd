"""The peer-review stage end to end: the sample company sites on loopback, a simulated clock."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import openpyxl
import pytest

from smpp.artifacts import status_markdown
from smpp.decisions import confirm_gap
from smpp.engine import advance
from smpp.fetch import FetchSettings
from smpp.mailer import OutboxMailer
from smpp.models import parse_engagement
from smpp.setup import Setup, Web
from smpp.simulation import demo_web, run_engagement
from smpp.site_server import LoopbackTransport, SiteServer
from smpp.stages.company_list.demo import DEMO_COMPANIES, ClientDrop, fill_company_list
from smpp.stages.company_list.demo import happenings as client_drops
from smpp.stages.peer_review.demo import LeadReplaces
from smpp.stages.peer_review.events import COMPANY_REVIEWED, POLICIES_SEARCHED
from smpp.stages.peer_review.records import current_selection, latest_reviews
from smpp.state import State
from smpp.status import engagement_status
from smpp.store import Store
from tests.conftest import engagement_data, free_port

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
    assert [c.name for c in current_selection(state).chosen] == [
        "Everpeak Sports",
        "Northpass Footwear",
        "Alpine Crest Outfitters",
        "Bluefjord Apparel",
        "Cedar & Pine Co.",
    ]
    reviews = latest_reviews(state)
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
    again = advance(setup, reports[-1].now + timedelta(minutes=1))
    assert again.done == [] and len(setup.store.events_for(setup.engagement.slug)) == before
    assert (
        len(
            [e for e in setup.store.events_for(setup.engagement.slug) if e.kind == COMPANY_REVIEWED]
        )
        == 6
    )


# --- when the review cannot do its work ----------------------------------------------------

NINE = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)  # a Thursday, in working hours


def dead_web() -> Web:
    """No network: every connection is refused (a loopback port nobody listens on)."""
    closed = free_port()
    settings = FetchSettings(allow_private=True, timeout=2.0, retries=0)
    return Web(settings, client=lambda: httpx.AsyncClient(transport=LoopbackTransport(closed)))


def drop_list(setup: Setup, rows: list[tuple[str, ...]], at: datetime) -> None:
    content = fill_company_list(setup.engagement, rows, at + timedelta(days=14))
    ClientDrop(at, "Our comparables.xlsx", content).happen(setup)


def plain_text(path: Path) -> str:
    """A mail's text as its reader sees it, lines joined."""
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(("plain",))  # type: ignore[attr-defined]
    return " ".join(str(body.get_content()).split())


def mails(setup: Setup, template: str) -> list[str]:
    events = setup.store.events_for(setup.engagement.slug)
    return [e.key or "" for e in events if e.kind == "mail.sent" and e.data["template"] == template]


def test_a_review_that_reaches_no_site_is_not_done_and_is_retried_until_it_does(
    setup: Setup, sites: SiteServer
) -> None:
    offline = replace(setup, web=dead_web())
    drop_list(setup, [tuple(row) for row in DEMO_COMPANIES], NINE)
    advance(offline, NINE)  # the list is accepted; not one site answers

    state = State(setup.engagement, tuple(setup.store.events_for(setup.engagement.slug)))
    [search] = [e for e in state.events if e.kind == POLICIES_SEARCHED]
    assert sorted(search.data["unreachable"]) == sorted(search.data["companies"])
    assert [e for e in state.events if e.kind == COMPANY_REVIEWED] == []  # nobody passed over
    assert current_selection(state).chosen == () and len(current_selection(state).to_search) == 5
    status = engagement_status(state, NINE + timedelta(minutes=5))
    review = status["peer_review"]
    assert review["summary"].startswith(
        "No company site could be reached (0 of 5 answered, last tried Thu 14 Jan 2027, 09:30): "
        "the worker's network or DNS is the likely cause."
    )
    assert review["companies"] == [] and review["complete"] is False  # one line, not 5 rows
    [problem] = status["problems"]
    assert problem["what"] == review["summary"]
    done = {row["milestone"]: row["actual"] for row in status["timeline"]}
    assert done["peer_review_done"] is None
    assert status["next_action"]["what"].endswith("(attempt 2: no site answered before)")
    assert status["next_action"]["when"] == "2027-01-14T10:30:00+01:00"
    page = status_markdown(status, "Europe/Rome")
    assert "## Problems\n\n- **No company site could be reached (0 of 5 answered" in page
    # The account lead is told once, with what to check and what to do.
    assert len(mails(setup, "peer_review_unreachable")) == 1
    [told] = [p for p in setup.mailer.folder.iterdir() if "peer_review_unreachable" in p.name]  # type: ignore[attr-defined]
    text = plain_text(told)
    assert "not one of the 5 company sites it tried answered" in text
    assert "has no internet access, or its DNS is failing" in text
    assert "could not start: on 14 Jan 2027, 09:30 not one of the 5 company sites" in text
    assert "Alpine Crest Outfitters (https://alpinecrest.example): sitemap " in text

    advance(offline, NINE + timedelta(minutes=30))  # not yet due again
    advance(offline, NINE + timedelta(hours=1))  # the second attempt fails too
    searches = [e for e in setup.store.events_for("acme-foods") if e.kind == POLICIES_SEARCHED]
    assert [e.key.rsplit("/", 1)[-1] for e in searches if e.key][1:] == ["retry-1"]
    assert len(mails(setup, "peer_review_unreachable")) == 1  # told once per episode

    advance(setup, NINE + timedelta(hours=2))  # the network is back
    state = State(setup.engagement, tuple(setup.store.events_for(setup.engagement.slug)))
    assert len(current_selection(state).chosen) == 5
    status = engagement_status(state, NINE + timedelta(hours=2))
    assert status["problems"] == [] and status["peer_review"]["complete"] is True
    done = {row["milestone"]: row["actual"] for row in status["timeline"]}
    assert done["peer_review_done"] is not None


def test_a_review_short_of_five_asks_the_client_for_more_and_is_not_done(
    tmp_path: Path, sites: SiteServer
) -> None:
    engagement = parse_engagement(
        engagement_data(tmp_path / "drive", attendees=[], min_companies=5), "test", tmp_path
    )
    store = Store(f"sqlite:///{tmp_path / 'state.db'}")
    setup = Setup(engagement, store, OutboxMailer(tmp_path / "out"), demo_web(sites))
    try:
        # Two with a policy, one site without, two sites that do not exist: the list runs out.
        rows = [
            (
                "Northpass Footwear",
                "northpass.example",
                *("", "", "", ""),
                "1 - high",
                "https://northpass.example/en/company/social-media-policy",
            ),
            ("Alpine Crest Outfitters", "alpinecrest.example", "", "", "", "", "1 - high", ""),
            ("Dunmore Trail Supply", "dunmoretrail.example", "", "", "", "", "", ""),
            ("Nowhere One", "nowhere-one.example", "", "", "", "", "", ""),
            ("Nowhere Two", "nowhere-two.example", "", "", "", "", "", ""),
        ]
        drop_list(setup, rows, NINE)
        advance(setup, NINE)
        state = State(engagement, tuple(store.events_for(engagement.slug)))
        assert [c.name for c in current_selection(state).chosen] == [
            "Northpass Footwear",
            "Alpine Crest Outfitters",
        ]
        [asked] = [
            e for e in state.events if e.data.get("template") == "peer_review_more_companies"
        ]
        assert asked.data["to"] == ["Carl Client <carl@acme.example>"]
        assert asked.data["cc"] == ["Lea Lead <lea@agency.example>"]
        assert asked.data["subject"] == (
            "Acme Foods social media policy workshop: a few more comparable companies, please"
        )
        text = plain_text(Path(asked.data["where"]))
        assert "found one for 2 of them; the review compares five, so we are 3 short" in text
        status = engagement_status(state, NINE + timedelta(hours=1))
        assert status["peer_review"]["summary"] == (
            "Short of five: 2 of the 5 companies on the list have a public policy that could be "
            "found; the client is asked for more companies."
        )
        assert status["peer_review"]["complete"] is False
        actual = {row["milestone"]: row["actual"] for row in status["timeline"]}
        assert actual["peer_review_done"] is None
        # The lead lets the packet go out with the gap: the review counts as done from then.
        later = NINE + timedelta(hours=3)
        store.append(confirm_gap(state, "only two peers publish a policy", "Lea Lead", later))
        state = State(engagement, tuple(store.events_for(engagement.slug)))
        status = engagement_status(state, later)
        actual = {row["milestone"]: row["actual"] for row in status["timeline"]}
        assert actual["peer_review_done"] == later.isoformat()
        assert status["decisions"] == [
            {
                "at": later.isoformat(),
                "by": "Lea Lead",
                "decision": "let the packet go out with a known gap",
                "detail": "only two peers publish a policy",
            }
        ]
        advance(setup, later)
        assert (
            len(
                [
                    e
                    for e in store.events_for("acme-foods")
                    if e.data.get("template") == "peer_review_more_companies"
                ]
            )
            == 1
        )
    finally:
        store.close()

"""The board across all engagements: open waits oldest first, stuck advances (their account lead
is mailed once per stuck episode) and engagement files that do not validate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger

from smpp.board import (
    Entry,
    Unreadable,
    board_entry,
    board_markdown,
    board_rows,
    redact,
    stuck_mail,
    waits,
)
from smpp.models import Engagement
from smpp.state import State
from smpp.store import Store
from smpp.timeline import next_working_moment
from tasks.actions import carry_out
from tasks.artifacts import publish_board
from tasks.setup import read_engagements, setup_for


@flow(name="engagement-board", flow_run_name="engagement board")
def engagement_board(
    engagements_dir: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    moment = now or datetime.now(UTC)
    engagements, problems = read_engagements(engagements_dir)
    store = Store()
    entries: list[Entry] = []
    try:
        for engagement in engagements:
            try:
                entries.append(_take_stock(engagement, store, moment))
            except Exception as exc:  # one odd record must not hide every other engagement
                error = redact(f"{type(exc).__name__}: {exc}")
                problems.append(Unreadable(engagement.slug, (f"no status: {error}",)))
        notes = {e.slug: _tell_lead(e, store, moment) for e in entries if e.stuck is not None}
    finally:
        store.close()
    found = waits(entries)
    publish_board(board_markdown(entries, problems, moment, notes), board_rows(found))
    unsent = [slug for slug, note in notes.items() if note.startswith("Could not")]
    if unsent:
        raise RuntimeError(
            f"the account lead of {', '.join(unsent)} could not be told; see the logs"
        )
    return {
        "engagements": [e.slug for e in entries],
        "waits": len(found),
        "stuck": sorted(notes),
        "problems": [p.source for p in problems],
    }


def _take_stock(engagement: Engagement, store: Store, now: datetime) -> Entry:
    state = State(engagement, tuple(store.events_for(engagement.slug)))
    failing = store.failed_effects(engagement.slug)
    return board_entry(state, failing, store.advance_record(engagement.slug), now)


def _tell_lead(entry: Entry, store: Store, now: datetime) -> str:
    """Mail the account lead, once per stuck episode (claimed under the episode's key), in the
    engagement's working hours: the board runs around the clock, people do not."""
    lead = entry.engagement.account_lead.name
    if next_working_moment(now, entry.engagement) > now:
        return f"{lead} will be told in working hours."
    try:
        outcome = carry_out(setup_for(entry.engagement, store), stuck_mail(entry), now)
    except Exception as exc:
        error = redact(f"{type(exc).__name__}: {exc}")[:300]
        get_run_logger().error("Could not tell %s that %s is stuck: %s", lead, entry.slug, error)
        return f"Could not tell {lead}: {error}"
    return f"{lead} was told." if outcome == "done" else f"{lead} has been told already."

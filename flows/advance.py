"""The flow that advances one engagement at `now` (default: the real clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger

from smpp.engine import advance
from tasks.actions import carry_out
from tasks.setup import load_setup


@flow(name="advance-engagement", flow_run_name="advance {slug}")
def advance_engagement(
    slug: str, now: datetime | None = None, engagements_dir: str | None = None
) -> dict[str, Any]:
    setup = load_setup(slug, engagements_dir)
    try:
        report = advance(setup, now or datetime.now(UTC), run=carry_out)
    finally:
        setup.store.close()
    logger = get_run_logger()
    logger.info(
        "%d done, %d skipped; next due %s", len(report.done), len(report.skipped), report.next_due
    )
    return {
        "done": report.done,
        "skipped": report.skipped,
        "next_due": report.next_due.isoformat() if report.next_due else None,
    }

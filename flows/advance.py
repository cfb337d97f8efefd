"""The flow that advances one engagement at `now` (default: the real clock), one run per
engagement at a time, and shows where the engagement stands as artifacts in the Prefect UI."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run

from flows.deployments import retire_deployment
from smpp.artifacts import outcome_name
from smpp.engine import AdvanceFailed, AdvanceReport, advance
from smpp.store import Store, redact
from tasks.actions import carry_out
from tasks.artifacts import (
    advance_name,
    publish_status,
    rename_run,
    start_progress,
    status_artifacts,
)
from tasks.setup import load_setup, one_advance_at_a_time


def _run_name() -> str:
    parameters = flow_run.parameters
    slug = str(parameters["slug"])
    try:
        return advance_name(slug, parameters.get("engagements_dir"), parameters.get("now"))
    except Exception:  # only the name: a broken engagement file fails the run itself, below
        return f"advance {slug}"


@flow(name="advance-engagement", flow_run_name=_run_name)
def advance_engagement(
    slug: str,
    now: datetime | None = None,
    engagements_dir: str | None = None,
    start_over: bool = False,
) -> dict[str, Any]:
    """`start_over`: start on an empty record although the drive shows the engagement ran."""
    with one_advance_at_a_time(slug):
        moment = now or datetime.now(UTC)
        store = Store()
        try:
            report, closed = _advance_and_show(slug, moment, engagements_dir, store, start_over)
        except Exception as exc:
            # Noted for the board (stuck engagements), then the run fails as it should.
            error = redact(f"{type(exc).__name__}: {exc}")
            store.record_advance(slug, datetime.now(UTC), ok=False, error=error)
            raise
        else:
            store.record_advance(slug, datetime.now(UTC), ok=True)
        finally:
            store.close()
    logger = get_run_logger()
    logger.info(
        "%d done, %d skipped; next due %s", len(report.done), len(report.skipped), report.next_due
    )
    # However it closed (the follow-up closing itself, a close recorded anywhere), nothing more
    # is to be done: the hourly schedule stops, the deployment and its runs stay in the UI.
    if closed:
        try:
            if retire_deployment(slug):
                logger.info("The engagement is closed: paused its deployment; nothing more runs")
        except Exception as exc:  # the advance itself succeeded; the next one tries again
            logger.warning("Could not pause the deployment of %s: %s", slug, redact(str(exc)))
    return {
        "done": report.done,
        "skipped": report.skipped,
        "next_due": report.next_due.isoformat() if report.next_due else None,
    }


def _advance_and_show(
    slug: str, now: datetime, engagements_dir: str | None, store: Store, start_over: bool
) -> tuple[AdvanceReport, bool]:
    """The advance's report, and whether the engagement is closed after it."""
    setup = load_setup(slug, engagements_dir, store=store)
    before = len(store.events_for(slug))
    progress = start_progress(status_artifacts(setup, now))
    try:
        report = advance(setup, now, run=carry_out, start_over=start_over)
    except AdvanceFailed as exc:
        # The status shows the failing actions; publishing it must not hide why the advance failed.
        shown = status_artifacts(setup, now)
        publish_status(shown, progress, return_state=True)
        rename_run(
            outcome_name(shown.status, store.events_for(slug)[before:], len(exc.report.failed))
        )
        raise
    except Exception:
        publish_status(status_artifacts(setup, now), progress, return_state=True)
        raise
    shown = status_artifacts(setup, now)
    publish_status(shown, progress)
    rename_run(outcome_name(shown.status, store.events_for(slug)[before:]))
    return report, bool(shown.status.get("closed"))

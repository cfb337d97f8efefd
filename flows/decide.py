"""The flow that records an account lead's decision, from a deployment's run form in the Prefect
UI: the form's fields are those of `Decision`, validated before the run starts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger

from flows.deployments import retire_deployment
from smpp.decisions import Decision, decide, record
from smpp.models import load_engagement
from smpp.plan import State
from smpp.store import Store
from tasks.setup import engagement_path


@flow(name="record-decision", flow_run_name="{slug}: decision ({decision.kind})")
def record_decision(
    slug: str,
    decision: Decision,
    now: datetime | None = None,
    engagements_dir: str | None = None,
) -> dict[str, Any]:
    """Check the decision against the engagement's state and record it; a refused decision fails
    the run with the reason, and the next advance acts on a recorded one."""
    engagement = load_engagement(engagement_path(slug, engagements_dir))
    store = Store()
    try:
        state = State(engagement, tuple(store.events_for(slug)))
        event = decide(state, decision, now or datetime.now(UTC))
        record(store, event)
    finally:
        store.close()
    logger = get_run_logger()
    logger.info("Recorded for %s: %s", slug, event.data)
    if decision.kind == "close" and retire_deployment(slug):
        logger.info("Paused the deployment of %s: nothing more is scheduled", slug)
    return {"engagement": slug, "at": event.at.isoformat(), **event.data}

"""The flow that records an account lead's decision from the `decide` deployment's run form in
the Prefect UI: the form asks only what a lead knows (the engagement and the decision, in words);
the engagements folder and the moment come from the worker. A refused decision ends the run as
Failed with the reason as its message, without a traceback and without a retry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Failed, State

from flows.deployments import retire_deployment
from smpp.decisions import Decision, DecisionError, DecisionForm, decide, describe, record
from smpp.models import Engagement, EngagementError, load_engagement
from smpp.state import State as EngagementState
from smpp.store import Event, Store
from tasks.artifacts import publish_status, rename_run, start_progress, status_artifacts
from tasks.setup import engagement_path, engagements_folder, load_setup


def known_engagement(slug: str, engagements_dir: str | None = None) -> Engagement:
    """The engagement named on the form; a clear DecisionError naming the ones there are."""
    path = engagement_path(slug, engagements_dir)
    if not path.is_file():
        folder = engagements_folder(engagements_dir)
        known = sorted(p.stem for p in folder.glob("*.yaml"))
        raise DecisionError(
            f"There is no engagement '{slug}' (no file {path.name} in {folder}). "
            + (f"Engagements: {', '.join(known)}." if known else "There are no engagements yet.")
        )
    try:
        return load_engagement(path)
    except EngagementError as exc:
        raise DecisionError(
            f"The engagement file of '{slug}' does not validate, so nothing can be decided for it "
            "until it is fixed: " + "; ".join(exc.problems)
        ) from None


def take_decision(
    slug: str, decision: Decision, now: datetime, engagements_dir: str | None = None
) -> Event:
    """Check `decision` against the engagement's record and record it; DecisionError says why
    it cannot be taken."""
    engagement = known_engagement(slug, engagements_dir)
    store = Store()
    try:
        state = EngagementState(engagement, tuple(store.events_for(slug)))
        event = decide(state, decision, now)
        record(store, event)
    finally:
        store.close()
    return event


def _client_name(slug: str) -> str:
    try:
        return load_engagement(engagement_path(slug)).client
    except Exception:  # only for a name: a bad slug fails the run itself, with the reason
        return slug


def _run_name() -> str:
    parameters = flow_run.parameters
    form = parameters.get("decision")
    what = form.decision.lower() if isinstance(form, DecisionForm) else "decision"
    return f"{_client_name(str(parameters.get('slug', '')))}: {what}"


@flow(name="record-decision", flow_run_name=_run_name, retries=0)
def record_decision(slug: str, decision: DecisionForm) -> dict[str, Any] | State:
    """Record the decision; the next advance acts on it, and the engagement's status in the UI
    shows it at once.

    Args:
        slug: The engagement's short name, as in its file name (acme-foods for acme-foods.yaml).
        decision: What you decide.
    """
    logger = get_run_logger()
    now = datetime.now(UTC)
    try:
        event = take_decision(slug, decision.to_decision(), now)
    except (DecisionError, ValueError) as exc:
        reason = str(exc).removeprefix("Value error, ")
        logger.warning("Not recorded for %s: %s", slug, reason)
        rename_run(f"{_client_name(slug)}: decision refused")
        return Failed(message=reason)
    logger.info("Recorded for %s: %s", slug, describe(event))
    setup = load_setup(slug)
    try:
        shown = status_artifacts(setup, now)
        publish_status(shown, start_progress(shown))
    finally:
        setup.store.close()
    if event.data["decision"] == "close" and retire_deployment(slug):
        logger.info("Paused the deployment of %s: nothing more is scheduled", slug)
    rename_run(f"{setup.engagement.client}: {describe(event)}")
    return {"engagement": slug, "at": event.at.isoformat(), **event.data}

"""Each client's own deployment of the advance flow: created or updated, paused, removed, retired.

`smpp deploy SLUG` comes here; a flow may call `retire_deployment` when an engagement closes. The
deployment runs the advance hourly within the engagement's working hours, in its time zone:
nothing is sent to people outside them, so an advance there would find nothing to do.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import yaml
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.schedules import CronSchedule
from prefect.deployments.runner import RunnerDeployment
from prefect.exceptions import ObjectNotFound
from prefect.settings import get_current_settings

from smpp.models import Engagement, WorkingHours

REPO = Path(__file__).resolve().parent.parent
ENTRYPOINT = "flows/advance.py:advance_engagement"
FLOW_NAME = "advance-engagement"  # the name in @flow(...) of flows/advance.py
DEFAULT_POOL = "smpp"
# Reminders fall due at the start of the working day; a few minutes later they are sent.
MINUTES_PAST = 5


class DeploymentError(RuntimeError):
    """What an operator must fix before a deployment can be made; the message says how."""


class NoServer(DeploymentError):
    pass


def working_hours_cron(hours: WorkingHours, minutes_past: int = MINUTES_PAST) -> str:
    """A cron that fires `minutes_past` after the start of each working hour, on working days.

    9:00-17:30 Monday to Friday gives `5 9-17 * * 1-5`: the last run is the last that still falls
    within the working day. Read it in the engagement's time zone (the schedule carries it).
    """
    start = hours.start.hour * 60 + hours.start.minute  # minutes since midnight
    end = hours.end.hour * 60 + hours.end.minute + (hours.end.second > 0)
    first = start + minutes_past
    minute = first % 60
    runs = [h for h in range(24) if first <= h * 60 + minute < end]
    if not runs:  # a working window shorter than the offset: run once, at its start
        minute, runs = hours.start.minute, [hours.start.hour]
    days = sorted({day % 7 for day in hours.days})  # cron counts Sunday as 0, ISO as 7
    return f"{minute} {_cron_list(runs, 24)} * * {_cron_list(days, 7)}"


def _cron_list(values: list[int], span: int) -> str:
    if len(values) == span:
        return "*"
    ranges: list[list[int]] = []
    for value in values:
        if ranges and value == ranges[-1][-1] + 1:
            ranges[-1].append(value)
        else:
            ranges.append([value])
    return ",".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in ranges)


def working_hours_schedule(engagement: Engagement) -> CronSchedule:
    return CronSchedule(
        cron=working_hours_cron(engagement.working_hours), timezone=engagement.timezone
    )


class RepoCheckout:
    """Flow code as every worker has it: the repository at $SMPP_REPO on that worker.

    The pull step is the one in prefect.yaml, left unresolved, so each worker resolves it from its
    own environment when it runs the flow; this checkout is only read to describe the flow.
    """

    def __init__(self, local: Path = REPO) -> None:
        self._local = local

    def set_base_path(self, path: Path) -> None:
        pass  # nothing is pulled: the code is already here

    @property
    def pull_interval(self) -> int | None:
        return None

    @property
    def destination(self) -> Path:
        return self._local

    async def pull_code(self) -> None:
        pass

    def to_pull_step(self) -> list[dict[str, Any]]:
        project = yaml.safe_load((self._local / "prefect.yaml").read_text(encoding="utf-8"))
        return list(project["pull"])


def require_server() -> str:
    """The configured Prefect API, reachable; refuses Prefect's embedded server, which would
    forget a deployment as soon as this process ends."""
    url = get_current_settings().api.url
    if not url:
        raise NoServer(
            "no Prefect server is configured (PREFECT_API_URL is not set), so the deployment "
            "would go to a temporary embedded server and be forgotten when this command ends. "
            "Start one (prefect server start) and point at it, e.g. "
            "prefect config set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise NoServer(f"the Prefect server at {url} does not answer: {problem}")
    return url


def client_deployment(
    engagement: Engagement, pool: str = DEFAULT_POOL, cron: str | None = None
) -> RunnerDeployment:
    """The client's deployment as it should be (not yet applied). `cron` replaces the
    working-hours schedule (read in the engagement's time zone), e.g. to see a run fire now."""
    schedule = (
        working_hours_schedule(engagement)
        if cron is None
        else CronSchedule(cron=cron, timezone=engagement.timezone)
    )
    # Prefect picks sync or async by the caller's context; `_sync` fixes it whoever calls.
    deployment = RunnerDeployment.from_storage(  # type: ignore[call-arg]
        storage=RepoCheckout(),
        entrypoint=ENTRYPOINT,
        name=engagement.slug,
        description=(
            f"Advances {engagement.client}'s engagement "
            + ("hourly in its working hours" if cron is None else f"on the schedule '{cron}'")
            + f", times in {engagement.timezone}; workshop {engagement.workshop_at:%-d %B %Y}."
        ),
        parameters={"slug": engagement.slug},
        tags=run_tags(engagement.slug) + [f"timezone:{engagement.timezone}"],
        schedules=[schedule],
        # One advance per client at a time; the claims keep effects single anyway.
        concurrency_limit=1,
        paused=False,
        work_pool_name=pool,
        _sync=True,
    )
    return cast(RunnerDeployment, deployment)


def run_tags(slug: str) -> list[str]:
    """The tags every advance of a client carries, scheduled or started by hand, so that a filter
    by client in the UI finds them all."""
    return ["smpp", f"client:{slug}"]


def deploy_engagement(
    engagement: Engagement, pool: str = DEFAULT_POOL, cron: str | None = None
) -> UUID:
    """Create the client's deployment, or bring an existing one up to date (and resume it)."""
    url = require_server()
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(pool)
        except ObjectNotFound:
            raise DeploymentError(
                f"there is no work pool {pool!r} on {url}; create it first: "
                f"prefect work-pool create {pool} --type process"
            ) from None
    deployment_id = client_deployment(engagement, pool, cron).apply(_sync=True)  # type: ignore[call-arg]
    return cast(UUID, deployment_id)


def deployment_name(slug: str) -> str:
    return f"{FLOW_NAME}/{slug}"


def pause_deployment(slug: str) -> None:
    """Stop the client's schedule, keeping the deployment and its past runs; `smpp deploy`
    resumes. The runs the scheduler had planned are taken back."""
    require_server()
    with get_client(sync_client=True) as client:
        deployment_id = _existing(client, slug)
        client.pause_deployment(deployment_id)
        _take_back_planned_runs(client, deployment_id)


def remove_deployment(slug: str) -> None:
    """Delete the client's deployment; its past flow runs stay on the server."""
    require_server()
    with get_client(sync_client=True) as client:
        client.delete_deployment(_existing(client, slug))


def retire_deployment(slug: str) -> bool:
    """For a closed engagement: pause its deployment so nothing more is scheduled, keeping it and
    its runs in the UI. True if one was paused; False if there was none (or no lasting server,
    as in the demo), so a flow can call it unconditionally."""
    if not get_current_settings().api.url:
        return False
    with get_client(sync_client=True) as client:
        try:
            deployment = client.read_deployment_by_name(deployment_name(slug))
        except ObjectNotFound:
            return False
        if deployment.paused:  # retired already: every later advance of it comes here too
            return False
        client.pause_deployment(deployment.id)
        # One look, no waiting in a flow run: a run the scheduler puts back after it finds the
        # engagement closed and does nothing.
        _take_back_planned_runs(client, deployment.id, settle=0)
    return True


# How long no planned run may come back before a pause counts as settled, and the most a pause
# waits for that: a scheduler tick takes well under a second on a working server.
SETTLE_SECONDS = 2.0
SETTLE_LIMIT_SECONDS = 20.0
# A run due sooner than this may be in a worker's hands already (workers pick runs up seconds
# early and move them to Pending): it is left to run rather than deleted from under the worker.
STARTING_SOON = timedelta(seconds=30)


def _take_back_planned_runs(
    client: SyncPrefectClient,
    deployment_id: UUID,
    settle: float = SETTLE_SECONDS,
    limit: float = SETTLE_LIMIT_SECONDS,
) -> None:
    """Delete the runs the scheduler planned and nobody started, until none come back.

    Prefect's own pause deletes them, but its scheduler reads a deployment in one session and
    inserts the runs it planned in another (prefect/server/services/scheduler.py): a tick that
    read the deployment just before the pause puts its runs back just after. So this looks
    again until none have come back for `settle` seconds (at most `limit`; 0: one look). Like
    Prefect's own clean-up it takes back only runs that are still plain Scheduled, never ran and
    start later (here: later than STARTING_SOON); runs started by hand, and runs waiting for the
    deployment's concurrency slot, stay."""
    from prefect.client.schemas.filters import (
        DeploymentFilter,
        DeploymentFilterId,
        FlowRunFilter,
        FlowRunFilterState,
        FlowRunFilterStateType,
    )
    from prefect.client.schemas.objects import StateType

    started = time.monotonic()
    quiet_since = started
    while True:
        planned = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment_id])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
            ),
        )
        soon = datetime.now(UTC) + STARTING_SOON
        for run in planned:
            later = run.expected_start_time is not None and run.expected_start_time > soon
            if run.auto_scheduled and run.state_name == "Scheduled" and not run.run_count and later:
                try:
                    client.delete_flow_run(run.id)
                except ObjectNotFound:  # started or deleted meanwhile
                    pass
                quiet_since = time.monotonic()
        now = time.monotonic()
        if now - quiet_since >= settle or now - started >= limit:
            return
        time.sleep(0.25)


def _existing(client: SyncPrefectClient, slug: str) -> UUID:
    try:
        deployment_id: UUID = client.read_deployment_by_name(deployment_name(slug)).id
    except ObjectNotFound:
        raise DeploymentError(
            f"{slug} has no deployment on this server; `smpp deploy {slug}` makes one"
        ) from None
    return deployment_id

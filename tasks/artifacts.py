"""Publishes what the Prefect UI shows: an engagement's status after each advance, and the board
across all engagements. The content is rendered by smpp.artifacts and smpp.board."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast
from uuid import UUID

from prefect import task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NO_CACHE

from smpp.artifacts import EngagementArtifacts, action_descriptions, engagement_artifacts, run_name
from smpp.board import BOARD_KEY
from smpp.models import load_engagement
from smpp.setup import Setup
from smpp.store import Store
from tasks.setup import current_status, engagement_path

BOARD_WAITS_KEY = f"{BOARD_KEY}-waits"


def status_artifacts(setup: Setup, now: datetime) -> EngagementArtifacts:
    state, status = current_status(setup.engagement, setup.store, now)
    return engagement_artifacts(status, setup.engagement.timezone, action_descriptions(state, now))


def advance_name(slug: str, engagements_dir: str | None, now: datetime | None) -> str:
    """'Acme Foods: company list': the client and the stage it is in."""
    engagement = load_engagement(engagement_path(slug, engagements_dir))
    store = Store()
    try:
        _, status = current_status(engagement, store, now or datetime.now(UTC))
    finally:
        store.close()
    return run_name(status)


def rename_run(name: str) -> None:
    """Give the running flow run the name that says what it did (it started under the stage)."""
    from prefect.client.orchestration import get_client
    from prefect.runtime import flow_run

    if flow_run.id is None:
        return
    with get_client(sync_client=True) as client:
        client.update_flow_run(UUID(flow_run.id), name=name)


def start_progress(content: EngagementArtifacts) -> UUID:
    """The run's progress artifact, at the share reached when the advance begins."""
    created = create_progress_artifact(
        progress=content.progress,
        key=content.progress_key,
        description=f"{content.client}: share of the milestones reached",
    )
    return cast(UUID, created)  # the sync variant, called from a sync flow


@task(name="publish-status", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def publish_status(content: EngagementArtifacts, progress_id: UUID) -> None:
    create_markdown_artifact(
        markdown=content.markdown,
        key=content.status_key,
        description=f"{content.client}: timeline, what is awaited, next action, failures",
    )
    create_table_artifact(
        table=content.open_steps,
        key=content.open_steps_key,
        description=f"{content.client}: human steps awaited"
        + ("" if content.open_steps else " (none)"),
    )
    for link in content.links:
        create_link_artifact(
            link=link.link, link_text=link.text, key=link.key, description=link.description
        )
    update_progress_artifact(artifact_id=progress_id, progress=content.progress)


@task(name="publish-board", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def publish_board(markdown: str, rows: list[dict[str, str]]) -> None:
    create_markdown_artifact(
        markdown=markdown,
        key=BOARD_KEY,
        description="Every engagement: open waits oldest first, stuck advances, bad files",
    )
    create_table_artifact(
        table=rows, key=BOARD_WAITS_KEY, description="Open waits across engagements, oldest first"
    )

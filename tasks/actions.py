"""Prefect tasks around the effects of an advance: each due action becomes one task run.

Prefect's own result caching is off: whether an effect happens is decided by its idempotency claim
in the state store, which holds across flow runs, workers and restarts.
"""

from __future__ import annotations

from datetime import datetime

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from smpp.actions import Action
from smpp.engine import perform
from smpp.setup import Setup


@task(name="carry-out", task_run_name="{action.description}", cache_policy=NO_CACHE)
def carry_out(setup: Setup, action: Action, now: datetime) -> str:
    outcome = perform(setup, action, now)
    logger = get_run_logger()
    if outcome == "skipped":
        logger.info("Already done or held by another worker: %s", action.key)
    else:
        logger.info("Done: %s (%s)", action.description, action.key)
    return outcome

"""Builds what an advance works with: the engagement file, the state store, the mail transport,
and the lock that keeps to one advance per engagement at a time.

The one place where a secret reference is resolved, so a Prefect Secret block works here while
the core knows only references.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from smpp.board import Unreadable
from smpp.mailer import MissingSecret, build_mailer
from smpp.models import Engagement, EngagementError, SecretRef, load_engagement
from smpp.setup import Setup
from smpp.state import State
from smpp.status import engagement_status
from smpp.store import Store

DEFAULT_ENGAGEMENTS_DIR = "engagements"
# How long an advance waits for another advance of the same engagement to finish.
LOCK_WAIT_SECONDS = 15 * 60


def read_secret(ref: SecretRef) -> str:
    if ref.env is not None:
        value = os.environ.get(ref.env)
        if not value:
            raise MissingSecret(f"the {ref.describe()} is not set")
        return value
    from prefect.blocks.system import Secret

    assert ref.prefect_secret is not None
    try:
        # Called from synchronous code, load() returns the block itself, not a coroutine.
        secret = cast("Secret[str]", Secret.load(ref.prefect_secret))
    except ValueError:
        raise MissingSecret(f"there is no {ref.describe()} on this Prefect server") from None
    return str(secret.get())


def engagements_folder(engagements_dir: str | None = None) -> Path:
    return Path(engagements_dir or os.environ.get("SMPP_ENGAGEMENTS", DEFAULT_ENGAGEMENTS_DIR))


def engagement_path(slug: str, engagements_dir: str | None = None) -> Path:
    return engagements_folder(engagements_dir) / f"{slug}.yaml"


def with_drive_url(engagement: Engagement) -> Engagement:
    """The engagement with its drive's web address: its own `drive_url`, or else the client's
    folder (by name) under SMPP_DRIVE_URL, the address of the folder holding every client's."""
    base = os.environ.get("SMPP_DRIVE_URL", "").strip()
    if engagement.drive_url or not base:
        return engagement
    url = base.rstrip("/") + "/" + quote(engagement.drive.name)
    return engagement.model_copy(update={"drive_url": url})


def read_engagements(
    engagements_dir: str | None = None,
) -> tuple[list[Engagement], list[Unreadable]]:
    """Every engagement file in the folder: those that validate, and the problems of the rest."""
    engagements, problems = [], []
    for path in sorted(engagements_folder(engagements_dir).glob("*.yaml")):
        try:
            engagements.append(with_drive_url(load_engagement(path)))
        except EngagementError as exc:
            problems.append(Unreadable(str(path), tuple(exc.problems)))
        except OSError as exc:
            problems.append(Unreadable(str(path), (f"could not be read: {exc}",)))
    return engagements, problems


def setup_for(engagement: Engagement, store: Store) -> Setup:
    return Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, read_secret))


def load_setup(
    slug: str,
    engagements_dir: str | None = None,
    database: str | None = None,
    store: Store | None = None,
) -> Setup:
    engagement = with_drive_url(load_engagement(engagement_path(slug, engagements_dir)))
    return setup_for(engagement, store or Store(database))


def current_status(
    engagement: Engagement, store: Store, now: datetime
) -> tuple[State, dict[str, Any]]:
    """The engagement's state from the record (the inbox left aside) and its status board."""
    state = State(engagement, tuple(store.events_for(engagement.slug)))
    failing, held = store.failed_effects(engagement.slug), store.in_doubt_effects(engagement.slug)
    return state, engagement_status(state, now, failing, in_doubt=held)


def engagement_limit(slug: str) -> str:
    return f"smpp-engagement-{slug}"


@contextmanager
def one_advance_at_a_time(slug: str) -> Iterator[None]:
    """Hold the engagement's global concurrency limit (one slot) while advancing it.

    Prefect 3 does not create a missing limit: acquiring one that does not exist just warns and
    goes on unguarded. So the limit is created here first if missing (a racing creator gets 409
    Conflict, which is fine) and acquired with strict=True, which fails rather than run unguarded
    should it vanish. The state store's claims still make every effect happen once; this limit
    keeps two advances of one engagement from racing through the same plan at all.
    """
    from prefect import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.client.schemas.objects import ConcurrencyLeaseHolder
    from prefect.concurrency.sync import concurrency
    from prefect.exceptions import ObjectAlreadyExists, ObjectNotFound
    from prefect.runtime import flow_run

    name = engagement_limit(slug)
    with get_client(sync_client=True) as client:
        try:
            # Read first: a create that conflicts makes the server log an IntegrityError traceback.
            client.read_global_concurrency_limit_by_name(name)
        except ObjectNotFound:
            try:
                limit = GlobalConcurrencyLimitCreate(name=name, limit=1)
                client.create_global_concurrency_limit(limit)
            except ObjectAlreadyExists:
                pass  # another run created it a moment ago
    holder = ConcurrencyLeaseHolder(type="flow_run", id=flow_run.id) if flow_run.id else None
    with concurrency(
        name,
        occupy=1,
        timeout_seconds=LOCK_WAIT_SECONDS,
        strict=True,
        holder=holder,
        # A missed lease renewal must not kill an advance halfway through an effect.
        raise_on_lease_renewal_failure=False,
    ):
        yield

"""What an advance works with, chosen once by its caller: the engagement, the record, the mail
transport and the way to the web; and taking stock of the record and the drive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from smpp import drive
from smpp.actions import intake_key
from smpp.fetch import FetchSettings
from smpp.mailer import Mailer
from smpp.models import Engagement
from smpp.state import State
from smpp.store import Store


def _internet_client() -> httpx.AsyncClient:
    return httpx.AsyncClient()


@dataclass(frozen=True)
class Web:
    """How company sites are reached: the real internet with the address guard on by default;
    tests and the demo hand in a loopback client and switch the guard off explicitly."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    client: Callable[[], httpx.AsyncClient] = _internet_client


@dataclass(frozen=True)
class Setup:
    """Everything an advance works with, chosen once by the caller."""

    engagement: Engagement
    store: Store
    mailer: Mailer
    web: Web = field(default_factory=Web)


def take_stock(setup: Setup) -> State:
    engagement = setup.engagement
    drive.ensure_layout(engagement.drive)
    events = tuple(setup.store.events_for(engagement.slug))
    inbox = drive.scan_inbox(engagement.drive)
    state = State(engagement, events, inbox)
    return State(engagement, events, _tidy_inbox(state))


def _tidy_inbox(state: State) -> tuple[drive.InboxFile, ...]:
    """Drop from the inbox files already taken in (a worker stopped between archiving and
    removing the original); the archived copy is what is kept."""
    waiting = []
    for item in state.inbox:
        judged = state.done(intake_key(state, item))
        if judged is not None and Path(judged.data["stored"]).is_file():
            (drive.inbox_dir(state.engagement.drive) / item.name).unlink(missing_ok=True)
        else:
            waiting.append(item)
    return tuple(waiting)

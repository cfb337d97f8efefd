"""The test side of the crash-safety test: one real advance in a process of its own, optionally
killed with SIGKILL at a chosen point (before, after, or halfway through a chosen call).

The kill point lives here, not in the product: the chosen function is wrapped in this process
only. Imported by a multiprocessing fork server, so each advance starts without re-importing
the product (about 4 s of imports).
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from smpp import drive
from smpp.classify import classify
from smpp.engine import AdvanceFailed, advance
from smpp.fetch import FetchSettings
from smpp.mailer import SmtpMailer, build_mailer
from smpp.models import load_engagement
from smpp.reading import read_document
from smpp.setup import Setup, Web
from smpp.site_server import LoopbackTransport
from smpp.stages.peer_review import performers as peer_review_performers
from smpp.store import Store

# The classifier compiles its lexicon on first use (seconds): once here, in the fork server,
# rather than in every child.
classify(read_document(b"<html><body><p>Warm up.</p></body></html>", "text/html", "warm.html"))


@dataclass(frozen=True)
class KillPoint:
    """Where to die: `when` is before, after, or midway (halfway through writing the bytes) the
    first call of `target` whose arguments mention `match`."""

    target: str
    when: str
    match: str = ""


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _wrapped(real: Callable[..., Any], point: KillPoint) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        chosen = point.match in repr(args) + repr(kwargs)
        if chosen and point.when == "before":
            _die()
        if chosen and point.when == "midway":
            path, content = pathlib.Path(args[0]), args[1]
            if point.target == "drive.write_atomically":  # it writes a temporary file first
                path = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            with open(path, "wb") as handle:  # half the file, flushed, as a crash leaves it
                handle.write(content[: len(content) // 2])
                handle.flush()
                os.fsync(handle.fileno())
            _die()
        result = real(*args, **kwargs)
        if chosen and point.when == "after":
            _die()
        return result

    return call


TARGETS: dict[str, tuple[Any, str]] = {
    "Store.claim": (Store, "claim"),
    "Store.sending": (Store, "sending"),
    "Store.confirm": (Store, "confirm"),
    "SmtpMailer.send": (SmtpMailer, "send"),
    "drive.copy_in": (drive, "copy_in"),
    "drive.write_atomically": (drive, "write_atomically"),
    "engine.review_policies": (peer_review_performers, "review_policies"),
    "Path.write_bytes": (pathlib.Path, "write_bytes"),
}


def run_advance(
    definition: str,
    database: str,
    moment: str,
    sites_port: int,
    clock_ahead_minutes: int,
    result_file: str,
    point: KillPoint | None = None,
) -> None:
    """Advance the engagement at `moment`, the wall clock `clock_ahead_minutes` ahead (so leases
    of killed runs have run out), and write what was done to `result_file`."""
    if point is not None:
        owner, name = TARGETS[point.target]
        setattr(owner, name, _wrapped(getattr(owner, name), point))
    engagement = load_engagement(Path(definition))
    ahead = timedelta(minutes=clock_ahead_minutes)
    store = Store(database, wallclock=lambda: datetime.now(UTC) + ahead)
    web = Web(
        FetchSettings(allow_private=True, timeout=5.0),
        client=lambda: httpx.AsyncClient(transport=LoopbackTransport(sites_port)),
    )
    setup = Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str), web)
    try:
        report = advance(setup, datetime.fromisoformat(moment))
        outcome = {"done": report.done, "skipped": report.skipped, "failed": []}
    except AdvanceFailed as exc:
        failed = [f for f, _ in exc.report.failed]
        outcome = {"done": exc.report.done, "skipped": exc.report.skipped, "failed": failed}
    finally:
        store.close()
    Path(result_file).write_text(json.dumps(outcome))

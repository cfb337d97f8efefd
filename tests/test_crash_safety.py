"""Crash safety: a real advance process killed (SIGKILL) at many points, then run again until it
settles, ends as an uninterrupted run does: the same events, the same files on the drive, the
same messages received, none twice, and no half-written file.

The engagement is small: the client's list is in the inbox, so one advance takes it in, replies,
files the list, reviews the sample sites' policies (on loopback), writes the review and tells the
lead. Mail goes to a real SMTP server on loopback. Where a kill falls between handing a message to
the server and recording it, the lead is told instead (README, "Guarantees"); the test then
decides as the lead would, from what the server received.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import yaml

from smpp import drive
from smpp.decisions import Decision, decide, record
from smpp.engine import advance
from smpp.mailer import build_mailer
from smpp.models import load_engagement
from smpp.setup import Setup
from smpp.site_server import SiteServer
from smpp.stages.company_list.demo import happenings as client_drops
from smpp.state import State
from smpp.store import Store
from tests.conftest import Collector, SmtpServer, engagement_data, free_port, smtp_mail
from tests.crash_child import KillPoint, run_advance

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, tzinfo=ROME)
REQUESTED = datetime(2027, 1, 14, 9, 30, tzinfo=ROME)
DROPPED = datetime(2027, 1, 25, 15, 40, tzinfo=ROME)
DROP_MTIME_NS = 1_800_000_000_000_000_000  # fixed, so the intake's key is the same in every run
NOTICES = ("mail_in_doubt",)

POINTS = {
    "before the first claim": KillPoint("Store.claim", "before"),
    "after the intake's claim": KillPoint("Store.claim", "after", "/inbox/"),
    "mid-intake, after the archive copy": KillPoint("drive.copy_in", "after", "Accepted"),
    "after the intake's confirm": KillPoint("Store.confirm", "after", "/inbox/"),
    "midway through writing the list": KillPoint(
        "drive.write_atomically", "midway", "Company list"
    ),
    "after writing the list, before its confirm": KillPoint(
        "drive.write_atomically", "after", "Company list"
    ),
    "after marking the reply as sending": KillPoint("Store.sending", "after", "/reply/"),
    "between the reply's send and its confirm": KillPoint(
        "SmtpMailer.send", "after", "company_list_accepted"
    ),
    "after the reply's confirm": KillPoint("Store.confirm", "after", "/reply/"),
    "after reading the policies, before the confirm": KillPoint("engine.review_policies", "after"),
    "midway through writing the review": KillPoint(
        "drive.write_atomically", "midway", "Peer review"
    ),
    "between the review mail's send and its confirm": KillPoint(
        "SmtpMailer.send", "after", "peer_review_ready"
    ),
}


@pytest.fixture(scope="module")
def server() -> Iterator[SmtpServer]:
    smtp = SmtpServer("127.0.0.1", free_port(), Collector(), None)
    smtp.start()
    yield smtp
    smtp.stop()


@pytest.fixture(scope="module")
def sites() -> Iterator[SiteServer]:
    with SiteServer(delays={"fjellvind.example": 0.0}) as running:  # slow in the demo only
        yield running


@pytest.fixture(scope="module")
def fork_server() -> multiprocessing.context.ForkServerContext:
    """Children forked from a process that has imported the product once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.crash_child"])
    return context


@dataclass
class Engagement:
    """One copy of the engagement: its definition, state database and drive."""

    folder: Path

    @property
    def definition(self) -> Path:
        return self.folder / "engagements" / "acme-foods.yaml"

    @property
    def database(self) -> str:
        return f"sqlite:///{self.folder / 'state.db'}"

    @property
    def drive(self) -> Path:
        return self.folder / "drive"


@pytest.fixture(scope="module")
def snapshot(
    tmp_path_factory: pytest.TempPathFactory, server: SmtpServer, sites: SiteServer
) -> Engagement:
    """The engagement after the list was requested, with the client's good list in the inbox."""
    copy = Engagement(tmp_path_factory.mktemp("snapshot"))
    data = engagement_data(copy.drive, mail=smtp_mail(server), attendees=[])
    copy.definition.parent.mkdir()
    copy.definition.write_text(yaml.safe_dump(data))
    engagement = load_engagement(copy.definition)
    store = Store(copy.database)
    setup = Setup(engagement, store, build_mailer(engagement.mail, engagement.drive, str))
    advance(setup, KICKOFF)
    advance(setup, REQUESTED)
    store.close()
    good = client_drops(engagement, KICKOFF)[1]
    dropped = drive.inbox_dir(copy.drive) / good.name
    dropped.write_bytes(good.content)
    os.utime(dropped, ns=(DROP_MTIME_NS, DROP_MTIME_NS))
    return copy


def copy_of(snapshot: Engagement, folder: Path) -> Engagement:
    copy = Engagement(folder)
    shutil.copytree(snapshot.drive, copy.drive)  # times kept, so the intake key too
    copy.definition.parent.mkdir(parents=True)
    data = yaml.safe_load(snapshot.definition.read_text())
    copy.definition.write_text(yaml.safe_dump({**data, "drive": str(copy.drive)}))
    with sqlite3.connect(snapshot.folder / "state.db") as source:
        with sqlite3.connect(folder / "state.db") as target:
            source.backup(target)
    return copy


def run_child(
    context: Any,
    copy: Engagement,
    sites: SiteServer,
    ahead_minutes: int,
    point: KillPoint | None = None,
) -> dict[str, Any] | None:
    """One advance in a child process; what it did, or None if it was killed."""
    result = copy.folder / "result.json"
    result.unlink(missing_ok=True)
    arguments = (
        str(copy.definition),
        copy.database,
        DROPPED.isoformat(),
        sites.port,
        ahead_minutes,
        str(result),
        point,
    )
    child = context.Process(target=run_advance, args=arguments)
    child.start()
    child.join(timeout=60)
    if child.exitcode == -9:
        return None
    assert child.exitcode == 0, f"the advance ended with exit code {child.exitcode}"
    outcome: dict[str, Any] = json.loads(result.read_text())
    return outcome


def settle(context: Any, copy: Engagement, sites: SiteServer, ahead_minutes: int) -> None:
    """Advance again, the wall clock past the killed run's lease: an advance that ends with no
    failure and nothing held by another worker leaves nothing due."""
    outcome = run_child(context, copy, sites, ahead_minutes)
    assert outcome is not None, "the advance run again was killed"
    assert (outcome["failed"], outcome["skipped"]) == ([], []), outcome


def decide_what_is_in_doubt(copy: Engagement, received: list[str]) -> bool:
    """As the lead would: a message the server received counts as delivered, another is resent.
    False if nothing was in doubt."""
    store = Store(copy.database)
    engagement = load_engagement(copy.definition)
    held = store.in_doubt_effects("acme-foods")
    for effect in held:
        kind = "delivered" if effect["message_id"] in received else "resend"
        state = State(engagement, tuple(store.events_for("acme-foods")))
        record(store, decide(state, Decision(kind=kind, key=effect["key"]), DROPPED))
    store.close()
    return bool(held)


# When a policy was fetched (real time) differs from run to run; so does the copy's folder.
FETCHED_AT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")


def _cell(value: Any, root: Path) -> Any:
    if not isinstance(value, str):
        return value
    return FETCHED_AT.sub("<fetched at>", value.replace(str(root), "<drive>"))


def _content(path: Path, root: Path) -> Any:
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
        return {
            sheet.title: [
                [_cell(v, root) for v in row] for row in sheet.iter_rows(values_only=True)
            ]
            for sheet in book
        }
    if path.name.endswith(".json") and path.parent.name == "Sources":
        sidecar = json.loads(path.read_text())
        return {k: v for k, v in sidecar.items() if k != "fetched_at"}
    return path.read_bytes()


def drive_files(root: Path) -> dict[str, Any]:
    return {
        str(p.relative_to(root)): _content(p, root) for p in sorted(root.rglob("*")) if p.is_file()
    }


@dataclass
class EndState:
    events: Counter[tuple[str, str | None]]
    files: dict[str, Any]
    messages: Counter[str]  # Message-IDs received, notices to the lead left out
    notices: int


def end_state(copy: Engagement, received: list[Any]) -> EndState:
    store = Store(copy.database)
    events = store.events_for("acme-foods")
    store.close()
    kept = [
        (e.kind, e.key)
        for e in events
        if e.kind != "decision.recorded" and e.data.get("template") not in NOTICES
    ]
    return EndState(
        events=Counter(kept),
        files=drive_files(copy.drive),
        messages=Counter(
            m.message["Message-ID"] for m in received if m.message["X-SMPP-Kind"] not in NOTICES
        ),
        notices=sum(1 for m in received if m.message["X-SMPP-Kind"] in NOTICES),
    )


@pytest.fixture(scope="module")
def uninterrupted(
    tmp_path_factory: pytest.TempPathFactory,
    snapshot: Engagement,
    server: SmtpServer,
    sites: SiteServer,
    fork_server: Any,
) -> EndState:
    copy = copy_of(snapshot, tmp_path_factory.mktemp("uninterrupted"))
    before = len(server.collector.received)
    outcome = run_child(fork_server, copy, sites, ahead_minutes=0)
    assert outcome is not None and outcome["failed"] == []
    assert outcome["done"][:2] == [
        "Take in 'Northwind comparables v2.xlsx' from the inbox",
        "Write the accepted company list to the drive",
    ]
    return end_state(copy, server.collector.received[before:])


@pytest.mark.parametrize("where", list(POINTS))
def test_an_advance_killed_and_run_again_ends_as_an_uninterrupted_one(
    where: str,
    tmp_path: Path,
    snapshot: Engagement,
    uninterrupted: EndState,
    server: SmtpServer,
    sites: SiteServer,
    fork_server: Any,
) -> None:
    copy = copy_of(snapshot, tmp_path / "engagement")
    before = len(server.collector.received)
    killed = run_child(fork_server, copy, sites, ahead_minutes=0, point=POINTS[where])
    assert killed is None, f"the advance was not killed {where}"
    settle(fork_server, copy, sites, ahead_minutes=11)
    received = [m.message["Message-ID"] for m in server.collector.received[before:]]
    if decide_what_is_in_doubt(copy, received):
        settle(fork_server, copy, sites, ahead_minutes=22)

    after = end_state(copy, server.collector.received[before:])
    assert after.events == uninterrupted.events
    assert after.files.keys() == uninterrupted.files.keys()  # no temporary file left either
    assert after.files == uninterrupted.files
    assert after.messages == uninterrupted.messages  # each message received once
    in_the_window = where.startswith(("after marking", "between"))
    assert after.notices == (1 if in_the_window else 0)  # the lead told, instead of a resend

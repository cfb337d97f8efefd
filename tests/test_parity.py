"""Parity: the planner, replayed over the demo's recorded event record, plans exactly the
effects the code that recorded it carried out, moment by moment; and the demo today produces the
recorded manifest. This guards moving code around: a change that alters what is planned, an
idempotency key, a mail or a deliverable shows here.

The fixture (tests/data/demo-record.db, demo-manifest.json) is written by tools/record_demo.py;
a change of behaviour on purpose regenerates it in the same commit. Left out of the comparison,
because they come from the real clock, not the simulated one: the `.eml` file names in the
manifest (they derive from the idempotency keys, and an intake's key holds the file's
modification time).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from smpp.drive import InboxFile
from smpp.engine import MAX_ROUNDS
from smpp.events import DECISION, STARTED
from smpp.plan import plan
from smpp.simulation import DEMO_SLUG, demo_engagement
from smpp.state import State
from smpp.store import Event, Store
from tools.record_demo import MANIFEST, RECORD, relative, run_demo


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    copy = tmp_path_factory.mktemp("record") / "state.db"
    shutil.copyfile(RECORD, copy)
    store = Store(f"sqlite:///{copy}")
    try:
        return store.events_for(DEMO_SLUG)
    finally:
        store.close()


def is_input(item: Event) -> bool:
    """What people did (a decision recorded) or the kickoff: not planned, only read."""
    return item.kind == STARTED or (item.kind == DECISION and item.key is None)


def effects_at(events: list[Event], moment: datetime) -> dict[str, list[Event]]:
    """The effects carried out at `moment`: each keyed event with the events recorded with it
    (a search records one event per company after its own)."""
    groups: dict[str, list[Event]] = {}
    current: list[Event] | None = None
    for item in events:
        if item.at != moment or is_input(item):
            current = None
            continue
        if item.key is not None:
            current = groups.setdefault(item.key, [])
            current.append(item)
        elif current is not None:
            current.append(item)
    return groups


def inbox_file(judged: Event) -> InboxFile:
    """The file an intake took in, as the inbox showed it (its key holds its drop time)."""
    assert judged.key is not None
    mtime = int(judged.key.rsplit("-", 1)[-1])
    return InboxFile(str(judged.data["file"]), str(judged.data["sha256"]), 0, mtime)


def test_the_planner_replayed_over_the_record_plans_what_was_done(
    recorded: list[Event], tmp_path: Path
) -> None:
    engagement = demo_engagement(tmp_path)
    moments = sorted({e.at for e in recorded if not is_input(e)})
    assert len(moments) > 10
    for moment in moments:
        done = effects_at(recorded, moment)
        known = [e for e in recorded if e.at < moment or (e.at == moment and is_input(e))]
        waiting = [inbox_file(g[0]) for k, g in done.items() if "/inbox/" in k]
        planned: list[str] = []
        for _ in range(MAX_ROUNDS):
            taken = {k for k in planned if "/inbox/" in k}
            inbox = tuple(f for f in waiting if f"{DEMO_SLUG}/inbox/{f.intake_id}" not in taken)
            due = [a.key for a in plan(State(engagement, tuple(known), inbox), moment).due]
            new = [key for key in due if key not in planned]
            if not new:
                break
            planned += new
            for key in new:
                known += done.get(key, [])
        assert sorted(planned) == sorted(done), f"at {moment.isoformat()}"


def test_the_demo_produces_the_recorded_manifest(tmp_path: Path) -> None:
    expected = json.loads(MANIFEST.read_text())
    found = relative(run_demo(tmp_path), tmp_path)
    for manifest in (expected, found):
        for mail in manifest["emails"]:
            mail.pop("file")  # named after its key, which holds a real-clock time
    assert found == expected

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

import email
import email.policy
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest

from smpp.drive import InboxFile
from smpp.engine import MAX_ROUNDS
from smpp.events import DECISION, STARTED
from smpp.plan import plan
from smpp.simulation import DEMO_SLUG, DEMO_TIMEZONE, demo_engagement
from smpp.state import State
from smpp.store import Event
from tools.record_demo import MANIFEST, relative, run_demo


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


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The demo run once today, on the real clock, far from the simulated one (2027)."""
    root = tmp_path_factory.mktemp("demo")
    return root, run_demo(root)


def test_the_demo_produces_the_recorded_manifest(demo_run: tuple[Path, dict[str, object]]) -> None:
    tmp_path, manifest = demo_run
    expected = json.loads(MANIFEST.read_text())
    found = relative(json.loads(json.dumps(manifest)), tmp_path)
    for manifest in (expected, found):
        for mail in manifest["emails"]:
            mail.pop("file")  # named after its key, which holds a real-clock time
    assert found == expected


def readable_text(root: Path) -> dict[Path, str]:
    """What people and programs read in the demo's files: every mail (headers and bodies), every
    workbook (each cell, its properties), every Word document (its text, header and dates),
    every text and JSON file on the drive."""
    texts: dict[Path, str] = {}
    for path in root.rglob("*"):
        if path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            parts = [str(v) for v in message.values()]
            parts += [
                str(part.get_content())
                for part in message.walk()
                if part.get_content_maintype() == "text"
            ]
            texts[path] = "\n".join(parts)
        elif path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path)
            props = book.properties
            cells = [str(c) for sheet in book.worksheets for row in sheet.values for c in row]
            texts[path] = "\n".join([*cells, str(props.created), str(props.modified)])
        elif path.suffix == ".docx":
            document = docx.Document(str(path))
            core = document.core_properties
            words = [p.text for p in document.paragraphs]
            words += [c.text for table in document.tables for row in table.rows for c in row.cells]
            words += [p.text for s in document.sections for p in s.header.paragraphs]
            texts[path] = "\n".join([*words, str(core.created), str(core.modified)])
        elif path.suffix in (".txt", ".json") and path.is_file():
            texts[path] = path.read_text("utf-8", errors="replace")
    return texts


def test_no_real_date_reaches_a_deliverable_or_a_mail(
    demo_run: tuple[Path, dict[str, object]],
) -> None:
    """Time is a parameter: the demo runs in 2027 on a simulated clock; today's date (the real
    clock, the files' real modification times) must appear nowhere people or programs read."""
    root, _ = demo_run
    today = datetime.now(UTC).astimezone(ZoneInfo(DEMO_TIMEZONE))
    if today.year == 2027:
        pytest.skip("the real clock falls within the demo's simulated year")
    real = [today.strftime(f) for f in ("%Y-%m-%d", "%-d %B %Y", "%-d %b %Y", "%B %Y", "%b %Y")] + [
        f"{today.year}-"
    ]
    texts = readable_text(root)
    assert (
        sum(p.suffix == ".eml" for p in texts) > 20 and sum(p.suffix == ".xlsx" for p in texts) > 5
    )
    assert sum(p.suffix == ".docx" for p in texts) >= 2  # the packet's and the policy's
    leaks = {
        str(path.relative_to(root)): [r for r in real if r in text]
        for path, text in texts.items()
        if any(r in text for r in real)
    }
    assert not leaks

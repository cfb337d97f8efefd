"""Record the demo engagement's outcome as the parity fixture: its event record (SQLite) and its
manifest (the shape `smpp demo --json` prints), under tests/data/.

    python tools/record_demo.py

`tests/test_parity.py` replays the planner over this record and compares the demo's manifest
with it, so that moving code changes no behaviour. A change of behaviour on purpose (new keys,
new mails, new deliverables) regenerates the fixture with this script, in the same commit, and
says so in the commit message.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smpp.mailer import OutboxMailer  # noqa: E402
from smpp.setup import Setup  # noqa: E402
from smpp.simulation import (  # noqa: E402
    demo_engagement,
    demo_happenings,
    demo_kickoff,
    demo_summary,
    demo_web,
    run_engagement,
)
from smpp.site_server import SiteServer  # noqa: E402
from smpp.store import Store  # noqa: E402

DATA = REPO / "tests" / "data"
RECORD = DATA / "demo-record.db"
MANIFEST = DATA / "demo-manifest.json"


def run_demo(root: Path) -> dict[str, object]:
    """The demo engagement, start to end, without Prefect (the same planner and performers)."""
    engagement = demo_engagement(root)
    store = Store(f"sqlite:///{root / 'state.db'}")
    try:
        with SiteServer() as sites:
            setup = Setup(engagement, store, OutboxMailer(root / "Outbox"), demo_web(sites))
            kickoff = demo_kickoff(engagement)
            reports = run_engagement(setup, kickoff, demo_happenings(engagement, kickoff))
            return demo_summary(setup, reports[-1].now)
    finally:
        store.close()


def relative(manifest: dict[str, object], root: Path) -> dict[str, object]:
    """The manifest with paths under the demo's folder written relative to it."""
    text = json.dumps(manifest)
    return dict(json.loads(text.replace(json.dumps(str(root))[1:-1] + "/", "")))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        manifest = relative(run_demo(root), root)
        DATA.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / "state.db", RECORD)
    MANIFEST.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {RECORD.relative_to(REPO)} and {MANIFEST.relative_to(REPO)}")


if __name__ == "__main__":
    main()

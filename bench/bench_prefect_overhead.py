"""Benchmark: what running an advance as a Prefect flow costs over running it directly.

    python bench/bench_prefect_overhead.py [--runs N]

Two cases, each timed directly (load the engagement, open the store, `advance`, close: what the
flow does, without Prefect) and as the `advance_engagement` flow (a flow run, each action a task
run, the status artifacts, the engagement's concurrency slot) on Prefect's embedded server:
an advance with nothing due, and one with a few actions due (a fresh engagement each time, so
the actions really are carried out). The embedded server is started, and one flow run made,
before any timing (its first start on a new PREFECT_HOME migrates its database). Prints a
markdown table of medians, and the cost of an empty flow run for comparison (in 3.8.8 most of it
is the end of the run waiting, up to a second, for its heartbeat thread to stop).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
HOME = tempfile.TemporaryDirectory()
os.environ.update(
    {
        "PREFECT_HOME": HOME.name,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
)

import yaml  # noqa: E402
from prefect import flow  # noqa: E402

from flows.advance import advance_engagement  # noqa: E402
from smpp.engine import advance  # noqa: E402
from tasks.setup import load_setup  # noqa: E402

ROME = ZoneInfo("Europe/Rome")
KICKOFF = datetime(2027, 1, 4, 10, 0, tzinfo=ROME)
# T-21 for a workshop on 11 February 2027: the list request (due since T-28) and the
# questionnaire to each of the three invited people.
BUSY = datetime(2027, 1, 21, 9, 30, tzinfo=ROME)


def engagement(slug: str, drive: Path) -> dict[str, Any]:
    people = [
        ("Carl Client", "carl", "Comms"),
        ("Hana HR", "hana", "HR"),
        ("Leo Legal", "leo", "Legal"),
    ]
    return {
        "client": f"Bench {slug}",
        "slug": slug,
        "workshop": "2027-02-11T09:30:00",
        "timezone": "Europe/Rome",
        "account_lead": {"name": "Lea Lead", "email": "lea@agency.example"},
        "client_contacts": [{"name": "Carl Client", "email": "carl@bench.example"}],
        "attendees": [
            {"name": name, "email": f"{who}@bench.example", "role": role}
            for name, who, role in people
        ],
        "drive": str(drive / slug),
    }


def direct(slug: str, now: datetime, folder: str) -> int:
    setup = load_setup(slug, folder)
    try:
        return len(advance(setup, now).done)
    finally:
        setup.store.close()


def in_flow(slug: str, now: datetime, folder: str) -> int:
    return len(advance_engagement(slug, now, folder)["done"])


@flow(name="bench-empty")
def empty_flow() -> int:
    """Prefect's own floor: a flow run that does nothing."""
    return 0


def empty(slug: str, now: datetime, folder: str) -> int:
    return empty_flow()


def timed(
    run: Callable[[str, datetime, str], int], slug: str, now: datetime, folder: str
) -> tuple[float, int]:
    started = time.perf_counter()
    done = run(slug, now, folder)
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        os.environ["SMPP_DATABASE_URL"] = f"sqlite:///{root / 'state.db'}"
        folder = root / "engagements"
        folder.mkdir()
        slugs = [f"bench-{n:02d}" for n in range(1 + 3 * runs)]
        for slug in slugs:
            (folder / f"{slug}.yaml").write_text(yaml.safe_dump(engagement(slug, root / "drive")))
            direct(slug, KICKOFF, str(folder))  # started; nothing is due at the kickoff
        in_flow(slugs[0], BUSY, str(folder))  # warm-up: the embedded server starts here

        idle_direct = [timed(direct, slugs[0], BUSY, str(folder)) for _ in range(runs)]
        idle_flow = [timed(in_flow, slugs[0], BUSY, str(folder)) for _ in range(runs)]
        busy_direct = [timed(direct, s, BUSY, str(folder)) for s in slugs[1 : 1 + runs]]
        busy_flow = [timed(in_flow, s, BUSY, str(folder)) for s in slugs[1 + runs : 1 + 2 * runs]]
        floor = statistics.median(timed(empty, "", BUSY, "")[0] for _ in range(runs))

    print(f"| advance (median of {runs}) | actions done | direct | as a flow run | overhead |")
    print("|---|---|---|---|---|")
    for label, plain, flowed in (
        ("nothing due", idle_direct, idle_flow),
        ("a few actions due", busy_direct, busy_flow),
    ):
        d = statistics.median(t for t, _ in plain)
        f = statistics.median(t for t, _ in flowed)
        actions = sorted({n for _, n in plain + flowed})
        print(
            f"| {label} | {', '.join(map(str, actions))} | {d * 1000:.0f} ms | {f * 1000:.0f} ms "
            f"| +{(f - d) * 1000:.0f} ms ({f / d:.1f}x) |"
        )
    print(f"| an empty flow run (Prefect's floor) | 0 | | {floor * 1000:.0f} ms | |")


if __name__ == "__main__":
    main()

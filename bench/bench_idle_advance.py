"""Benchmark: the hourly advance of many engagements when nothing is due (the common case).

    python bench/bench_idle_advance.py [--sizes 100 250 500 1000] [--passes 3] [--database URL]
                                       [--profile]

One engagement is run through the core on the demo's simulated clock (client list refused then
accepted, the peer review of five companies, the lead's replacement, seven people's
questionnaires with replies, reminders, an escalation and the summary) until nothing is due; its
record (events and effects) is copied for N engagements of their
own (own slug, own drive) into a fresh SQLite store. At the moment where that engagement stood,
nothing is due; the timing covers what an idle advance does before finding that out:
`plan(take_stock(setup), now)` per engagement, the record read from the database, the drive's
inbox scanned, the plan computed. Each size is timed over several passes and the quickest pass
is reported (the others lost time to whatever else the machine was doing). Prints a markdown
table; growth is linear when the time per engagement stays flat. `--profile` adds the top
functions for the largest size.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import insert, select  # noqa: E402

from smpp.mailer import OutboxMailer  # noqa: E402
from smpp.models import Engagement  # noqa: E402
from smpp.plan import plan  # noqa: E402
from smpp.setup import Setup, take_stock  # noqa: E402
from smpp.simulation import (  # noqa: E402
    demo_engagement,
    demo_happenings,
    demo_kickoff,
    demo_web,
    run_engagement,
)
from smpp.site_server import SiteServer  # noqa: E402
from smpp.store import Store, effects, events  # noqa: E402

TARGET_MS = 10.0


def one_record(
    root: Path,
) -> tuple[Engagement, datetime, list[dict[str, Any]], list[dict[str, Any]]]:
    """Run the whole demo engagement (company list, questionnaire, peer review) until nothing is
    due and nobody has anything left to do; its rows, and the moment it stood still."""
    engagement = demo_engagement(root)
    store = Store(f"sqlite:///{root / 'source.db'}")
    with SiteServer() as sites:
        setup = Setup(engagement, store, OutboxMailer(root / "Outbox"), demo_web(sites))
        kickoff = demo_kickoff(engagement)
        reports = run_engagement(setup, kickoff, demo_happenings(engagement, kickoff))
        now = reports[-1].now
    with store.engine.connect() as connection:
        event_rows = [dict(r) for r in connection.execute(select(events)).mappings()]
        effect_rows = [dict(r) for r in connection.execute(select(effects)).mappings()]
    store.close()
    return engagement, now, event_rows, effect_rows


def renamed(key: str | None, old: str, new: str) -> str | None:
    if key is None:
        return None
    return new + key[len(old) :] if key.startswith(old + "/") else f"{new}:{key}"


def fill_store(
    url: str,
    size: int,
    source: Engagement,
    event_rows: list[dict[str, Any]],
    effect_rows: list[dict[str, Any]],
    drives: Path,
) -> tuple[Store, list[Setup]]:
    store = Store(url)
    setups = []
    new_events, new_effects = [], []
    for number in range(size):
        slug = f"client-{number:04d}"
        engagement = source.model_copy(update={"slug": slug, "drive": drives / slug})
        setups.append(Setup(engagement, store, OutboxMailer(drives / slug / "Outbox")))
        for row in event_rows:
            new_events.append(
                {
                    "engagement": slug,
                    "at": row["at"].replace(tzinfo=UTC) if row["at"].tzinfo is None else row["at"],
                    "kind": row["kind"],
                    "key": renamed(row["key"], source.slug, slug),
                    "data": row["data"],
                }
            )
        for row in effect_rows:
            new_effects.append(
                {**row, "engagement": slug, "key": renamed(row["key"], source.slug, slug)}
            )
    with store.engine.begin() as connection:
        connection.execute(insert(events), new_events)
        connection.execute(insert(effects), new_effects)
    return store, setups


def time_idle(setups: list[Setup], now: datetime) -> tuple[list[float], list[float], int]:
    reads, plans, due = [], [], 0
    for setup in setups:
        started = time.perf_counter()
        state = take_stock(setup)
        read = time.perf_counter()
        result = plan(state, now)
        done = time.perf_counter()
        reads.append((read - started) * 1000)
        plans.append((done - read) * 1000)
        due += len(result.due)
    return reads, plans, due


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 250, 500, 1000])
    parser.add_argument("--database", help="SQLAlchemy URL of an EMPTY database (default SQLite)")
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source, now, event_rows, effect_rows = one_record(root / "source")
        kinds = sorted({r["kind"] for r in event_rows})
        print(
            f"Each engagement: {len(event_rows)} events ({', '.join(kinds)}), "
            f"{len(effect_rows)} effects; idle at {now.isoformat()}\n"
        )
        print(
            "| engagements | events in store | read ms/eng (median) | plan ms/eng (median) "
            "| total ms/eng (mean) | p95 ms | whole pass s | mean vs smallest |"
        )
        print("|---|---|---|---|---|---|---|---|")
        first_mean = None
        for size in options.sizes:
            url = options.database or f"sqlite:///{root / f'store-{size}.db'}"
            store, setups = fill_store(
                url, size, source, event_rows, effect_rows, root / f"drives-{size}"
            )
            time_idle(setups[:5], now)  # warm: templates, imports, the connection pool
            passes = [time_idle(setups, now) for _ in range(options.passes)]
            reads, plans, due = min(passes, key=lambda p: sum(p[0]) + sum(p[1]))
            totals = sorted(r + p for r, p in zip(reads, plans, strict=True))
            mean = statistics.mean(totals)
            first_mean = first_mean or mean
            p95 = totals[int(len(totals) * 0.95) - 1]
            print(
                f"| {size} | {size * len(event_rows)} | {statistics.median(reads):.2f} | "
                f"{statistics.median(plans):.2f} | {mean:.2f} | {p95:.2f} | "
                f"{sum(totals) / 1000:.2f} | {mean / first_mean:.2f}x |"
            )
            if due:
                print(f"  (!) {due} actions were due across the {size} engagements")
            if options.profile and size == options.sizes[-1]:
                profiler = cProfile.Profile()
                profiler.enable()
                time_idle(setups[:200], now)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
                print(out.getvalue())
            store.close()
            if options.database:
                break  # one size per empty database
        print(f"\nTarget: under {TARGET_MS:.0f} ms per engagement.")


if __name__ == "__main__":
    main()

"""Benchmark: the demo as a whole process, and the same engagement advanced by the core alone.

    python bench/bench_demo.py [--runs N]

Prints a markdown table (the figures in README come from it). The whole-process figure includes
Python start-up and the embedded Prefect server's start; the core figure is the same simulated
engagement (same client, files, sample sites, decisions and emails, written to a file outbox) with
no Prefect at all, so the difference is the orchestration overhead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smpp.mailer import OutboxMailer  # noqa: E402
from smpp.setup import Setup  # noqa: E402
from smpp.simulation import (  # noqa: E402
    demo_engagement,
    demo_happenings,
    demo_kickoff,
    demo_web,
    run_engagement,
)
from smpp.site_server import SiteServer  # noqa: E402
from smpp.store import Store  # noqa: E402


def whole_demo(prefect_home: Path) -> float:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PREFECT_HOME": str(prefect_home)}
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "smpp", "demo", "--json", "--drive", folder],
            check=True,
            capture_output=True,
            env=env,
            cwd=REPO,
        )
        return time.perf_counter() - started


def core_only() -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        engagement = demo_engagement(root)
        store = Store(f"sqlite:///{root / 'state.db'}")
        with SiteServer() as sites:
            setup = Setup(engagement, store, OutboxMailer(root / "Outbox"), demo_web(sites))
            kickoff = demo_kickoff(engagement)
            people = demo_happenings(engagement, kickoff)
            started = time.perf_counter()
            reports = run_engagement(setup, kickoff, people)
            elapsed = time.perf_counter() - started
        store.close()
        return elapsed, len(reports)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        whole_demo(Path(home))  # the first start on a new PREFECT_HOME migrates its database
        demos = [whole_demo(Path(home)) for _ in range(runs)]
    cores = [core_only() for _ in range(runs)]
    demo_median = statistics.median(demos)
    core_median = statistics.median(c[0] for c in cores)
    print(f"| measure | median of {runs} | runs |")
    print("|---|---|---|")
    print(
        f"| `smpp demo --json`, whole process (warm PREFECT_HOME) | {demo_median:.1f} s | "
        + ", ".join(f"{d:.1f}" for d in demos)
        + " |"
    )
    print(
        f"| same engagement, core alone ({cores[0][1]} advances, no Prefect) | "
        f"{core_median:.2f} s | " + ", ".join(f"{c[0]:.2f}" for c in cores) + " |"
    )
    print(
        f"| Prefect and process overhead (whole demo - core) | {demo_median - core_median:.1f} s "
        f"| ratio {demo_median / core_median:.1f}x |"
    )


if __name__ == "__main__":
    main()

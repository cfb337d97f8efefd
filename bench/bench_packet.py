"""Benchmark: building the workshop packet in the demo (the workbook, its HTML and Word
documents and the consensus workbook, from the demo's recorded engagement), the performer's
whole work.

    python bench/bench_packet.py [--runs N]

Prints a markdown table (the figure in README comes from it); target: under 5 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smpp.mailer import OutboxMailer  # noqa: E402
from smpp.setup import Setup  # noqa: E402
from smpp.simulation import demo_engagement  # noqa: E402
from smpp.stages.packet.performers import write_packet  # noqa: E402
from smpp.stages.packet.planner import WritePacket  # noqa: E402
from smpp.store import Store  # noqa: E402
from tools.record_demo import RECORD  # noqa: E402


def build_once(version: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copyfile(RECORD, root / "state.db")
        engagement = demo_engagement(root)
        store = Store(f"sqlite:///{root / 'state.db'}")
        try:
            setup = Setup(engagement, store, OutboxMailer(root / "Outbox"))
            now = engagement.workshop_at.replace(day=5, hour=9, minute=0)
            action = WritePacket("bench", now, version=version, fingerprint="bench")
            started = time.perf_counter()
            _, written, extra = write_packet(setup, action, now)
            elapsed = time.perf_counter() - started
            size = int(written["bytes"]) + sum(
                Path(data["path"]).stat().st_size for _, data in extra
            )
            return elapsed, size
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    build_once(0)  # warm: imports, the taxonomy, positions and scenario read once per process
    results = [build_once(n + 1) for n in range(runs)]
    times = [t for t, _ in results]
    print("| measure | median | runs | files |")
    print("|---|---|---|---|")
    print(
        f"| the packet: workbook, HTML and Word documents and consensus workbook (demo record) "
        f"| {statistics.median(times):.2f} s | {', '.join(f'{t:.2f}' for t in times)} "
        f"| {results[0][1] / 1000:.0f} kB |"
    )


if __name__ == "__main__":
    main()

"""Benchmark: five sources with 300 ms latency each, fetched together with `Fetcher.fetch_all`.

    python bench/bench_fetch.py [--runs N]

The sources are served on loopback by a threaded HTTP server whose handler waits 0.3 s before
answering. Each run times every source fetched alone, then all five with `fetch_all`
(concurrency 5); every fetch includes the robots.txt check, as in real use. Prints one markdown
line: the slowest single fetch, the total for all five, and their ratio (the target is < 1.5:
fetching five sources should cost little more than fetching the slowest).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smpp.fetch import Fetcher, FetchSettings  # noqa: E402
from tests.loopback_http import LoopbackServer, Reply  # noqa: E402

SOURCES = 5
LATENCY = 0.3  # seconds
SETTINGS = FetchSettings(allow_private=True, concurrency=5)  # loopback needs allow_private


async def timed_fetch(urls: list[str]) -> float:
    """Seconds to fetch the URLs with a fresh client and fetcher (so no warm cache)."""
    async with httpx.AsyncClient() as client:
        fetcher = Fetcher(client, SETTINGS)
        started = time.perf_counter()
        sources = await fetcher.fetch_all(urls)
        elapsed = time.perf_counter() - started
    failed = [source.error for source in sources if source.error]
    if failed:
        raise SystemExit(f"fetch failed: {failed}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    body = b"<html><body><p>" + b"Employees must be kind on social media. " * 200 + b"</p></body>"
    paths = [f"/source/{number}" for number in range(SOURCES)]
    with LoopbackServer(lifetime=600) as server:
        for path in paths:
            server.routes[path] = Reply(200, {"Content-Type": "text/html"}, body, delay=LATENCY)
        urls = [server.url(path) for path in paths]
        slowest: list[float] = []
        totals: list[float] = []
        for _run in range(runs):
            slowest.append(max(asyncio.run(timed_fetch([url])) for url in urls))
            totals.append(asyncio.run(timed_fetch(urls)))
    single = statistics.median(slowest)
    total = statistics.median(totals)
    print(
        f"| fetch_all: {SOURCES} sources × {LATENCY * 1000:.0f} ms latency, concurrency "
        f"{SETTINGS.concurrency}, median of {runs} runs | slowest single fetch {single:.3f} s "
        f"| total {total:.3f} s | total/slowest {total / single:.2f} (target < 1.5) |"
    )


if __name__ == "__main__":
    main()

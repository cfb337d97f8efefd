"""Benchmark: classify 1,000 synthetic policies of about 1,500 words each.

    python bench/bench_classify.py [--policies N] [--words W] [--seed S] [--jobs 1 2] [--no-run]

The policies are made by shuffling the sections and sentences of the sample policies in
tests/policies/ with a fixed seed, so every run classifies the same text. The timing covers
the production path as a whole, `read_document(bytes, "text/plain", name)` then `classify`:
sentence splitting, scoring, stance, disclosure and red flags (the lexicon is compiled once
beforehand, as a long-running process would). Prints a markdown table
with one row per number of worker processes: 1 is the plain single-core figure.

On a machine shared with other work, wall and even CPU time vary; instructions do not. Counted
under callgrind, a run less the same run with `--no-run` (which makes the policies and compiles
the lexicon but classifies nothing) is the instruction count of classifying them:

    valgrind --tool=callgrind --callgrind-out-file=/tmp/run.out \
        .venv/bin/python bench/bench_classify.py --policies 100 --jobs 1
    valgrind --tool=callgrind --callgrind-out-file=/tmp/base.out \
        .venv/bin/python bench/bench_classify.py --policies 100 --jobs 1 --no-run
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smpp.classify import classify  # noqa: E402
from smpp.reading import read_document  # noqa: E402

SAMPLES = REPO / "tests" / "policies"


def sample_sections() -> list[tuple[str, list[str]]]:
    """(heading, sentences) of every section of the tuned sample policies."""
    sections: dict[tuple[str, str], list[str]] = {}
    for path in sorted(SAMPLES.glob("*.txt")):
        if path.name.startswith("holdout_"):
            continue
        for sentence in read_document(path.read_bytes(), "text/plain", path.name).sentences:
            key = (path.name, sentence.heading or "General")
            sections.setdefault(key, []).append(sentence.text)
    return [(heading, sentences) for (_, heading), sentences in sections.items()]


def make_policies(count: int, words: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    sections = sample_sections()
    policies = []
    for number in range(count):
        parts = [f"# Synthetic social media policy {number}\n"]
        total = 0
        while total < words:
            heading, sentences = rng.choice(sections)
            chosen = rng.sample(sentences, k=min(len(sentences), rng.randint(2, 6)))
            while len(chosen) > 1 and total + sum(len(s.split()) for s in chosen) > words + 20:
                chosen.pop()  # stay close to the target length
            parts.append(f"## {heading}\n")
            if rng.random() < 0.3:
                parts.append("\n".join(f"- {s}" for s in chosen) + "\n")
            else:
                parts.append(" ".join(chosen) + "\n")
            total += sum(len(s.split()) for s in chosen) + len(heading.split()) + 1
        policies.append("\n".join(parts))
    return policies


def classify_policy(text: str) -> int:
    """Elements found in one policy, read and classified as `smpp classify` does a text file."""
    return len(classify(read_document(text.encode("utf-8"), "text/plain", "policy.txt")).elements)


def count_elements(texts: list[str]) -> int:
    return sum(classify_policy(text) for text in texts)


def run(policies: list[str], jobs: int) -> tuple[float, float, int]:
    """Seconds to classify every policy with this many processes (wall clock, and CPU time of
    this process, which on a machine shared with other work is the fairer one-core figure),
    and elements found."""
    started = time.perf_counter()
    cpu_started = time.process_time()
    if jobs == 1:
        found = count_elements(policies)
    else:
        # Forked workers inherit the compiled lexicon; each takes an interleaved share.
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            found = sum(pool.map(count_elements, [policies[i::jobs] for i in range(jobs)]))
    return time.perf_counter() - started, time.process_time() - cpu_started, found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policies", type=int, default=1000)
    parser.add_argument("--words", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--no-run", action="store_true", help="make the policies and warm up, classify nothing"
    )
    args = parser.parse_args()
    policies = make_policies(args.policies, args.words, args.seed)
    mean_words = sum(len(p.split()) for p in policies) / len(policies)
    classify_policy(policies[0])  # compile the lexicon outside the timing
    if args.no_run:
        return
    print(
        "| policies | words (mean) | processes | total s | per policy ms | CPU s (this process) "
        "| elements (mean) |"
    )
    print("|---|---|---|---|---|---|---|")
    for jobs in args.jobs:
        elapsed, cpu, found = run(policies, jobs)
        cpu_text = f"{cpu:.2f}" if jobs == 1 else "-"
        print(
            f"| {len(policies)} | {mean_words:.0f} | {jobs} | {elapsed:.2f} | "
            f"{1000 * elapsed / len(policies):.1f} | {cpu_text} | {found / len(policies):.1f} |"
        )


if __name__ == "__main__":
    main()

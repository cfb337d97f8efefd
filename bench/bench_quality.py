"""Benchmark: how well `smpp classify` finds the taxonomy's elements in labelled real policies.

    python bench/bench_quality.py --corpus ../shared/corpus [--only SLUG ...] [--skip SLUG ...]
        [--details] [--json FILE]

The corpus folder holds `policies/<slug>.txt` and `labels.json` (`{slug: {element_id:
{"present": bool, "evidence": quote}}}`), as documented in its README. Lines starting with `#`
are the corpus's metadata and are blanked before a policy is read; the rest goes through the
production path, `read_document(bytes, "text/plain", name)` then `classify`.

Prints markdown: micro precision, recall and F1 over (policy, element) pairs; the same per
element; how often a correct finding's evidence includes the labelled quote; red flags with
their jurisdiction; with `--details`, every miss (with the labelled quote) and every false find
(with the sentences the classifier gave). `--json FILE` writes every finding and its evidence,
for checking evidence by hand.

Nothing in the classifier is fitted to this corpus (the sentence model is trained only on the
project's own sentences, `tools/train_sentence_model.py`), so these figures are out-of-sample
for everything learned; hand-written lexicon changes are another matter (see README).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from smpp.classify import Classification, classify  # noqa: E402
from smpp.reading import read_document  # noqa: E402
from smpp.taxonomy import load_taxonomy  # noqa: E402


def policy_text(path: Path) -> str:
    """The policy text of a corpus file: its metadata lines blanked (the rest, cut marks
    included, stays as it is, so the line before a cut mark is not taken for a heading)."""
    lines = ["" if line.startswith("#") else line for line in path.read_text("utf-8").split("\n")]
    return "\n".join(lines)


def normalised(text: str) -> str:
    straight = text.translate(str.maketrans("\u2019\u2018\u201c\u201d", "''\"\""))
    return " ".join(straight.split()).lower()


def quotes_overlap(quote: str, sentence: str) -> bool:
    """Whether a sentence given as evidence contains the labelled quote, or most of it, or the
    quote contains the sentence (a label may quote across two sentences)."""
    a, b = normalised(quote), normalised(sentence)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size >= 0.6 * min(len(a), len(b))


@dataclass
class Tally:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0

    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    total: Tally = field(default_factory=Tally)
    per_element: dict[str, Tally] = field(default_factory=dict)
    misses: list[tuple[str, str, str]] = field(default_factory=list)  # slug, element, quote
    false_finds: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    evidence_hits: int = 0  # correct findings whose evidence includes the labelled quote
    results: dict[str, Classification] = field(default_factory=dict)
    seconds: float = 0.0


def evaluate(corpus: Path, only: set[str], skip: set[str]) -> Report:
    labels = json.loads((corpus / "labels.json").read_text("utf-8"))
    ids = [e.id for e in load_taxonomy()]
    report = Report(per_element={id_: Tally() for id_ in ids})
    for slug in sorted(labels):
        if (only and slug not in only) or slug in skip:
            continue
        path = corpus / "policies" / f"{slug}.txt"
        content = policy_text(path).encode("utf-8")
        started = time.perf_counter()
        result = classify(read_document(content, "text/plain", path.name))
        report.seconds += time.perf_counter() - started
        report.results[slug] = result
        found = {f.id: f.evidence for f in result.elements}
        for id_ in ids:
            label = labels[slug][id_]
            tally = report.per_element[id_]
            if label["present"] and id_ in found:
                tally.true_positives += 1
                if any(quotes_overlap(label["evidence"], s) for s in found[id_]):
                    report.evidence_hits += 1
            elif label["present"]:
                tally.false_negatives += 1
                report.misses.append((slug, id_, label["evidence"]))
            elif id_ in found:
                tally.false_positives += 1
                report.false_finds.append((slug, id_, found[id_]))
    for tally in report.per_element.values():
        report.total.true_positives += tally.true_positives
        report.total.false_positives += tally.false_positives
        report.total.false_negatives += tally.false_negatives
    return report


def print_report(report: Report, details: bool) -> None:
    total = report.total
    print(f"policies: {len(report.results)}; classify time: {report.seconds * 1000:.0f} ms\n")
    print("| measure | precision | recall | F1 | TP | FP | FN |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| micro, (policy, element) pairs | {total.precision():.2f} | {total.recall():.2f} | "
        f"{total.f1():.2f} | {total.true_positives} | {total.false_positives} | "
        f"{total.false_negatives} |"
    )
    hits = report.evidence_hits
    share = hits / total.true_positives if total.true_positives else 0.0
    print(
        f"\nevidence of correct findings that includes the labelled quote: {hits}/"
        f"{total.true_positives} = {share:.2f}\n"
    )
    print("| element | precision | recall | F1 | TP | FP | FN |")
    print("|---|---|---|---|---|---|---|")
    for id_, tally in report.per_element.items():
        print(
            f"| {id_} | {tally.precision():.2f} | {tally.recall():.2f} | {tally.f1():.2f} | "
            f"{tally.true_positives} | {tally.false_positives} | {tally.false_negatives} |"
        )
    print("\n| policy | red flag | jurisdiction | sentence |")
    print("|---|---|---|---|")
    for slug, result in report.results.items():
        for flag in result.as_dict()["red_flags"]:
            sentence = " ".join(flag["sentence"].split())
            print(f"| {slug} | {flag['element']} | {flag.get('jurisdiction', '')} | {sentence} |")
    if not details:
        return
    print("\n## Misses (labelled present, not found)\n")
    for slug, id_, quote in report.misses:
        print(f"- {slug} {id_}: {' '.join(quote.split())}")
    print("\n## False finds (found, labelled absent)\n")
    for slug, id_, evidence in report.false_finds:
        print(f"- {slug} {id_}:")
        for sentence in evidence:
            print(f"    - {' '.join(sentence.split())}")


def write_findings(report: Report, path: Path) -> None:
    """Every finding with its evidence, one record per (policy, element, sentence)."""
    rows = [
        {"policy": slug, "element": finding.id, "sentence": sentence}
        for slug, result in report.results.items()
        for finding in result.elements
        for sentence in finding.evidence
    ]
    path.write_text(json.dumps(rows, indent=1, ensure_ascii=False), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--only", nargs="*", default=[], help="score only these slugs")
    parser.add_argument("--skip", nargs="*", default=[], help="leave these slugs out")
    parser.add_argument("--details", action="store_true", help="list misses and false finds")
    parser.add_argument("--json", type=Path, help="write every finding and its evidence here")
    args = parser.parse_args()
    classify(read_document(b"Warm-up.", "text/plain", "x"))  # compile outside the timing
    report = evaluate(args.corpus, set(args.only), set(args.skip))
    print_report(report, args.details)
    if args.json:
        write_findings(report, args.json)


if __name__ == "__main__":
    main()

"""The classifier on wording it was not first written for.

`tests/sentences/fresh_issue15.txt` was written for issue 15 before the lexicon was changed for
it (recall 27/60 then): sentences in many styles for the elements the labelled corpus showed
weakest (escalation, scope, monitoring, work time) and for the wordings the issue quotes. The
lexicon was then broadened by word families, not phrases, so this is a regression floor, not a
blind measure. The table below pins the senses of words that filed evidence under the wrong
element (civility is not the Civil Service; threatened litigation is not a threat).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from smpp import classify as classifier
from smpp.classify import classify_text

FRESH = Path(__file__).parent / "sentences" / "fresh_issue15.txt"
SECOND = Path(__file__).parent / "sentences" / "holdout" / "issue15_blind.txt"
WEAK_ELEMENTS = ("E01", "E04", "E20", "E23")


def fresh_rows(path: Path = FRESH) -> list[tuple[str, set[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            labels, _, sentence = line.partition("|")
            rows.append((sentence.strip(), set() if labels.strip() == "-" else set(labels.split())))
    return rows


def test_fresh_sentences_for_the_weakest_elements_stay_above_their_floor() -> None:
    rows = fresh_rows()
    assert len(rows) >= 70
    wanted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for sentence, ids in rows:
        present = classify_text(sentence).present()
        wanted.update(ids)
        found.update(ids & present)
        if not ids:
            assert present == set(), sentence
    assert sum(found.values()) / sum(wanted.values()) >= 0.85
    for id_ in WEAK_ELEMENTS:
        assert found[id_] / wanted[id_] >= 0.75, id_
    for id_ in ("E06", "E08", "E10", "E18"):  # the issue's own examples, reworded
        assert found[id_] >= 3, id_


def test_the_second_fresh_set_stays_above_its_floor() -> None:
    # Blind when first measured (19/32); escalation was then broadened by word families.
    rows = fresh_rows(SECOND)
    wanted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for sentence, ids in rows:
        present = classify_text(sentence).present()
        wanted.update(ids)
        found.update(ids & present)
    assert sum(wanted.values()) == 32
    assert sum(found.values()) >= 24
    assert found["E20"] >= 8


# Whether a sentence's own words count towards an element at all (+) or not (-).
SENSES = """
E12 - | Do not comment on threatened or pending litigation that involves you.
E12 + | Threatening a colleague online is a disciplinary matter.
E12 - | Our pages are run by civil servants who follow the Civil Service Code.
E12 + | Keep discussions civil, even when you disagree.
E12 - | Avoid posts that could damage our reputation for impartiality.
E12 + | Never post anything that could damage the company's reputation.
"""

# Sentences that must, alone, give these elements.
FOUND = """
E09 | Do not comment on threatened or pending litigation that involves you.
E13 | Avoid posts that could damage our reputation for impartiality.
E18 | New pages in the council's name need sign-off from the web team before launch.
E20 | Tell the press office straight away if a post about us is spreading false claims.
E01 | These rules are relevant to every account you use, personal or professional.
"""


def table(text: str) -> list[tuple[str, str]]:
    rows = []
    for line in text.strip().splitlines():
        key, sentence = (cell.strip() for cell in line.split("|", 1))
        rows.append((sentence, key))
    return rows


@pytest.mark.parametrize(("sentence", "key"), table(SENSES))
def test_words_are_read_in_the_sense_the_element_means(sentence: str, key: str) -> None:
    id_, sign = key.split()
    scores = classifier._sentence_scores(classifier._lexicon(), sentence, None)[2]
    assert (scores.get(id_, 0.0) > 0) == (sign == "+")


@pytest.mark.parametrize(("sentence", "ids"), table(FOUND))
def test_reworded_sentences_give_their_element(sentence: str, ids: str) -> None:
    assert set(ids.split()) <= classify_text(sentence).present()

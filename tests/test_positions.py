"""The positions catalogue: every element has options and one recommended starting point, a
broken catalogue is refused with the element and field named, and evidence sentences show which
options a company takes."""

from __future__ import annotations

import pytest

from smpp.positions import (
    PositionsError,
    by_label,
    catalogue,
    matching,
    parse_positions,
    position,
    positions,
    recommended,
)
from smpp.taxonomy import load_taxonomy


def test_every_element_has_positions_and_one_recommended_with_its_reason() -> None:
    found = catalogue()
    assert list(found) == [element.id for element in load_taxonomy()]
    for element_id, options in found.items():
        assert options, element_id
        chosen = recommended(element_id)
        assert chosen.reason, element_id
        assert all(option.id.startswith(f"{element_id}.") for option in options)
        assert len(chosen.label) <= 60, chosen.label  # a drop-down shows it whole


def test_position_found_by_id_and_by_label_whatever_the_spacing_and_case() -> None:
    assert position("E06.named-spokespeople").element == "E06"
    assert by_label("E06", "  named SPOKESPEOPLE speak   for the company ") == position(
        "E06.named-spokespeople"
    )
    assert by_label("E06", "Somebody else") is None
    with pytest.raises(KeyError):
        position("E06.nobody")
    with pytest.raises(KeyError):
        positions("E99")


@pytest.mark.parametrize(
    ("element_id", "sentence", "expected"),
    [
        (
            "E06",
            "Unless authorised, do not present yourself as speaking for the firm.",
            ["E06.named-spokespeople"],
        ),
        (
            "E06",
            "Please forward any call from a journalist to the press office.",
            ["E06.media-to-communications"],
        ),
        (
            "E08",
            "Stick to information the company has already made public.",
            ["E08.defined-confidential"],
        ),
        (
            "E08",
            "Never post results before they are published: they are non-public.",
            ["E08.defined-confidential"],
        ),
        (
            "E21",
            "Pass complaints you see online to the customer care team.",
            ["E21.refer-and-track"],
        ),
        ("E02", "We encourage colleagues to share their expertise online.", ["E02.encourage"]),
        ("E02", "The weather was fine.", []),
    ],
)
def test_evidence_shows_which_positions_a_company_takes(
    element_id: str, sentence: str, expected: list[str]
) -> None:
    assert [found.id for found in matching(element_id, [sentence])] == expected


def _one(element_id: str = "E01", **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "key": "all",
        "label": "All",
        "summary": "Everyone.",
        "cues": [],
        "recommended": True,
        "reason": "Because.",
    }
    return {"elements": {element_id: [base | fields]}}


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "expected a mapping"),
        ({"elements": {"E77": []}}, "unknown element(s) E77"),
        (_one(), "E02 has no positions"),
        (_one(key="Not A Slug"), "must be a lower-case slug"),
        (_one(label=""), "label is missing"),
        (_one(cues=["(unclosed"]), "is not a pattern"),
        (_one(reason=""), "needs its reason"),
        (_one(colour="red"), "unknown field(s) colour"),
    ],
)
def test_a_broken_catalogue_is_refused_in_words(data: object, words: str) -> None:
    with pytest.raises(PositionsError) as raised:
        parse_positions(data, "positions.yaml")
    assert words in str(raised.value)

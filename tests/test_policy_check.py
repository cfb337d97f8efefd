"""The policy check: the draft's own clauses read for the taxonomy's red flags, each finding with
its clause, law and jurisdiction and a rewording that does not raise it; a carve-out anywhere in
the policy is read as such."""

from __future__ import annotations

import pytest

from smpp.models import PolicySettings
from smpp.positions import catalogue
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.policy.assembly import assemble
from smpp.stages.policy.check import check_policy

CARVE_OUT = "E15.carve-out-non-retaliation"


def decision(topic: str, **fields: str) -> TopicDecision:
    base = TopicDecision(
        topic=topic,
        choice="deferred",
        position="",
        wording="",
        follow_up="",
        owner="",
        due="",
        notes="",
    )
    return TopicDecision(**(base | fields))  # type: ignore[typeddict-item]


def flags_of(topic: str, wording: str, carve_out: bool) -> list[tuple[str, str]]:
    """The findings on a policy holding one own-wording clause (and, if asked, the carve-out)."""
    chosen = [decision(topic, choice="own", wording=wording)]
    if carve_out:
        chosen.append(decision("E15", choice="position", position=CARVE_OUT))
    decided = {d["topic"]: d for d in chosen}
    decisions = [decided.get(e, decision(e)) for e in catalogue()]
    policy = assemble("Acme", decisions, PolicySettings(), {}, 1)
    return [(f.element, f.clause) for f in check_policy(policy, PolicySettings(), "IT")]


@pytest.mark.parametrize(
    ("topic", "wording", "carve_out", "expected"),
    [
        # Confidentiality: undefined, or reaching colleagues, is flagged; a carve-out anywhere
        # in the policy, or examples of what is meant, keeps it lawful.
        (
            "E08",
            "Never disclose confidential information about the company.",
            False,
            [("E08", "2.1")],
        ),
        ("E08", "Never disclose confidential information about the company.", True, []),
        (
            "E08",
            "Do not share confidential information about the company or your colleagues.",
            False,
            [("E08", "2.1")],
        ),
        (
            "E08",
            "Never disclose confidential information, such as unpublished results or "
            "customer data.",
            False,
            [],
        ),
        # Non-disparagement without limiting language.
        (
            "E12",
            "Do not disparage the company, its management or its products online.",
            False,
            [("E12", "2.1")],
        ),
        (
            "E12",
            "Never post anything that could damage the reputation of the company.",
            False,
            [("E12", "2.1")],
        ),
        ("E12", "Treat people with respect; harassment is never acceptable.", False, []),
        # A ban on media contact stays a flag even with a carve-out.
        ("E06", "Do not speak to the media about the company.", True, [("E06", "2.1")]),
        ("E10", "Never use the company logo or trademarks in any post.", True, [("E17", "2.1")]),
        (
            "E23",
            "The company monitors the personal social media accounts of its employees.",
            True,
            [("E23", "5.1")],
        ),
        ("E05", "Share our new products and offers on your own accounts.", True, [("E05", "1.1")]),
        (
            "E01",
            "This policy applies to all your posts, on or off duty, whenever they relate to "
            "the company.",
            True,
            [("E01", "1.1")],
        ),
    ],
)
def test_clauses_raise_the_findings_they_must_and_no_others(
    topic: str, wording: str, carve_out: bool, expected: list[tuple[str, str]]
) -> None:
    assert flags_of(topic, wording, carve_out) == expected


def test_the_recommended_policy_raises_nothing() -> None:
    from smpp.positions import recommended

    decisions = [decision(e, choice="position", position=recommended(e).id) for e in catalogue()]
    policy = assemble("Acme", decisions, PolicySettings(), {}, 1)
    assert check_policy(policy, PolicySettings(), "IT") == []


def test_a_finding_says_where_why_which_law_whether_it_applies_and_how_to_reword() -> None:
    decisions = [decision(e) for e in catalogue()]
    decisions[7] = decision("E08", choice="own", wording="Never share confidential information.")
    policy = assemble("Acme", decisions, PolicySettings(), {}, 1)
    (finding,) = check_policy(policy, PolicySettings(), "IT")
    assert finding.clause == "2.1"
    assert finding.sentence == "Never share confidential information."
    assert finding.law.startswith("US: NLRA Section 7")
    assert finding.jurisdiction == "US"
    assert "does not apply in Italy as such" in finding.applies
    assert "does not limit anyone's right to talk about their own pay" in finding.suggestion
    assert finding.why and finding.fix
    # The same sentence in the next version is the same finding (what the lead accepted stays).
    again = check_policy(
        assemble("Acme", decisions, PolicySettings(), {}, 2), PolicySettings(), "IT"
    )
    assert [f.key for f in again] == [finding.key]

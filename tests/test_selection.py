"""Choosing five companies: the client's priority first, among those whose policy is found."""

from __future__ import annotations

from smpp.stages.peer_review.selection import Candidate, Found, Replacement, choose, selection_order


def company(name: str, priority: int | None, row: int, url: str | None = None) -> Candidate:
    domain = name.lower().replace(" ", "") + ".example"
    return Candidate(name, f"https://{domain}", domain, priority, url, row)


LIST = [
    company("Alpha", 2, 2),
    company("Bravo", 1, 3),
    company("Charlie", 1, 4),
    company("Delta", None, 5),
    company("Echo", 1, 6, url="https://echo.example/policy"),
    company("Foxtrot", 3, 7),
    company("Golf", 2, 8),
    company("Hotel", 1, 9),
]


def found(*names: str) -> dict[str, Found]:
    return {f"{n.lower()}.example": Found(True, f"https://{n.lower()}.example/p") for n in names}


def missing(*names: str) -> dict[str, Found]:
    return {
        f"{n.lower()}.example": Found(False, None, ("no sitemap", "home page has no policy link"))
        for n in names
    }


def test_the_order_is_priority_then_a_known_policy_address_then_the_list() -> None:
    assert [c.name for c in selection_order(LIST)] == [
        "Echo",
        "Bravo",
        "Charlie",
        "Hotel",
        "Alpha",
        "Golf",
        "Foxtrot",
        "Delta",
    ]


def test_nothing_searched_yet_means_searching_the_first_five() -> None:
    selection = choose(LIST, {})
    assert [c.name for c in selection.to_search] == ["Echo", "Bravo", "Charlie", "Hotel", "Alpha"]
    assert selection.chosen == () and not selection.complete


def test_a_company_without_a_findable_policy_is_passed_over_with_the_reason() -> None:
    searches = {**found("Echo", "Bravo", "Hotel", "Alpha"), **missing("Charlie")}
    selection = choose(LIST, searches)
    assert [c.name for c in selection.to_search] == ["Golf"]
    charlie = next(v for v in selection.verdicts if v.candidate.name == "Charlie")
    assert charlie.status == "passed over"
    assert charlie.reason == (
        "No public social media policy found: no sitemap; home page has no policy link"
    )
    complete = choose(LIST, {**searches, **found("Golf")})
    assert complete.complete
    assert [c.name for c in complete.chosen] == ["Echo", "Bravo", "Hotel", "Alpha", "Golf"]
    statuses = {v.candidate.name: v.status for v in complete.verdicts}
    assert statuses == {
        "Echo": "chosen",
        "Bravo": "chosen",
        "Charlie": "passed over",
        "Hotel": "chosen",
        "Alpha": "chosen",
        "Golf": "chosen",
        "Foxtrot": "not needed",
        "Delta": "not needed",
    }
    reason = next(v.reason for v in complete.verdicts if v.candidate.name == "Bravo")
    assert reason == "Client priority high; policy found at https://bravo.example/p."


def test_a_short_list_is_complete_when_every_company_was_searched() -> None:
    few = LIST[:3]
    selection = choose(few, {**found("Alpha"), **missing("Bravo", "Charlie")})
    assert selection.complete and [c.name for c in selection.chosen] == ["Alpha"]


def test_the_account_lead_replaces_a_choice_and_only_the_newcomer_is_searched() -> None:
    searches = found("Echo", "Bravo", "Charlie", "Hotel", "Alpha")
    swap = [Replacement(out="charlie.example", into="foxtrot.example")]
    selection = choose(LIST, searches, swap)
    assert [c.name for c in selection.to_search] == ["Foxtrot"]
    done = choose(LIST, {**searches, **found("Foxtrot")}, swap)
    assert [c.name for c in done.chosen] == ["Foxtrot", "Echo", "Bravo", "Hotel", "Alpha"]
    charlie = next(v for v in done.verdicts if v.candidate.name == "Charlie")
    assert (charlie.status, charlie.reason) == (
        "passed over",
        "Replaced at the account lead's request.",
    )


def test_a_company_taken_out_and_put_back_stands() -> None:
    searches = found("Echo", "Bravo", "Charlie", "Hotel", "Alpha", "Foxtrot")
    swaps = [
        Replacement("charlie.example", "foxtrot.example"),
        Replacement("foxtrot.example", "charlie.example"),
    ]
    assert [c.name for c in choose(LIST, searches, swaps).chosen] == [
        "Charlie",
        "Echo",
        "Bravo",
        "Hotel",
        "Alpha",
    ]


def test_a_company_searched_in_vain_stays_passed_over_after_a_replacement() -> None:
    searches = {**found("Echo", "Bravo", "Hotel", "Alpha", "Golf"), **missing("Charlie")}
    swap = [Replacement(out="golf.example", into="foxtrot.example")]
    selection = choose(LIST, {**searches, **found("Foxtrot")}, swap)
    statuses = {v.candidate.name: v.status for v in selection.verdicts}
    assert statuses["Charlie"] == "passed over" and statuses["Golf"] == "passed over"
    assert statuses["Delta"] == "not needed"

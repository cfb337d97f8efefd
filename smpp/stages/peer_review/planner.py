"""The review starts as soon as a valid list is in: search in selection order until five policies
are found, write the workbook, and tell the account lead what was chosen (the client, when the
list holds fewer than five findable policies)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, get_args

from smpp.actions import (
    Action,
    SendMail,
    address,
    common_context,
    digest,
    drive_place,
    key,
    lead_context,
)
from smpp.decisions import DecisionForm, FormKind
from smpp.stages.company_list.records import accepted_list
from smpp.stages.peer_review.comparison import CompanyReview
from smpp.stages.peer_review.events import POLICIES_SEARCHED
from smpp.stages.peer_review.records import (
    NAME,
    candidates,
    current_selection,
    latest_reviews,
    review_workbooks,
)
from smpp.stages.peer_review.selection import REVIEW_SIZE, Candidate, Selection
from smpp.stages.peer_review.workbook import split_reason
from smpp.state import State
from smpp.taxonomy import element
from smpp.timeline import Timeline, next_working_moment


def replace_form() -> dict[str, str]:
    """The words of the `decide` deployment's run form that replace a company, as the Prefect
    UI shows them, so a mail can walk the account lead through it."""
    fields = DecisionForm.model_fields
    return {
        "deployment": "decide",
        "flow": "record-decision",
        "slug_field": "slug",
        "decision_field": str(fields["decision"].title),
        "kind": get_args(FormKind)[0],
        "take_out": str(fields["take_out"].title),
        "put_in": str(fields["put_in"].title),
    }


def red_flags(reviews: list[CompanyReview]) -> list[dict[str, Any]]:
    """Every red flag of the companies reviewed, for the account lead to read: the company, the
    element in words, the sentence, why it is a risk and the fix."""
    flags = []
    for review in reviews:
        for flag in review.red_flags:
            why, fix, _ = split_reason(str(flag["reason"]))
            flags.append(
                {
                    "company": review.name,
                    "element": f"{element(flag['element']).name} ({flag['element']})",
                    "sentence": flag["sentence"],
                    "why": why,
                    "fix": fix,
                }
            )
    return flags


@dataclass(frozen=True)
class ReviewPolicies:
    """Find, fetch, read and classify the policies of these companies (concurrently)."""

    key: str
    due: datetime
    companies: tuple[Candidate, ...]
    description: str = ""


@dataclass(frozen=True)
class WriteReview:
    key: str
    due: datetime
    chosen: tuple[str, ...]  # domains, in selection order
    version: int
    description: str = ""


def actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    """Review starts as soon as a valid list is in: search in selection order until five
    policies are found, then write the workbook and tell the account lead what was chosen."""
    accepted = accepted_list(state)
    if accepted is None or not accepted.data.get("company_rows"):
        return []
    selection = current_selection(state)
    if not selection.complete:
        return _search_actions(state, timeline, selection, accepted.at)
    reviews = latest_reviews(state)
    chosen = tuple(c.domain for c in selection.chosen)
    fingerprint = digest(*(f"{d}:{reviews[d].data['sha256']}" for d in chosen))
    written = state.done(key(state, NAME, "workbook", fingerprint))
    actions: list[Action] = []
    if written is None:
        actions.append(
            WriteReview(
                key(state, NAME, "workbook", fingerprint),
                accepted.at,
                chosen,
                version=len(review_workbooks(state)) + 1,
                description=f"Write the peer review of {len(chosen)} companies to the drive",
            )
        )
        return actions
    engagement = state.engagement
    context = {
        **common_context(state, timeline),
        "workbook": drive_place(engagement, written.data["path"]),
        "version": written.data["version"],
        "chosen": [
            {"name": v.candidate.name, "reason": v.reason}
            for v in selection.verdicts
            if v.status == "chosen"
        ],
        "passed_over": [
            {"name": v.candidate.name, "reason": v.reason}
            for v in selection.verdicts
            if v.status == "passed over"
        ],
        "short_of": max(0, 5 - len(chosen)),
        "slug": state.slug,
        "flags": red_flags([CompanyReview.from_record(reviews[domain].data) for domain in chosen]),
        "replace_form": replace_form(),
    }
    mails = [
        SendMail(
            key(state, NAME, "ready", fingerprint),
            next_working_moment(written.at, engagement),
            "peer_review_ready",
            (address(engagement.account_lead),),
            {**context, **lead_context(engagement)},
            description="Tell the account lead the peer review is ready",
        )
    ]
    if len(chosen) < REVIEW_SIZE and now < timeline.workshop:
        # Every company on the list was tried: only the client can name more.
        assert accepted.key is not None
        mails.append(
            SendMail(
                key(state, NAME, "more-companies", accepted.key.rsplit("/", 1)[-1]),
                next_working_moment(written.at, engagement),
                "peer_review_more_companies",
                tuple(address(c) for c in engagement.client_contacts),
                {**context, "tried": len(candidates(state))},
                cc=(address(engagement.account_lead),),
                description="Ask the client for more companies: the review is short of five",
            )
        )
    return [mail for mail in mails if state.done(mail.key) is None]


# After a search in which no company site answered, it is tried again this much later.
UNREACHABLE_RETRY = timedelta(hours=1)


def _search_actions(
    state: State, timeline: Timeline, selection: Selection, since: datetime
) -> list[Action]:
    """Search the policies the choice still needs. A search in which not one site answered
    (no network, DNS failing) counts for nobody: it is tried again an hour later, and the account
    lead is told once, with what to check."""
    engagement = state.engagement
    domains = sorted(c.domain for c in selection.to_search)
    batch = digest(*domains)
    base = key(state, NAME, "search", batch)
    attempts = [e for e in state.of_kind(POLICIES_SEARCHED) if e.key and e.key.startswith(base)]
    failed = [e for e in attempts if e.data.get("unreachable")]
    actions: list[Action] = []
    if failed:
        first = failed[0]
        actions.append(
            SendMail(
                key(state, NAME, "unreachable", batch),
                next_working_moment(first.at, engagement),
                "peer_review_unreachable",
                (address(engagement.account_lead),),
                {
                    **common_context(state, timeline),
                    **lead_context(engagement),
                    "slug": state.slug,
                    "replace_form": replace_form(),
                    "tried_at": first.at.astimezone(engagement.zone).isoformat(),
                    "sites": [
                        {
                            "name": c.name,
                            "website": c.website,
                            "notes": first.data["unreachable"].get(c.domain, [])[:3],
                        }
                        for c in selection.to_search
                    ],
                },
                description="Tell the account lead that no company site could be reached",
            )
        )
    if attempts and not attempts[-1].data.get("unreachable"):
        return [a for a in actions if state.done(a.key) is None]
    retry = f"{base}/retry-{len(failed)}" if failed else base
    due = (
        since if not failed else next_working_moment(failed[-1].at + UNREACHABLE_RETRY, engagement)
    )
    actions.append(
        ReviewPolicies(
            retry,
            due,
            selection.to_search,
            description="Find and review the policies of "
            + ", ".join(c.name for c in selection.to_search)
            + (f" (attempt {len(failed) + 1}: no site answered before)" if failed else ""),
        )
    )
    return [a for a in actions if state.done(a.key) is None]

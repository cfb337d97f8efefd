"""The peer review on the status board: where it stands in one line, the companies chosen or
still searched, what stops it that only the agency can fix, and what an advance did, in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.actions import Plan
from smpp.events import DECISION, DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.stages.company_list.records import accepted_list
from smpp.stages.peer_review.events import POLICIES_SEARCHED
from smpp.stages.peer_review.records import NAME, candidates, current_selection, review_workbooks
from smpp.stages.peer_review.selection import REVIEW_SIZE
from smpp.state import State
from smpp.status import OPERATORS
from smpp.store import Event


def actuals(state: State) -> dict[str, datetime]:
    actual: dict[str, datetime] = {}
    # A review short of five is not done: the client is asked for more companies, unless the
    # lead accepts the gap; a review that found nothing at all is no review.
    full = [r for r in review_workbooks(state) if len(r.data["companies"]) >= REVIEW_SIZE]
    short = [r for r in review_workbooks(state) if r not in full and r.data["companies"]]
    gaps = [d for d in state.of_kind(DECISION) if d.data.get("decision") == "confirm_gap"]
    accepted_gap = [g.at for g in gaps if short and g.at >= short[0].at]
    done = [r.at for r in full[:1]] + accepted_gap[:1]
    if done:
        actual["peer_review_done"] = min(done)
    return actual


def section(state: State, current: Plan) -> dict[str, Any] | None:
    """Where the review stands, in one line, with the companies chosen or still searched (those
    passed over are counted here; their reasons are in the workbook)."""
    if accepted_list(state) is None:
        return None
    selection = current_selection(state)
    workbooks = review_workbooks(state)
    chosen = [c.name for c in selection.chosen]
    passed_over = [v for v in selection.verdicts if v.status == "passed over"]
    searches = state.of_kind(POLICIES_SEARCHED)
    unreachable = bool(searches and searches[-1].data.get("unreachable")) and not selection.complete
    if unreachable:
        last = searches[-1]
        tried = len(last.data["companies"])
        when = last.at.astimezone(state.engagement.zone).strftime("%a %-d %b %Y, %H:%M")
        summary = (
            f"No company site could be reached (0 of {tried} answered, last tried {when}): the "
            "worker's network or DNS is the likely cause. Retried every working hour; the "
            "account lead was told what to check."
        )
    elif not selection.complete:
        summary = f"Searching: {', '.join(c.name for c in selection.to_search)}."
    elif len(chosen) >= REVIEW_SIZE:
        summary = f"Five companies reviewed: {', '.join(chosen)}."
    else:
        summary = (
            f"Short of five: {len(chosen)} of the {len(candidates(state))} companies on the list "
            "have a public policy that could be found; the client is asked for more companies."
        )
    return {
        "complete": selection.complete and bool(workbooks) and len(chosen) >= REVIEW_SIZE,
        "unreachable": unreachable,
        "summary": summary,
        "chosen": chosen,
        "searching": [c.name for c in selection.to_search],
        "passed_over": len(passed_over),
        "companies": [
            {"name": v.candidate.name, "status": v.status, "reason": v.reason}
            for v in selection.verdicts
            if v.status in ("chosen", "awaiting search") and not unreachable
        ],
        "workbook": workbooks[-1].data["path"] if workbooks else None,
    }


def problems(state: State, review: dict[str, Any] | None) -> list[dict[str, Any]]:
    """What stops the engagement that no person outside the agency can fix: shown on the
    status page and on the board, beside the waits."""
    if not review or not review["unreachable"] or state.closed:
        return []
    searches = [e for e in state.of_kind(POLICIES_SEARCHED) if e.data.get("unreachable")]
    return [
        {
            "what": review["summary"],
            "who": OPERATORS,
            "since": state.iso(searches[0].at if searches else None),
        }
    ]


def status_lines(review: dict[str, Any]) -> list[str]:
    """The peer review in `smpp status`: where it stands, then a line per company."""
    lines = [
        f"Peer review: {review['summary']}"
        + (f" Workbook: {review['workbook']}" if review["workbook"] else "")
    ]
    for company in review["companies"]:
        lines.append(f"  {company['status']:<15} {company['name']}: {company['reason']}")
    return lines


def deeds(event: Event) -> str | None:
    data = event.data
    if event.kind == MAIL_SENT and data.get("template") == "peer_review_more_companies":
        return "client asked for more companies"
    if event.kind == POLICIES_SEARCHED:
        if data.get("unreachable"):
            return "no company site answered"
        return f"{len(data.get('found', []))} of {len(data.get('companies', []))} policies found"
    if event.kind == DELIVERABLE_WRITTEN and data.get("stage") == NAME:
        version = int(data.get("version") or 1)
        return f"peer review{f' v{version}' if version > 1 else ''} written"
    return None

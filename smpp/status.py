"""The status board of one engagement, derived from its record and the clock, never stored.

Used by `smpp status`, by the demo's summary and by the Prefect artifacts: the timeline with
planned and actual moments, what is awaited from whom since when, and the next action.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.plan import (
    DECISION,
    DELIVERABLE_WRITTEN,
    MAIL_SENT,
    POLICIES_SEARCHED,
    Plan,
    SendMail,
    State,
    list_request_key,
    plan,
)
from smpp.selection import REVIEW_SIZE
from smpp.timeline import MILESTONE_LABELS


def _iso(moment: datetime | None, state: State) -> str | None:
    return None if moment is None else moment.astimezone(state.engagement.zone).isoformat()


def _actuals(state: State) -> dict[str, datetime]:
    actual: dict[str, datetime] = {}
    request = state.done(list_request_key(state))
    if request is not None:
        actual["company_list_requested"] = request.at
    accepted = state.accepted_list()
    if accepted is not None:
        actual["company_list_due"] = accepted.at
    invitations = state.mails("questionnaire_invitation")
    if invitations:
        actual["questionnaire_sent"] = invitations[0].at
    # The questionnaire stage is over once its summary is written (at the due date, or when
    # everyone has answered), whoever is still missing.
    summaries = state.questionnaire_summaries()
    if summaries:
        actual["questionnaire_due"] = summaries[0].at
    # A review short of five is not done: the client is asked for more companies, unless the
    # lead accepts the gap; a review that found nothing at all is no review.
    full = [r for r in state.review_workbooks() if len(r.data["companies"]) >= REVIEW_SIZE]
    short = [r for r in state.review_workbooks() if r not in full and r.data["companies"]]
    gaps = [d for d in state.of_kind(DECISION) if d.data.get("decision") == "confirm_gap"]
    accepted_gap = [g.at for g in gaps if short and g.at >= short[0].at]
    done = [r.at for r in full[:1]] + accepted_gap[:1]
    if done:
        actual["peer_review_done"] = min(done)
    return actual


def _questionnaire(state: State, current: Plan) -> dict[str, Any] | None:
    """Who answered, who is awaited since when, and when each will next be reminded."""
    people = state.invited()
    if not people:
        return None
    standing = state.standing_answers()
    invited_at = state.invitations()
    next_mail: dict[str, SendMail] = {}
    for action in current.due + current.upcoming:
        if isinstance(action, SendMail) and action.template == "questionnaire_reminder":
            next_mail.setdefault(action.person, action)
    summaries = state.questionnaire_summaries()
    rows = []
    for person in people:
        answer = standing.get(person.email)
        upcoming = next_mail.get(person.email)
        rows.append(
            {
                "name": person.attendee.name,
                "email": str(person.attendee.email),
                "role": person.attendee.role,
                "attendance": person.attendance,
                "delegate_for": person.delegate_for,
                "invited": _iso(invited_at.get(person.email), state),
                "answered": _iso(answer.at if answer else None, state),
                "reminders_sent": state.reminders_sent(person.email),
                "next_reminder": _iso(upcoming.due if upcoming and not answer else None, state),
            }
        )
    return {
        "invited": len(people),
        "answered": sum(1 for r in rows if r["answered"]),
        "people": rows,
        "refused_returns": sum(1 for j in state.questionnaire_judgements() if not j.data["ok"]),
        "summary": summaries[-1].data["path"] if summaries else None,
    }


def _peer_review(state: State) -> dict[str, Any] | None:
    """Where the review stands, in one line, with the companies chosen or still searched (those
    passed over are counted here; their reasons are in the workbook)."""
    if state.accepted_list() is None:
        return None
    selection = state.selection()
    workbooks = state.review_workbooks()
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
            f"Short of five: {len(chosen)} of the {len(state.candidates())} companies on the list "
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


OPERATORS = "the agency (operators)"
DECISION_WORDS = {
    "replace": "replaced a company in the review",
    "confirm_gap": "let the packet go out with a known gap",
    "close": "closed the engagement",
}


def _problems(state: State, review: dict[str, Any] | None) -> list[dict[str, Any]]:
    """What stops the engagement that no person outside the agency can fix: shown on the
    status page and on the board, beside the waits."""
    if not review or not review["unreachable"] or state.closed:
        return []
    searches = [e for e in state.of_kind(POLICIES_SEARCHED) if e.data.get("unreachable")]
    return [
        {
            "what": review["summary"],
            "who": OPERATORS,
            "since": _iso(searches[0].at if searches else None, state),
        }
    ]


def _decisions(state: State) -> list[dict[str, Any]]:
    """Every decision recorded, with its date, its author and what it says."""
    rows = []
    for item in state.of_kind(DECISION):
        data = item.data
        kind = str(data.get("decision"))
        if kind == "replace":
            detail = f"{data.get('into_name')} instead of {data.get('out_name')}"
        elif kind == "confirm_gap":
            detail = str(data.get("note", ""))
        else:
            detail = str(data.get("reason", ""))
        rows.append(
            {
                "at": _iso(item.at, state),
                "by": data.get("by") or state.engagement.account_lead.name,
                "decision": DECISION_WORDS.get(kind, kind),
                "detail": detail,
            }
        )
    return rows


def _closure(state: State) -> dict[str, Any] | None:
    for item in state.of_kind(DECISION):
        if item.data.get("decision") == "close":
            return {
                "at": _iso(item.at, state),
                "by": item.data.get("by") or state.engagement.account_lead.name,
                "reason": item.data.get("reason", ""),
            }
    return None


def _awaited(state: State, now: datetime) -> list[dict[str, Any]]:
    if state.closed:
        return []  # nobody is waited for once the engagement is closed
    return _awaited_list(state, now) + _awaited_answers(state, now)


def _awaited_answers(state: State, now: datetime) -> list[dict[str, Any]]:
    """One entry per invited person whose answer is still missing after their invitation."""
    standing = state.standing_answers()
    due = state.timeline.milestones["questionnaire_due"]
    invited_at = state.invitations()
    if now >= state.timeline.workshop:
        return []  # what was not in by the workshop is no longer waited for
    return [
        {
            "what": "Questionnaire answers",
            "from": [f"{p.attendee.name} <{p.attendee.email}>"],
            "since": _iso(invited_at[p.email], state),
            "due": _iso(due, state),
            "overdue": now > due,
            "reminders_sent": state.reminders_sent(p.email),
        }
        for p in state.invited()
        if p.email in invited_at and p.email not in standing
    ]


def _awaited_list(state: State, now: datetime) -> list[dict[str, Any]]:
    request = state.done(list_request_key(state))
    if request is None or state.accepted_list() is not None:
        return []
    timeline = state.timeline
    judgements = state.list_judgements()
    chasers = [
        e
        for e in state.of_kind(MAIL_SENT)
        if e.data["template"] in ("company_list_reminder", "company_list_overdue")
    ]
    return [
        {
            "what": f"Company list (at least {state.engagement.min_companies} companies)",
            "from": [f"{c.name} <{c.email}>" for c in state.engagement.client_contacts],
            "since": _iso(request.at, state),
            "due": _iso(timeline.company_list_deadline, state),
            "overdue": now > timeline.company_list_deadline,
            "reminders_sent": len(chasers),
            "refused_versions": len(judgements),
        }
    ]


def _held(effect: dict[str, Any], state: State) -> dict[str, Any]:
    """A message in doubt: it may or may not have gone out, held until the lead decides."""
    detail = effect["detail"] or {}
    attempted = detail.get("attempted_at")
    return {
        "key": effect["key"],
        "subject": detail.get("subject", ""),
        "to": detail.get("to", []),
        "attempted_at": _iso(datetime.fromisoformat(attempted), state) if attempted else None,
        "message_id": effect["message_id"],
    }


def engagement_status(
    state: State,
    now: datetime,
    failing: list[dict[str, Any]] | None = None,
    in_doubt: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    engagement = state.engagement
    result: dict[str, Any] = {
        "engagement": engagement.slug,
        "client": engagement.client,
        "now": _iso(now, state),
        "started": state.kickoff is not None,
        "at_risk": False,
        "timeline": [],
        "awaited": [],
        "next_action": None,
        "deliverables": [],
        "peer_review": None,
        "questionnaire": None,
        "drive": str(engagement.drive),
        "drive_url": engagement.drive_url,
        "closed": state.closed,
        "closure": _closure(state),
        "decisions": _decisions(state),
        "problems": [],
        "warnings": [],
        "failing": [
            {"key": f["key"], "attempts": f["attempts"], "error": f["last_error"]}
            for f in failing or []
        ],
        "in_doubt": [_held(effect, state) for effect in in_doubt or []],
    }
    if state.kickoff is None:
        result["next_action"] = {"what": "Start the engagement (first advance)", "when": None}
        return result
    timeline = state.timeline
    actual = _actuals(state)
    result["at_risk"] = timeline.at_risk
    result["timeline"] = [
        {
            "milestone": name,
            "label": label,
            "planned": _iso(timeline.milestones[name], state),
            "actual": _iso(actual.get(name), state),
        }
        for name, label in MILESTONE_LABELS.items()
    ]
    result["awaited"] = _awaited(state, now)
    result["peer_review"] = _peer_review(state)
    result["problems"] = _problems(state, result["peer_review"])
    current: Plan = plan(state, now)
    result["questionnaire"] = _questionnaire(state, current)
    # An effect that failed but is no longer planned (the person answered meanwhile, a slot
    # passed) is superseded, not failing.
    planned = {a.key for a in current.due + current.upcoming}
    result["failing"] = [f for f in result["failing"] if f["key"] in planned]
    if not engagement.attendees:
        result["warnings"].append(
            "No attendees are listed in the engagement file, so the questionnaire goes to nobody."
        )
    upcoming = current.due + current.upcoming
    if upcoming:
        first = upcoming[0]
        result["next_action"] = {"what": first.summary, "when": _iso(max(first.due, now), state)}
    result["deliverables"] = [
        {"stage": e.data["stage"], "path": e.data["path"], "at": _iso(e.at, state)}
        for e in state.of_kind(DELIVERABLE_WRITTEN)
    ]
    return result

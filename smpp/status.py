"""The status board of one engagement, derived from its record and the clock, never stored.

Used by `smpp status`, by the demo's summary and by the Prefect artifacts: the timeline with
planned and actual moments, what is awaited from whom since when, and the next action. Each
stage adds its own section, waits, problems and milestones reached (its `status.py`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.actions import Plan
from smpp.events import DECISION, DELIVERABLE_WRITTEN
from smpp.plan import plan
from smpp.stages import stages
from smpp.state import State
from smpp.timeline import milestone_labels

OPERATORS = "the agency (operators)"


def _iso(moment: datetime | None, state: State) -> str | None:
    return None if moment is None else moment.astimezone(state.engagement.zone).isoformat()


DETAIL_LIMIT = 40


def clip(text: str, limit: int) -> str:
    """`text` cut at a word to at most `limit` characters, marked when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _decisions(state: State) -> list[dict[str, Any]]:
    """Every decision recorded, with its date, its author and what it says."""
    from smpp.decisions import BY_NAME  # the decisions module reads the stages, which read this

    rows = []
    for item in state.of_kind(DECISION):
        data = item.data
        kind = BY_NAME.get(str(data.get("decision")))
        # The page shows a line per decision: a note the lead wrote is cut there (the record
        # keeps it whole); what the product says of a decision stays whole.
        detail = " ".join((kind.detail(data) if kind else "").split())
        if kind is None or not kind.whole_detail:
            detail = clip(detail, DETAIL_LIMIT)
        rows.append(
            {
                "at": _iso(item.at, state),
                "by": data.get("by") or state.engagement.account_lead.name,
                "decision": kind.done if kind else str(data.get("decision")),
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
    return [wait for stage in stages() for wait in stage.awaited(state, now)]


def _actuals(state: State) -> dict[str, datetime]:
    return {name: at for stage in stages() for name, at in stage.actuals(state).items()}


def short(moment: str | None) -> str:
    """A status moment as `smpp status` prints it: 'Tue 2 Feb 2027 09:00'."""
    if not moment:
        return ""
    return datetime.fromisoformat(moment).strftime("%a %-d %b %Y %H:%M")


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
        **{stage.status_key: None for stage in stages() if stage.status is not None},
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
        if not state.closed:  # closed before it started: nothing is next
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
        for name, label in milestone_labels().items()
    ]
    result["awaited"] = _awaited(state, now)
    current: Plan = plan(state, now)
    for stage in stages():
        section = stage.status(state, current) if stage.status is not None else None
        if stage.status is not None:
            result[stage.status_key] = section
        result["problems"] += stage.problems(state, section)
    # An effect that failed but is no longer planned (the person answered meanwhile, a slot
    # passed) is superseded, not failing.
    planned = {a.key for a in current.due + current.upcoming}
    result["failing"] = [f for f in result["failing"] if f["key"] in planned]
    for stage in stages():
        result["warnings"] += stage.warnings(engagement)
    upcoming = current.due + current.upcoming
    if upcoming:
        first = upcoming[0]
        result["next_action"] = {
            "what": first.description,
            "when": _iso(max(first.due, now), state),
        }
    result["deliverables"] = [
        {"stage": e.data["stage"], "path": e.data["path"], "at": _iso(e.at, state)}
        for e in state.of_kind(DELIVERABLE_WRITTEN)
    ]
    return result

"""The company list on the status board: when its milestones were reached, what is awaited from
the client, and what an advance did, in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.events import MAIL_SENT
from smpp.stages.company_list.events import LIST_JUDGED
from smpp.stages.company_list.records import accepted_list, list_judgements, list_request_key
from smpp.state import State
from smpp.store import Event


def actuals(state: State) -> dict[str, datetime]:
    actual: dict[str, datetime] = {}
    request = state.done(list_request_key(state))
    if request is not None:
        actual["company_list_requested"] = request.at
    accepted = accepted_list(state)
    if accepted is not None:
        actual["company_list_due"] = accepted.at
    return actual


def awaited(state: State, now: datetime) -> list[dict[str, Any]]:
    request = state.done(list_request_key(state))
    if request is None or accepted_list(state) is not None:
        return []
    timeline = state.timeline
    judgements = list_judgements(state)
    chasers = [
        e
        for e in state.of_kind(MAIL_SENT)
        if e.data["template"] in ("company_list_reminder", "company_list_overdue")
    ]
    return [
        {
            "what": f"Company list (at least {state.engagement.min_companies} companies)",
            "from": [f"{c.name} <{c.email}>" for c in state.engagement.client_contacts],
            "since": state.iso(request.at),
            "due": state.iso(timeline.company_list_deadline),
            "overdue": now > timeline.company_list_deadline,
            "reminders_sent": len(chasers),
            "refused_versions": len(judgements),
        }
    ]


# What a mail says a run did; replies to a returned list add nothing (the judgement says it).
MAIL_DEEDS: dict[str, str] = {
    "company_list_request": "company list requested",
    "company_list_reminder": "company list reminder sent",
    "company_list_overdue": "company list overdue reminder sent",
    "company_list_escalation": "company list escalated to the lead",
}


def deeds(event: Event) -> str | None:
    if event.kind == MAIL_SENT:
        return MAIL_DEEDS.get(str(event.data.get("template")))
    if event.kind == LIST_JUDGED:
        return "company list accepted" if event.data.get("ok") else "company list refused"
    return None

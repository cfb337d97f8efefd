"""The workshop packet on the status board: the version written, whether the lead holds or has
approved it, how many it went to; the lead's approval as a wait; what an advance did, in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.actions import Plan
from smpp.events import DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.stages.packet.records import (
    CONSENSUS,
    DELIVERY_TEMPLATE,
    NAME,
    WORKBOOK,
    approval,
    deliveries,
    held,
    packet_documents,
    packet_workbooks,
)
from smpp.state import State
from smpp.store import Event


def actuals(state: State) -> dict[str, datetime]:
    sent = deliveries(state)
    return {"packet_delivered": sent[0].at} if sent else {}


def section(state: State, current: Plan) -> dict[str, Any] | None:
    written = packet_workbooks(state)
    if not written:
        return None
    last = written[-1]
    hold = held(state)
    approved = approval(state)
    documents = packet_documents(state)
    sent = deliveries(state)
    if sent:
        summary = f"Version {last.data['version']} sent to {len(sent)} people."
    elif hold is not None:
        summary = (
            "Held by "
            + str(hold.data.get("by") or "the account lead")
            + (f": {hold.data['note']}" if hold.data.get("note") else ".")
        )
    elif state.engagement.packet.approval and approved is None:
        summary = f"Version {last.data['version']} awaits the account lead's approval."
    else:
        summary = f"Version {last.data['version']} written; it goes out at the packet milestone."
    return {
        "summary": summary,
        "version": last.data["version"],
        "workbook": last.data["path"],
        "document": documents[-1].data["path"] if documents else None,
        "consensus": last.data.get("consensus"),
        "missing": last.data["missing"],
        "stale": last.data["stale"],
        "held": hold is not None,
        "approved": state.iso(approved.at if approved else None),
        "sent": len(sent),
    }


def awaited(state: State, now: datetime) -> list[dict[str, Any]]:
    """The lead's approval, where the engagement asks for it, once the draft was sent."""
    engagement = state.engagement
    drafts = state.mails("packet_draft")
    if not engagement.packet.approval or not drafts or approval(state) or deliveries(state):
        return []
    if now >= state.timeline.workshop:
        return []
    due = state.timeline.milestones["packet_delivered"]
    return [
        {
            "what": "Approval of the workshop packet",
            "from": [f"{engagement.account_lead.name} <{engagement.account_lead.email}>"],
            "since": state.iso(drafts[0].at),
            "due": state.iso(due),
            "overdue": now > due,
            "reminders_sent": len(state.mails("packet_approval_reminder")),
        }
    ]


def status_lines(section: dict[str, Any]) -> list[str]:
    lines = [f"Workshop packet: {section['summary']} Workbook: {section['workbook']}"]
    lines += [f"  missing: {line}" for line in section["missing"]]
    lines += [f"  stale figure: {line}" for line in section["stale"]]
    return lines


MAIL_DEEDS = {
    "packet_draft": "draft packet sent to the lead",
    DELIVERY_TEMPLATE: "workshop packet sent",
    "packet_approval_reminder": "lead reminded to approve the packet",
    "packet_approval_escalation": "packet approval escalated",
}
COUNTED = frozenset({"workshop packet sent"})


def deeds(event: Event) -> str | None:
    if event.kind == MAIL_SENT:
        return MAIL_DEEDS.get(str(event.data.get("template")))
    if event.kind == DELIVERABLE_WRITTEN and event.data.get("stage") == NAME:
        if event.data.get("part") != WORKBOOK:
            return None
        version = int(event.data.get("version") or 1)
        return f"workshop packet{f' v{version}' if version > 1 else ''} written"
    if event.kind == DELIVERABLE_WRITTEN and event.data.get("stage") == CONSENSUS:
        return None
    return None

"""The policy on the status board: the latest version, its check, and whether it went out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.actions import Plan
from smpp.events import DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.stages.policy.records import NAME, open_findings, policies
from smpp.state import State
from smpp.store import Event


def actuals(state: State) -> dict[str, datetime]:
    sent = state.mails("policy_delivered")
    return {"final_policy": sent[0].at} if sent else {}


def section(state: State, current: Plan) -> dict[str, Any] | None:
    written = policies(state)
    if not written:
        return None
    latest = written[-1]
    version = int(latest.data["version"])
    still_open = open_findings(state, latest)
    sent = state.mails("policy_delivered")
    delivered = [e for e in sent if e.key and e.key.endswith(f"/v{version}")]
    if delivered:
        summary = f"Version {version} sent to the client."
    elif still_open:
        summary = (
            f"Version {version} written; {len(still_open)} check finding(s) wait for the "
            "account lead (accept with a note, or change the decision)."
        )
    else:
        summary = f"Version {version} written and checked; it goes to the client at the milestone."
    return {
        "version": version,
        "summary": summary,
        "delivered": bool(delivered),
        "findings": len(latest.data.get("findings", [])),
        "findings_open": [
            {"key": f["key"], "clause": f["clause"], "why": f["why"]} for f in still_open
        ],
        "document": latest.data["path"],
    }


def status_lines(policy: dict[str, Any]) -> list[str]:
    lines = [f"Policy: {policy['summary']}"]
    for finding in policy["findings_open"]:
        lines.append(f"  finding {finding['key']} (clause {finding['clause']}): {finding['why']}")
    return lines


def awaited(state: State, now: datetime) -> list[dict[str, Any]]:
    written = policies(state)
    if not written or state.closed:
        return []
    still_open = open_findings(state, written[-1])
    if not still_open:
        return []
    return [
        {
            "what": f"a word on {len(still_open)} policy check finding(s) (accept with a note, "
            "or change the decision)",
            "who": state.engagement.account_lead.name,
            "since": state.iso(written[-1].at),
        }
    ]


def deeds(event: Event) -> str | None:
    data = event.data
    if event.kind == DELIVERABLE_WRITTEN and data.get("stage") == NAME:
        if data.get("format") != "docx":
            return None
        return f"policy v{data.get('version')} written"
    if event.kind == MAIL_SENT and data.get("template") == "policy_delivered":
        return "policy sent to the client"
    return None

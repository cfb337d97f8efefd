"""The follow-up on the status board: the report, each open item with its owner, due date and
where it stands, what is awaited from the owners, and what an advance did, in words."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smpp.actions import Plan, SendMail
from smpp.events import DECISION, DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.stages.follow_up.records import NAME, consensus_version, reports, tracked_items
from smpp.stages.follow_up.report import open_item_rows, reminder_key
from smpp.state import State
from smpp.status import clip, short
from smpp.store import Event
from smpp.timeline import end_of_day


def actuals(state: State) -> dict[str, datetime]:
    written = reports(state)
    return {"follow_up_report": written[0].at} if written else {}


def section(state: State, current: Plan) -> dict[str, Any] | None:
    """None until there is a consensus to follow up on."""
    if not consensus_version(state):
        return None
    written = reports(state)
    reminders = {
        a.key: a
        for a in current.due + current.upcoming
        if isinstance(a, SendMail) and a.key.startswith(f"{state.slug}/{NAME}/reminder/")
    }
    keys = {i["topic"]: reminder_key(state, i) for i in tracked_items(state)}
    items = []
    for row in open_item_rows(state):
        upcoming = reminders.get(keys[row.topic])
        items.append(
            {
                "topic": row.topic,
                "name": row.name,
                "what": row.what,
                "owner": row.owner.given,
                "owner_found": row.owner.person is not None,
                "due": row.due.isoformat() if row.due else None,
                "done": row.done,
                "state": row.state,
                "next_reminder": state.iso(upcoming.due) if upcoming is not None else None,
            }
        )
    if state.closed:
        summary = "Closed."
    elif written:
        left = sum(1 for i in items if not i["done"])
        summary = f"Report written; {left} of {len(items)} open items still to do."
    else:
        when = state.timeline.milestones["follow_up_report"]
        summary = f"The report is due on {short(state.iso(when))}."
    return {
        "summary": summary,
        "report": written[-1].data["path"] if written else None,
        "page": written[-1].data["html"] if written else None,
        "version": int(written[-1].data["version"]) if written else 0,
        "open_items": items,
    }


def awaited(state: State, now: datetime) -> list[dict[str, Any]]:
    """Each open item with a due date, from its owner, once the report is out."""
    written = reports(state)
    if not written or state.closed:
        return []
    waits = []
    for item, row in zip(tracked_items(state), open_item_rows(state), strict=True):
        if row.done or row.due is None:
            continue
        who = row.owner.person
        waits.append(
            {
                "what": f"{row.topic}: {clip(row.what, 28)}",
                "from": [f"{who.name} <{who.email}>" if who else row.owner.given or "no owner"],
                "since": state.iso(written[0].at),
                "due": state.iso(end_of_day(row.due, state.engagement)),
                "overdue": now > end_of_day(row.due, state.engagement),
                "reminders_sent": 0 if state.done(reminder_key(state, item)) is None else 1,
            }
        )
    return waits


def status_markdown(section: dict[str, Any], timezone: str) -> list[str]:
    """The follow-up on the Prefect status page: where it stands, then one narrow row per open
    item (a 1,400-pixel window holds it; the report has the whole text)."""
    from smpp.artifacts import md, short_time  # the page's own helpers; artifacts reads stages

    lines = [md(section["summary"]), ""]
    if not section["open_items"]:
        return lines
    lines += ["| Open item | Owner | Due | Where it stands |", "|---|---|---|---|"]
    for item in section["open_items"]:
        owner = item["owner"] or "no owner"
        if "<" in owner:
            owner = owner.split("<", 1)[0].strip() or owner
        due = item["due"] or "no date"
        state = "done" if item["done"] else item["state"]
        next_reminder = short_time(item["next_reminder"], timezone)
        if next_reminder and not item["done"]:
            state += f", reminder {next_reminder}"
        lines.append(
            f"| {md(item['topic'])}: {md(clip(item['what'], 40))} | {md(clip(owner, 24))} | "
            f"{md(due)} | {md(clip(state, 40))} |"
        )
    return lines


def status_lines(section: dict[str, Any]) -> list[str]:
    """The follow-up in `smpp status`: where it stands, then a line per open item."""
    lines = [
        f"Follow-up: {section['summary']}"
        + (f" Report: {section['report']}" if section["report"] else "")
    ]
    for item in section["open_items"]:
        mark = "done" if item["done"] else "open"
        lines.append(
            f"  {mark:<5} {item['topic']} {item['name']}: {item['what']} "
            f"({item['owner'] or 'no owner'}): {item['state']}"
            + (f", next reminder {short(item['next_reminder'])}" if item["next_reminder"] else "")
        )
    return lines


MAIL_DEEDS = {
    "follow_up_report_ready": "follow-up report mailed",
    "follow_up_item_reminder": "open item reminder sent",
    "follow_up_item_unassigned": "open item without owner told to the lead",
    "follow_up_closed": "engagement closing told to the lead",
}
COUNTED = frozenset({"open item reminder sent"})


def deeds(event: Event) -> str | None:
    data = event.data
    if event.kind == MAIL_SENT:
        return MAIL_DEEDS.get(str(data.get("template")))
    if event.kind == DELIVERABLE_WRITTEN and data.get("stage") == NAME:
        version = int(data.get("version") or 1)
        return f"follow-up report{f' v{version}' if version > 1 else ''} written"
    if event.kind == DECISION and data.get("decision") == "close" and event.key is not None:
        return "engagement closed"
    return None

"""The follow-up: once the consensus is recorded, the report is written on the day of the
follow_up_report milestone (T+14) and mailed to the account lead; after it, each open item with
a due date gets one reminder to its owner on that date, or on the business day before when it is
none (to the lead when the owner is not among the engagement's people); when the lead has marked
every open item done, the engagement closes itself. Without a consensus recorded there is
nothing to report on: the stage waits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from smpp.actions import (
    Action,
    DriveFile,
    SendMail,
    address,
    common_context,
    digest,
    drive_place,
    key,
    lead_context,
    writer_context,
)
from smpp.decisions import close_key
from smpp.documents import long_day, short_day
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.consensus.records import consensus_versions
from smpp.stages.follow_up.records import (
    NAME,
    consensus_version,
    due_date,
    final_policy,
    items_done,
    policy_delivered,
    reports,
    resolve_owner,
    tracked_items,
)
from smpp.stages.follow_up.report import reminder_key
from smpp.state import State
from smpp.taxonomy import element
from smpp.timeline import Timeline, last_business_day, next_working_moment, working_start


@dataclass(frozen=True)
class WriteFollowUpReport:
    key: str
    due: datetime
    version: int
    description: str = ""


@dataclass(frozen=True)
class CloseEngagement:
    """Every open item is done: the engagement closes itself, as a lead's close would."""

    key: str
    due: datetime
    reason: str
    description: str = ""


def report_key(state: State) -> str:
    """The key of the report for what it reports on: a new consensus or policy, a new version."""
    policy, delivered = final_policy(state), policy_delivered(state)
    facts = "" if policy is None else str(policy.data.get("version", 1))
    facts += "" if delivered is None else f":delivered {delivered.key}"
    return key(state, NAME, "report", digest(str(consensus_version(state)), facts))


def _topic(item: TopicDecision) -> str:
    try:
        return f"{item['topic']} {element(item['topic']).name}"
    except KeyError:
        return item["topic"]


def _item_context(state: State, item: TopicDecision) -> dict[str, Any]:
    due = due_date(item)
    return {
        "topic": _topic(item),
        "item": item["topic"],
        "what": " ".join(item["follow_up"].split())
        or f"Decide on {_topic(item)} (deferred at the workshop)",
        "owner": " ".join(item["owner"].split()),
        "due_words": long_day(due) if due else "",
        "notes": " ".join(item["notes"].split()),
        "slug": state.slug,
    }


def actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    if not consensus_version(state):
        return []  # nothing to report on yet: the consensus stage's wait, not ours
    engagement = state.engagement
    zone = engagement.zone
    day = timeline.milestones["follow_up_report"].astimezone(zone).date()
    # Written at the start of the milestone's day (a drive write needs no working hours), or
    # as soon as what it reports on is in, when that comes later.
    ready_at = datetime.combine(day, engagement.working_hours.start, zone)
    policy, delivered = final_policy(state), policy_delivered(state)
    inputs = [consensus_versions(state)[-1].at]
    inputs += [e.at for e in (policy, delivered) if e is not None]
    written = state.done(report_key(state))
    if written is None:
        version = len(reports(state)) + 1
        return [
            WriteFollowUpReport(
                report_key(state),
                max(ready_at, *inputs),
                version,
                description=f"Write the follow-up report (version {version}) to the drive",
            )
        ]
    lead = address(engagement.account_lead)
    fingerprint = report_key(state).rsplit("/", 1)[-1]
    ready = SendMail(
        key(state, NAME, "ready", fingerprint),
        next_working_moment(written.at, engagement),
        "follow_up_report_ready",
        (lead,),
        {
            **common_context(state, timeline),
            **lead_context(engagement),
            "workbook": drive_place(engagement, written.data["path"]),
            "page": drive_place(engagement, written.data["html"]),
            "version": written.data["version"],
            "open_items": [
                {**_item_context(state, i), "done": i["topic"] in items_done(state)}
                for i in tracked_items(state)
            ],
            "gaps": written.data["gaps"],
            "slug": state.slug,
        },
        attach=(DriveFile(written.data["path"]),),
        description="Mail the account lead the follow-up report",
    )
    planned: list[Action] = [ready]
    after = next_working_moment(reports(state)[0].at, engagement)
    done = items_done(state)
    for item in tracked_items(state):
        due = due_date(item)
        if item["topic"] in done or due is None:
            continue
        owner = resolve_owner(state, item["owner"])
        context = {**common_context(state, timeline), **_item_context(state, item)}
        # On the due date's last business day (a Saturday's item is recalled on Friday), never
        # before the report that lists it is out.
        moment = max(working_start(last_business_day(due, engagement), engagement), after)
        if owner.person is not None:
            planned.append(
                SendMail(
                    reminder_key(state, item),
                    moment,
                    "follow_up_item_reminder",
                    (address(owner.person),),
                    {
                        **context,
                        **writer_context(engagement, (owner.person,)),
                        "name": owner.person.name,
                    },
                    cc=(lead,),
                    description=f"Remind {owner.person.name} of the open item {_topic(item)}, "
                    f"due {short_day(due)}",
                )
            )
        else:
            planned.append(
                SendMail(
                    reminder_key(state, item),
                    moment,
                    "follow_up_item_unassigned",
                    (lead,),
                    {**context, **lead_context(engagement), "why": owner.why},
                    description=f"Tell the account lead the open item {_topic(item)} has no "
                    "owner to remind",
                )
            )
    if all(i["topic"] in done for i in tracked_items(state)):
        planned += _closing(state, timeline, ready, done)
    return [a for a in planned if state.done(a.key) is None]


def _closing(
    state: State, timeline: Timeline, ready: SendMail, done: dict[str, Any]
) -> list[Action]:
    """Every open item done (or none left open) and the report out: the lead is told, then the
    engagement closes."""
    engagement = state.engagement
    sent = state.done(ready.key)
    if sent is None:
        return []
    items = tracked_items(state)
    last = max([sent.at, *(done[i["topic"]].at for i in items)])
    reason = (
        f"Every open item of the follow-up is done ({len(items)} in all)."
        if items
        else "The follow-up report is out and the consensus left no item open."
    )
    notice = SendMail(
        key(state, NAME, "closing"),
        next_working_moment(last, engagement),
        "follow_up_closed",
        (address(engagement.account_lead),),
        {
            **common_context(state, timeline),
            **lead_context(engagement),
            "reason": reason,
            "items": len(items),
        },
        description="Tell the account lead the engagement closes: nothing is left open",
    )
    told = state.done(notice.key)
    if told is None:
        return [notice]
    # Under the close decision's own key: a close the lead records at the same moment wins,
    # and this one is refused by the record, never recorded twice.
    return [
        CloseEngagement(
            close_key(state), told.at, reason, description="Close the engagement: nothing is open"
        )
    ]

"""The packet is written for the account lead's review a business day before it is due (the
engagement says how many), and again whenever its inputs change before it goes out; the lead is
told of each version with what is missing. At the packet milestone it goes to every invited
person, attending or not, unless the lead holds it or, where the engagement asks for approval,
until the lead approves (reminded at the milestone, escalated the next business day)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

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
from smpp.models import Person
from smpp.stages.packet.records import (
    DELIVERY_TEMPLATE,
    NAME,
    approval,
    deliveries,
    held,
    packet_documents,
    packet_words,
    packet_workbooks,
    released,
)
from smpp.stages.peer_review.records import review_workbooks
from smpp.stages.questionnaire.records import invited_people, person_id, questionnaire_summaries
from smpp.state import State
from smpp.store import Event
from smpp.timeline import Timeline, is_business_day, next_working_moment, working_start


@dataclass(frozen=True)
class WritePacket:
    """Write the packet workbook, its readable document and the consensus workbook."""

    key: str
    due: datetime
    version: int
    fingerprint: str
    description: str = ""


def review_moment(state: State, timeline: Timeline) -> datetime:
    """When the lead gets the draft: `review_days` business days before the packet milestone."""
    engagement = state.engagement
    milestone = timeline.milestones["packet_delivered"]
    day = milestone.astimezone(engagement.zone).date()
    for _ in range(engagement.packet.review_days):
        day -= timedelta(days=1)
        while not is_business_day(day, engagement):
            day -= timedelta(days=1)
    return max(working_start(day, engagement), next_working_moment(timeline.kickoff, engagement))


def inputs_fingerprint(state: State) -> tuple[str, datetime | None]:
    """What the packet is made of, as the record has it (the latest peer review and
    questionnaire summary), and when that last changed."""
    found = [
        events[-1] for events in (review_workbooks(state), questionnaire_summaries(state)) if events
    ]
    return digest("packet", *(str(e.key) for e in found)), max((e.at for e in found), default=None)


def actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    engagement = state.engagement
    written = packet_workbooks(state)
    sent = deliveries(state)
    if sent:
        # Going out: the rest of the version already on its way, nothing rewritten.
        version = packet_workbooks(state)[-1]
        return _delivery(state, timeline, version, now)
    if now >= timeline.workshop:
        return []  # a packet not sent by the workshop is not sent after it
    fingerprint, changed = inputs_fingerprint(state)
    due = review_moment(state, timeline)
    current = next((w for w in written if w.data["fingerprint"] == fingerprint), None)
    if current is None:
        return [
            WritePacket(
                key(state, NAME, "write", fingerprint),
                max(due, changed) if written and changed else due,
                version=len(written) + 1,
                fingerprint=fingerprint,
                description="Write the workshop packet, its document and the consensus workbook",
            )
        ]
    version = current.data["version"]
    draft = SendMail(
        key(state, NAME, "draft", f"v{version}"),
        next_working_moment(current.at, engagement),
        "packet_draft",
        (address(engagement.account_lead),),
        _draft_context(state, timeline, current),
        description=f"Send the account lead the draft workshop packet (version {version})",
    )
    told = state.done(draft.key)
    if told is None:
        return [draft]
    actions: list[Action] = []
    milestone = timeline.milestones["packet_delivered"]
    if held(state) is not None:
        return []
    moments = [milestone, told.at]
    release = released(state)
    if release is not None:
        moments.append(release.at)
    if engagement.packet.approval:
        approved = approval(state)
        if approved is None:
            return _approval_chasers(state, timeline, now)
        moments.append(approved.at)
    actions += _delivery(
        state, timeline, current, now, next_working_moment(max(moments), engagement)
    )
    return actions


def _draft_context(state: State, timeline: Timeline, written: Event) -> dict[str, object]:
    documents = [d for d in packet_documents(state) if d.data["version"] == written.data["version"]]
    words = [d for d in packet_words(state) if d.data["version"] == written.data["version"]]
    engagement = state.engagement
    return {
        **common_context(state, timeline),
        **lead_context(engagement),
        "slug": state.slug,
        "version": written.data["version"],
        "workbook": drive_place(engagement, written.data["path"]),
        "document": drive_place(engagement, documents[-1].data["path"] if documents else ""),
        "word": drive_place(engagement, words[-1].data["path"] if words else ""),
        "consensus": drive_place(engagement, written.data["consensus"]),
        "missing": written.data["missing"],
        "stale": written.data["stale"],
        "delivery": timeline.milestones["packet_delivered"].isoformat(),
        "approval": engagement.packet.approval,
        "recipients": [p.attendee.name for p in invited_people(state)],
    }


def _approval_chasers(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    """The lead is reminded at the milestone and, still silent, escalated to the agency's desk
    the next business day."""
    engagement = state.engagement
    milestone = timeline.milestones["packet_delivered"]
    context = {**common_context(state, timeline), **lead_context(engagement), "slug": state.slug}
    reminder = SendMail(
        key(state, NAME, "approval-reminder"),
        milestone,
        "packet_approval_reminder",
        (address(engagement.account_lead),),
        context,
        description="Remind the account lead that the workshop packet awaits approval",
    )
    escalation_day = milestone.astimezone(engagement.zone).date() + timedelta(days=1)
    escalation = SendMail(
        key(state, NAME, "approval-escalation"),
        min(working_start(escalation_day, engagement), timeline.workshop - timedelta(hours=1)),
        "packet_approval_escalation",
        (address(engagement.mail.sender),),
        {**context, **writer_context(engagement, (engagement.mail.sender,))},
        cc=(address(engagement.account_lead),),
        description="Escalate: the workshop packet is still not approved",
    )
    return [m for m in (reminder, escalation) if state.done(m.key) is None]


def _delivery(
    state: State,
    timeline: Timeline,
    written: Event,
    now: datetime,
    due: datetime | None = None,
) -> list[Action]:
    engagement = state.engagement
    version = written.data["version"]
    documents = [d for d in packet_documents(state) if d.data["version"] == version]
    words = [d for d in packet_words(state) if d.data["version"] == version]
    files = [written, *documents[-1:], *words[-1:]]
    size = sum(int(f.data["bytes"]) for f in files)
    limit = int(engagement.packet.attachment_limit_mb * 1_000_000)
    attach = tuple(DriveFile(str(f.data["path"])) for f in files) if size <= limit else ()
    if due is None:
        first = deliveries(state)
        due = first[0].at if first else now
    people = invited_people(state)
    recipients: list[tuple[Person, str]] = [(p.attendee, p.attendance) for p in people] or [
        (c, "") for c in engagement.client_contacts
    ]
    mails: list[Action] = []
    for person, attendance in recipients:
        mails.append(
            SendMail(
                key(state, NAME, "delivery", person_id(str(person.email))),
                due,
                DELIVERY_TEMPLATE,
                (address(person),),
                {
                    **common_context(state, timeline),
                    **writer_context(engagement, (person,)),
                    "name": person.name,
                    "attending": attendance not in ("not attending", "delegate sent"),
                    "version": version,
                    "attached": bool(attach),
                    "places": [drive_place(engagement, str(f.data["path"])) for f in files],
                    "limit_mb": engagement.packet.attachment_limit_mb,
                    "missing": written.data["missing"],
                },
                attach=attach,
                description=f"Send the workshop packet to {person.name}",
                person=str(person.email).lower(),
            )
        )
    return [m for m in mails if state.done(m.key) is None]

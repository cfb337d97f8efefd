"""The follow-up report's content, read from the record at the moment it is written: the timeline
planned against actual, the reminders sent, participation, the decisions, the open items and the
next steps. Pure: the workbook and the HTML page both render this, and nothing else."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from smpp.actions import digest, drive_place
from smpp.documents import long_day, short_day
from smpp.events import DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.positions import position
from smpp.stages.consensus.events import TopicDecision
from smpp.stages.consensus.records import decisions
from smpp.stages.follow_up.records import (
    NAME,
    Owner,
    consensus_version,
    due_date,
    final_policy,
    items_done,
    months_after,
    policy_delivered,
    resolve_owner,
    tracked_items,
)
from smpp.state import State
from smpp.taxonomy import element
from smpp.timeline import WORKSHOP, Timeline, milestones_in_order

# The mails that chase people, by the end of their kind's name.
CHASER_WORDS = {
    "reminder": "Reminder",
    "overdue": "Overdue reminder",
    "escalation": "Escalation to the account lead",
}
CHOICE_WORDS = {"position": "Agreed position", "own": "Own wording", "deferred": "Deferred"}
PRIMER = "E03"  # Training, certification & education
ROUTING = "routing"  # the method's question whose elements the routing set-up puts in place


@dataclass(frozen=True)
class MilestoneRow:
    label: str
    stage: str
    planned: datetime
    actual: datetime | None
    verdict: str  # "kept", "late by 2 days", "missed", "not recorded", "not due yet"


@dataclass(frozen=True)
class ReminderRow:
    stage: str
    kind: str  # in words
    template: str
    sent: int
    people: int  # distinct recipients
    first: datetime
    last: datetime


@dataclass(frozen=True)
class PersonRow:
    name: str
    role: str
    attendance: str  # "attending", "not attending", "delegate sent"
    said: str  # where the attendance comes from
    answered: datetime | None


@dataclass(frozen=True)
class Participation:
    invited: int
    answered: int
    attending: int
    not_attending: int
    delegates: int
    people: tuple[PersonRow, ...]


@dataclass(frozen=True)
class DecisionRow:
    topic: str  # "E06"
    name: str  # the element's name
    question: str
    decision: str  # the choice in words
    detail: str  # the position's summary, or the wording
    follow_up: str
    owner: str
    due: date | None


@dataclass(frozen=True)
class OpenItemRow:
    topic: str
    name: str
    what: str
    owner: Owner
    due: date | None
    state: str  # in words: done, reminded, reminder due, no due date
    done: bool


@dataclass(frozen=True)
class NextStep:
    what: str
    detail: str
    when: str  # in words


@dataclass(frozen=True)
class Document:
    stage: str
    name: str
    version: int
    at: datetime
    path: str
    link: str | None  # the drive's web address for it, when the engagement gives one
    folder: str = ""  # where it is on the shared drive, in words (never the server's path)


@dataclass
class FollowUpReport:
    client: str
    made_at: datetime
    version: int
    consensus_version: int
    milestones: list[MilestoneRow] = field(default_factory=list)
    reminders: list[ReminderRow] = field(default_factory=list)
    participation: Participation | None = None
    decisions: list[DecisionRow] = field(default_factory=list)
    open_items: list[OpenItemRow] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    review_date: date | None = None
    policy_path: str = ""
    gaps: list[str] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return sum(1 for m in self.milestones if m.verdict == "kept")

    @property
    def late(self) -> int:
        return sum(1 for m in self.milestones if m.verdict.startswith("late"))

    @property
    def missed(self) -> int:
        return sum(1 for m in self.milestones if m.verdict == "missed")

    def findings(self) -> tuple[str, ...]:
        lines = [
            f"Timeline: {self.kept} of {len(self.milestones)} milestones kept, {self.late} late, "
            f"{self.missed} missed."
        ]
        if self.participation is not None:
            p = self.participation
            lines.append(
                f"Participation: {p.answered} of {p.invited} invited people answered the "
                f"questionnaire; {p.attending} said they would attend the workshop."
            )
        deferred = sum(1 for d in self.decisions if d.decision == CHOICE_WORDS["deferred"])
        lines.append(
            f"Decisions: {len(self.decisions) - deferred} topics decided, {deferred} deferred."
        )
        undone = [i for i in self.open_items if not i.done]
        dated = sorted(i.due for i in undone if i.due is not None)
        unowned = sum(1 for i in undone if i.owner.person is None)
        lines.append(
            f"Open items: {len(undone)}"
            + (f", the first due on {short_day(dated[0])}" if dated else "")
            + (f"; {unowned} without an owner among the engagement's people" if unowned else "")
            + "."
        )
        if self.review_date is not None:
            lines.append(f"First review of the policy: {long_day(self.review_date)}.")
        return tuple(lines)


def _verdict(planned: datetime, actual: datetime | None, now: datetime, tracked: bool) -> str:
    if actual is None:
        if not tracked:
            return "not recorded"
        return "missed" if planned < now else "not due yet"
    if actual <= planned:
        return "kept"
    zone = planned.tzinfo
    days = (actual.astimezone(zone).date() - planned.astimezone(zone).date()).days
    if days <= 0:
        return "late, the same day"
    return f"late by {days} day" + ("" if days == 1 else "s")


def milestone_rows(state: State, timeline: Timeline, now: datetime) -> list[MilestoneRow]:
    """Every milestone of the timeline, planned against the moment the record shows it reached;
    this report's own milestone is reached now."""
    from smpp.stages import stages  # on first use: the registry imports this stage

    actual = {name: at for stage in stages() for name, at in stage.actuals(state).items()}
    actual.setdefault("follow_up_report", now)
    declared = {m.name for stage in stages() for m in stage.milestones}
    if consensus_version(state) and now >= timeline.workshop:
        # The consensus recorded says the workshop took place; the record has no other word.
        actual.setdefault(WORKSHOP.name, timeline.workshop)
    declared.add(WORKSHOP.name)
    zone = state.engagement.zone
    return [
        MilestoneRow(
            milestone.label,
            words,
            timeline.milestones[milestone.name].astimezone(zone),
            actual[milestone.name].astimezone(zone) if milestone.name in actual else None,
            _verdict(
                timeline.milestones[milestone.name],
                actual.get(milestone.name),
                now,
                milestone.name in declared,
            ),
        )
        for milestone, words in milestones_in_order()
    ]


def _kind_words(template: str) -> str | None:
    for ending, words in CHASER_WORDS.items():
        if template.endswith(f"_{ending}"):
            return "Open item reminder" if template == "follow_up_item_reminder" else words
    return None


def reminder_rows(state: State) -> list[ReminderRow]:
    """The mails that chased people, by stage and kind, in the order they first went out."""
    from smpp.stages import stages

    stage_of = {kind: stage.words for stage in stages() for kind in stage.mail_templates}
    zone = state.engagement.zone
    grouped: dict[str, list[tuple[datetime, list[str]]]] = {}
    for mail in state.of_kind(MAIL_SENT):
        template = str(mail.data.get("template"))
        if _kind_words(template) is not None:
            grouped.setdefault(template, []).append((mail.at, list(mail.data.get("to", []))))
    rows = []
    for template, sent in grouped.items():
        people = {address.lower() for _, to in sent for address in to}
        rows.append(
            ReminderRow(
                stage_of.get(template, "engagement").capitalize(),
                _kind_words(template) or template,
                template,
                len(sent),
                len(people),
                sent[0][0].astimezone(zone),
                sent[-1][0].astimezone(zone),
            )
        )
    return sorted(rows, key=lambda r: r.first)


def participation(state: State) -> Participation | None:
    """Invited, answered and attending as the attendees' RSVPs said (the engagement file's
    word for those who sent none)."""
    from smpp.stages.questionnaire.records import (
        ATTENDING,
        DELEGATE_SENT,
        NOT_ATTENDING,
        invited_people,
        standing_answers,
    )

    people = invited_people(state)
    if not people:
        return None
    standing = standing_answers(state)
    zone = state.engagement.zone
    rows = []
    for person in people:
        answer = standing.get(person.email)
        said = "RSVP" if answer is not None and answer.data["verdict"].get("rsvp") else ""
        rows.append(
            PersonRow(
                person.attendee.name,
                person.attendee.role,
                person.attendance,
                "said in the RSVP" if said else "as the engagement file lists (no RSVP)",
                answer.at.astimezone(zone) if answer is not None else None,
            )
        )
    return Participation(
        invited=len(rows),
        answered=sum(1 for r in rows if r.answered is not None),
        attending=sum(1 for r in rows if r.attendance == ATTENDING),
        not_attending=sum(1 for r in rows if r.attendance == NOT_ATTENDING),
        delegates=sum(1 for r in rows if r.attendance == DELEGATE_SENT),
        people=tuple(rows),
    )


def _topic_name(topic: str) -> tuple[str, str]:
    try:
        found = element(topic)
    except KeyError:
        return topic, ""
    return found.name, found.question.capitalize()


def decision_in_words(decision: TopicDecision) -> tuple[str, str]:
    """(the decision, its detail) as a reader takes them in."""
    wording = " ".join(decision["wording"].split())
    if decision["choice"] == "position":
        try:
            chosen = position(decision["position"])
        except KeyError:
            return decision["position"] or "A position", wording
        detail = chosen.summary + (f" Agreed wording: {wording}" if wording else "")
        return chosen.label, detail
    if decision["choice"] == "own":
        return "Own wording", wording
    return "Deferred: to be decided", " ".join(decision["notes"].split())


def decision_rows(state: State) -> list[DecisionRow]:
    rows = []
    for decision in decisions(state):
        name, question = _topic_name(decision["topic"])
        said, detail = decision_in_words(decision)
        rows.append(
            DecisionRow(
                decision["topic"],
                name,
                question,
                said,
                detail,
                " ".join(decision["follow_up"].split()),
                " ".join(decision["owner"].split()),
                due_date(decision),
            )
        )
    return rows


def reminder_key(state: State, item: TopicDecision) -> str:
    """The key of an open item's one reminder: a new owner or due date makes a new one."""
    return f"{state.slug}/follow-up/reminder/{item['topic']}/" + digest(
        " ".join(item["owner"].casefold().split()), item["due"]
    )


def open_item_rows(state: State) -> list[OpenItemRow]:
    done = items_done(state)
    zone = state.engagement.zone
    rows = []
    for item in tracked_items(state):
        name, _ = _topic_name(item["topic"])
        owner = resolve_owner(state, item["owner"])
        due = due_date(item)
        what = " ".join(item["follow_up"].split()) or f"Decide on {name} (deferred at the workshop)"
        marked = done.get(item["topic"])
        reminded = state.done(reminder_key(state, item))
        if marked is not None:
            by = marked.data.get("by") or state.engagement.account_lead.name
            words = f"Done: marked on {short_day(marked.at.astimezone(zone).date())} by {by}"
        elif reminded is not None:
            to = "the account lead" if owner.person is None else owner.person.name
            words = f"Reminder sent to {to} on {short_day(reminded.at.astimezone(zone).date())}"
        elif due is None:
            words = "No due date agreed, so no reminder"
        elif owner.person is None:
            words = f"Owner not resolved ({owner.why}): the account lead is reminded on the day"
        else:
            words = f"{owner.person.name} is reminded on {short_day(due)}"
        rows.append(OpenItemRow(item["topic"], name, what, owner, due, words, marked is not None))
    return rows


def drive_link(path: str, state: State) -> str | None:
    """A file's address on the drive's web view, when the engagement gives one."""
    engagement = state.engagement
    if not engagement.drive_url:
        return None
    try:
        relative = Path(path).relative_to(engagement.drive)
    except ValueError:
        return None
    return engagement.drive_url.rstrip("/") + "/" + quote(relative.as_posix())


def documents(state: State) -> list[Document]:
    """Each stage's latest deliverable, in the order they were first written."""
    from smpp.stages import stages

    words = {stage.name: stage.words for stage in stages()}
    latest: dict[tuple[str, str], Document] = {}  # by stage and kind of file
    zone = state.engagement.zone
    for item in state.of_kind(DELIVERABLE_WRITTEN):
        stage = str(item.data["stage"])
        if stage == NAME:
            continue
        path = str(item.data["path"])
        latest[(stage, Path(path).suffix)] = Document(
            words.get(stage, stage).capitalize(),
            Path(path).name,
            int(item.data.get("version") or 1),
            item.at.astimezone(zone),
            path,
            drive_link(path, state),
            drive_place(state.engagement, path)["folder"] or "the client's folder",
        )
    return list(latest.values())


def next_steps(
    state: State, rows: Sequence[DecisionRow], review: date | None, delivered: bool
) -> list[NextStep]:
    """Primer training, routing set-up and the policy's first review, from the decisions."""
    by_topic = {r.topic: r for r in rows}
    steps = []
    primer = by_topic.get(PRIMER)
    steps.append(
        NextStep(
            "Primer training",
            (
                f"As agreed on {primer.name}: {primer.decision}. {primer.detail}".strip()
                if primer is not None
                else "The consensus did not settle training: agree who takes the primer, "
                "and when, before the policy takes effect."
            ),
            "Before the policy takes effect",
        )
    )
    routing = [r for r in rows if r.question == ROUTING.capitalize()]
    steps.append(
        NextStep(
            "Routing set-up",
            (
                "Put in place the routes agreed: "
                + "; ".join(f"{r.name}: {r.decision}" for r in routing)
                + ". Name the people on each route and test it once."
                if routing
                else "The consensus did not settle routing: agree where escalations, customer "
                "requests and comments go, and who answers them."
            ),
            "Before the policy takes effect",
        )
    )
    months = state.engagement.policy.review_months
    steps.append(
        NextStep(
            "First review of the policy",
            f"{months} months after the final policy"
            + ("" if delivered else " (counted from its planned date: not delivered yet)")
            + ": check it against what happened, the law and the platforms.",
            long_day(review) if review is not None else "Once the final policy is delivered",
        )
    )
    return steps


def build_report(state: State, timeline: Timeline, now: datetime, version: int) -> FollowUpReport:
    """The report as the record stands at `now`, the gaps it cannot fill said in words."""
    engagement = state.engagement
    zone = engagement.zone
    report = FollowUpReport(engagement.client, now.astimezone(zone), version, 0)
    report.consensus_version = consensus_version(state)
    report.milestones = milestone_rows(state, timeline, now)
    report.reminders = reminder_rows(state)
    report.participation = participation(state)
    report.decisions = decision_rows(state)
    report.open_items = open_item_rows(state)
    report.documents = documents(state)
    policy, delivered = final_policy(state), policy_delivered(state)
    if policy is not None:
        report.policy_path = str(policy.data["path"])
    if delivered is not None:
        base = delivered.at.astimezone(zone).date()
    else:
        base = timeline.milestones["final_policy"].astimezone(zone).date()
        written = (
            f" (version {policy.data.get('version', 1)} is written, not yet sent to the client)"
            if policy is not None
            else ""
        )
        report.gaps.append(
            f"The final policy is not recorded as delivered{written}: its first review is "
            f"counted from its planned date ({long_day(base)})."
        )
    if not report.consensus_version:
        report.gaps.append(
            "No consensus is recorded: the decisions taken and the open items are not known."
        )
    if report.participation is None:
        report.gaps.append("Nobody was invited to the questionnaire: participation is unknown.")
    report.review_date = months_after(base, engagement.policy.review_months)
    report.next_steps = next_steps(
        state, report.decisions, report.review_date, delivered is not None
    )
    return report

"""Milestones computed back from the workshop day, in the engagement's time zone.

Anything sent to people goes out on a business day within working hours; deadlines fall at the end
of their day. A kickoff too late for the two-week rule is refused unless the account lead asked for
a compressed plan, which squeezes the pre-workshop milestones into the time left and is at risk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache

from smpp.models import Engagement, Offsets
from smpp.stages.anatomy import Milestone

# A compressed plan still needs this many days between kickoff and the workshop.
MIN_COMPRESSED_DAYS = 7
# The default plan spans this many days before the workshop (the first milestone, T-28).
FULL_SPAN_DAYS = 28

# The milestones of stages still to be built, after those the stages declare, with the words a
# run's name uses for them. A stage built later declares its own and leaves this list.
LATER_MILESTONES: tuple[tuple[Milestone, str], ...] = ()
# The workshop itself: planned by the engagement, not by an offset; reached by the clock.
WORKSHOP = Milestone("workshop", "Workshop", "send")


@cache
def milestones_in_order() -> tuple[tuple[Milestone, str], ...]:
    """Every milestone in the order the timeline shows them, each with the words for its stage:
    the stages' own in the registry's order, then those still to be built, the workshop placed
    before the first that falls after it."""
    from smpp.stages import stages  # on first use: the stages import this module

    found = [(m, stage.words) for stage in stages() for m in stage.milestones]
    defaults = Offsets()
    for later in LATER_MILESTONES:
        offset = getattr(defaults, later[0].name)
        place = next(
            (i for i, (m, _) in enumerate(found) if getattr(defaults, m.name) > offset), len(found)
        )
        found.insert(place, later)
    after = next((i for i, (m, _) in enumerate(found) if getattr(defaults, m.name) > 0), len(found))
    found.insert(after, (WORKSHOP, "workshop"))
    return tuple(found)


def milestone_labels() -> dict[str, str]:
    return {m.name: m.label for m, _ in milestones_in_order()}


class KickoffTooLate(ValueError):
    """The engagement cannot start on the default plan; the message says what to do instead."""


@dataclass(frozen=True)
class Timeline:
    workshop: datetime
    kickoff: datetime
    at_risk: bool  # a compressed plan: shown wherever the timeline shows
    milestones: dict[str, datetime]  # planned moment per milestone, in the order shown
    company_list_reminders: tuple[datetime, ...]
    company_list_escalation: datetime
    company_list_overdue_reminders: tuple[datetime, ...]
    questionnaire_reminders: tuple[datetime, ...]
    questionnaire_escalation: datetime

    @property
    def company_list_request(self) -> datetime:
        return self.milestones["company_list_requested"]

    @property
    def company_list_deadline(self) -> datetime:
        return self.milestones["company_list_due"]


def is_business_day(day: date, engagement: Engagement) -> bool:
    hours = engagement.working_hours
    return day.isoweekday() in hours.days and day not in engagement.holidays


def next_working_moment(moment: datetime, engagement: Engagement) -> datetime:
    """`moment` if people may be written to then, otherwise the start of the next working period."""
    local = moment.astimezone(engagement.zone)
    hours = engagement.working_hours
    day = local.date()
    if is_business_day(day, engagement) and hours.start <= local.time() < hours.end:
        return moment
    if not (is_business_day(day, engagement) and local.time() < hours.start):
        day += timedelta(days=1)
    while not is_business_day(day, engagement):
        day += timedelta(days=1)
    return datetime.combine(day, hours.start, engagement.zone)


def last_business_day(day: date, engagement: Engagement) -> date:
    """`day` if it is a business day, else the business day before it: where a deadline that
    falls on a weekend or holiday is met."""
    while not is_business_day(day, engagement):
        day -= timedelta(days=1)
    return day


def working_start(day: date, engagement: Engagement) -> datetime:
    """The first working moment on `day`, or on the next business day after it."""
    return next_working_moment(datetime.combine(day, time(0), engagement.zone), engagement)


def end_of_day(day: date, engagement: Engagement) -> datetime:
    return datetime.combine(day, time(23, 59), engagement.zone)


def _days(count: int) -> str:
    count = max(count, 0)
    return f"{count} day" if count == 1 else f"{count} days"


def _check_kickoff(engagement: Engagement, kickoff: datetime) -> bool:
    """Whether the plan must be compressed; raises when the kickoff cannot be accepted."""
    offsets = engagement.timeline
    workshop_day = engagement.workshop_at.date()
    kickoff_day = kickoff.astimezone(engagement.zone).date()
    request_day = max(workshop_day + timedelta(days=offsets.company_list_requested), kickoff_day)
    due_day = workshop_day + timedelta(days=offsets.company_list_due)
    notice = (due_day - request_day).days
    if notice >= offsets.company_list_min_notice_days:
        return False
    days_left = max((workshop_day - kickoff_day).days, 0)
    when = workshop_day.strftime("%A %-d %B %Y")
    if engagement.workshop_at <= kickoff:
        raise KickoffTooLate(
            f"The workshop on {when} is in the past (the kickoff is on "
            f"{kickoff_day.strftime('%A %-d %B %Y')}). Correct 'workshop' in the engagement "
            "file: check the year."
        )
    latest = due_day - timedelta(days=offsets.company_list_min_notice_days)
    if days_left < MIN_COMPRESSED_DAYS:
        raise KickoffTooLate(
            f"The workshop on {when} is {_days(days_left)} away: too late even for a "
            f"compressed plan (it needs at least {MIN_COMPRESSED_DAYS} days). "
            "Move the workshop to a later date."
        )
    if engagement.compressed:
        return True
    raise KickoffTooLate(
        f"The company list is due two weeks before the workshop on {when}, that is on "
        f"{due_day.strftime('%A %-d %B')}, which leaves the client {_days(notice)} "
        f"(at least {offsets.company_list_min_notice_days} are needed; the latest kickoff is "
        f"{latest.strftime('%A %-d %B')}). Move the workshop later, or accept a compressed "
        "plan (marked at risk) with `compressed: true` in the engagement file "
        "or `smpp new --compressed`."
    )


def build_timeline(engagement: Engagement, kickoff: datetime) -> Timeline:
    compressed = _check_kickoff(engagement, kickoff)
    offsets = engagement.timeline
    workshop = engagement.workshop_at
    workshop_day = workshop.date()
    kickoff_day = kickoff.astimezone(engagement.zone).date()
    factor = 1.0
    if compressed:
        factor = (workshop_day - kickoff_day).days / FULL_SPAN_DAYS

    def day(offset: int) -> date:
        scaled = offset if offset >= 0 else -max(1, round(-offset * factor))
        return max(workshop_day + timedelta(days=scaled), kickoff_day)

    def send_time(offset: int) -> datetime:
        # Sending never starts before the kickoff itself.
        return max(working_start(day(offset), engagement), next_working_moment(kickoff, engagement))

    deadline = end_of_day(day(offsets.company_list_due), engagement)
    if compressed:
        # A squeezed plan must still leave the client at least a day, and escalate after it.
        deadline = max(deadline, end_of_day(kickoff_day + timedelta(days=2), engagement))
    request = send_time(offsets.company_list_requested)
    escalation_day = max(day(offsets.company_list_escalation), deadline.date() + timedelta(days=1))
    milestones: dict[str, datetime] = {}
    for milestone, _ in milestones_in_order():
        if milestone is WORKSHOP:
            milestones[milestone.name] = workshop
        elif milestone.at == "send":
            milestones[milestone.name] = send_time(getattr(offsets, milestone.name))
        else:
            milestones[milestone.name] = end_of_day(
                day(getattr(offsets, milestone.name)), engagement
            )
    # The company list's deadline carries the two-week rule itself (see _check_kickoff).
    milestones["company_list_due"] = deadline
    reminders = sorted(
        {
            t
            for t in (send_time(o) for o in offsets.company_list_reminders)
            if request < t < deadline
        }
    )
    questionnaire_sent = milestones["questionnaire_sent"]
    questionnaire_due = milestones["questionnaire_due"]
    questionnaire_reminders = sorted(
        {
            t
            for t in (send_time(o) for o in offsets.questionnaire_reminders)
            if questionnaire_sent < t < questionnaire_due
        }
    )
    questionnaire_escalation_day = max(
        day(offsets.questionnaire_escalation), questionnaire_due.date() + timedelta(days=1)
    )
    overdue = []
    current = deadline.date() + timedelta(days=1)
    while current < workshop_day:
        if is_business_day(current, engagement):
            overdue.append(working_start(current, engagement))
        current += timedelta(days=1)
    return Timeline(
        workshop=workshop,
        kickoff=kickoff,
        at_risk=compressed,
        milestones=milestones,
        company_list_reminders=tuple(reminders),
        company_list_escalation=working_start(escalation_day, engagement),
        company_list_overdue_reminders=tuple(overdue),
        questionnaire_reminders=tuple(questionnaire_reminders),
        questionnaire_escalation=working_start(questionnaire_escalation_day, engagement),
    )

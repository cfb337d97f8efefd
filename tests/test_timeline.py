"""Milestones back from the workshop, business days and working hours, the two-week rule."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from smpp.timeline import KickoffTooLate, build_timeline, next_working_moment

ROME = ZoneInfo("Europe/Rome")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


def test_default_milestones_fall_back_from_the_workshop(make_engagement) -> None:
    timeline = build_timeline(make_engagement(), at("2027-01-04T10:00"))
    planned = {name: moment.isoformat() for name, moment in timeline.milestones.items()}
    assert planned == {
        "company_list_requested": "2027-01-14T09:00:00+01:00",
        "company_list_due": "2027-01-28T23:59:00+01:00",
        "questionnaire_sent": "2027-01-21T09:00:00+01:00",
        "questionnaire_due": "2027-02-04T23:59:00+01:00",
        "peer_review_done": "2027-02-06T23:59:00+01:00",
        "packet_delivered": "2027-02-08T09:00:00+01:00",
        "workshop": "2027-02-11T09:30:00+01:00",
        "consensus_recorded": "2027-02-14T23:59:00+01:00",
        "final_policy": "2027-02-21T23:59:00+01:00",
        "follow_up_report": "2027-02-25T23:59:00+01:00",
    }
    assert not timeline.at_risk


def test_reminders_move_off_the_weekend_and_overdue_chasers_are_business_days(
    make_engagement,
) -> None:
    timeline = build_timeline(make_engagement(), at("2027-01-04T10:00"))
    # T-18 is Sunday 24 January: the reminder goes on Monday morning.
    assert [t.isoformat() for t in timeline.company_list_reminders] == [
        "2027-01-25T09:00:00+01:00",
        "2027-01-26T09:00:00+01:00",
        "2027-01-28T09:00:00+01:00",
    ]
    assert timeline.company_list_escalation.isoformat() == "2027-01-29T09:00:00+01:00"
    assert [t.date().isoformat() for t in timeline.company_list_overdue_reminders] == [
        "2027-01-29",
        "2027-02-01",
        "2027-02-02",
        "2027-02-03",
        "2027-02-04",
        "2027-02-05",
        "2027-02-08",
        "2027-02-09",
        "2027-02-10",
    ]


def test_holidays_and_custom_hours_shift_what_is_sent(make_engagement) -> None:
    engagement = make_engagement(
        holidays=["2027-01-14"], working_hours={"start": "08:30", "end": "16:00"}
    )
    timeline = build_timeline(engagement, at("2027-01-04T10:00"))
    assert timeline.company_list_request.isoformat() == "2027-01-15T08:30:00+01:00"


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2027-01-14T10:00", "2027-01-14T10:00:00+01:00"),  # inside working hours: now
        ("2027-01-14T07:00", "2027-01-14T09:00:00+01:00"),  # early: later that morning
        ("2027-01-14T18:00", "2027-01-15T09:00:00+01:00"),  # evening: next morning
        ("2027-01-15T17:30", "2027-01-18T09:00:00+01:00"),  # Friday close: Monday
        ("2027-01-16T12:00", "2027-01-18T09:00:00+01:00"),  # Saturday: Monday
    ],
)
def test_next_working_moment(make_engagement, moment: str, expected: str) -> None:
    assert next_working_moment(at(moment), make_engagement()).isoformat() == expected


def test_kickoff_later_than_the_first_milestone_sends_at_kickoff(make_engagement) -> None:
    timeline = build_timeline(make_engagement(), at("2027-01-18T14:20"))
    assert timeline.company_list_request.isoformat() == "2027-01-18T14:20:00+01:00"
    # A reminder before the request makes no sense; the later ones stay.
    assert timeline.company_list_reminders[0].date().isoformat() == "2027-01-25"


def test_a_kickoff_too_late_for_the_two_week_rule_is_refused_with_what_to_do(
    make_engagement,
) -> None:
    with pytest.raises(KickoffTooLate) as refused:
        build_timeline(make_engagement(), at("2027-01-25T10:00"))
    message = str(refused.value)
    assert "Thursday 28 January" in message  # when the list would be due
    assert "leaves the client 3 days" in message
    assert "latest kickoff is Thursday 21 January" in message
    assert "compressed" in message


def test_a_compressed_plan_squeezes_the_milestones_and_is_at_risk(make_engagement) -> None:
    timeline = build_timeline(make_engagement(compressed=True), at("2027-01-25T10:00"))
    assert timeline.at_risk
    milestones = timeline.milestones
    assert milestones["company_list_requested"] == at("2027-01-25T10:00")
    assert milestones["company_list_requested"] < milestones["company_list_due"]
    assert milestones["company_list_due"] < milestones["packet_delivered"] < milestones["workshop"]
    assert milestones["company_list_due"].date().isoformat() == "2027-02-03"  # T-8, was T-14


def test_a_compressed_plan_is_not_at_risk_when_there_is_time(make_engagement) -> None:
    assert not build_timeline(make_engagement(compressed=True), at("2027-01-04T10:00")).at_risk


def test_even_a_compressed_plan_needs_a_week(make_engagement) -> None:
    with pytest.raises(KickoffTooLate, match="too late even for a compressed plan"):
        build_timeline(make_engagement(compressed=True), at("2027-02-08T10:00"))


@pytest.mark.parametrize("workshop", ["2001-03-10T09:30:00", "2027-01-04T09:00:00"])
def test_a_workshop_in_the_past_is_refused_as_such(make_engagement, workshop: str) -> None:
    with pytest.raises(KickoffTooLate) as refused:
        build_timeline(make_engagement(workshop=workshop), at("2027-01-04T10:00"))
    day = datetime.fromisoformat(workshop).strftime("%A %-d %B %Y")
    assert str(refused.value) == (
        f"The workshop on {day} is in the past (the kickoff is on Monday 4 January 2027). "
        "Correct 'workshop' in the engagement file: check the year."
    )

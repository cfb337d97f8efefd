"""The follow-up: the report that closes the engagement (T+14: the timeline kept or missed,
reminders, participation, decisions, open items, next steps) in 06 Follow-up, then a reminder
to each open item's owner on its due date, until every item is done and the engagement closes
itself, or the account lead closes it."""

from __future__ import annotations

from pathlib import Path

from smpp.stages.anatomy import Milestone, Stage
from smpp.stages.follow_up import demo, performers, planner, status
from smpp.stages.follow_up.events import ReportWritten
from smpp.stages.follow_up.records import NAME

STAGE = Stage(
    name=NAME,
    words="follow-up report",
    folder="06 Follow-up",
    templates=Path(__file__).with_name("templates"),
    milestones=(Milestone("follow_up_report", "Follow-up report", "end of day"),),
    planner=planner.actions,
    performers={
        planner.WriteFollowUpReport: performers.write_report,
        planner.CloseEngagement: performers.close_engagement,
    },
    deliverable=ReportWritten,
    actuals=status.actuals,
    status=status.section,
    status_lines=status.status_lines,
    status_markdown=status.status_markdown,
    awaited=status.awaited,
    deeds=status.deeds,
    counted=status.COUNTED,
    demo=demo.happenings,
)

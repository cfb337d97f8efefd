"""The final policy: written from the workshop's consensus (one clause per decision, its source
in an appendix, deferred topics as open items), checked against the red flags, reviewed by the
account lead and sent to the client by T+10 as an editable Word document and a page."""

from __future__ import annotations

from pathlib import Path

from smpp.stages.anatomy import Milestone, Stage
from smpp.stages.policy import performers, planner, status
from smpp.stages.policy.events import PolicyWritten
from smpp.stages.policy.records import NAME

STAGE = Stage(
    name=NAME,
    words="final policy",
    folder="05 Policy",
    templates=Path(__file__).with_name("templates"),
    milestones=(Milestone("final_policy", "Final policy", "end of day"),),
    planner=planner.actions,
    performers={planner.WritePolicy: performers.write_policy},
    deliverable=PolicyWritten,
    actuals=status.actuals,
    status=status.section,
    status_lines=status.status_lines,
    awaited=status.awaited,
    deeds=status.deeds,
)

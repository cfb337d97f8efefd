"""The consensus: after the workshop, the decisions reached on each drafting topic, taken in from
the consensus workbook the facilitator filled (due at T+3), checked complete, and kept as
versions; the policy is written from the latest."""

from __future__ import annotations

from pathlib import Path

from smpp.stages.anatomy import Form, Milestone, Stage
from smpp.stages.consensus import demo, performers, planner, status
from smpp.stages.consensus.events import (
    CONSENSUS_RECORDED,
    CONSENSUS_REFUSED,
    ConsensusRecorded,
    ConsensusRefused,
)
from smpp.stages.consensus.records import NAME
from smpp.stages.packet.consensus_workbook import FORM

STAGE = Stage(
    name=NAME,
    words="consensus",
    folder="04 Workshop packet",
    shares_folder=True,
    templates=Path(__file__).with_name("templates"),
    milestones=(Milestone("consensus_recorded", "Consensus recorded", "end of day"),),
    planner=planner.actions,
    performers={planner.RecordDecisions: performers.record_decisions},
    forms=(
        Form(
            marker=FORM,
            recognises=performers.recognises,
            judge=performers.judge,
            name_words=("consensus",),
            knows=performers.versions_so_far,
        ),
    ),
    events={CONSENSUS_RECORDED: ConsensusRecorded, CONSENSUS_REFUSED: ConsensusRefused},
    actuals=status.actuals,
    status=status.section,
    status_lines=status.status_lines,
    awaited=status.awaited,
    deeds=status.deeds,
    demo=demo.happenings,
)

"""The consensus workbook taken in: its verdict as the intake records it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from smpp.setup import Setup, take_stock
from smpp.stages.anatomy import Intake, Judged, Performed
from smpp.stages.consensus.events import CONSENSUS_RECORDED, CONSENSUS_REFUSED
from smpp.stages.consensus.judge import judge_consensus
from smpp.stages.consensus.planner import RecordDecisions
from smpp.stages.consensus.records import consensus_versions
from smpp.stages.packet.consensus_workbook import FORM
from smpp.state import State
from smpp.uploads import form_marker


def recognises(path: Path) -> bool:
    return form_marker(path) == FORM


def versions_so_far(state: State) -> int:
    return len(consensus_versions(state))


def judge(intake: Intake) -> Judged:
    verdict = judge_consensus(intake.path)
    if not verdict.ok:
        return Judged(
            CONSENSUS_REFUSED,
            False,
            verdict.problems,
            {"problems": verdict.problems},
            unreadable=verdict.unreadable,
        )
    version = int(intake.known or 0) + 1
    data = {"version": version, "source": "workbook", "decisions": verdict.decisions}
    return Judged(CONSENSUS_RECORDED, True, [], data)


def record_decisions(setup: Setup, action: RecordDecisions, now: datetime) -> Performed:
    version = len(consensus_versions(take_stock(setup))) + 1
    data = {
        "version": version,
        "source": "decide",
        "decisions": list(action.decisions),
        "by": action.by,
    }
    return CONSENSUS_RECORDED, data, []

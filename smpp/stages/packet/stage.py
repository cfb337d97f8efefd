"""The workshop packet: what attendees read before the session and the facilitator walks
through in it (the scenario, the five questions, the peer review, the drafting topics), as a
workbook and a readable document, with the consensus workbook filled in during the session.
Reviewed by the account lead, then delivered at the packet milestone (T-3)."""

from __future__ import annotations

from pathlib import Path

from smpp.stages.anatomy import Milestone, Stage
from smpp.stages.packet import performers, planner, status
from smpp.stages.packet.events import ConsensusWritten, PacketWritten
from smpp.stages.packet.records import CONSENSUS, NAME

STAGE = Stage(
    name=NAME,
    words="workshop packet",
    folder="04 Workshop packet",
    templates=Path(__file__).with_name("templates"),
    milestones=(Milestone("packet_delivered", "Workshop packet delivered", "send"),),
    planner=planner.actions,
    performers={planner.WritePacket: performers.write_packet},
    deliverable=PacketWritten,
    other_deliverables={CONSENSUS: ConsensusWritten},
    actuals=status.actuals,
    status=status.section,
    status_lines=status.status_lines,
    awaited=status.awaited,
    deeds=status.deeds,
    counted=status.COUNTED,
)

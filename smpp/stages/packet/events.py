"""The workshop packet's events: its deliverables (the workbook and the readable document,
under stage `packet`; the consensus workbook, under stage `consensus`)."""

from typing import NotRequired

from smpp.events import Deliverable


class PacketWritten(Deliverable):
    part: str  # "workbook" | "document" (the HTML) | "word" (the .docx)
    version: int
    fingerprint: str  # of its inputs (smpp.stages.packet.planner.inputs_fingerprint)
    bytes: int
    missing: list[str]  # the gaps its cover states
    stale: list[str]  # the stale scenario figures, with what to update
    consensus: NotRequired[str]  # the workbook's record: the consensus workbook written with it


class ConsensusWritten(Deliverable):
    version: int
    topics: int
    form: str  # its form marker

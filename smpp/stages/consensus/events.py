"""The consensus stage's events: what the workshop decided, topic by topic, as recorded."""

from typing import Literal, TypedDict

CONSENSUS_RECORDED = "consensus.recorded"

# How a topic was settled: one of the element's positions (smpp/positions.yaml), the attendees'
# own wording, or left for later (an open item, never dropped).
Choice = Literal["position", "own", "deferred"]


class TopicDecision(TypedDict):
    topic: str  # the taxonomy element's id, "E06"
    choice: Choice
    position: str  # the position's id ("E06.named-spokespeople") when choice is "position", else ""
    wording: str  # the agreed wording: required for "own", optional refinement otherwise
    follow_up: str  # an agreed follow-up action, or ""
    owner: str  # who does the follow-up (a name or an address), "" when none
    due: str  # its due date, ISO "2027-03-01", "" when none
    notes: str


class ConsensusRecorded(TypedDict):
    version: int  # 1, 2, ...: each workbook or set of decisions taken in makes a new version
    source: str  # "workbook" (the returned consensus workbook) or "decide" (smpp decide / UI)
    file: str  # the kept copy of the workbook, relative to the drive; "" for decisions
    decisions: list[TopicDecision]  # one per topic, in the taxonomy's order

"""The consensus stage's events: what the workshop decided, topic by topic, as recorded."""

from typing import Literal, NotRequired, TypedDict

from smpp.events import FileJudged

# A returned consensus workbook that is complete: the decisions it holds, a new version.
CONSENSUS_RECORDED = "consensus.recorded"
# A returned consensus workbook that is not complete yet (what is missing goes to the lead).
CONSENSUS_REFUSED = "consensus.refused"

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
    version: int  # 1, 2, ...: each complete workbook or set of decisions taken in is a version
    source: str  # "workbook" (the returned consensus workbook) or "decide" (smpp decide / UI)
    decisions: list[TopicDecision]  # one per topic, in the taxonomy's order
    # A workbook's intake facts (as every file taken in has them); absent for decisions.
    file: NotRequired[str]
    received: NotRequired[str]
    stored: NotRequired[str]
    sha256: NotRequired[str]
    ok: NotRequired[bool]
    by: NotRequired[str]  # who recorded decisions taken with smpp decide


class ConsensusRefused(FileJudged):
    problems: list[str]

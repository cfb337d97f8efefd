"""The policy stage's events: the policy written (DOCX and HTML) and its check's findings."""

from typing import NotRequired, TypedDict

from smpp.events import Deliverable


class FindingRecord(TypedDict):
    key: str  # what the lead accepts (decision accept_finding)
    clause: str
    element: str
    sentence: str
    why: str
    fix: str
    law: str
    jurisdiction: str
    applies: str
    suggestion: str


class PolicyWritten(Deliverable):
    version: int
    format: str  # "docx" (the editable policy) or "html" (the same, as a page)
    consensus_version: int  # the consensus it was written from
    findings: NotRequired[list[FindingRecord]]  # on the docx record: the check before delivery
    changes: NotRequired[list[str]]  # against the previous version
    open_items: NotRequired[int]

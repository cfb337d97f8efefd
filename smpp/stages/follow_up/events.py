"""The follow-up stage's deliverable: the follow-up report, as recorded when written."""

from smpp.events import Deliverable


class ReportWritten(Deliverable):
    """The report's workbook (`path`) and its HTML twin (`html`), both in 06 Follow-up."""

    version: int
    html: str
    consensus_version: int  # the consensus it reports (0: none recorded)
    policy: str  # the final policy's path it dates the first review from, "" when none yet
    open_items: int
    gaps: list[str]  # what the report could not say, and why

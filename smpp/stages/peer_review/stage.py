"""The peer review: five comparable companies' public social media policies, found, read and
classified against the 25 elements, compared in a workbook the account lead reads before the
workshop (done by T-5)."""

from __future__ import annotations

from pathlib import Path

from smpp.stages.anatomy import Milestone, Stage
from smpp.stages.peer_review import demo, performers, planner, status
from smpp.stages.peer_review.events import (
    COMPANY_REVIEWED,
    POLICIES_SEARCHED,
    CompanyReviewed,
    PoliciesSearched,
    ReviewWritten,
)
from smpp.stages.peer_review.records import NAME

STAGE = Stage(
    name=NAME,
    words="peer review",
    folder="03 Peer review",
    templates=Path(__file__).with_name("templates"),
    milestones=(Milestone("peer_review_done", "Peer review done", "end of day"),),
    planner=planner.actions,
    performers={
        planner.ReviewPolicies: performers.search_policies,
        planner.WriteReview: performers.write_review,
    },
    events={POLICIES_SEARCHED: PoliciesSearched, COMPANY_REVIEWED: CompanyReviewed},
    deliverable=ReviewWritten,
    actuals=status.actuals,
    status=status.section,
    status_lines=status.status_lines,
    problems=status.problems,
    deeds=status.deeds,
    demo=demo.happenings,
)

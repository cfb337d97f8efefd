"""The peer review's events."""

from typing import Any, NotRequired, TypedDict

from smpp.events import Deliverable

POLICIES_SEARCHED = "peer_review.searched"
COMPANY_REVIEWED = "peer_review.company"


class PoliciesSearched(TypedDict):
    companies: list[str]  # domains searched
    found: list[str]  # domains whose policy was found
    # When not one site answered: each domain's notes. Such a search counts for nobody.
    unreachable: NotRequired[dict[str, list[str]]]


class Reading(TypedDict):
    title: str
    words: int
    sentences: int
    headings: int


class CompanyReviewed(TypedDict):
    """One company's search, recorded with its POLICIES_SEARCHED; the policy's facts if found."""

    name: str
    domain: str
    website: str
    found: bool
    url: str | None
    final_url: str | None
    notes: list[str]
    reached: bool  # its site answered at all
    fetched_at: NotRequired[str]
    sha256: NotRequired[str]
    source_path: NotRequired[str]
    classification: NotRequired[dict[str, Any]]  # smpp.classify Classification.as_dict()
    reading: NotRequired[Reading]


class ReviewWritten(Deliverable):
    version: int
    companies: list[str]  # domains, in selection order
    red_flags: int

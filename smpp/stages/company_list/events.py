"""The company-list stage's events."""

from typing import Any

from smpp.events import Deliverable, FileJudged

LIST_JUDGED = "company_list.judged"


class ListJudged(FileJudged):
    companies: int  # distinct valid rows
    problems: list[dict[str, Any]]  # smpp.uploads.Problem.as_dict()
    # The accepted list itself (empty when refused), so later stages plan from the record alone.
    company_rows: list[dict[str, Any]]


class CompanyListWritten(Deliverable):
    companies: int

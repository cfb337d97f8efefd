"""Carrying out the peer review's actions: finding, fetching, reading and classifying each
company's policy, and writing the review workbook."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path
from typing import Any

from smpp import drive
from smpp.classify import classify
from smpp.documents import previous_version
from smpp.events import DELIVERABLE_WRITTEN
from smpp.fetch import Fetcher, save_source
from smpp.reading import ReadError, read_document
from smpp.setup import Setup, take_stock
from smpp.stages.anatomy import Performed
from smpp.stages.peer_review.comparison import CompanyReview, compare
from smpp.stages.peer_review.discover import discover_policy
from smpp.stages.peer_review.events import COMPANY_REVIEWED, POLICIES_SEARCHED, ReviewWritten
from smpp.stages.peer_review.planner import ReviewPolicies, WriteReview
from smpp.stages.peer_review.records import (
    NAME,
    current_selection,
    latest_reviews,
    review_workbooks,
)
from smpp.stages.peer_review.selection import Candidate
from smpp.stages.peer_review.workbook import build_review_workbook


def search_policies(setup: Setup, action: ReviewPolicies, now: datetime) -> Performed:
    results = review_policies(setup, action, now)
    summary: dict[str, Any] = {
        "companies": [r["domain"] for r in results],
        "found": [r["domain"] for r in results if r["found"]],
    }
    if results and not any(r["reached"] for r in results):
        # Not one site answered: our network, not the companies. Their searches do not
        # count (nobody is passed over for it); the plan tries again later.
        summary["unreachable"] = {r["domain"]: r["notes"] for r in results}
        return POLICIES_SEARCHED, summary, []
    return POLICIES_SEARCHED, summary, [(COMPANY_REVIEWED, r) for r in results]


def review_policies(setup: Setup, action: ReviewPolicies, now: datetime) -> list[dict[str, Any]]:
    """Search each company's site for its policy, keep the source, read and classify it."""
    folder = drive.stage_dir(setup.engagement.drive, NAME) / "Sources"
    drive.check_inside(setup.engagement.drive, folder / "source")

    async def review_all() -> list[dict[str, Any]]:
        async with setup.web.client() as client:
            fetcher = Fetcher(client, setup.web.settings, clock=lambda: now)
            return list(
                await asyncio.gather(*(_review_one(fetcher, c, folder) for c in action.companies))
            )

    return asyncio.run(review_all())


async def _review_one(fetcher: Fetcher, company: Candidate, folder: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "name": company.name,
        "domain": company.domain,
        "website": company.website,
        "found": False,
        "url": None,
        "final_url": None,
    }
    discovery = await discover_policy(fetcher, company.website, company.policy_url)
    result["notes"] = list(discovery.notes)
    result["reached"] = discovery.reached
    source = discovery.source
    if discovery.url is None or source is None:
        return result
    try:
        document = read_document(source.content, source.content_type, source.final_url)
    except ReadError as exc:
        result["notes"].append(f"the policy at {discovery.url} could not be read: {exc}")
        return result
    kept = save_source(folder, source)
    classification = classify(document)
    result.update(
        found=True,
        url=source.url,
        final_url=source.final_url,
        fetched_at=source.fetched_at.isoformat(),
        sha256=source.sha256,
        source_path=str(kept),
        classification=classification.as_dict(),
        reading={
            "title": document.title,
            "words": len(document.text.split()),
            "sentences": len(document.sentences),
            "headings": len({s.heading for s in document.sentences if s.heading}),
        },
    )
    return result


def write_review(setup: Setup, action: WriteReview, now: datetime) -> Performed:
    engagement = setup.engagement
    state = take_stock(setup)
    reviews = latest_reviews(state)
    chosen = [CompanyReview.from_record(reviews[domain].data) for domain in action.chosen]
    comparison = compare(chosen)
    content = build_review_workbook(
        engagement.client,
        chosen,
        comparison,
        current_selection(state).verdicts,
        now.astimezone(engagement.zone),
        version=action.version,
        previous=previous_version(review_workbooks(state), engagement),
        country=engagement.country,
        agency=engagement.mail.sender.name,
    )
    name = f"Peer review - {drive.safe_name(engagement.client)} - v{action.version}.xlsx"
    path = drive.write_deliverable(engagement.drive, NAME, name, content)
    written = ReviewWritten(
        stage=NAME,
        path=str(path),
        version=action.version,
        companies=list(action.chosen),
        red_flags=sum(len(r.red_flags) for r in chosen),
    )
    return DELIVERABLE_WRITTEN, dict(written), []

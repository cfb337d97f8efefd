"""Writing the policy: assembled from the latest consensus, checked, and written to the drive as
DOCX and HTML with its version history."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from smpp import drive
from smpp.events import DELIVERABLE_WRITTEN
from smpp.setup import Setup, take_stock
from smpp.stages.anatomy import Performed
from smpp.stages.consensus.records import consensus_versions
from smpp.stages.peer_review.records import Evidence, current_selection, latest_reviews
from smpp.stages.policy.assembly import Policy, assemble, changes
from smpp.stages.policy.check import check_policy
from smpp.stages.policy.document import Accepted, PolicyDocument, Version, policy_docx, policy_html
from smpp.stages.policy.events import FindingRecord, PolicyWritten
from smpp.stages.policy.planner import WritePolicy
from smpp.stages.policy.records import NAME, accepted_findings, policies
from smpp.state import State


def peer_evidence(state: State) -> dict[str, list[Evidence]]:
    """Each element's sentences from the reviewed companies' policies, company by company."""
    reviews = latest_reviews(state)
    found: dict[str, list[Evidence]] = {}
    for company in current_selection(state).chosen:
        review = reviews.get(company.domain)
        if review is None or not review.data.get("found"):
            continue
        url = review.data.get("final_url") or review.data.get("url") or ""
        for item in review.data.get("classification", {}).get("elements", []):
            for sentence in item.get("evidence", [])[:2]:
                found.setdefault(item["id"], []).append(Evidence(company.name, sentence, url))
    return found


def _policy(state: State, consensus_version: int, version: int) -> Policy:
    engagement = state.engagement
    decisions = consensus_versions(state)[consensus_version - 1].data["decisions"]
    return assemble(engagement.client, decisions, engagement.policy, peer_evidence(state), version)


def write_policy(setup: Setup, action: WritePolicy, now: datetime) -> Performed:
    engagement = setup.engagement
    state = take_stock(setup)
    policy = _policy(state, action.consensus_version, action.version)
    earlier = policies(state)
    previous = (
        _policy(state, int(earlier[-1].data["consensus_version"]), len(earlier))
        if earlier
        else None
    )
    changed = changes(previous, policy)
    findings = check_policy(policy, engagement.policy, engagement.country)
    accepted = accepted_findings(state)
    made_at = now.astimezone(engagement.zone)
    history = tuple(
        Version(
            int(e.data["version"]),
            e.at.astimezone(engagement.zone),
            tuple(e.data.get("changes", ())),
        )
        for e in earlier
    ) + (Version(action.version, made_at, tuple(changed)),)
    months = engagement.policy.review_months
    year, month = divmod(made_at.month - 1 + months, 12)
    review_on = made_at.date().replace(year=made_at.year + year, month=month + 1, day=1)
    document = PolicyDocument(
        policy=policy,
        made_at=made_at,
        agency=engagement.mail.sender.name,
        history=history,
        accepted=tuple(
            Accepted(f, accepted[f.key].data.get("by", ""), accepted[f.key].data.get("note", ""))
            for f in findings
            if f.key in accepted
        ),
        review_on=review_on,
    )
    base = f"Policy - {drive.safe_name(engagement.client)} - v{action.version}"
    docx_path = drive.write_deliverable(
        engagement.drive, NAME, f"{base}.docx", policy_docx(document)
    )
    html_path = drive.write_deliverable(
        engagement.drive, NAME, f"{base}.html", policy_html(document)
    )
    records = [FindingRecord(**asdict(f)) for f in findings]  # type: ignore[typeddict-item]
    written = PolicyWritten(
        stage=NAME,
        path=str(docx_path),
        version=action.version,
        format="docx",
        consensus_version=action.consensus_version,
        findings=records,
        changes=changed,
        open_items=len(policy.open_items),
    )
    page = PolicyWritten(
        stage=NAME,
        path=str(html_path),
        version=action.version,
        format="html",
        consensus_version=action.consensus_version,
    )
    return DELIVERABLE_WRITTEN, dict(written), [(DELIVERABLE_WRITTEN, dict(page))]

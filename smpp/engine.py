"""Advancing an engagement: take stock, plan, carry out each due action once, until nothing is due.

Each action is claimed under its idempotency key before it is carried out and confirmed after, so
running an advance twice, or on two workers at once, never repeats an effect. How an action is run
is a parameter: directly here, or as a Prefect task by the flows.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.exc import IntegrityError

from smpp import drive
from smpp.classify import classify
from smpp.discover import discover_policy
from smpp.fetch import Fetcher, FetchSettings, save_source
from smpp.intake import judge_company_list
from smpp.mailer import Attachment, Mailer, Message
from smpp.models import Engagement
from smpp.peer_review import CompanyReview, compare
from smpp.plan import (
    CLIENT_CHASERS,
    COMPANY_REVIEWED,
    DELIVERABLE_WRITTEN,
    LIST_JUDGED,
    MAIL_SENT,
    POLICIES_SEARCHED,
    STARTED,
    Action,
    ReviewPolicies,
    SendMail,
    State,
    TakeInFile,
    WriteCompanyList,
    WriteReview,
    address,
    intake_key,
    plan,
)
from smpp.reading import ReadError, read_document
from smpp.review_workbook import build_review_workbook
from smpp.selection import Candidate
from smpp.store import Event, Store
from smpp.templating import render_email
from smpp.timeline import build_timeline
from smpp.workbook import build_accepted_company_list, build_company_list_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# An advance re-plans after acting (a list taken in makes a reply due); this bounds the rounds.
MAX_ROUNDS = 10


def _internet_client() -> httpx.AsyncClient:
    return httpx.AsyncClient()


@dataclass(frozen=True)
class Web:
    """How company sites are reached: the real internet with the address guard on by default;
    tests and the demo hand in a loopback client and switch the guard off explicitly."""

    settings: FetchSettings = field(default_factory=FetchSettings)
    client: Callable[[], httpx.AsyncClient] = _internet_client


@dataclass(frozen=True)
class Setup:
    """Everything an advance works with, chosen once by the caller."""

    engagement: Engagement
    store: Store
    mailer: Mailer
    web: Web = field(default_factory=Web)


@dataclass
class AdvanceReport:
    slug: str
    now: datetime
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # held or finished by another worker
    failed: list[tuple[str, str]] = field(default_factory=list)
    next_due: datetime | None = None


class AdvanceFailed(RuntimeError):
    def __init__(self, report: AdvanceReport) -> None:
        self.report = report
        lines = [f"{summary}: {error}" for summary, error in report.failed]
        super().__init__(
            f"{len(lines)} action(s) failed for {report.slug}; they stay due and are retried on "
            "the next advance:\n" + "\n".join(f"  - {line}" for line in lines)
        )


def start(setup: Setup, now: datetime) -> None:
    """Record the kickoff once; refuses (KickoffTooLate) a start too late for the two-week rule."""
    slug = setup.engagement.slug
    if any(e.kind == STARTED for e in setup.store.events_for(slug)):
        return
    timeline = build_timeline(setup.engagement, now)
    started = Event(
        slug,
        now,
        STARTED,
        f"{slug}/started",
        {"kickoff": now.isoformat(), "at_risk": timeline.at_risk},
    )
    try:
        setup.store.append(started)
    except IntegrityError:
        pass  # another worker started it at the same moment


def take_stock(setup: Setup) -> State:
    engagement = setup.engagement
    drive.ensure_layout(engagement.drive)
    events = tuple(setup.store.events_for(engagement.slug))
    inbox = drive.scan_inbox(engagement.drive)
    state = State(engagement, events, inbox)
    return State(engagement, events, _tidy_inbox(state))


def _tidy_inbox(state: State) -> tuple[drive.InboxFile, ...]:
    """Drop from the inbox files already taken in (a worker stopped between archiving and
    removing the original); the archived copy is what is kept."""
    waiting = []
    for item in state.inbox:
        judged = state.done(intake_key(state, item))
        if judged is not None and Path(judged.data["stored"]).is_file():
            (drive.inbox_dir(state.engagement.drive) / item.name).unlink(missing_ok=True)
        else:
            waiting.append(item)
    return tuple(waiting)


def perform(setup: Setup, action: Action, now: datetime) -> str:
    """Carry out one action under its claim: 'done', or 'skipped' when another worker has it."""
    store = setup.store
    slug = setup.engagement.slug
    if not store.claim(slug, action.key):
        return "skipped"
    try:
        kind, data, extra = _carry_out(setup, action, now)
    except Exception as exc:
        store.fail(action.key, f"{type(exc).__name__}: {exc}")
        raise
    store.confirm(
        action.key,
        Event(slug, now, kind, action.key, data),
        [Event(slug, now, extra_kind, None, extra_data) for extra_kind, extra_data in extra],
    )
    return "done"


Extra = list[tuple[str, dict[str, Any]]]


def _carry_out(setup: Setup, action: Action, now: datetime) -> tuple[str, dict[str, Any], Extra]:
    if isinstance(action, SendMail):
        return MAIL_SENT, send_mail(setup, action, now), []
    if isinstance(action, TakeInFile):
        return LIST_JUDGED, take_in_company_list(setup.engagement, action, now), []
    if isinstance(action, WriteCompanyList):
        return DELIVERABLE_WRITTEN, write_company_list(setup, action), []
    if isinstance(action, ReviewPolicies):
        results = review_policies(setup, action)
        summary = {
            "companies": [r["domain"] for r in results],
            "found": [r["domain"] for r in results if r["found"]],
        }
        return POLICIES_SEARCHED, summary, [(COMPANY_REVIEWED, r) for r in results]
    return DELIVERABLE_WRITTEN, write_review(setup, action, now), []


def review_policies(setup: Setup, action: ReviewPolicies) -> list[dict[str, Any]]:
    """Search each company's site for its policy, keep the source, read and classify it."""
    folder = drive.stage_dir(setup.engagement.drive, "peer-review") / "Sources"

    async def review_all() -> list[dict[str, Any]]:
        async with setup.web.client() as client:
            fetcher = Fetcher(client, setup.web.settings)
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


def write_review(setup: Setup, action: WriteReview, now: datetime) -> dict[str, Any]:
    engagement = setup.engagement
    state = take_stock(setup)
    reviews = state.reviews()
    chosen = [CompanyReview.from_record(reviews[domain].data) for domain in action.chosen]
    comparison = compare(chosen)
    content = build_review_workbook(
        engagement.client,
        chosen,
        comparison,
        state.selection().verdicts,
        now.astimezone(engagement.zone),
    )
    name = f"Peer review - {engagement.client} - v{action.version}.xlsx"
    path = drive.write_atomically(drive.stage_dir(engagement.drive, "peer-review") / name, content)
    return {
        "stage": "peer-review",
        "path": str(path),
        "version": action.version,
        "companies": list(action.chosen),
        "red_flags": sum(len(r.red_flags) for r in chosen),
    }


def send_mail(setup: Setup, action: SendMail, now: datetime) -> dict[str, Any]:
    engagement = setup.engagement
    subject, text, html = render_email(action.template, action.context)
    message = Message(
        key=action.key,
        kind=action.template,
        sender=address(engagement.mail.sender),
        to=action.to,
        cc=action.cc,
        subject=subject,
        text=text,
        html=html,
        date=now,
        attachments=tuple(_attachment(engagement, name, action.context) for name in action.attach),
    )
    where = setup.mailer.send(message)
    return {
        "template": action.template,
        "to": list(action.to),
        "cc": list(action.cc),
        "subject": subject,
        "message_id": message.message_id,
        "where": where,
        "to_client": action.template in CLIENT_CHASERS,
    }


def _attachment(engagement: Engagement, name: str, context: dict[str, Any]) -> Attachment:
    if name == "company-list-template":
        due = datetime.fromisoformat(context["due"]).date()
        content = build_company_list_template(
            engagement.client, due, min_companies=engagement.min_companies
        )
        return Attachment(f"Company list - {engagement.client}.xlsx", content, XLSX)
    raise ValueError(f"unknown attachment {name!r}")


def take_in_company_list(
    engagement: Engagement, action: TakeInFile, now: datetime
) -> dict[str, Any]:
    """Judge a returned list; move it from the inbox to Accepted or Rejected, reasons beside."""
    item = action.file
    inbox = drive.inbox_dir(engagement.drive)
    source = inbox / item.name
    verdict = judge_company_list(source, min_companies=engagement.min_companies)
    label = now.astimezone(engagement.zone).strftime("%Y-%m-%d %H%M")
    folder = inbox / (drive.ACCEPTED if verdict.ok else drive.REJECTED)
    stored = folder / drive.archive_name(label, item.name)
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, stored)
    problems = [p.as_dict() for p in verdict.problems]
    if not verdict.ok:
        reasons = "".join(f"- {p.message}\n" for p in verdict.problems)
        when = now.astimezone(engagement.zone).strftime("%-d %B %Y at %H:%M")
        drive.write_atomically(
            stored.with_name(stored.name + ".problems.txt"),
            f"{item.name}, received {when}, was refused for these reasons:\n{reasons}".encode(),
        )
    return {
        "file": item.name,
        "stored": str(stored),
        "sha256": item.sha256,
        "ok": verdict.ok,
        "companies": len(verdict.companies),
        "problems": problems,
        # The accepted list itself, so later stages plan from the record alone.
        "company_rows": [asdict(c) for c in verdict.companies] if verdict.ok else [],
    }


def write_company_list(setup: Setup, action: WriteCompanyList) -> dict[str, Any]:
    engagement = setup.engagement
    judged = next(e for e in setup.store.events_for(engagement.slug) if e.key == action.intake_key)
    stored = Path(judged.data["stored"])
    verdict = judge_company_list(stored, min_companies=engagement.min_companies)
    received = judged.at.astimezone(engagement.zone)
    content = build_accepted_company_list(
        engagement.client, verdict.companies, judged.data["file"], received, judged.data["sha256"]
    )
    name = f"Company list - {engagement.client} - {received:%Y-%m-%d}.xlsx"
    path = drive.write_atomically(drive.stage_dir(engagement.drive, "company-list") / name, content)
    return {"stage": "company-list", "path": str(path), "companies": len(verdict.companies)}


Runner = Callable[[Setup, Action, datetime], str]


def advance(setup: Setup, now: datetime, run: Runner = perform) -> AdvanceReport:
    """Bring the engagement up to `now`. Raises AdvanceFailed if any action failed (after trying
    all the others); those stay due."""
    start(setup, now)
    report = AdvanceReport(setup.engagement.slug, now)
    attempted: set[str] = set()
    for _ in range(MAX_ROUNDS):
        current = plan(take_stock(setup), now)
        report.next_due = current.next_due
        todo = [a for a in current.due if a.key not in attempted]
        if not todo:
            break
        for action in todo:
            attempted.add(action.key)
            try:
                outcome = run(setup, action, now)
            except Exception as exc:
                report.failed.append((action.summary, f"{type(exc).__name__}: {exc}"))
                continue
            (report.done if outcome == "done" else report.skipped).append(action.summary)
    if report.failed:
        raise AdvanceFailed(report)
    return report

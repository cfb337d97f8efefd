"""Advancing an engagement: take stock, plan, carry out each due action once, until nothing is due.

Each action is claimed under its idempotency key before it is carried out and confirmed after, so
running an advance twice, or on two workers at once, never repeats an effect. How an action is run
is a parameter: directly here, or as a Prefect task by the flows.

What a worker killed at any point leaves behind: a claim that is taken over after its lease and
redone (a drive write replaces the same file, an intake copies the same file again and is recorded
in one transaction), except an SMTP message already handed over, which is held in doubt and the
account lead told (smpp.recovery). Every failure is recorded in words (smpp.failures).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from smpp import drive
from smpp.classify import classify
from smpp.discover import discover_policy
from smpp.documents import PreviousVersion
from smpp.failures import Explained, describe_failure
from smpp.fetch import Fetcher, FetchSettings, save_source
from smpp.intake import judge_company_list
from smpp.mailer import Attachment, DeliveryUnknown, Mailer, Message
from smpp.models import Engagement
from smpp.peer_review import CompanyReview, compare
from smpp.plan import (
    CLIENT_CHASERS,
    COMPANY_REVIEWED,
    DELIVERABLE_WRITTEN,
    LIST_JUDGED,
    MAIL_SENT,
    POLICIES_SEARCHED,
    QUESTIONNAIRE_JUDGED,
    STARTED,
    Action,
    ReviewPolicies,
    SendMail,
    State,
    TakeInFile,
    WriteCompanyList,
    WriteQuestionnaireSummary,
    WriteReview,
    address,
    intake_key,
    plan,
    received_at,
)
from smpp.questionnaire import questions_for
from smpp.questionnaire_summary import Respondent, build_summary_workbook, summarise
from smpp.questionnaire_workbook import (
    Invitee,
    build_questionnaire,
    form_marker,
    is_questionnaire,
    judge_questionnaire,
)
from smpp.reading import ReadError, read_document
from smpp.recovery import (
    IN_DOUBT_NOTICE,
    EmptyRecord,
    marker_path,
    recovery_notices,
    traces,
    write_marker,
)
from smpp.review_workbook import build_review_workbook
from smpp.selection import Candidate
from smpp.store import Event, Store, redact
from smpp.templating import render_email
from smpp.timeline import KickoffTooLate, build_timeline
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
    """Some actions failed. The first line says how many and the first failure's sentence (what
    failed and the fix); then each failed action with its sentence and technical detail."""

    def __init__(self, report: AdvanceReport) -> None:
        self.report = report
        lines = []
        for summary, error in report.failed:
            sentence, *detail = error.splitlines() or [""]
            lines.append(f"  - {summary}: {sentence}")
            lines += [f"    {line}" for line in detail]
        first = (report.failed[0][1].splitlines() or [""])[0] if report.failed else ""
        super().__init__(
            f"{len(report.failed)} action(s) failed for {report.slug}: {first}\n"
            + "\n".join(lines)
            + "\nWhat failed stays due and is tried again on the next advance, except a message "
            "held in doubt, which waits for the account lead's decision."
        )


class SentNotRecorded(Explained):
    """A message went out, but its record could not be written even after retrying."""

    def __init__(self, why: str) -> None:
        super().__init__(
            "The message went out, but the state database could not record it: it is held, not "
            "sent again, and unless it is recorded the account lead is told and decides\n" + why
        )


def start(setup: Setup, now: datetime, start_over: bool = False) -> None:
    """Record the kickoff once; refuses (KickoffTooLate) a start too late for the two-week rule,
    and (EmptyRecord) a start on an empty record when the drive shows the engagement ran, unless
    told to start over. Leaves the marker on the drive that tells a later advance it ran."""
    engagement, store = setup.engagement, setup.store
    slug = engagement.slug
    events = store.events_for(slug)
    started = next((e for e in events if e.kind == STARTED), None)
    if started is not None:
        if not marker_path(engagement).is_file():  # an engagement started before markers
            write_marker(engagement, started, store.url)
        return
    found = [] if events else traces(engagement)
    if found and not start_over:
        raise EmptyRecord(engagement, store.url, found)
    timeline = build_timeline(engagement, now)
    data: dict[str, Any] = {
        "kickoff": now.isoformat(),
        "at_risk": timeline.at_risk,
        # Keys the personal codes on questionnaires, so nobody can work out another's code.
        "token_salt": secrets.token_hex(16),
    }
    if found:
        data["started_over"] = {"found": found, "database": redact(store.url)}
    started = Event(slug, now, STARTED, f"{slug}/started", data)
    try:
        store.append(started)
    except IntegrityError:
        return  # another worker started it at the same moment, and leaves the marker
    write_marker(engagement, started, store.url)


def take_stock(setup: Setup) -> State:
    engagement = setup.engagement
    drive.ensure_layout(engagement.drive)
    events = tuple(setup.store.events_for(engagement.slug))
    inbox = drive.scan_inbox(engagement.drive)
    state = State(engagement, events, inbox)
    return State(engagement, events, _tidy_inbox(state))


def refused_entry_key(state: State, entry: drive.RefusedEntry) -> str:
    return f"{state.slug}/inbox/refused/{entry.ident}"


def refused_entry_mails(state: State, now: datetime) -> list[SendMail]:
    """One mail to the account lead about each thing in the inbox that is not a regular file
    (a link, pipe, device, stray folder): refused unread and left where it is, since whoever
    put it there may be testing us, and only a person should decide what to do with it."""
    if state.kickoff is None or state.closed:
        return []
    engagement = state.engagement
    inbox = drive.inbox_dir(engagement.drive)
    mails = []
    for entry in drive.refused_in_inbox(engagement.drive):
        mail = SendMail(
            refused_entry_key(state, entry),
            now,
            "inbox_entry_refused",
            (address(engagement.account_lead),),
            {
                "client": engagement.client,
                "account_lead": engagement.account_lead.name,
                "account_lead_email": str(engagement.account_lead.email),
                "file": entry.name,
                "what": entry.what,
                "inbox": str(inbox),
                "noticed_at": now.astimezone(engagement.zone).isoformat(),
            },
            summary=f"Tell the account lead that '{entry.name}' in the inbox is {entry.what}, "
            "refused unread",
        )
        if state.done(mail.key) is None:
            mails.append(mail)
    return mails


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
    """Carry out one action under its claim: 'done', or 'skipped' when another worker has it
    (or a message of this key is being sent, or is in doubt)."""
    store = setup.store
    slug = setup.engagement.slug
    if not store.claim(slug, action.key):
        return "skipped"
    try:
        kind, data, extra = _carry_out(setup, action, now)
    except DeliveryUnknown as exc:
        # Handed over, then the line broke: held for the account lead, never resent by itself.
        if not store.mark_in_doubt(action.key, describe(setup, exc)):
            store.fail(action.key, describe(setup, exc))
        raise
    except Exception as exc:
        store.fail(action.key, describe(setup, exc))
        raise
    # Retried on a passing database error. Should it still fail, the claim stays: a message
    # marked as sending is then never sent again (in doubt after its lease), anything else is
    # redone after the lease, which repeats it harmlessly (the same file, the same intake).
    try:
        store.confirm(
            action.key,
            Event(slug, now, kind, action.key, data),
            [Event(slug, now, extra_kind, None, extra_data) for extra_kind, extra_data in extra],
        )
    except SQLAlchemyError as exc:
        if _marked_sending(setup, action):
            raise SentNotRecorded(describe(setup, exc)) from exc
        raise
    return "done"


def _marked_sending(setup: Setup, action: Action) -> bool:
    """Whether a message is marked as being sent before it is handed over. Not for the outbox (a
    repeat overwrites its file) nor for the lead's notice of a message in doubt (a notice about a
    notice would never end; being told twice is harmless)."""
    # A mailer that does not say (a wrapper, say) is taken to reach people with every repeat.
    repeat_overwrites = getattr(setup.mailer, "repeat_overwrites", False)
    return (
        isinstance(action, SendMail)
        and not repeat_overwrites
        and not action.key.endswith(IN_DOUBT_NOTICE)
    )


def describe(setup: Setup, exc: BaseException) -> str:
    return describe_failure(exc, setup.engagement, setup.store.url)


Extra = list[tuple[str, dict[str, Any]]]


def _carry_out(setup: Setup, action: Action, now: datetime) -> tuple[str, dict[str, Any], Extra]:
    if isinstance(action, SendMail):
        return MAIL_SENT, send_mail(setup, action, now), []
    if isinstance(action, TakeInFile):
        events = setup.store.events_for(setup.engagement.slug)
        out = any(e.data.get("template") == "questionnaire_invitation" for e in events)
        kind, data = take_in_file(setup.engagement, action, now, questionnaires_out=out)
        return kind, data, []
    if isinstance(action, WriteCompanyList):
        return DELIVERABLE_WRITTEN, write_company_list(setup, action), []
    if isinstance(action, ReviewPolicies):
        results = review_policies(setup, action)
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
    if isinstance(action, WriteQuestionnaireSummary):
        return DELIVERABLE_WRITTEN, write_questionnaire_summary(setup, action, now), []
    return DELIVERABLE_WRITTEN, write_review(setup, action, now), []


def review_policies(setup: Setup, action: ReviewPolicies) -> list[dict[str, Any]]:
    """Search each company's site for its policy, keep the source, read and classify it."""
    folder = drive.stage_dir(setup.engagement.drive, "peer-review") / "Sources"
    drive.check_inside(setup.engagement.drive, folder / "source")

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
        version=action.version,
        previous=previous_version(state.review_workbooks(), engagement),
        country=engagement.country,
        agency=engagement.mail.sender.name,
    )
    name = f"Peer review - {drive.safe_name(engagement.client)} - v{action.version}.xlsx"
    folder = drive.stage_dir(engagement.drive, "peer-review")
    path = drive.write_atomically(folder / name, content, root=engagement.drive)
    return {
        "stage": "peer-review",
        "path": str(path),
        "version": action.version,
        "companies": list(action.chosen),
        "red_flags": sum(len(r.red_flags) for r in chosen),
    }


def previous_version(written: list[Event], engagement: Engagement) -> PreviousVersion | None:
    """The last deliverable of a stage written so far (the one a new version replaces)."""
    if not written:
        return None
    last = written[-1]
    return PreviousVersion(
        int(last.data["version"]), last.at.astimezone(engagement.zone), last.data
    )


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
    record = {
        "template": action.template,
        "to": list(action.to),
        "cc": list(action.cc),
        "subject": subject,
        "message_id": message.message_id,
    }
    more = {"to_client": action.template in CLIENT_CHASERS, "person": action.person}
    # A repeat that would reach people twice is prevented by saying first that it is being sent.
    if _marked_sending(setup, action):
        detail = {**record, **more, "attempted_at": now.isoformat()}
        setup.store.sending(action.key, message.message_id, detail)
    where = setup.mailer.send(message)
    return {**record, "where": where, **more}


def _attachment(engagement: Engagement, name: str, context: dict[str, Any]) -> Attachment:
    if name == "company-list-template":
        due = datetime.fromisoformat(context["due"]).date()
        content = build_company_list_template(
            engagement.client,
            due,
            min_companies=engagement.min_companies,
            agency=engagement.mail.sender.name,
        )
        return Attachment(
            f"Company list - {drive.safe_name(engagement.client)}.xlsx", content, XLSX
        )
    if name == "questionnaire":
        invitee = Invitee(
            name=context["name"],
            email=context["email"],
            role=context["role"],
            token=context["token"],
            attending=context["attending"],
        )
        return questionnaire_attachment(
            engagement, invitee, datetime.fromisoformat(context["due"]).date()
        )
    raise ValueError(f"unknown attachment {name!r}")


def questionnaire_attachment(engagement: Engagement, invitee: Invitee, due: date) -> Attachment:
    """The personal workbook a person receives: their name and code, the engagement's questions."""
    content = build_questionnaire(
        engagement.client,
        invitee,
        questions_for(engagement.questions),
        due,
        engagement.workshop_at,
        agency=engagement.mail.sender.name,
    )
    name = f"Questionnaire - {drive.safe_name(engagement.client)} - {drive.safe_name(invitee.name)}"
    return Attachment(f"{name}.xlsx", content, XLSX)


# Words in a file name that say it is meant as the company list.
_LIST_WORDS = ("compan", "list", "peer", "compar")


def take_in_file(
    engagement: Engagement, action: TakeInFile, now: datetime, *, questionnaires_out: bool = False
) -> tuple[str, dict[str, Any]]:
    """Judge a file from the inbox and move it to Accepted or Rejected, reasons beside it.

    A returned questionnaire if it carries our questionnaire's marker, or is named like one
    (a damaged or unsafe one still reaches its person through the code inside, or else the
    account lead); otherwise a company list. A file that cannot be read at all, once
    questionnaires are out, could come from anyone: unless its name or marker says it is the
    company list, it is handled as a questionnaire nobody can be matched to, so the account
    lead hears of it and the client contacts get no company-list reply about it."""
    source = drive.inbox_dir(engagement.drive) / action.file.name
    marker = form_marker(source)
    named = action.file.name.casefold()
    as_questionnaire = is_questionnaire(source) or (
        marker != "company-list" and "questionnaire" in named
    )
    if not as_questionnaire:
        lst = judge_company_list(source, min_companies=engagement.min_companies)
        as_questionnaire = (
            lst.unreadable
            and questionnaires_out
            and marker != "company-list"
            and not any(word in named for word in _LIST_WORDS)
        )
    if as_questionnaire:
        verdict = judge_questionnaire(source, action.invitees, questions_for(engagement.questions))
        messages = [p.message for p in verdict.problems]
        stored = _archive(engagement, action, verdict.ok, messages, now)
        data: dict[str, Any] = {"verdict": verdict.as_dict()}
        return QUESTIONNAIRE_JUDGED, _judged(action, stored, verdict.ok, data, now)
    stored = _archive(engagement, action, lst.ok, [p.message for p in lst.problems], now)
    data = {
        "companies": len(lst.companies),
        "problems": [p.as_dict() for p in lst.problems],
        # The accepted list itself, so later stages plan from the record alone.
        "company_rows": [asdict(c) for c in lst.companies] if lst.ok else [],
    }
    return LIST_JUDGED, _judged(action, stored, lst.ok, data, now)


def _judged(
    action: TakeInFile, stored: Path, ok: bool, data: dict[str, Any], now: datetime
) -> dict[str, Any]:
    dropped = datetime.fromtimestamp(action.file.mtime_ns / 1e9, UTC)
    return {
        "file": action.file.name,
        "received": min(dropped, now).isoformat(),
        "stored": str(stored),
        "sha256": action.file.sha256,
        "ok": ok,
        **data,
    }


def _archive(
    engagement: Engagement, action: TakeInFile, ok: bool, problems: list[str], now: datetime
) -> Path:
    """Copy the file to Inbox/Accepted or Inbox/Rejected (with the reasons beside a refused one);
    the original leaves the inbox on the next stock-taking, once the copy is safely recorded."""
    item = action.file
    inbox = drive.inbox_dir(engagement.drive)
    label = now.astimezone(engagement.zone).strftime("%Y-%m-%d %H%M")
    folder = inbox / (drive.ACCEPTED if ok else drive.REJECTED)
    stored = folder / drive.archive_name(label, item.name)
    # Copied without following a link: only a regular file is ever taken in.
    drive.copy_in(inbox / item.name, stored, root=engagement.drive)
    if not ok:
        reasons = "".join(f"- {message}\n" for message in problems)
        when = now.astimezone(engagement.zone).strftime("%-d %B %Y at %H:%M")
        drive.write_atomically(
            stored.with_name(stored.name + ".problems.txt"),
            f"{item.name}, received {when}, was refused for these reasons:\n{reasons}".encode(),
            root=engagement.drive,
        )
    return stored


def write_questionnaire_summary(
    setup: Setup, action: WriteQuestionnaireSummary, now: datetime
) -> dict[str, Any]:
    engagement = setup.engagement
    state = take_stock(setup)
    summary = summarise(questions_for(engagement.questions), respondents(state))
    content = build_summary_workbook(
        engagement.client,
        summary,
        now.astimezone(engagement.zone),
        anonymise=engagement.anonymise_answers,
        version=action.version,
        previous=previous_version(state.questionnaire_summaries(), engagement),
        agency=engagement.mail.sender.name,
    )
    name = f"Questionnaire summary - {drive.safe_name(engagement.client)} - v{action.version}.xlsx"
    folder = drive.stage_dir(engagement.drive, "questionnaire")
    path = drive.write_atomically(folder / name, content, root=engagement.drive)
    return {
        "stage": "questionnaire",
        "path": str(path),
        "version": action.version,
        "invited": summary.invited,
        "answered": summary.answered,
        "topics": [
            {"question": d.question, "prompt": d.prompt, "reason": d.reason}
            for d in summary.divergences
        ],
    }


def respondents(state: State) -> list[Respondent]:
    """Everyone invited, with the answer that stands for each (if any)."""
    standing = state.standing_answers()
    due = state.timeline.milestones["questionnaire_due"]
    # One spelling per role ("Comms", "comms " and "COMMS" are one role), the first one written.
    spelling: dict[str, str] = {}
    people = []
    for person in state.invited():
        role = " ".join(person.attendee.role.split())
        role = spelling.setdefault(role.casefold(), role)
        answer = standing.get(person.email)
        received = received_at(answer) if answer else None
        people.append(
            Respondent(
                name=person.attendee.name,
                email=str(person.attendee.email),
                role=role,
                attendance=person.attendance,
                answered_at=received,
                answers=answer.data["verdict"]["answers"] if answer else {},
                late=bool(received and received > due),
            )
        )
    return people


def write_company_list(setup: Setup, action: WriteCompanyList) -> dict[str, Any]:
    engagement = setup.engagement
    judged = next(e for e in setup.store.events_for(engagement.slug) if e.key == action.intake_key)
    stored = Path(judged.data["stored"])
    verdict = judge_company_list(stored, min_companies=engagement.min_companies)
    received = judged.at.astimezone(engagement.zone)
    content = build_accepted_company_list(
        engagement.client,
        verdict.companies,
        judged.data["file"],
        received,
        judged.data["sha256"],
        agency=engagement.mail.sender.name,
    )
    name = f"Company list - {drive.safe_name(engagement.client)} - {received:%Y-%m-%d}.xlsx"
    folder = drive.stage_dir(engagement.drive, "company-list")
    path = drive.write_atomically(folder / name, content, root=engagement.drive)
    return {"stage": "company-list", "path": str(path), "companies": len(verdict.companies)}


Runner = Callable[[Setup, Action, datetime], str]


def advance(
    setup: Setup, now: datetime, run: Runner = perform, start_over: bool = False
) -> AdvanceReport:
    """Bring the engagement up to `now`. Raises AdvanceFailed if any action failed (after trying
    all the others), or if the record or the drive cannot be read; what failed stays due.
    `start_over` lets an empty record start although the drive shows the engagement ran."""
    report = AdvanceReport(setup.engagement.slug, now)
    try:
        # A drive that cannot hold the folders says so in words, before anything is written.
        drive.ensure_layout(setup.engagement.drive)
        start(setup, now, start_over)
        _carry_out_due(setup, now, run, report)
    except (KickoffTooLate, EmptyRecord, drive.DriveError):
        raise
    except Exception as exc:  # the record or the drive, outside any one action
        report.failed.append(("Take stock of the record and the drive", describe(setup, exc)))
        raise AdvanceFailed(report) from exc
    if report.failed:
        raise AdvanceFailed(report)
    return report


def _carry_out_due(setup: Setup, now: datetime, run: Runner, report: AdvanceReport) -> None:
    slug = setup.engagement.slug
    attempted: set[str] = set()
    for _ in range(MAX_ROUNDS):
        setup.store.expire_sendings(slug)
        in_doubt = setup.store.in_doubt_effects(slug)
        held = {effect["key"] for effect in in_doubt}
        state = take_stock(setup)
        current = plan(state, now)
        report.next_due = current.next_due
        # The lead's notices first; a message in doubt waits for the lead's decision.
        due = [*recovery_notices(state, in_doubt), *current.due, *refused_entry_mails(state, now)]
        todo = [a for a in due if a.key not in attempted and a.key not in held]
        if not todo:
            break
        for action in todo:
            attempted.add(action.key)
            try:
                outcome = run(setup, action, now)
            except Exception as exc:
                report.failed.append((action.summary, describe(setup, exc)))
                continue
            (report.done if outcome == "done" else report.skipped).append(action.summary)

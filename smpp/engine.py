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

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from smpp import drive
from smpp.actions import (
    Action,
    DriveFile,
    SendMail,
    TakeInFile,
    address,
    drive_place,
    lead_context,
)
from smpp.events import MAIL_SENT, STARTED, check
from smpp.failures import Explained, describe_failure
from smpp.intake import take_in_file
from smpp.mailer import MIME_TYPES, Attachment, DeliveryUnknown, Message
from smpp.models import Engagement
from smpp.plan import plan
from smpp.recovery import (
    IN_DOUBT_NOTICE,
    EmptyRecord,
    marker_path,
    recovery_notices,
    traces,
    write_marker,
)
from smpp.setup import Setup, take_stock
from smpp.stages import stages
from smpp.stages.anatomy import Performed
from smpp.state import State
from smpp.store import Event, redact
from smpp.templating import render_email
from smpp.timeline import KickoffTooLate, build_timeline

# An advance re-plans after acting (a list taken in makes a reply due); this bounds the rounds.
MAX_ROUNDS = 10


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
        for description, error in report.failed:
            sentence, *detail = error.splitlines() or [""]
            lines.append(f"  - {description}: {sentence}")
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
                **lead_context(engagement),
                "file": entry.name,
                "what": entry.what,
                "inbox": drive_place(engagement, inbox),
                "noticed_at": now.astimezone(engagement.zone).isoformat(),
            },
            description=f"Tell the account lead that '{entry.name}' in the inbox is {entry.what}, "
            "refused unread",
        )
        if state.done(mail.key) is None:
            mails.append(mail)
    return mails


def perform(setup: Setup, action: Action, now: datetime) -> str:
    """Carry out one action under its claim: 'done', or 'skipped' when another worker has it
    (or a message of this key is being sent, or is in doubt)."""
    store = setup.store
    slug = setup.engagement.slug
    if not store.claim(slug, action.key):
        return "skipped"
    try:
        kind, data, extra = performer_for(action)(setup, action, now)
        check(kind, data)
        for extra_kind, extra_data in extra:
            check(extra_kind, extra_data)
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


def send_mail(setup: Setup, action: SendMail, now: datetime) -> Performed:
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
        attachments=tuple(attachment(engagement, spec, now) for spec in action.attach),
    )
    record = {
        "template": action.template,
        "to": list(action.to),
        "cc": list(action.cc),
        "subject": subject,
        "message_id": message.message_id,
    }
    to_client = any(action.template in stage.client_chasers for stage in stages())
    more = {"to_client": to_client, "person": action.person}
    # A repeat that would reach people twice is prevented by saying first that it is being sent.
    if _marked_sending(setup, action):
        detail = {**record, **more, "attempted_at": now.isoformat()}
        setup.store.sending(action.key, message.message_id, detail)
    where = setup.mailer.send(message)
    return MAIL_SENT, {**record, "where": where, **more}, []


def take_in(setup: Setup, action: TakeInFile, now: datetime) -> Performed:
    engagement = setup.engagement
    state = State(engagement, tuple(setup.store.events_for(engagement.slug)))
    return take_in_file(engagement, action, now, state)


# The actions the engine carries out itself; every other action type is a stage's.
SHARED_PERFORMERS: dict[type, Callable[[Setup, Any, datetime], Performed]] = {
    SendMail: send_mail,
    TakeInFile: take_in,
}


@cache
def _performers() -> dict[type, Callable[[Setup, Any, datetime], Performed]]:
    found = dict(SHARED_PERFORMERS)
    for stage in stages():
        found.update(stage.performers)
    return found


def performer_for(action: Action) -> Callable[[Setup, Any, datetime], Performed]:
    """Who carries out an action of this type; an action type nobody declared is a bug, said
    at once rather than left to fall through."""
    performer = _performers().get(type(action))
    if performer is None:
        raise TypeError(f"no performer is declared for {type(action).__name__}")
    return performer


def attachment(engagement: Engagement, spec: object, now: datetime) -> Attachment:
    """Build a typed attachment description (SendMail.attach) into the file it describes."""
    if isinstance(spec, DriveFile):
        path = drive.check_inside(engagement.drive, Path(spec.path))
        with drive.open_regular(path) as handle:
            content = handle.read()
        return Attachment(
            path.name, content, MIME_TYPES.get(path.suffix, "application/octet-stream")
        )
    for stage in stages():
        builder = stage.attachments.get(type(spec))
        if builder is not None:
            return builder(engagement, spec, now)
    raise TypeError(f"no stage builds attachments of type {type(spec).__name__}")


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
                report.failed.append((action.description, describe(setup, exc)))
                continue
            (report.done if outcome == "done" else report.skipped).append(action.description)

"""The board across all engagements: every open wait, oldest first, and the engagements whose
advances are stuck, with the mail that tells their account lead once per stuck episode.

Pure: the caller gathers each engagement's state, failing effects and advance record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from smpp.actions import SendMail, address, lead_context
from smpp.artifacts import (
    action_descriptions,
    current_stage,
    human_time,
    md,
    names_only,
    progress,
    short_time,
)
from smpp.models import Engagement
from smpp.state import State
from smpp.status import OPERATORS, engagement_status
from smpp.store import AdvanceRecord, redact
from smpp.timeline import is_business_day

STUCK_AFTER_FAILURES = 3
STUCK_WITHOUT_SUCCESS = timedelta(hours=24)
BOARD_KEY = "smpp-board"


@dataclass(frozen=True)
class Stuck:
    slug: str
    # Start of the episode: the last successful advance (the kickoff if none succeeded since).
    since: datetime
    reason: str
    consecutive_failures: int
    failing_since: datetime | None
    last_error: str | None

    @property
    def key(self) -> str:
        """The idempotency key of the one mail this episode earns."""
        return f"{self.slug}/stuck/{self.since.astimezone(UTC).isoformat()}"


def business_time(start: datetime, end: datetime, engagement: Engagement) -> timedelta:
    """Time from `start` to `end`, leaving out the engagement's weekends and holidays: its
    advances are scheduled in working hours, so a quiet weekend is no sign of trouble."""
    zone = engagement.zone
    total = end - start
    day = start.astimezone(zone).date()
    while day <= end.astimezone(zone).date():
        if not is_business_day(day, engagement):
            midnight = datetime.combine(day, time(0), zone)
            overlap = min(end, midnight + timedelta(days=1)) - max(start, midnight)
            total -= max(overlap, timedelta(0))
        day += timedelta(days=1)
    return total


def stuck(
    engagement: Engagement,
    record: AdvanceRecord | None,
    kickoff: datetime | None,
    closed: bool,
    now: datetime,
) -> Stuck | None:
    """Stuck: three advances failed in a row, or none succeeded for 24 hours (weekends and
    holidays not counted), while the engagement is started and not closed."""
    if kickoff is None or closed:
        return None
    failures = record.consecutive_failures if record else 0
    last_success = record.last_success if record else None
    since = last_success or kickoff
    quiet = business_time(since, now, engagement)
    if failures >= STUCK_AFTER_FAILURES:
        reason = f"the last {failures} advances failed"
    elif quiet >= STUCK_WITHOUT_SUCCESS:
        hours = int(quiet.total_seconds() // 3600)
        reason = f"no advance has succeeded for {hours} hours of business days"
        if not failures:
            reason += " and none has failed either: no advance seems to run at all"
    else:
        return None
    return Stuck(
        slug=engagement.slug,
        since=since,
        reason=reason,
        consecutive_failures=failures,
        failing_since=record.failing_since if record else None,
        last_error=redact(record.last_error) if record and record.last_error else None,
    )


@dataclass(frozen=True)
class Entry:
    """One engagement as the board shows it."""

    engagement: Engagement
    status: dict[str, Any]
    record: AdvanceRecord | None
    stuck: Stuck | None
    summaries: dict[str, str] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.engagement.slug


def board_entry(
    state: State, failing: list[dict[str, Any]], record: AdvanceRecord | None, now: datetime
) -> Entry:
    status = engagement_status(state, now, failing)
    return Entry(
        engagement=state.engagement,
        status=status,
        record=record,
        stuck=stuck(state.engagement, record, state.kickoff, state.closed, now),
        summaries=action_descriptions(state, now),
    )


@dataclass(frozen=True)
class Unreadable:
    """An engagement file that could not be read or did not validate."""

    source: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class Wait:
    slug: str
    client: str
    timezone: str
    kind: str  # "awaited" (from people) | "failing" (an action of ours) | "problem" (of ours)
    what: str
    who: str
    since: datetime | None
    due: datetime | None
    overdue: bool


def _at(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _who(value: object) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value or "")


def first_line(text: str, limit: int = 160) -> str:
    """The sentence that says what failed (failure texts put it first), short enough for a
    table cell; the whole text stays in the run's logs."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def waits(entries: list[Entry]) -> list[Wait]:
    """Every open wait of every engagement, oldest first (those without a start last)."""
    found: list[Wait] = []
    for entry in entries:
        client, zone = entry.engagement.client, entry.engagement.timezone
        for wait in entry.status.get("awaited") or []:
            found.append(
                Wait(
                    entry.slug,
                    client,
                    zone,
                    "awaited",
                    str(wait.get("what", "")),
                    _who(wait.get("from")),
                    _at(wait.get("since")),
                    _at(wait.get("due")),
                    bool(wait.get("overdue")),
                )
            )
        for problem in entry.status.get("problems") or []:
            found.append(
                Wait(
                    entry.slug,
                    client,
                    zone,
                    "problem",
                    first_line(str(problem.get("what", ""))),
                    str(problem.get("who") or OPERATORS),
                    _at(problem.get("since")),
                    None,
                    False,
                )
            )
        for failing in entry.status.get("failing") or []:
            key = str(failing.get("key"))
            what = entry.summaries.get(key, key)
            error = first_line(redact(str(failing.get("error") or "")))
            found.append(
                Wait(
                    entry.slug,
                    client,
                    zone,
                    "failing",
                    f"{what} (failing: {error})" if error else what,
                    OPERATORS,
                    entry.record.failing_since if entry.record else None,
                    None,
                    False,
                )
            )
    latest = datetime.max.replace(tzinfo=UTC)
    return sorted(found, key=lambda w: (w.since or latest, w.client, w.what))


def board_rows(found: list[Wait]) -> list[dict[str, str]]:
    """The board's table: one row per wait, times in each engagement's own zone."""
    return [
        {
            # Engagements in several time zones share the table: each time says its own.
            "since": short_time(w.since, w.timezone, with_zone=True),
            "engagement": w.client,
            "what": w.what,
            "who": names_only(w.who),
            "due": short_time(w.due, w.timezone, with_zone=True),
            "overdue": "yes" if w.overdue else "no",
            "kind": w.kind,
        }
        for w in found
    ]


def board_markdown(
    entries: list[Entry], problems: list[Unreadable], now: datetime, notes: dict[str, str]
) -> str:
    """The whole board as markdown; `notes` says per stuck engagement whether its lead was told."""
    found = waits(entries)
    stuck_ones = [e for e in entries if e.stuck is not None]
    lines = [
        "# Engagement board",
        "",
        f"As of {human_time(now, 'UTC')}: {len(entries)} engagement(s), {len(found)} open "
        f"wait(s), {len(stuck_ones)} stuck, {len(problems)} file(s) with problems.",
        "",
        "## Stuck engagements",
        "",
    ]
    for entry in stuck_ones:
        assert entry.stuck is not None
        zone = entry.engagement.timezone
        last = entry.stuck.last_error
        error = f"; last error: {md(first_line(last))}" if last else ""
        lines.append(
            f"- **{md(entry.engagement.client)}** (`{entry.slug}`): {entry.stuck.reason}; nothing "
            f"has advanced since {human_time(entry.stuck.since, zone)}{error}. "
            f"{md(notes.get(entry.slug, ''))}"
        )
    if not stuck_ones:
        lines.append("None.")
    lines += ["", "## Open waits, oldest first", ""]
    if found:
        # Four short columns, so that a 1,400-pixel window shows them whole; the full text of
        # each wait is in the smpp-board-waits table.
        lines += ["| Since | Engagement | Awaited | Due |", "|---|---|---|---|"]
        for row in board_rows(found):
            awaited = first_line(f"{row['what']} ({row['who']})", limit=70)
            due = row["due"] + (" **overdue**" if row["overdue"] == "yes" else "")
            lines.append(f"| {row['since']} | {md(row['engagement'])} | {md(awaited)} | {due} |")
    else:
        lines.append("Nothing is awaited.")
    lines += ["", "## Engagements", ""]
    if entries:
        for entry in sorted(entries, key=lambda e: e.engagement.client):
            zone = entry.engagement.timezone
            action = entry.status.get("next_action") or {}
            when = human_time(action.get("when"), zone)
            success = entry.record.last_success if entry.record else None
            lines.append(
                f"- **{md(entry.engagement.client)}** (`{entry.slug}`): "
                f"{current_stage(entry.status)}, {progress(entry.status):g}% of milestones "
                f"reached; next: {md(action.get('what', '') or 'nothing planned')}"
                f"{' (' + when + ')' if when else ''}; last successful advance: "
                f"{human_time(success, zone) or 'never'}."
            )
    else:
        lines.append("No engagement files.")
    if problems:
        lines += ["", "## Engagement files with problems", ""]
        for problem in problems:
            lines.append(f"- `{problem.source}`: " + "; ".join(md(p) for p in problem.problems))
    return "\n".join(lines) + "\n"


def _mail_check(engagement: Engagement) -> str:
    mail = engagement.mail
    if mail.transport == "smtp" and mail.smtp is not None:
        server = f"the SMTP server {mail.smtp.host}:{mail.smtp.port}"
        if mail.smtp.password is not None:
            return (
                f"the SMTP password, read from the {mail.smtp.password.describe()} (is it set and "
                f"still valid?), and that {server} is reachable"
            )
        return f"that {server} is reachable"
    # In words, not the server's path: the lead passes it on to whoever runs the worker.
    where = (
        "the outbox folder named in its engagement file (mail: outbox)"
        if mail.outbox.is_absolute()
        else f'the outbox folder "{mail.outbox}" in its drive folder'
    )
    return f"that {where} can be written"


def stuck_mail(entry: Entry) -> SendMail:
    """The mail telling the account lead that an engagement's advances are stuck."""
    assert entry.stuck is not None
    engagement, episode = entry.engagement, entry.stuck
    zone = engagement.timezone
    last_success = entry.record.last_success if entry.record else None
    failing = [
        {
            "what": entry.summaries.get(str(f.get("key")), str(f.get("key"))),
            "attempts": f.get("attempts"),
            "error": redact(str(f.get("error") or ""))[:500],
        }
        for f in entry.status.get("failing") or []
    ]
    context = {
        **lead_context(engagement),
        "slug": engagement.slug,
        "stuck": {
            "reason": episode.reason,
            "since": human_time(episode.since, zone),
            "last_success": human_time(last_success, zone) or "never",
            "consecutive_failures": episode.consecutive_failures,
            "failing_since": human_time(episode.failing_since, zone),
            "last_error": (episode.last_error or "")[:1000],
            "failing": failing,
            "mail_check": _mail_check(engagement),
        },
    }
    return SendMail(
        episode.key,
        episode.since,
        "advance_stuck",
        (address(engagement.account_lead),),
        context,
        description=f"Tell the account lead that the advances of {engagement.client} are stuck",
    )

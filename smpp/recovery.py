"""When the record and the world disagree: a message that may or may not have gone out, and a
drive that shows an engagement its state database does not know.

- A message in doubt (its worker stopped between handing it to the SMTP server and recording it)
  is never sent again by itself: the account lead is told, once per message, what it was and how
  to decide (`smpp decide SLUG resend|delivered --key KEY`).
- The first advance leaves a marker on the drive (`.smpp/engagement.json`). An advance that finds
  no record of the engagement, but the marker or other traces of ours on its drive, refuses to
  start it again unless told to start over, and then tells the lead.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from smpp import drive
from smpp.actions import SendMail, address, lead_context
from smpp.events import STARTED
from smpp.failures import Explained
from smpp.models import Engagement
from smpp.state import State
from smpp.store import Event, redact

MARKER = Path(".smpp") / "engagement.json"
# The lead's notice about a message in doubt is sent under the message's key plus this.
IN_DOUBT_NOTICE = "/in-doubt"


def marker_path(engagement: Engagement) -> Path:
    return engagement.drive / MARKER


def read_marker(engagement: Engagement) -> dict[str, Any] | None:
    try:
        found = json.loads(marker_path(engagement).read_text("utf-8"))
    except (FileNotFoundError, NotADirectoryError):  # not there (or no drive at all)
        return None
    except (OSError, ValueError):
        return {}  # there, but unreadable: still a trace
    return found if isinstance(found, dict) else {}


def write_marker(engagement: Engagement, started: Event, database: str) -> None:
    """Leave on the drive the sign that this engagement ran, and where its record is kept."""
    content = {
        "engagement": engagement.slug,
        "client": engagement.client,
        "kickoff": started.data["kickoff"],
        "database": redact(database),
        "note": "Written by smpp's first advance. Should the engagement's record be lost, the "
        "next advance finds this and refuses to start the engagement again from nothing.",
    }
    text = json.dumps(content, indent=2, ensure_ascii=False) + "\n"
    drive.write_atomically(marker_path(engagement), text.encode())


def traces(engagement: Engagement) -> list[str]:
    """What on the engagement's drive shows that it ran before: the marker, messages in an
    outbox inside the drive, deliverables in the stage folders, files taken in from the inbox."""
    found = []
    marker = read_marker(engagement)
    if marker is not None:
        kickoff = marker.get("kickoff") or "unknown"
        database = marker.get("database") or "unknown"
        found.append(f"the marker {MARKER} (kickoff {kickoff}, record kept in {database})")
    outbox = engagement.outbox_dir
    if outbox.is_relative_to(engagement.drive):  # an outbox outside may be shared
        found += _count(outbox, "message(s) in the outbox", ("*.eml",))
    for folder in drive.stage_folders().values():
        # Only our deliverables: people may keep their own files in the stage folders.
        found += _count(engagement.drive / folder, f"deliverable(s) in '{folder}'", DELIVERABLES)
    for folder in (drive.ACCEPTED, drive.REJECTED):
        inbox = drive.inbox_dir(engagement.drive) / folder
        found += _count(inbox, f"file(s) in '{drive.INBOX}/{folder}'", ("*",))
    return found


# The names our deliverables start with (engine: write_company_list, write_review, ...).
DELIVERABLES = ("Company list - *", "Peer review - *", "Questionnaire summary - *")


def _count(folder: Path, what: str, patterns: tuple[str, ...]) -> list[str]:
    if not folder.is_dir():
        return []
    matching = (p for pattern in patterns for p in folder.glob(pattern))
    files = {p for p in matching if p.is_file() and not p.name.startswith(".")}
    return [f"{len(files)} {what}"] if files else []


class EmptyRecord(Explained):
    """The state database knows nothing of an engagement whose drive shows that it ran."""

    def __init__(self, engagement: Engagement, database: str, found: list[str]) -> None:
        self.found = found
        marker = read_marker(engagement) or {}
        named = (
            f" (the drive's marker names {marker['database']})" if marker.get("database") else ""
        )
        super().__init__(
            f"The state database {redact(database)} has no record of {engagement.slug}, but its "
            "drive folder shows it ran before, so nothing was done: restore the state database "
            f"or point SMPP_DATABASE_URL at the one it used{named}; only to start this "
            f"engagement again from nothing, run smpp advance {engagement.slug} --start-over "
            "(the account lead is told).\n"
            f"Found in {engagement.drive}: " + "; ".join(found) + "."
        )


def _when(moment: str | None, engagement: Engagement) -> str:
    if not moment:
        return "unknown"
    at = datetime.fromisoformat(moment).astimezone(engagement.zone)
    return at.strftime("%a %-d %b %Y, %H:%M %Z")


def _context(engagement: Engagement) -> dict[str, Any]:
    return {**lead_context(engagement), "slug": engagement.slug}


def in_doubt_notice(engagement: Engagement, effect: dict[str, Any]) -> SendMail:
    """The mail telling the account lead that a message may or may not have gone out."""
    detail = effect.get("detail") or {}
    doubt = {
        "key": effect["key"],
        "subject": detail.get("subject", ""),
        "to": list(detail.get("to", [])),
        "cc": list(detail.get("cc", [])),
        "attempted": _when(detail.get("attempted_at"), engagement),
        "message_id": effect.get("message_id") or detail.get("message_id", ""),
        "reason": effect.get("last_error") or "",
    }
    return SendMail(
        effect["key"] + IN_DOUBT_NOTICE,
        datetime.fromisoformat(detail["attempted_at"]),
        "mail_in_doubt",
        (address(engagement.account_lead),),
        {**_context(engagement), "doubt": doubt},
        description=f"Tell the account lead that '{doubt['subject']}' may not have gone out",
    )


def start_over_notice(state: State) -> SendMail | None:
    """The mail telling the account lead that the engagement was started again from nothing,
    although its drive showed it had run; None unless it was."""
    started = next(iter(state.of_kind(STARTED)), None)
    if started is None or "started_over" not in started.data:
        return None
    engagement = state.engagement
    kickoff = datetime.fromisoformat(str(started.data["kickoff"]))
    context = {
        **_context(engagement),
        "started_over": {
            "kickoff": _when(started.data["kickoff"], engagement),
            "found": list(started.data["started_over"]["found"]),
            "database": str(started.data["started_over"]["database"]),
        },
    }
    return SendMail(
        f"{engagement.slug}/start-over/{kickoff.astimezone(UTC).isoformat()}",
        kickoff,
        "engagement_started_over",
        (address(engagement.account_lead),),
        context,
        description="Tell the account lead the engagement was started over on an empty record",
    )


def recovery_notices(state: State, in_doubt: list[dict[str, Any]]) -> list[SendMail]:
    """The notices to the account lead not sent yet: one per message in doubt, and one when the
    engagement was started over."""
    if state.closed:
        return []
    notices = [in_doubt_notice(state.engagement, effect) for effect in in_doubt]
    started_over = start_over_notice(state)
    if started_over is not None:
        notices.append(started_over)
    return [notice for notice in notices if state.done(notice.key) is None]

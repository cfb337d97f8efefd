"""What a planner plans: actions, each with its idempotency key and the moment it falls due.

Two kinds of action are shared by every stage and carried out by the engine itself: sending a
mail (`SendMail`) and taking a file in from the inbox (`TakeInFile`). A stage declares its own
action types beside its planner, with a performer for each (see smpp/stages/anatomy.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formataddr
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote

from smpp.drive import InboxFile
from smpp.models import Engagement, Person

if TYPE_CHECKING:
    from smpp.state import State
    from smpp.timeline import Timeline

# Nobody is chased twice within this span, whatever the schedule says.
MIN_GAP_BETWEEN_CHASERS = timedelta(hours=20)


class Action(Protocol):
    """Anything a planner plans: done once under its key, not before it is due."""

    @property
    def key(self) -> str: ...

    @property
    def due(self) -> datetime: ...

    @property
    def description(self) -> str: ...


@dataclass(frozen=True)
class SendMail:
    key: str
    due: datetime
    template: str
    to: tuple[str, ...]
    context: dict[str, Any]
    cc: tuple[str, ...] = ()
    # What to attach, each a typed description whose stage builds the file at send time.
    attach: tuple[object, ...] = ()
    description: str = ""
    # The invited person a questionnaire mail is about (their email), so chasers can be counted.
    person: str = ""


@dataclass(frozen=True)
class DriveFile:
    """A file already on the engagement's drive (a deliverable), attached as it stands: read
    when the mail is sent, from inside the drive only."""

    path: str


@dataclass(frozen=True)
class TakeInFile:
    """Judge a file dropped in the inbox as the form it is (the stages' forms tell them apart)."""

    key: str
    due: datetime
    file: InboxFile
    description: str = ""


@dataclass(frozen=True)
class Plan:
    due: tuple[Action, ...]
    next_due: datetime | None
    upcoming: tuple[Action, ...] = field(default=())


def key(state: State, *parts: str) -> str:
    return "/".join((state.slug, *parts))


def intake_key(state: State, item: InboxFile) -> str:
    return key(state, "inbox", item.intake_id)


def address(person: Person) -> str:
    return formataddr((person.name, str(person.email)))


def digest(*parts: str) -> str:
    """A short stable fingerprint, for keys that must change when what they are about does."""
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


# Beyond this many people, a mail to a group greets them all at once.
MAX_NAMES_IN_GREETING = 3


def greeting(people: Sequence[Person]) -> str:
    """ "Dear Giulia," for one person, "Dear Marco and Anna," for a few, "Dear all," beyond."""
    names = list(dict.fromkeys(p.first_name for p in people))
    if not names:
        return "Hello,"
    if len(names) > MAX_NAMES_IN_GREETING:
        return "Dear all,"
    if len(names) == 1:
        return f"Dear {names[0]},"
    return f"Dear {', '.join(names[:-1])} and {names[-1]},"


def sign_off(engagement: Engagement, signer: str) -> dict[str, Any]:
    """How a mail closes: the closing words, who signs, and the agency's signature under the
    name (without repeating the name when the signature starts with it)."""
    lines = list(engagement.mail.signature_lines)
    if lines and lines[0].strip() == signer.strip():
        lines = lines[1:]
    return {"closing": "Kind regards,", "name": signer, "signature": lines}


def writer_context(engagement: Engagement, to: Sequence[Person]) -> dict[str, Any]:
    """Who a mail greets, and who signs it: the account lead writes to the client's people;
    the agency's desk (the sender) writes to the account lead."""
    lead = engagement.account_lead
    to_lead = all(str(p.email).lower() == str(lead.email).lower() for p in to)
    signer = engagement.mail.sender.name if to_lead else lead.name
    return {"greeting": greeting(to), "sign_off": sign_off(engagement, signer)}


def lead_context(engagement: Engagement) -> dict[str, Any]:
    """What every mail to the account lead says: the engagement, the greeting and sign-off."""
    return {
        "client": engagement.client,
        "account_lead": engagement.account_lead.name,
        "account_lead_email": str(engagement.account_lead.email),
        **writer_context(engagement, (engagement.account_lead,)),
    }


def drive_place(engagement: Engagement, path: str | Path) -> dict[str, str]:
    """Where a file or folder on the client's drive folder is, for a person to find it: `url`,
    its web address when the drive has one (`drive_url`), else ""; `name`, `folder` (relative to
    the client's drive folder, "" for the folder itself) and `words`, all of it in a sentence.
    Never the server's path: people open the drive in their own way."""
    path = Path(path)
    try:
        relative = path.relative_to(engagement.drive)
    except ValueError:
        # Recorded elsewhere (a copy of the drive): its own folder and name are what is known.
        relative = Path(path.parent.name) / path.name
    parts = relative.parts
    name = parts[-1] if parts else ""
    folder = " / ".join(parts[:-1])
    words = f"the {engagement.client} folder on the shared drive"
    if folder:
        words = f'the folder "{folder}" of {words}'
    if name:
        words = f'"{name}", in {words}'
    url = ""
    base = engagement.drive_url
    if base and "?" not in base and "#" not in base:
        url = base.rstrip("/") + ("/" + quote(relative.as_posix()) if parts else "")
    return {"url": url, "name": name, "folder": folder, "words": words}


def common_context(state: State, timeline: Timeline) -> dict[str, Any]:
    """What every mail to or about the engagement can say; it greets the client's contacts and
    is signed by the account lead (a mail to the lead adds `lead_context`)."""
    engagement = state.engagement
    return {
        "client": engagement.client,
        "account_lead": engagement.account_lead.name,
        "account_lead_email": str(engagement.account_lead.email),
        "contacts": [c.name for c in engagement.client_contacts],
        **writer_context(engagement, engagement.client_contacts),
        "workshop": timeline.workshop.isoformat(),
        "due": timeline.company_list_deadline.isoformat(),
        "min_companies": engagement.min_companies,
        "at_risk": timeline.at_risk,
        "return_instructions": engagement.return_instructions,
    }

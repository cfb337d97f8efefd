"""What a stage is: everything the rest of the product needs to know of it, declared in one place
(its `stage.py`), so that adding a stage touches its own folder and one line of the registry.

The shared machinery (the engine, status, artifacts, the CLI, the demo) never names a stage: it
asks the registry (`smpp.stages.stages()`) and calls what each stage declares here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from smpp.actions import Action, Plan
    from smpp.mailer import Attachment
    from smpp.models import Engagement
    from smpp.setup import Setup
    from smpp.state import State
    from smpp.store import Event
    from smpp.timeline import Timeline

# What a performer returns: the kind of event that records the action, its payload, and any
# further events recorded with it in the same transaction (kind, payload).
Performed = tuple[str, dict[str, Any], list[tuple[str, dict[str, Any]]]]


@dataclass(frozen=True)
class Milestone:
    """A moment of the engagement's timeline: planned from the engagement's offsets (the field
    of the same name), reached when the stage says (`actuals`)."""

    name: str  # e.g. "company_list_due": the key in the timeline, the status and the offsets
    label: str  # e.g. "Company list due", as the status shows it
    # How the planned moment falls on its day: the start of working hours (something is sent),
    # or the end of the day (something is due).
    at: Literal["send", "end of day"]


@dataclass(frozen=True)
class Judged:
    """A form's verdict on a file from the inbox: the event that records it, whether it is
    accepted, the reasons if not (kept beside the refused file), and the payload's own facts
    (the engine adds the file's name, receipt, stored copy and checksum)."""

    kind: str
    ok: bool
    reasons: list[str]
    data: dict[str, Any]
    # Not readable as this form at all (not a workbook, damaged, unsafe): nothing in it shows
    # it was meant as this form.
    unreadable: bool = False


@dataclass(frozen=True)
class Intake:
    """What a form's judge sees of a file being taken in."""

    engagement: Engagement
    path: Path  # the file in the inbox (a regular file: links are refused before this)
    name: str
    known: Any  # what the form's `knows` returns from the record as the file is taken in
    now: datetime


@dataclass(frozen=True)
class Form:
    """A file a stage takes in from the inbox, told apart by the marker our workbooks carry."""

    marker: str  # the form marker our workbook of this form holds
    # Whether a file is this form by what it holds (its marker, or a layout only ours has).
    recognises: Callable[[Path], bool]
    judge: Callable[[Intake], Judged]
    # Words in a file's name that say it is meant as this form (when nothing inside says).
    name_words: tuple[str, ...]
    # The form a file is judged as when neither its content nor its name says (one stage's).
    default: bool = False
    # What the judge needs to know from the record, taken as the file is taken in.
    knows: Callable[[State], Any] = lambda state: None
    # Whether a file that no form can read should reach this form (whose judge then says so to
    # the right person), given the state: e.g. once questionnaires are out, an unreadable file
    # could come from any attendee.
    takes_unreadable: Callable[[State], bool] = lambda state: False


@dataclass(frozen=True)
class Stage:
    name: str  # one spelling, e.g. "company-list": deliverables' `stage`, the drive folder's key
    words: str  # how people read it, e.g. "company list" (run names, status)
    folder: str  # the stage's folder on the client's drive, e.g. "01 Company list"
    templates: Path  # the folder holding its email/<kind>.txt|html templates
    milestones: tuple[Milestone, ...]
    # Every action of this stage that is or will be due, done ones excluded.
    planner: Callable[[State, Timeline, datetime], list[Action]]
    performers: Mapping[type, Callable[[Setup, Any, datetime], Performed]] = field(
        default_factory=dict
    )
    # Typed attachment descriptions (SendMail.attach) and how each is built at send time (the
    # moment it is sent dates the file).
    attachments: Mapping[type, Callable[[Engagement, Any, datetime], Attachment]] = field(
        default_factory=dict
    )
    forms: tuple[Form, ...] = ()
    # Its files sit in an earlier stage's folder (the consensus workbook beside the packet).
    shares_folder: bool = False
    events: Mapping[str, type] = field(default_factory=dict)  # kind -> payload TypedDict
    deliverable: type | None = None  # the payload of its DELIVERABLE_WRITTEN events
    # Deliverables it writes on behalf of a later stage (stage name -> payload): the packet
    # writes the consensus workbook that the consensus stage takes back in.
    other_deliverables: Mapping[str, type] = field(default_factory=dict)
    # When each of its milestones was reached, from the record.
    actuals: Callable[[State], dict[str, datetime]] = lambda state: {}
    # Its section of the status board (None when it has nothing to show yet), under `name`
    # with dashes as underscores; and how `smpp status` prints that section, line by line.
    status: Callable[[State, Plan], dict[str, Any] | None] | None = None
    status_lines: Callable[[dict[str, Any]], list[str]] = lambda section: []
    # How the Prefect status page shows that section (markdown lines, times in the zone given);
    # None: the page's generic rendering.
    status_markdown: Callable[[dict[str, Any], str], list[str]] | None = None
    # What in the engagement file leaves it nothing to do (for the status board's warnings).
    warnings: Callable[[Engagement], list[str]] = lambda engagement: []
    # The mails that chase the client (recorded as `to_client`).
    client_chasers: frozenset[str] = frozenset()
    # What it waits for from people, and what stops it that only the agency can fix.
    awaited: Callable[[State, datetime], list[dict[str, Any]]] = lambda state, now: []
    problems: Callable[[State, dict[str, Any] | None], list[dict[str, Any]]] = (
        lambda state, section: []
    )
    # What an event of this stage says an advance did, in a few words (for the run's name).
    deeds: Callable[[Event], str | None] = lambda event: None
    # The demo's people: what they do in this stage, at simulated moments.
    counted: frozenset[str] = frozenset()  # deeds done to several people, told as a count
    demo: Callable[[Engagement, datetime], list[Any]] = lambda engagement, kickoff: []

    @property
    def status_key(self) -> str:
        return self.name.replace("-", "_")

    @property
    def mail_templates(self) -> list[str]:
        return sorted(p.stem for p in (self.templates / "email").glob("*.txt"))

"""The record of one engagement as the planners read it: its events and what waits in the inbox.

Only what every stage asks lives here (what was done under a key, events of a kind, mails of a
template, the kickoff and the timeline, whether the engagement is closed); each stage keeps its
own queries in its `records.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smpp.drive import InboxFile
from smpp.events import DECISION, DELIVERABLE_WRITTEN, MAIL_SENT, STARTED
from smpp.models import Engagement
from smpp.store import Event
from smpp.timeline import Timeline, build_timeline


@dataclass(frozen=True)
class State:
    engagement: Engagement
    events: tuple[Event, ...]
    inbox: tuple[InboxFile, ...] = ()

    @property
    def slug(self) -> str:
        return self.engagement.slug

    @property
    def kickoff(self) -> datetime | None:
        for item in self.events:
            if item.kind == STARTED:
                return datetime.fromisoformat(str(item.data["kickoff"]))
        return None

    @property
    def timeline(self) -> Timeline:
        kickoff = self.kickoff
        if kickoff is None:
            raise ValueError(f"engagement {self.slug} has not been started")
        return build_timeline(self.engagement, kickoff)

    def done(self, key: str) -> Event | None:
        for item in self.events:
            if item.key == key:
                return item
        return None

    def of_kind(self, kind: str) -> list[Event]:
        return [item for item in self.events if item.kind == kind]

    def mails(self, template: str) -> list[Event]:
        return [e for e in self.of_kind(MAIL_SENT) if e.data.get("template") == template]

    def deliverables(self, stage: str) -> list[Event]:
        """The deliverables a stage has written, oldest first."""
        return [e for e in self.of_kind(DELIVERABLE_WRITTEN) if e.data["stage"] == stage]

    def iso(self, moment: datetime | None) -> str | None:
        """A moment as the status shows it: ISO, in the engagement's time zone."""
        return None if moment is None else moment.astimezone(self.engagement.zone).isoformat()

    @property
    def closed(self) -> bool:
        return any(e.data.get("decision") == "close" for e in self.of_kind(DECISION))

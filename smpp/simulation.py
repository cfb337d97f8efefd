"""A whole engagement on a simulated clock: the demo's engagement, and the loop that jumps from one
due moment to the next instead of ticking. What the demo's people do is each stage's (its
`demo.py`): the client's lists, the attendees' answers, the lead's decisions.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from smpp import drive
from smpp.engine import AdvanceReport, Runner, advance, perform
from smpp.events import DELIVERABLE_WRITTEN, MAIL_SENT
from smpp.fetch import FetchSettings
from smpp.models import Engagement, MailSettings, Person, parse_engagement
from smpp.setup import Setup, Web
from smpp.site_server import SiteServer, demo_client
from smpp.stages import stages
from smpp.state import State
from smpp.status import engagement_status

DEMO_SLUG = "northwind-demo"
DEMO_CLIENT = "Northwind Outdoor Gear"
DEMO_WORKSHOP = datetime(2027, 2, 11, 9, 30)
DEMO_TIMEZONE = "Europe/Rome"
# The simulated account lead starts the engagement a month ahead, as the method asks.
DEMO_KICKOFF_DAYS = 30

# Invited to the workshop: (name, email, role, attending). Their answers: the questionnaire
# stage's demo_answers.yaml.
DEMO_ATTENDEES = (
    ("Marco Bianchi", "marco.bianchi@northwind.example", "Head of Communications", True),
    ("Sara Conti", "sara.conti@northwind.example", "HR", True),
    ("Luca Moretti", "luca.moretti@northwind.example", "Legal", False),
    ("Elena Russo", "elena.russo@northwind.example", "Customer Service", True),
    ("Paolo Greco", "paolo.greco@northwind.example", "Sales", True),
    ("Chiara Romano", "chiara.romano@northwind.example", "IT Security", True),
)


def drop_in_inbox(setup: Setup, name: str, content: bytes, at: datetime) -> None:
    """Put a file in the inbox as a person would at the simulated moment `at`: its modification
    time is that moment, as a real drop's would be on the real clock."""
    path = drive.write_atomically(drive.inbox_dir(setup.engagement.drive) / name, content)
    stamp = int(at.timestamp() * 1_000_000_000)
    os.utime(path, ns=(stamp, stamp))


def demo_engagement(root: Path) -> Engagement:
    data: dict[str, Any] = {
        "client": DEMO_CLIENT,
        "slug": DEMO_SLUG,
        "workshop": DEMO_WORKSHOP.isoformat(),
        "timezone": DEMO_TIMEZONE,
        "country": "IT",
        "account_lead": {"name": "Giulia Ferri", "email": "giulia.ferri@agency.example"},
        "client_contacts": [{"name": "Marco Bianchi", "email": "marco.bianchi@northwind.example"}],
        "attendees": [
            {"name": name, "email": email, "role": role, "attending": attending}
            for name, email, role, attending in DEMO_ATTENDEES
        ],
        "drive": str(root / DEMO_CLIENT),
        "mail": MailSettings(
            sender=Person(name="Agency SMPP desk", email="smpp@agency.example"),
            outbox=root / "Outbox",
        ).model_dump(mode="json"),
    }
    return parse_engagement(data, "demo engagement", root)


def demo_happenings(engagement: Engagement, kickoff: datetime) -> list[Any]:
    """Everything the demo's people do, stage by stage: the client's lists, the attendees'
    answers, the lead's replacement."""
    return [happening for stage in stages() for happening in stage.demo(engagement, kickoff)]


def run_engagement(
    setup: Setup,
    kickoff: datetime,
    happenings: Sequence[Any],
    run: Runner = perform,
    max_steps: int = 200,
    on_step: Callable[[AdvanceReport], None] | None = None,
) -> list[AdvanceReport]:
    """Advance from the kickoff to the end, jumping to whichever comes first: the next due action
    or the next thing people do. Stops when nothing more is due and nobody has anything to do.
    `on_step` hears of each advance as it ends (the demo's progress line)."""
    pending = sorted(happenings, key=lambda h: h.at)
    now = kickoff
    reports = []
    for _ in range(max_steps):
        while pending and pending[0].at <= now:
            pending.pop(0).happen(setup)
        report = advance(setup, now, run=run)
        reports.append(report)
        if on_step is not None:
            on_step(report)
        upcoming = [t for t in (report.next_due, pending[0].at if pending else None) if t]
        if not upcoming:
            return reports
        now = min(upcoming)
    raise RuntimeError(f"the simulation did not settle within {max_steps} advances")


def demo_web(sites: SiteServer) -> Web:
    """The demo's internet: the sample company sites on loopback, so the address guard is off."""
    # Generous: the slow sample site must not time out on a busy machine, or the lead's
    # replacement of it (a demo happening) would find it passed over already.
    settings = FetchSettings(allow_private=True, timeout=30.0)
    return Web(settings, client=lambda: demo_client(sites))


def demo_summary(setup: Setup, now: datetime) -> dict[str, Any]:
    """The demo's result: its drive, deliverables, emails and timeline (`smpp demo --json`)."""
    events = tuple(setup.store.events_for(setup.engagement.slug))
    state = State(setup.engagement, events)
    status = engagement_status(state, now)
    return {
        "engagement": setup.engagement.slug,
        "drive": str(setup.engagement.drive),
        "deliverables": [
            {"stage": e.data["stage"], "path": e.data["path"]}
            for e in events
            if e.kind == DELIVERABLE_WRITTEN
        ],
        "emails": [
            {
                "to": e.data["to"],
                "cc": e.data["cc"],
                "subject": e.data["subject"],
                "kind": e.data["template"],
                "at": e.at.astimezone(setup.engagement.zone).isoformat(),
                "file": e.data["where"],
            }
            for e in events
            if e.kind == MAIL_SENT
        ],
        "timeline": [
            {"milestone": m["milestone"], "planned": m["planned"], "actual": m["actual"]}
            for m in status["timeline"]
        ],
        "at_risk": status["at_risk"],
    }


def demo_kickoff(engagement: Engagement) -> datetime:
    day = engagement.workshop_at.date() - timedelta(days=DEMO_KICKOFF_DAYS)
    return datetime.combine(day, time(10, 0), engagement.zone)

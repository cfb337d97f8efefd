"""A whole engagement on a simulated clock: the demo's client, its files, and the loop that jumps
from one due moment to the next instead of ticking.

The simulated client first returns a list with problems, then, after a reminder, a good one. All
companies are fictional and use the reserved `.example` domain.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import yaml

from smpp import drive
from smpp.decisions import replace_company
from smpp.engine import (
    AdvanceReport,
    Runner,
    Setup,
    Web,
    advance,
    perform,
    questionnaire_attachment,
)
from smpp.fetch import FetchSettings
from smpp.models import Engagement, MailSettings, Person, parse_engagement
from smpp.plan import DELIVERABLE_WRITTEN, MAIL_SENT, State
from smpp.questionnaire_workbook import fill_questionnaire
from smpp.site_server import SiteServer, demo_client
from smpp.status import engagement_status
from smpp.workbook import build_company_list_template

DEMO_SLUG = "northwind-demo"
DEMO_CLIENT = "Northwind Outdoor Gear"
DEMO_WORKSHOP = datetime(2027, 2, 11, 9, 30)
DEMO_TIMEZONE = "Europe/Rome"
# The simulated account lead starts the engagement a month ahead, as the method asks.
DEMO_KICKOFF_DAYS = 30

# The simulated client's list (demo_companies.csv), in the columns of the company-list template.
# The priorities are set so the demo's review meets every kind of sample site: a policy address
# given by the client, a sitemap, a home-page link, a PDF, a site with no policy, a slow site; the
# simulated lead then swaps in the site whose policy link redirects.
_DEMO_LIST = Path(__file__).with_name("demo_companies.csv")
DEMO_COMPANIES: tuple[tuple[str, ...], ...] = tuple(
    tuple(row) for row in list(csv.reader(io.StringIO(_DEMO_LIST.read_text("utf-8"))))[1:]
)
# Invited to the workshop: (name, email, role, attending). Their answers: demo_answers.yaml.
DEMO_ATTENDEES = (
    ("Marco Bianchi", "marco.bianchi@northwind.example", "Head of Communications", True),
    ("Sara Conti", "sara.conti@northwind.example", "HR", True),
    ("Luca Moretti", "luca.moretti@northwind.example", "Legal", False),
    ("Elena Russo", "elena.russo@northwind.example", "Customer Service", True),
    ("Paolo Greco", "paolo.greco@northwind.example", "Sales", True),
    ("Chiara Romano", "chiara.romano@northwind.example", "IT Security", True),
)
_DEMO_ANSWERS = Path(__file__).with_name("demo_answers.yaml")
# The account lead prefers a market leader to the slow site's small start-up.
DEMO_REPLACEMENT = ("Fjellvind Gear", "Everpeak Sports")


@dataclass(frozen=True)
class ClientDrop:
    """A file the simulated client puts in the inbox at a simulated moment."""

    at: datetime
    name: str
    content: bytes

    def happen(self, setup: Setup) -> None:
        inbox = drive.inbox_dir(setup.engagement.drive)
        drive.write_atomically(inbox / self.name, self.content)


@dataclass(frozen=True)
class LeadReplaces:
    """The simulated account lead replaces one of the companies chosen for review."""

    at: datetime
    out: str
    into: str

    def happen(self, setup: Setup) -> None:
        state = State(setup.engagement, tuple(setup.store.events_for(setup.engagement.slug)))
        lead = setup.engagement.account_lead.name
        setup.store.append(replace_company(state, self.out, self.into, lead, self.at))


@dataclass(frozen=True)
class AttendeeReturns:
    """A simulated invitee fills in the workbook they were sent and drops it in the inbox."""

    at: datetime
    email: str
    rsvp: str | None
    answers: dict[str, dict[str, str]]
    delegate: tuple[str, str] | None = None

    def happen(self, setup: Setup) -> None:
        engagement = setup.engagement
        state = State(engagement, tuple(setup.store.events_for(engagement.slug)))
        person = next(p for p in state.invited() if p.email == self.email)
        due = state.timeline.milestones["questionnaire_due"].date()
        blank = questionnaire_attachment(engagement, person.invitee, due).content
        content = fill_questionnaire(blank, self.answers, self.rsvp, self.delegate)
        name = f"{person.attendee.name} - answers {self.at:%d%H%M}.xlsx"
        drive.write_atomically(drive.inbox_dir(engagement.drive) / name, content)


Happening = ClientDrop | LeadReplaces | AttendeeReturns


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


def fill_company_list(engagement: Engagement, rows: list[tuple[str, ...]], due: datetime) -> bytes:
    """The client's filled-in copy of the template we sent."""
    template = build_company_list_template(engagement.client, due.date())
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["Companies"]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=2 + offset, column=column, value=value or None)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def client_drops(engagement: Engagement, kickoff: datetime) -> list[ClientDrop]:
    """A first list with problems (too few companies, a duplicate, a broken website), then a
    good one late enough that one reminder goes out in between."""
    workshop_day = engagement.workshop_at.date()
    zone = engagement.zone
    due = datetime.combine(workshop_day - timedelta(days=14), time(23, 59), zone)
    first = [list(c) for c in DEMO_COMPANIES[:19]]
    first.append(
        ["Alpine Crest Outfitters S.p.A.", "https://www.alpinecrest.example/"] + first[0][2:]
    )
    first[5][1] = "fjellvind gear dot com"
    good = [list(c) for c in DEMO_COMPANIES]
    return [
        ClientDrop(
            datetime.combine(workshop_day - timedelta(days=20), time(11, 15), zone),
            "Northwind comparables.xlsx",
            fill_company_list(engagement, [tuple(r) for r in first], due),
        ),
        ClientDrop(
            datetime.combine(workshop_day - timedelta(days=17), time(15, 40), zone),
            "Northwind comparables v2.xlsx",
            fill_company_list(engagement, [tuple(r) for r in good], due),
        ),
    ]


def attendee_returns(engagement: Engagement) -> list[AttendeeReturns]:
    """The demo's attendees answering as demo_answers.yaml says (one never does)."""
    workshop_day = engagement.workshop_at.date()
    returns = []
    for person in yaml.safe_load(_DEMO_ANSWERS.read_text("utf-8")):
        if person.get("never"):
            continue
        moment = datetime.combine(
            workshop_day - timedelta(days=person["day"]),
            time.fromisoformat(person["time"]),
            engagement.zone,
        )
        answers = {k: dict(v) for k, v in person["answers"].items()}
        delegate = person.get("delegate")
        pair = (delegate["name"], delegate["email"]) if delegate else None
        skipped = person.get("first_without")
        if skipped:  # a first return with one whole question left blank, refused
            partial = {k: v for k, v in answers.items() if not k.startswith(f"{skipped}.")}
            first = moment - timedelta(days=1)
            returns.append(AttendeeReturns(first, person["email"], person["rsvp"], partial, pair))
        returns.append(AttendeeReturns(moment, person["email"], person["rsvp"], answers, pair))
    return returns


def lead_decisions(engagement: Engagement) -> list[LeadReplaces]:
    """After reading the review, the lead swaps the slow site's start-up for a market leader."""
    day = engagement.workshop_at.date() - timedelta(days=16)
    out, into = DEMO_REPLACEMENT
    return [LeadReplaces(datetime.combine(day, time(10, 30), engagement.zone), out, into)]


def demo_happenings(engagement: Engagement, kickoff: datetime) -> list[Happening]:
    """Everything the demo's people do: the client's lists, the attendees' answers, the lead's
    replacement."""
    return [
        *client_drops(engagement, kickoff),
        *attendee_returns(engagement),
        *lead_decisions(engagement),
    ]


def run_engagement(
    setup: Setup,
    kickoff: datetime,
    happenings: Sequence[Happening],
    run: Runner = perform,
    max_steps: int = 200,
) -> list[AdvanceReport]:
    """Advance from the kickoff to the end, jumping to whichever comes first: the next due action
    or the next thing people do. Stops when nothing more is due and nobody has anything to do."""
    pending = sorted(happenings, key=lambda h: h.at)
    now = kickoff
    reports = []
    for _ in range(max_steps):
        while pending and pending[0].at <= now:
            pending.pop(0).happen(setup)
        report = advance(setup, now, run=run)
        reports.append(report)
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
    """The demo's result in the shape DESIGN.md section 4 promises."""
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

"""A whole engagement on a simulated clock: the demo's client, its files, and the loop that jumps
from one due moment to the next instead of ticking.

The simulated client first returns a list with problems, then, after a reminder, a good one. All
companies are fictional and use the reserved `.example` domain.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl

from smpp import drive
from smpp.engine import AdvanceReport, Runner, Setup, advance, perform
from smpp.models import Engagement, MailSettings, Person, parse_engagement
from smpp.plan import DELIVERABLE_WRITTEN, MAIL_SENT, State
from smpp.status import engagement_status
from smpp.workbook import build_company_list_template

DEMO_SLUG = "northwind-demo"
DEMO_CLIENT = "Northwind Outdoor Gear"
DEMO_WORKSHOP = datetime(2027, 2, 11, 9, 30)
DEMO_TIMEZONE = "Europe/Rome"
# The simulated account lead starts the engagement a month ahead, as the method asks.
DEMO_KICKOFF_DAYS = 30

DEMO_COMPANIES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    # name, website, industry, country, size, why comparable, priority
    (
        "Alpine Crest Outfitters",
        "alpinecrest.example",
        "Outdoor retail",
        "Italy",
        "1,001-5,000",
        "Same customers, strong community on Instagram",
        "1 - high",
    ),
    (
        "Bluefjord Apparel",
        "www.bluefjord.example",
        "Apparel",
        "Norway",
        "251-1,000",
        "Direct-to-consumer, active employee ambassadors",
        "1 - high",
    ),
    (
        "Cedar & Pine Co.",
        "cedarpine.example",
        "Outdoor retail",
        "Canada",
        "1,001-5,000",
        "Similar store network",
        "1 - high",
    ),
    (
        "Dunmore Trail Supply",
        "dunmoretrail.example",
        "Outdoor retail",
        "Ireland",
        "51-250",
        "Regional peer",
        "2 - medium",
    ),
    (
        "Everpeak Sports",
        "everpeak.example",
        "Sporting goods",
        "Germany",
        "5,001-50,000",
        "Market leader we benchmark against",
        "1 - high",
    ),
    (
        "Fjellvind Gear",
        "fjellvind.example",
        "Outdoor equipment",
        "Norway",
        "251-1,000",
        "Technical gear, expert staff online",
        "2 - medium",
    ),
    (
        "Glacier Line",
        "glacierline.example",
        "Apparel",
        "Switzerland",
        "1,001-5,000",
        "Premium positioning",
        "2 - medium",
    ),
    (
        "Highmoor Bikes",
        "highmoor.example",
        "Cycling",
        "Netherlands",
        "251-1,000",
        "Customer support on social media",
        "2 - medium",
    ),
    (
        "Ironbark Outdoors",
        "ironbark.example",
        "Outdoor retail",
        "Australia",
        "1,001-5,000",
        "Similar size and channels",
        "2 - medium",
    ),
    (
        "Juniper Ridge Travel",
        "juniperridge.example",
        "Travel",
        "Spain",
        "251-1,000",
        "Adventure travel audience",
        "3 - low",
    ),
    (
        "Kestrel Climbing",
        "kestrelclimbing.example",
        "Climbing",
        "France",
        "51-250",
        "Athlete ambassadors",
        "2 - medium",
    ),
    (
        "Larchwood Leisure",
        "larchwood.example",
        "Leisure",
        "United Kingdom",
        "1,001-5,000",
        "Family outdoor market",
        "3 - low",
    ),
    (
        "Meridian Paddle",
        "meridianpaddle.example",
        "Water sports",
        "Portugal",
        "51-250",
        "Seasonal campaigns",
        "3 - low",
    ),
    (
        "Northpass Footwear",
        "northpass.example",
        "Footwear",
        "Italy",
        "1,001-5,000",
        "Same suppliers, Italian market",
        "1 - high",
    ),
    (
        "Oakhollow Camping",
        "oakhollow.example",
        "Camping",
        "Austria",
        "251-1,000",
        "Outdoor community forums",
        "3 - low",
    ),
    (
        "Pinnacle Optics",
        "pinnacleoptics.example",
        "Optics",
        "Germany",
        "251-1,000",
        "Expert content on YouTube",
        "3 - low",
    ),
    (
        "Quarry Road Cycles",
        "quarryroad.example",
        "Cycling",
        "Belgium",
        "51-250",
        "Dealer network on social media",
        "3 - low",
    ),
    (
        "Riverstone Apparel",
        "riverstone.example",
        "Apparel",
        "Sweden",
        "5,001-50,000",
        "Sustainability messaging",
        "2 - medium",
    ),
    (
        "Summit Harbor",
        "summitharbor.example",
        "Outdoor retail",
        "United States",
        "5,001-50,000",
        "Large employee base online",
        "2 - medium",
    ),
    (
        "Tundra Lab",
        "tundralab.example",
        "Outdoor equipment",
        "Finland",
        "51-250",
        "Product testers post publicly",
        "3 - low",
    ),
    (
        "Upland Wool",
        "uplandwool.example",
        "Textiles",
        "New Zealand",
        "251-1,000",
        "Brand storytelling",
        "3 - low",
    ),
    (
        "Vantage Ski Works",
        "vantageski.example",
        "Winter sports",
        "Switzerland",
        "51-250",
        "Seasonal crises on social media",
        "2 - medium",
    ),
    (
        "Windrose Sailing",
        "windrose.example",
        "Sailing",
        "Croatia",
        "51-250",
        "Community events",
        "3 - low",
    ),
    (
        "Yellowpine Adventures",
        "yellowpine.example",
        "Outdoor experiences",
        "Slovenia",
        "1-50",
        "Small but very active online",
        "3 - low",
    ),
)


@dataclass(frozen=True)
class ClientDrop:
    """A file the simulated client puts in the inbox at a simulated moment."""

    at: datetime
    name: str
    content: bytes


def demo_engagement(root: Path) -> Engagement:
    data: dict[str, Any] = {
        "client": DEMO_CLIENT,
        "slug": DEMO_SLUG,
        "workshop": DEMO_WORKSHOP.isoformat(),
        "timezone": DEMO_TIMEZONE,
        "account_lead": {"name": "Giulia Ferri", "email": "giulia.ferri@agency.example"},
        "client_contacts": [{"name": "Marco Bianchi", "email": "marco.bianchi@northwind.example"}],
        "attendees": [
            {
                "name": "Marco Bianchi",
                "email": "marco.bianchi@northwind.example",
                "role": "Head of Communications",
            },
            {"name": "Sara Conti", "email": "sara.conti@northwind.example", "role": "HR"},
            {
                "name": "Luca Moretti",
                "email": "luca.moretti@northwind.example",
                "role": "Legal",
                "attending": False,
            },
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
            sheet.cell(row=2 + offset, column=column, value=value)
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


def run_engagement(
    setup: Setup,
    kickoff: datetime,
    drops: list[ClientDrop],
    run: Runner = perform,
    on_advance: Callable[[AdvanceReport], None] | None = None,
    max_steps: int = 200,
) -> list[AdvanceReport]:
    """Advance from the kickoff to the end, jumping to whichever comes first: the next due action
    or the client's next file. Stops when nothing more is due and the client has nothing to send."""
    pending = sorted(drops, key=lambda d: d.at)
    inbox = drive.inbox_dir(setup.engagement.drive)
    now = kickoff
    reports = []
    for _ in range(max_steps):
        while pending and pending[0].at <= now:
            drive.write_atomically(inbox / pending[0].name, pending.pop(0).content)
        report = advance(setup, now, run=run)
        reports.append(report)
        if on_advance is not None:
            on_advance(report)
        upcoming = [t for t in (report.next_due, pending[0].at if pending else None) if t]
        if not upcoming:
            return reports
        now = min(upcoming)
    raise RuntimeError(f"the simulation did not settle within {max_steps} advances")


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

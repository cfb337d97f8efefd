"""The demo's client: a first list with problems, then, after a reminder, a good one. All
companies are fictional and use the reserved `.example` domain."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

import openpyxl

from smpp.models import Engagement
from smpp.setup import Setup
from smpp.sheets import to_bytes
from smpp.simulation import drop_in_inbox
from smpp.stages.company_list.workbook import build_company_list_template

# The simulated client's list (demo_companies.csv), in the columns of the company-list template.
# The priorities are set so the demo's review meets every kind of sample site: a policy address
# given by the client, a sitemap, a home-page link, a PDF, a site with no policy, a slow site; the
# simulated lead then swaps in the site whose policy link redirects.
_DEMO_LIST = Path(__file__).with_name("demo_companies.csv")
DEMO_COMPANIES: tuple[tuple[str, ...], ...] = tuple(
    tuple(row) for row in list(csv.reader(io.StringIO(_DEMO_LIST.read_text("utf-8"))))[1:]
)


@dataclass(frozen=True)
class ClientDrop:
    """A file the simulated client puts in the inbox at a simulated moment."""

    at: datetime
    name: str
    content: bytes

    def happen(self, setup: Setup) -> None:
        drop_in_inbox(setup, self.name, self.content, self.at)


def fill_company_list(
    engagement: Engagement,
    rows: list[tuple[str, ...]],
    due: datetime,
    saved_at: datetime | None = None,
) -> bytes:
    """The client's filled-in copy of the template we sent, saved at `saved_at`."""
    template = build_company_list_template(engagement.client, due.date(), saved_at=saved_at)
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["Companies"]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=2 + offset, column=column, value=value or None)
    return to_bytes(book)


def happenings(engagement: Engagement, kickoff: datetime) -> list[ClientDrop]:
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
    first_at = datetime.combine(workshop_day - timedelta(days=20), time(11, 15), zone)
    second_at = datetime.combine(workshop_day - timedelta(days=17), time(15, 40), zone)
    return [
        ClientDrop(
            first_at,
            "Northwind comparables.xlsx",
            fill_company_list(engagement, [tuple(r) for r in first], due, first_at),
        ),
        ClientDrop(
            second_at,
            "Northwind comparables v2.xlsx",
            fill_company_list(engagement, [tuple(r) for r in good], due, second_at),
        ),
    ]

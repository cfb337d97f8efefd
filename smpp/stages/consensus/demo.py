"""The demo's facilitator: the afternoon after the workshop, returns the packet's consensus
workbook filled in (the recommended or the reviewed companies' position on most topics, the
attendees' own words on one, one topic deferred, one follow-up agreed)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import openpyxl

from smpp import drive
from smpp.models import Engagement
from smpp.positions import recommended
from smpp.setup import Setup
from smpp.sheets import to_bytes
from smpp.simulation import drop_in_inbox
from smpp.stages.packet.consensus_workbook import DECISION_DEFERRED, DECISION_OWN, SHEET

# What the demo's workshop agreed beyond the recommended positions: topic -> column values.
DEMO_DECISIONS: dict[str, dict[str, str]] = {
    "E03": {"Decision": DECISION_DEFERRED, "Notes": "Depends on next year's training budget."},
    "E06": {
        "Follow-up": "Name the three spokespeople and tell everyone who they are",
        "Owner": "Marco Bianchi",
    },
    "E13": {
        "Decision": DECISION_OWN,
        "Agreed wording": "Northwind Outdoor takes no side in elections or referendums; its "
        "people take part in public debate as private citizens.",
    },
}
FOLLOW_UP_DAYS = 30  # the demo's follow-up is due a month after the workshop


def fill_consensus(
    blank: bytes, decisions: dict[str, dict[str, object]], saved_at: datetime
) -> bytes:
    """The consensus workbook with each row's columns set as given (other rows: the
    recommended position), as a facilitator would fill it in and save it at `saved_at`."""
    book = openpyxl.load_workbook(io.BytesIO(blank))
    sheet = book[SHEET]
    header: dict[str, int] = {}
    for row in sheet.iter_rows():
        if not header:
            if row[0].value == "Topic":
                header = {str(c.value): c.column for c in row if c.value}
            continue
        topic = str(row[0].value or "")
        if not topic:
            continue
        values: dict[str, object] = {"Decision": recommended(topic).label}
        values.update(decisions.get(topic, {}))
        for name, value in values.items():
            sheet.cell(row=row[0].row, column=header[name], value=value)
    book.properties.modified = saved_at.astimezone(UTC).replace(tzinfo=None)
    book.properties.lastModifiedBy = "the facilitator"
    return to_bytes(book)


@dataclass(frozen=True)
class FacilitatorReturns:
    at: datetime
    due: datetime

    def happen(self, setup: Setup) -> None:
        folder = drive.stage_dir(setup.engagement.drive, "consensus")
        blanks = sorted(folder.glob("Consensus*.xlsx"))
        if not blanks:
            raise RuntimeError(f"the demo's packet wrote no consensus workbook in {folder}")
        chosen: dict[str, dict[str, object]] = {t: dict(v) for t, v in DEMO_DECISIONS.items()}
        chosen["E06"]["Due date"] = self.due.replace(tzinfo=None)
        filled = fill_consensus(Path(blanks[-1]).read_bytes(), chosen, self.at)
        drop_in_inbox(setup, f"{blanks[-1].stem} - filled.xlsx", filled, self.at)


def happenings(engagement: Engagement, kickoff: datetime) -> list[FacilitatorReturns]:
    day = engagement.workshop_at.date() + timedelta(days=1)
    due = datetime.combine(day + timedelta(days=FOLLOW_UP_DAYS), time(0))
    return [FacilitatorReturns(datetime.combine(day, time(15, 0), engagement.zone), due)]

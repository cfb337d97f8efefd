"""The consensus workbook as the facilitator returns it after the workshop, read and checked:
every topic decided (one of its positions, own wording, or deferred on purpose), own wording
present where it was chosen, an owner and a date for every agreed follow-up. What is missing goes
back to the account lead as one list; nothing is recorded until the workbook is complete.

The workbook is the packet stage's (`smpp/stages/packet/consensus_workbook.py`); this module
reads it by its headers, not by its layout, so a facilitator who moved a column loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from smpp.positions import by_label, positions
from smpp.stages.consensus.events import TopicDecision

# The workbook's spelling is the packet's, which writes it.
from smpp.stages.packet.consensus_workbook import DECISION_DEFERRED, DECISION_OWN, SHEET
from smpp.taxonomy import element, load_taxonomy
from smpp.uploads import UploadWording, as_text, cell_value, is_zip, read_upload, read_xlsx

HEADERS = ("Topic", "Decision", "Agreed wording", "Follow-up", "Owner", "Due date", "Notes")
MAX_BYTES = 5_000_000
MAX_ROWS = 500
MAX_TEXT = 4_000  # characters of one cell: a clause, not a document

WORDING = UploadWording(
    not_ours="not the consensus workbook of the workshop packet",
    send_form=(
        "Please fill in the consensus workbook from the workshop packet folder and put that file "
        "(.xlsx) in the inbox."
    ),
    empty="The file is empty. Please put the filled consensus workbook in the inbox again.",
    too_big=(
        "Remove any pictures or sheets you added, or copy the decisions into the consensus "
        "workbook from the packet folder, and try again."
    ),
    many_parts="more than a consensus workbook holds. Copy the decisions into a fresh one.",
    unzipped="Copy the decisions into the consensus workbook from the packet folder.",
    unsafe="Copy the decisions into the consensus workbook from the packet folder.",
)


@dataclass(frozen=True)
class ConsensusVerdict:
    ok: bool
    problems: list[str]
    decisions: list[TopicDecision] = field(default_factory=list)
    unreadable: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "decisions": list(self.decisions)}


def _refused(message: str, unreadable: bool = False) -> ConsensusVerdict:
    return ConsensusVerdict(False, [message], [], unreadable)


@dataclass(frozen=True)
class _Sheet:
    found: bool
    header: dict[str, int]  # header name (casefolded) -> column index
    rows: list[tuple[int, list[object]]]  # (spreadsheet row number, values)


def _read_sheet(book: Any) -> _Sheet:
    if SHEET not in book.sheetnames:
        return _Sheet(False, {}, [])
    sheet = book[SHEET]
    header: dict[str, int] = {}
    rows: list[tuple[int, list[object]]] = []
    for number, cells in enumerate(sheet.iter_rows(max_row=MAX_ROWS + 20), 1):
        values = [cell_value(cell) for cell in cells]
        if not header:
            if values and as_text(values[0]).casefold() == "topic":
                header = {as_text(v).casefold(): i for i, v in enumerate(values) if as_text(v)}
            continue
        if any(as_text(v) for v in values):
            rows.append((number, values))
    return _Sheet(True, header, rows)


def _due(value: object) -> date | None | str:
    """A due date from a date cell, or text in ISO or day/month/year; a string says what is
    wrong."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = as_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return f"the due date '{text[:40]}' is not a date (write it as 2027-03-01 or 1/3/2027)"


def _choices(element_id: str) -> str:
    labels = [f"'{p.label}'" for p in positions(element_id)]
    return ", ".join(labels + [f"'{DECISION_OWN}'", f"'{DECISION_DEFERRED}'"])


def topic_decision(
    topic: str, values: dict[str, str], raw_due: object
) -> tuple[TopicDecision | None, list[str]]:
    """One row's decision, or what is missing in it (in words for the account lead)."""
    name = f"{topic} {element(topic).name}"
    problems: list[str] = []
    chosen = values["decision"]
    wording = values["agreed wording"]
    follow_up = values["follow-up"]
    owner = values["owner"]
    due = _due(raw_due)
    if isinstance(due, str):
        problems.append(f"{name}: {due}.")
        due = None
    if not chosen:
        problems.append(
            f"{name}: no decision. Choose one of {_choices(topic)} in the Decision column."
        )
        return None, problems
    position_id = ""
    if chosen.casefold() == DECISION_OWN.casefold():
        choice = "own"
        if not wording:
            problems.append(
                f"{name}: '{DECISION_OWN}' was chosen but the Agreed wording is empty; write the "
                "wording the workshop agreed."
            )
    elif chosen.casefold() == DECISION_DEFERRED.casefold():
        choice = "deferred"
    else:
        found = by_label(topic, chosen)
        if found is None:
            problems.append(
                f"{name}: '{chosen[:80]}' is not one of the choices; choose one of "
                f"{_choices(topic)}."
            )
            return None, problems
        choice, position_id = "position", found.id
    if follow_up and not owner:
        problems.append(f"{name}: the follow-up '{follow_up[:80]}' has no owner; name one.")
    if follow_up and due is None:
        problems.append(f"{name}: the follow-up '{follow_up[:80]}' has no due date; give one.")
    if (owner or due) and not follow_up and choice != "deferred":
        problems.append(
            f"{name}: an owner or due date is given but no follow-up; say what is to be done."
        )
    if problems:
        return None, problems
    return (
        TopicDecision(
            topic=topic,
            choice=choice,  # type: ignore[typeddict-item]
            position=position_id,
            wording=wording,
            follow_up=follow_up,
            owner=owner,
            due=due.isoformat() if isinstance(due, date) else "",
            notes=values["notes"],
        ),
        [],
    )


def judge_consensus(path: Path) -> ConsensusVerdict:
    """The decisions in a returned consensus workbook, or every problem with it at once."""
    data = read_upload(path, MAX_BYTES, WORDING)
    if isinstance(data, str):
        return _refused(data, unreadable=True)
    if not is_zip(data):
        return _refused(f"This file is {WORDING.not_ours}. {WORDING.send_form}", unreadable=True)
    sheet = read_xlsx(data, _read_sheet, WORDING)
    if isinstance(sheet, str):
        return _refused(sheet, unreadable=True)
    if not sheet.found or not sheet.header:
        return _refused(
            f"This workbook has no '{SHEET}' sheet with a 'Topic' column, so it is "
            f"{WORDING.not_ours}. {WORDING.send_form}",
            unreadable=True,
        )
    missing_headers = [h for h in HEADERS if h.casefold() not in sheet.header]
    if missing_headers:
        return _refused(
            f"The '{SHEET}' sheet has no column {', '.join(repr(h) for h in missing_headers)}; "
            "a column may have been renamed or deleted. Copy the decisions into the consensus "
            "workbook from the packet folder."
        )
    if len(sheet.rows) > MAX_ROWS:
        return _refused(
            f"The '{SHEET}' sheet has more than {MAX_ROWS} rows; it holds one per topic."
        )
    known = [e.id for e in load_taxonomy()]
    found: dict[str, TopicDecision] = {}
    problems: list[str] = []
    for number, values in sheet.rows:

        def text(header: str, values: list[object] = values) -> str:
            index = sheet.header[header.casefold()]
            raw = values[index] if index < len(values) else None
            return " ".join(as_text(raw).split())[:MAX_TEXT]

        topic = text("Topic").upper()
        if topic not in known:
            problems.append(
                f"Row {number}: '{topic[:20]}' in the Topic column is not a topic of the packet "
                "(E01 to E25); leave the Topic column as it was."
            )
            continue
        if topic in found:
            problems.append(f"Row {number}: {topic} appears twice; keep one row per topic.")
            continue
        index = sheet.header["due date"]
        raw_due = values[index] if index < len(values) else None
        decision, wrong = topic_decision(
            topic, {h.casefold(): text(h) for h in HEADERS if h != "Due date"}, raw_due
        )
        problems += wrong
        if decision is not None:
            found[topic] = decision
    absent = [t for t in known if t not in found and not any(p.startswith(t) for p in problems)]
    for topic in absent:
        problems.append(
            f"{topic} {element(topic).name}: the topic's row is missing; every topic needs a "
            f"decision (choose '{DECISION_DEFERRED}' to leave it for later)."
        )
    if problems:
        return ConsensusVerdict(False, problems, [])
    return ConsensusVerdict(True, [], [found[t] for t in known])

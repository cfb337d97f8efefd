"""The document standard (smpp.documents), and every workbook the demo writes checked against
it by tests/document_check.py: legible rows, print set-up, properties, fonts, a cover first."""

from __future__ import annotations

import email
import email.policy
import io
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from openpyxl.styles import Alignment

from smpp.documents import (
    DocumentInfo,
    FullTexts,
    Mark,
    add_cover,
    detail_text,
    finish_workbook,
    link,
    link_text,
    long_date,
    long_day,
    new_workbook,
    text_chunks,
)
from smpp.events import DELIVERABLE_WRITTEN
from smpp.mailer import OutboxMailer
from smpp.setup import Setup
from smpp.sheets import to_bytes
from smpp.simulation import (
    DEMO_CLIENT,
    demo_engagement,
    demo_happenings,
    demo_kickoff,
    demo_web,
    run_engagement,
)
from smpp.site_server import SiteServer
from smpp.store import Store
from tests.document_check import (
    CAN_PRINT,
    CANNOT_PRINT,
    check_workbook,
    overlapping_words,
    pdf_text,
    print_to_pdf,
)

ROME = ZoneInfo("Europe/Rome")
MADE = datetime(2027, 1, 25, 15, 40, tzinfo=ROME)


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2027, 1, 25, 15, 40, tzinfo=ROME), "Monday 25 January 2027, 15:40"),
        (datetime(2028, 2, 29, 9, 5), "Tuesday 29 February 2028, 09:05"),
    ],
)
def test_long_date_says_the_moment_in_words(moment: datetime, text: str) -> None:
    assert long_date(moment) == text
    assert long_day(moment.date()) == text.split(",")[0]


def test_detail_text_cuts_at_a_boundary_and_says_where_the_rest_is() -> None:
    text = "First sentence here. " * 20
    cut = detail_text(text, 120, "Full texts")
    assert len(cut) <= 120
    assert cut.endswith("… (full text on sheet Full texts)")
    assert cut.startswith("First sentence here. First")
    assert detail_text("short", 120, "Full texts") == "short"


def test_text_chunks_keep_every_word_within_the_limit() -> None:
    text = "Para one is here.\n" + " ".join(f"word{n}" for n in range(400))
    pieces = text_chunks(text, 200)
    assert all(len(p) <= 200 for p in pieces)
    assert " ".join(pieces).split() == text.split()


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://acme.example/policy", True),
        ("http://acme.example", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ('=HYPERLINK("http://evil")', False),
    ],
)
def test_link_makes_only_web_addresses_clickable(url: str, linked: bool) -> None:
    book = openpyxl.Workbook()
    cell = book.active["A1"]
    link(cell, url)
    assert (cell.hyperlink is not None) == linked
    assert (cell.value, cell.data_type) == (url, "s")  # outside text is never a formula


def test_link_text_fits_one_line_or_falls_back_to_the_site() -> None:
    assert link_text("https://acme.example/policy/", 26) == "acme.example/policy"
    long = "https://www.acme.example/en/company/governance/social-media-policy"
    assert link_text(long, 26) == "www.acme.example/…"


def test_link_text_shortened_to_its_site_still_fits_its_column() -> None:
    url = "https://www.bluefjord-outdoor-apparel.example/en/policy"
    shown = link_text(url, 19)
    assert shown == "www.bluefjord-outd…"
    assert len(shown) <= 22  # what a 19-wide column holds on one line at 10 points


def test_a_number_in_a_wrapped_cell_keeps_a_one_line_row() -> None:
    """A share shows as "33%": its 18 digits are not text that wraps."""
    book = new_workbook()
    sheet = book.active
    sheet.title = "Choices"
    sheet.column_dimensions["A"].width = 7
    sheet["A2"] = 1 / 3
    sheet["A2"].number_format = "0%"
    sheet["A2"].alignment = Alignment(wrap_text=True)
    info = DocumentInfo(client="Acme", title="Choices", version=1, made_at=MADE)
    add_cover(book, info, [("Choices", "Counts.")], [])
    finish_workbook(book, info)
    assert book["Choices"].row_dimensions[2].height < 20


def test_the_neutral_company_list_template_meets_the_document_standard() -> None:
    """`smpp template company-list` without options: no client, no due date."""
    from smpp.stages.company_list.workbook import build_company_list_template

    data = build_company_list_template(None, None)
    assert check_workbook(data, None, 1) == []
    cover = [
        str(v)
        for row in openpyxl.load_workbook(io.BytesIO(data))["Instructions"].values
        for v in row
        if v
    ]
    assert "Your company" not in " ".join(cover)
    assert "the date in our email" in cover


def test_full_texts_keeps_what_was_cut_whole_on_a_detail_sheet() -> None:
    book = new_workbook()
    full = FullTexts()
    long = "A long answer. " * 200
    shown = full.cut(long, 300, "Who, Ann")
    assert shown.endswith("(full text on sheet Full texts)")
    sheet = full.write(book)
    assert sheet is not None
    pieces = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert " ".join(str(p) for p in pieces).split() == long.split()


def test_finish_workbook_sets_print_heights_fonts_and_properties() -> None:
    book = new_workbook()
    sheet = book.active
    sheet.title = "Notes"
    sheet.column_dimensions["A"].width = 20
    sheet["A1"] = "Header"
    sheet["A2"] = "A sentence long enough to need several lines in a narrow column. " * 3
    sheet["A2"].alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = "A2"
    info = DocumentInfo(
        client="Smith & Co",
        title="Notes",
        version=3,
        made_at=MADE,
        agency="Agency desk",
        purpose="Tested notes.",
        findings=("One.",),
        changes=("Replaces version 2.",),
    )
    add_cover(book, info, [("Notes", "The notes.")], [Mark("x", "A mark.", "FFF2CC")])
    finish_workbook(book, info)
    opened = openpyxl.load_workbook(io.BytesIO(to_bytes(book)))
    assert opened.sheetnames == ["Cover", "Notes"]
    notes = opened["Notes"]
    assert notes.row_dimensions[2].height >= 6 * 12
    assert notes.print_title_rows == "$1:$1"
    assert notes.oddHeader.left.text == "Smith && Co"  # a lone & starts a code in a header
    assert notes.oddHeader.right.text == "Version 3, 25 January 2027"
    assert notes.oddFooter.center.text == "Page &P of &N"
    assert (opened.properties.title, opened.properties.creator) == (
        "Notes - Smith & Co",
        "Agency desk",
    )
    assert notes["A2"].font.name == "Arial"
    cover = [str(v) for row in opened["Cover"].iter_rows(values_only=True) for v in row if v]
    assert "Monday 25 January 2027, 15:40" in cover
    assert "•  Replaces version 2." in cover and "•  One." in cover
    assert check_workbook(to_bytes(book), "Smith & Co", 3) == []


def test_the_check_refuses_a_workbook_written_the_old_way() -> None:
    """What every workbook looked like before the standard: it fails on each count."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Evidence"
    sheet.column_dimensions["A"].width = 30
    sheet["A1"] = "Evidence sentence"
    sheet["A2"] = "A sentence that wraps over several lines in a thirty-wide column, at least. " * 2
    sheet["A2"].alignment = Alignment(wrap_text=True)
    sheet["B2"] = "2027-01-25T15:41:00+00:00"
    sheet.freeze_panes = "A2"
    problems = check_workbook(to_bytes(book), "Acme", 1)
    for expected in (
        "Evidence!A2: needs",
        "Evidence: not set to print one page wide",
        "Evidence: the page header does not name the client",
        "Evidence: the table's header rows are not repeated",
        "workbook: creator is 'openpyxl'",
        "workbook: the first sheet is 'Evidence', not a cover",
        "Evidence!B2: shows an ISO time",
        "workbook: default font 'Calibri'",
    ):
        assert any(p.startswith(expected) for p in problems), (expected, problems)


# --- the demo's workbooks -------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_workbooks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """Every workbook the demo writes (deliverables on the drive, forms attached to mails),
    from the demo's core run without Prefect."""
    root = tmp_path_factory.mktemp("demo")
    engagement = demo_engagement(root)
    store = Store(f"sqlite:///{root / 'state.db'}")
    with SiteServer(delays={"fjellvind.example": 0.2}) as sites:
        setup = Setup(engagement, store, OutboxMailer(root / "Outbox"), demo_web(sites))
        kickoff = demo_kickoff(engagement)
        run_engagement(setup, kickoff, demo_happenings(engagement, kickoff))
    books: dict[str, bytes] = {}
    for event in store.events_for(engagement.slug):
        if event.kind == DELIVERABLE_WRITTEN:
            path = Path(event.data["path"])
            if path.suffix == ".xlsx":  # the packet's HTML document is checked in test_packet
                books[path.name] = path.read_bytes()
    store.close()
    for message in sorted((root / "Outbox").glob("*.eml")):
        parsed: Any = email.message_from_bytes(message.read_bytes(), policy=email.policy.default)
        for part in parsed.iter_attachments():
            name = part.get_filename() or ""
            if name.endswith(".xlsx"):
                books.setdefault(name, part.get_content())
    yield books


def test_the_demo_writes_every_kind_of_workbook(demo_workbooks: dict[str, bytes]) -> None:
    names = set(demo_workbooks)
    for expected in (
        f"Company list - {DEMO_CLIENT}.xlsx",  # the template, attached to the request
        f"Company list - {DEMO_CLIENT} - 2027-01-25.xlsx",
        f"Peer review - {DEMO_CLIENT} - v1.xlsx",
        f"Peer review - {DEMO_CLIENT} - v2.xlsx",
        f"Questionnaire - {DEMO_CLIENT} - Marco Bianchi.xlsx",
        f"Questionnaire summary - {DEMO_CLIENT} - v1.xlsx",
        f"Workshop packet - {DEMO_CLIENT} - v1.xlsx",
        f"Consensus - {DEMO_CLIENT} - v1.xlsx",
    ):
        assert expected in names


def test_every_demo_workbook_meets_the_document_standard(
    demo_workbooks: dict[str, bytes],
) -> None:
    problems = []
    for name, data in sorted(demo_workbooks.items()):
        version = int(name.rsplit(" - v", 1)[1].removesuffix(".xlsx")) if " - v" in name else 1
        problems += [f"{name}: {p}" for p in check_workbook(data, DEMO_CLIENT, version)]
    assert problems == []


def test_the_demo_review_states_the_law_of_each_red_flag(demo_workbooks: dict[str, bytes]) -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(demo_workbooks[f"Peer review - {DEMO_CLIENT} - v2.xlsx"])
    )
    laws = [
        str(law)
        for label, law in book["Summary"].iter_rows(max_col=2, values_only=True)
        if label == "Law it rests on"
    ]
    assert laws, "the demo's review has red flags"
    for law in laws:
        assert law.startswith("US: ")
        assert "does not apply in Italy as such" in law
        assert "a prompt for a local legal check, not a finding" in law
    cover = [str(v) for row in book["Cover"].iter_rows(values_only=True) for v in row if v]
    assert "•  Now reviewed: Everpeak Sports." in cover
    assert (
        "•  No longer reviewed: Fjellvind Gear (replaced at the account lead's request)." in cover
    )


@pytest.mark.skipif(not CAN_PRINT, reason=CANNOT_PRINT)
def test_the_demo_workbooks_print_without_text_on_top_of_text(
    demo_workbooks: dict[str, bytes], tmp_path: Path
) -> None:
    """What a reader sees: each kind of workbook printed to PDF by LibreOffice, and no word
    drawn over another (which is what rows too short for their text look like)."""
    kinds = [n for n in demo_workbooks if "Questionnaire - " not in n]
    kinds.append(next(n for n in demo_workbooks if n.startswith("Questionnaire - ")))
    for name in kinds:
        (tmp_path / name).write_bytes(demo_workbooks[name])
    print_to_pdf(tmp_path / "pdf", *(tmp_path / n for n in kinds))
    hits = {}
    for name in kinds:
        pdf = tmp_path / "pdf" / name.replace(".xlsx", ".pdf")
        boxes = pdf_text(pdf, "-bbox")
        assert "<word" in boxes, name
        found = overlapping_words(boxes)
        if found:
            hits[name] = found[:5]
    assert hits == {}

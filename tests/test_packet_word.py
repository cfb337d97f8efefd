"""The workshop packet as a Word document, read back with python-docx: the HTML's segments in
its order, one heading per drafting topic, the agenda adding up to the session, the scenario's
sources, the core properties; hostile names and answers kept as plain text; and LibreOffice
opening it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from docx import Document

from smpp.simulation import demo_engagement
from smpp.stages.packet.content import Packet
from smpp.stages.packet.performers import packet_from_record
from smpp.stages.packet.word import packet_docx
from smpp.state import State
from smpp.store import Event
from tests.document_check import CAN_PRINT, CANNOT_PRINT, pdf_text, print_to_pdf
from tests.test_packet import FORMULA, RTL, SCRIPT, _hostile_packet

MADE = datetime(2027, 2, 5, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # 09:00 UTC
SEGMENTS = [
    "Agenda",
    "1. The social media scenario",
    "2. The five questions",
    "3. The peer review",
    "4. The drafting topics",
]
CONTROL = "Legal\x01\x0b team"


@pytest.fixture(scope="module")
def demo_packet(recorded: list[Event], tmp_path_factory: pytest.TempPathFactory) -> Packet:
    engagement = demo_engagement(tmp_path_factory.mktemp("demo"))
    return packet_from_record(State(engagement, tuple(recorded)), MADE)


@pytest.fixture(scope="module")
def demo_docx(demo_packet: Packet) -> bytes:
    return packet_docx(demo_packet, MADE, version=3, agency="Brightline Communications")


def _open(content: bytes) -> Any:
    return Document(io.BytesIO(content))


def _headings(document: Any, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def _all_text(document: Any) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_the_word_packet_has_the_htmls_segments_in_order(
    demo_docx: bytes, demo_packet: Packet
) -> None:
    document = _open(demo_docx)
    assert _headings(document, "Title") == ["Workshop packet for Northwind Outdoor Gear"]
    assert _headings(document, "Heading 1") == SEGMENTS
    # Every Heading 2 after the drafting topics' heading is a topic: one per element, in order.
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    start = styles.index(("Heading 1", "4. The drafting topics"))
    topics = [text for name, text in styles[start:] if name == "Heading 2"]
    assert len(topics) == 25
    assert [t.split(" ", 1)[0] for t in topics] == [t.id for t in demo_packet.topics]
    assert all(("quick confirmation" in t) or ("for discussion" in t) for t in topics)
    # The five questions each have their heading in the questions segment.
    questions = styles.index(("Heading 1", "2. The five questions"))
    review = styles.index(("Heading 1", "3. The peer review"))
    asked = [text for name, text in styles[questions:review] if name == "Heading 2"]
    assert [a.split(":", 1)[0] for a in asked] == [s.question.title for s in demo_packet.questions]
    text = _all_text(document)
    assert "Start from:" in text
    assert "Red flags" in _headings(document, "Heading 2")


def test_the_agenda_table_adds_up_to_the_session(demo_docx: bytes, demo_packet: Packet) -> None:
    agenda = _open(demo_docx).tables[0]
    header = [c.text for c in agenda.rows[0].cells]
    assert header == ["Time", "Segment", "Item", "Minutes"]
    # The header row repeats on every page the table runs onto.
    assert agenda.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    body = [[c.text for c in row.cells] for row in agenda.rows[1:]]
    total = body.pop()
    assert total[2:] == ["Total", str(demo_packet.session_minutes)]
    assert sum(int(row[3]) for row in body) == demo_packet.session_minutes
    assert body[0][0].startswith(f"{demo_packet.agenda[0].start:%H:%M}")


def test_a_scenario_figure_shows_its_value_year_publisher_url_and_quote(
    demo_docx: bytes, demo_packet: Packet
) -> None:
    scenario = _open(demo_docx).tables[1]
    assert [c.text for c in scenario.rows[0].cells] == ["Figure", "Value", "Source"]
    assert len(scenario.rows) == len(demo_packet.figures) + 1
    figure = demo_packet.figures[0].figure
    cells = [c.text for c in scenario.rows[1].cells]
    assert figure.stated() in cells[0]
    assert f"“{figure.quote}”" in cells[0]
    assert cells[2].startswith(f"{figure.publisher}, {figure.year}: {figure.title}")
    assert figure.url in cells[2]
    # The address is a live link too.
    links = [r.target_ref for r in _open(demo_docx).part.rels.values() if r.is_external]
    assert figure.url in links


def test_the_peer_review_matrix_is_a_table_with_each_company(
    demo_docx: bytes, demo_packet: Packet
) -> None:
    matrix = _open(demo_docx).tables[2]
    assert [c.text for c in matrix.rows[0].cells] == ["Element", *demo_packet.companies]
    assert len(matrix.rows) == len(demo_packet.matrix.index) + 1
    first = demo_packet.matrix.index[0]
    marks = [c.text for c in matrix.rows[1].cells[1:]]
    assert marks == [
        "✓" if bool(demo_packet.matrix.loc[first, c]) else "" for c in demo_packet.companies
    ]
    text = _all_text(_open(demo_docx))
    for flag in demo_packet.red_flags:
        assert flag.sentence in text


def test_the_core_properties_name_the_packet_the_agency_and_the_given_moment(
    demo_docx: bytes,
) -> None:
    properties = _open(demo_docx).core_properties
    assert properties.title == "Workshop packet for Northwind Outdoor Gear"
    assert properties.subject == "Workshop packet"
    assert properties.author == "Brightline Communications"
    assert properties.created == datetime(2027, 2, 5, 9, 0, tzinfo=UTC)
    assert properties.revision == 3
    header = _open(demo_docx).sections[0].header.paragraphs[0].text
    assert header == (
        "Workshop packet for Northwind Outdoor Gear · Version 3, Friday 5 February 2027, 10:00"
    )
    footer = _open(demo_docx).sections[0].footer.paragraphs[0]
    assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml


def _hostile_docx() -> bytes:
    packet = replace(_hostile_packet(), client=f"{SCRIPT}{FORMULA}{CONTROL}")
    return packet_docx(packet, MADE, version=1, agency=f"{SCRIPT} {CONTROL}")


def test_hostile_names_and_answers_are_plain_text_and_the_file_opens() -> None:
    document = _open(_hostile_docx())
    title = _headings(document, "Title")
    assert title == [f"Workshop packet for {SCRIPT}{FORMULA}Legal team"]
    text = _all_text(document)
    assert SCRIPT in text and FORMULA in text and RTL in text
    # The control character is dropped, the rest of the name kept.
    assert document.core_properties.author == f"{SCRIPT} Legal team"
    assert "\x01" not in document.element.xml
    # Right-to-left answers are laid out right to left.
    answer = next(p for p in document.paragraphs if p.text == RTL)
    assert "<w:bidi/>" in answer._p.xml
    # The formula-looking text is a run's text, never a field.
    assert "HYPERLINK" not in "".join(
        t.text or ""
        for t in document.element.iter(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText"
        )
    )


@pytest.mark.skipif(not CAN_PRINT, reason=CANNOT_PRINT)
def test_libreoffice_converts_the_word_packet(demo_docx: bytes, tmp_path: Path) -> None:
    for name, content in (("demo", demo_docx), ("hostile", _hostile_docx())):
        (tmp_path / f"{name}.docx").write_bytes(content)
    print_to_pdf(tmp_path, tmp_path / "demo.docx", tmp_path / "hostile.docx")
    demo = pdf_text(tmp_path / "demo.pdf")
    assert "4. The drafting topics" in demo
    assert "Workshop packet for Northwind Outdoor Gear" in demo
    hostile = pdf_text(tmp_path / "hostile.pdf")
    assert "<script>" in hostile

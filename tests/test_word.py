"""The Word documents' shared helpers (smpp/word.py): outside text cleaned of the characters Word
refuses, right-to-left text found by its first strong character and marked where the schema
wants it; and the policy document, built for a client and a role named in Arabic, reading back
with those paragraphs right to left."""

from __future__ import annotations

import io
from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from smpp import word
from smpp.models import PolicySettings
from smpp.stages.policy.assembly import assemble
from smpp.stages.policy.document import policy_docx
from tests.test_policy_assembly import EVIDENCE, document, workshop

ARABIC_CLIENT = "شركة الأغذية"
ARABIC_TEAM = "فريق الاتصالات"
HEBREW = "שלום"


def right_to_left_paragraph(paragraph: Paragraph) -> bool:
    properties = paragraph._p.pPr
    return properties is not None and properties.find(qn("w:bidi")) is not None


def test_text_drops_the_control_characters_word_refuses_and_keeps_tabs_and_newlines() -> None:
    assert word.text("Legal\x01\x0b team\x7f") == "Legal team"
    assert word.text("1.\tFirst\nSecond\r\n") == "1.\tFirst\nSecond\r\n"
    assert word.text(3) == "3"  # any value, as its text
    assert word.text(f"{HEBREW} <b>=SUM(A1)</b>") == f"{HEBREW} <b>=SUM(A1)</b>"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (HEBREW, True),
        (ARABIC_CLIENT, True),
        (f"2027 {ARABIC_CLIENT}", True),  # digits and spaces are weak: the first letter decides
        (f"“{HEBREW}”", True),
        (f"Acme {HEBREW}", False),
        ("Northwind Outdoor Gear", False),
        ("\u202eevil", True),  # a right-to-left override reads right to left
        ("", False),
        ("12:00 – 13:00", False),
    ],
)
def test_right_to_left_is_decided_by_the_first_strong_character(value: str, expected: bool) -> None:
    assert word.right_to_left(value) is expected


def test_the_right_to_left_mark_stands_before_spacing_and_indent_as_word_requires() -> None:
    page = docx.Document()
    marked = word.paragraph(page, HEBREW, indent=0.8)
    marked.paragraph_format.space_after = 0
    tags = [child.tag for child in marked._p.pPr]
    assert tags == [qn("w:bidi"), qn("w:spacing"), qn("w:ind")]
    plain = word.paragraph(page, "Acme", indent=0.8)
    assert not right_to_left_paragraph(plain)


def _read(content: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(content))


def test_a_policy_for_a_client_and_a_role_named_in_arabic_has_right_to_left_paragraphs() -> None:
    policy = assemble(
        ARABIC_CLIENT, workshop(), PolicySettings(communications_team=ARABIC_TEAM), EVIDENCE, 2
    )
    read = _read(policy_docx(replace(document(ARABIC_CLIENT), policy=policy)))
    title = read.paragraphs[0]
    assert (title.style.name, title.text) == ("Title", ARABIC_CLIENT)
    assert right_to_left_paragraph(title)
    led_by_the_client = [p for p in read.paragraphs if p.text.startswith(ARABIC_CLIENT)]
    led_by_the_team = [p for p in read.paragraphs if p.text.startswith(ARABIC_TEAM)]
    assert len(led_by_the_client) > 1 and led_by_the_team
    assert all(right_to_left_paragraph(p) for p in led_by_the_client + led_by_the_team)
    # A paragraph that only mentions the name, after English words, stays left to right.
    intro = next(p for p in read.paragraphs if p.text.startswith("This policy says"))
    assert ARABIC_CLIENT in intro.text and not right_to_left_paragraph(intro)


def test_a_policy_for_a_latin_named_client_has_no_right_to_left_paragraph() -> None:
    assert "w:bidi" not in _read(policy_docx(document())).element.xml


def test_a_table_repeats_its_header_sets_its_widths_on_the_grid_and_marks_rtl_cells() -> None:
    page = docx.Document()
    body = word.table(page, ("Owner", "Due"), [(ARABIC_TEAM, "1 March"), ("Giulia", "")], (4, 2))
    table = page.tables[0]
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    grid = [column.get(qn("w:w")) for column in table._tbl.tblGrid.gridCol_lst]
    assert grid == [str(round(4 / 2.54 * 1440)), str(round(2 / 2.54 * 1440))]  # twips
    assert right_to_left_paragraph(body[0][0].paragraphs[0])
    assert not right_to_left_paragraph(body[1][0].paragraphs[0])


def test_the_policy_page_lets_a_right_to_left_name_set_its_own_direction() -> None:
    """The HTML twin of the Word document's rule: the client's name, each clause and each step
    take their direction from their first strong character (dir="auto"), names inside English
    sentences are isolated, and the name is still escaped."""
    from smpp.stages.policy.document import policy_html

    policy = assemble(
        ARABIC_CLIENT, workshop(), PolicySettings(communications_team=ARABIC_TEAM), EVIDENCE, 2
    )
    page = policy_html(replace(document(ARABIC_CLIENT), policy=policy)).decode()
    assert f'<h1 dir="auto">{ARABIC_CLIENT}</h1>' in page
    assert '<p dir="auto">' in page and '<li dir="auto">' in page
    hostile = policy_html(document("<b>Acme</b>")).decode()
    assert "<b>Acme</b>" not in hostile and "&lt;b&gt;Acme&lt;/b&gt;" in hostile

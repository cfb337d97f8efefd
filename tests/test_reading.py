"""Reading pages, PDFs and text into main text and sentences under their headings."""

from __future__ import annotations

import lxml.html
import pytest
from fpdf import FPDF

from smpp.document import Document, Sentence
from smpp.reading import (
    MAX_TEXT_CHARS,
    ReadError,
    _plain_html_text,
    detect_kind,
    read_document,
    split_sentences,
)

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>Social Media Policy | Acme Inc.</title></head>
<body>
<header><a href="/">Acme</a> <a href="/shop">Shop now</a> <a href="/login">Sign in</a></header>
<nav><ul><li><a href="/about">About us</a></li><li><a href="/careers">Careers</a></li></ul></nav>
<main><article>
<h1>Social Media Policy</h1>
<p>This policy applies to all employees of Acme Inc. and its subsidiaries, e.g. contractors and
temporary staff. It explains how we <strong>must</strong> behave on social media.</p>
<h2>Personal accounts</h2>
<p>Employees should make clear that they speak for themselves, i.e. not for Acme. The policy was
approved by Dr. Jones of the U.S. office in 2024. Do you have questions? Ask the team!</p>
<ul>
<li>Do not share confidential information.</li>
<li>Be respectful to colleagues, customers etc. at all times</li>
<li>Report problems to <em>Communications</em>.</li>
</ul>
<p><strong>Breaches</strong></p>
<p>Breaches may lead to disciplinary action.</p>
</article></main>
<footer><p>Copyright 2024 Acme Inc. All rights reserved.</p><a href="/cookies">Cookies</a></footer>
</body></html>
"""


def assert_quotable(document: Document) -> None:
    assert document.sentences, "no sentences"
    for number, sentence in enumerate(document.sentences):
        assert sentence.text in document.text
        assert sentence.text == sentence.text.strip()
        assert sentence.index == number


def texts(document: Document) -> list[str]:
    return [sentence.text for sentence in document.sentences]


def test_a_page_is_read_without_its_navigation_and_footer() -> None:
    document = read_document(PAGE, "text/html; charset=utf-8", "https://acme.example/smp")
    assert document.content_type == "html"
    assert document.source == "https://acme.example/smp"
    assert document.title == "Social Media Policy | Acme Inc."
    assert document.text.startswith("# Social Media Policy\n")
    assert "## Personal accounts" in document.text
    for noise in ("Shop now", "Sign in", "Careers", "Copyright", "Cookies"):
        assert noise not in document.text
    assert "**" not in document.text and "*Communications*" not in document.text
    assert_quotable(document)


def test_sentences_carry_their_headings() -> None:
    document = read_document(PAGE, "text/html", "https://acme.example/smp")
    assert [(sentence.heading, sentence.text) for sentence in document.sentences] == [
        (
            "Social Media Policy",
            "This policy applies to all employees of Acme Inc. and its subsidiaries, e.g. "
            "contractors and temporary staff.",
        ),
        ("Social Media Policy", "It explains how we must behave on social media."),
        (
            "Personal accounts",
            "Employees should make clear that they speak for themselves, i.e. not for Acme.",
        ),
        (
            "Personal accounts",
            "The policy was approved by Dr. Jones of the U.S. office in 2024.",
        ),
        ("Personal accounts", "Do you have questions?"),
        ("Personal accounts", "Ask the team!"),
        ("Personal accounts", "Do not share confidential information."),
        ("Personal accounts", "Be respectful to colleagues, customers etc. at all times"),
        ("Personal accounts", "Report problems to Communications."),
        ("Breaches", "Breaches may lead to disciplinary action."),
    ]


def test_abbreviations_do_not_end_sentences() -> None:
    text = (
        "Acme Inc. The name is old. Staff, e.g. Mr. Smith and Mrs. Jones, post daily. "
        "Ask Dr. Who of Acme Ltd. About it, i.e. Now. Contact St. Mary's vs. Co. Durham. "
        "No. 10 is open, see J. R. Smith. The U.K. And the U.S. Office agree etc. Done. "
        'He said "Go." Then left! Really? 2024 was fine.'
    )
    assert [sentence.text for sentence in split_sentences(text)] == [
        "Acme Inc. The name is old.",
        "Staff, e.g. Mr. Smith and Mrs. Jones, post daily.",
        "Ask Dr. Who of Acme Ltd. About it, i.e. Now.",
        "Contact St. Mary's vs. Co. Durham.",
        "No. 10 is open, see J. R. Smith.",
        "The U.K. And the U.S. Office agree etc. Done.",
        'He said "Go."',
        "Then left!",
        "Really?",
        "2024 was fine.",
    ]


def test_bullets_are_sentences_of_their_own() -> None:
    text = (
        "## Rules\n\nEmployees must:\n- be kind\n* be brief\n• think first. Then post.\n"
        "1. check facts\n2) ask Communications\n\nThat is all."
    )
    sentences = split_sentences(text)
    assert [sentence.text for sentence in sentences] == [
        "Employees must:",
        "be kind",
        "be brief",
        "think first.",
        "Then post.",
        "check facts",
        "ask Communications",
        "That is all.",
    ]
    assert {sentence.heading for sentence in sentences} == {"Rules"}
    assert all(sentence.text in text for sentence in sentences)


def test_headings_in_plain_text_stand_alone() -> None:
    text = (
        "Social Media Policy\n\nThis policy applies to everyone.\n\n"
        "1. Personal use\n\nKeep it civil.\nShort line without a full stop\n\n"
        "a lowercase line alone\n\n## Marked heading ##\nText under it."
    )
    sentences = split_sentences(text)
    assert [(sentence.heading, sentence.text) for sentence in sentences] == [
        ("Social Media Policy", "This policy applies to everyone."),
        ("1. Personal use", "Keep it civil."),
        ("1. Personal use", "Short line without a full stop"),
        ("1. Personal use", "a lowercase line alone"),
        ("Marked heading", "Text under it."),
    ]
    # in a web page, a short line alone is as often a date or a caption as a heading
    unmarked = split_sentences("Updated May 2024\n\nText.", plain_headings=False)
    assert [sentence.text for sentence in unmarked] == ["Updated May 2024", "Text."]


def test_plain_text_headings_questions_and_label_lines() -> None:
    # What the classifier's own splitter used to do, now done by the one splitter.
    text = (
        "ACME GROUP\nSocial Media Standard\n\n"
        "Policy owner: Communications\nLast reviewed: May 2025\n\n"
        "## 1. Scope\n\n"
        "This policy applies to all staff.\nIt also covers contractors.\n\n"
        "RESPECT\n"
        "Be kind to everyone.\n\n"
        "Who is this for?\n"
        "Everyone who works here.\n\n"
        "Employees must not disclose confidential information\n"
        "about the company, including unreleased financial\n"
        "results. They may discuss their own pay.\n"
    )
    sentences = split_sentences(text)
    assert [(sentence.heading, sentence.text) for sentence in sentences] == [
        ("Social Media Standard", "Policy owner: Communications"),
        ("Social Media Standard", "Last reviewed: May 2025"),
        ("1. Scope", "This policy applies to all staff."),
        ("1. Scope", "It also covers contractors."),
        ("RESPECT", "Be kind to everyone."),
        ("Who is this for?", "Everyone who works here."),
        (
            "Who is this for?",
            "Employees must not disclose confidential information\nabout the company, including "
            "unreleased financial\nresults.",
        ),
        ("Who is this for?", "They may discuss their own pay."),
    ]
    assert all(sentence.text in text for sentence in sentences)


def test_sentences_end_at_quotes_and_brackets_but_not_abbreviations() -> None:
    text = (
        "# Title\n\nSocial media (e.g. Facebook, X) is covered. Acme Inc. and its U.S. "
        'subsidiaries apply it, i.e. everyone. See No. 5 below! Is it clear? "Yes." Dr. Smith '
        "agrees. St. Columba too.\n"
    )
    assert [sentence.text for sentence in split_sentences(text)] == [
        "Social media (e.g. Facebook, X) is covered.",
        "Acme Inc. and its U.S. subsidiaries apply it, i.e. everyone.",
        "See No. 5 below!",
        "Is it clear?",
        '"Yes."',
        "Dr. Smith agrees.",
        "St. Columba too.",
    ]


def test_list_items_keep_the_sentence_that_introduces_them() -> None:
    text = "## Rules\n\nYou must not:\n- post secrets\n- be rude\n\n"
    text += "But you may:\n\n* share news\n\nEnd."
    assert [(sentence.text, sentence.lead_in) for sentence in split_sentences(text)] == [
        ("You must not:", None),
        ("post secrets", "You must not:"),
        ("be rude", "You must not:"),
        ("But you may:", None),
        ("share news", "But you may:"),
        ("End.", None),
    ]


def test_a_sentence_ends_where_extraction_lost_the_space() -> None:
    text = "It covers work hours.All other rules apply. Acme Inc.The end. Use e.g.Facebook."
    assert [sentence.text for sentence in split_sentences(text)] == [
        "It covers work hours.",
        "All other rules apply.",
        "Acme Inc.The end.",
        "Use e.g.Facebook.",
    ]


def test_table_rows_are_sentences() -> None:
    sentences = split_sentences("# Owners\n\n| Role | Owner |\n|---|---|\n| Approval | Comms |")
    assert sentences == (
        Sentence("Role | Owner", "Owners", 0),
        Sentence("Approval | Comms", "Owners", 1),
    )


def make_pdf() -> bytes:
    pdf = FPDF()
    pdf.set_title("Acme Social Media Policy")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Social Media Policy", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "This policy applies to all employees of Acme Inc. and its subsidiaries. Employees must "
        "not disclose confidential information on social media, and they should always make "
        "clear that their views are their own. The commu-\nnications team reviews it yearly.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "Personal accounts", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "- Do not share confidential information.\n- Be respectful to others, e.g. colleagues.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(0, 6, "Staff who breach this policy may face disciplinary action.")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "Review", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "The policy is reviewed every year. Changes are announced to all staff.")
    return bytes(pdf.output())


def test_a_pdf_is_read_into_paragraphs_headings_and_sentences() -> None:
    document = read_document(make_pdf(), "application/octet-stream", "https://acme.example/p")
    assert document.content_type == "pdf"
    assert document.title == "Acme Social Media Policy"
    assert "communications team" in document.text  # hyphenation across the line undone
    assert "- Do not share confidential information.\n- Be respectful" in document.text
    assert [(sentence.heading, sentence.text) for sentence in document.sentences] == [
        (
            "Social Media Policy",
            "This policy applies to all employees of Acme Inc. and its subsidiaries.",
        ),
        (
            "Social Media Policy",
            "Employees must not disclose confidential information on social media, and they "
            "should always make clear that their views are their own.",
        ),
        ("Social Media Policy", "The communications team reviews it yearly."),
        ("Personal accounts", "Do not share confidential information."),
        ("Personal accounts", "Be respectful to others, e.g. colleagues."),
        ("Personal accounts", "Staff who breach this policy may face disciplinary action."),
        ("Review", "The policy is reviewed every year."),
        ("Review", "Changes are announced to all staff."),
    ]
    assert_quotable(document)


def test_a_corrupt_pdf_is_a_read_error() -> None:
    damaged = make_pdf()[:400]
    with pytest.raises(ReadError, match="the PDF cannot be read"):
        read_document(damaged, "application/pdf", "policy.pdf")
    with pytest.raises(ReadError):
        read_document(b"%PDF-1.7 nothing else", None, "policy.pdf")


def test_a_password_protected_pdf_is_a_read_error() -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Secret policy")
    with pytest.raises(ReadError, match="protected by a password"):
        read_document(bytes(pdf.output()), "application/pdf", "locked.pdf")


def test_a_pdf_locked_only_against_editing_is_read() -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner")  # empty user password
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Employees must be kind.")
    document = read_document(bytes(pdf.output()), None, "open.pdf")
    assert texts(document) == ["Employees must be kind."]


def test_plain_text_is_read_as_it_stands() -> None:
    content = (
        "Social media policy\r\n\r\nOur staff must be careful online. They\r\nshould think "
        "first.\r\n\r\nCaf\xe9 rules\r\n\r\n- No swearing.\r\n"
    ).encode("cp1252")
    document = read_document(content, None, "policy.txt")
    assert document.content_type == "text"
    assert document.title == "Social media policy"
    assert document.text.startswith("Social media policy\n\nOur staff")
    assert [(sentence.heading, sentence.text) for sentence in document.sentences] == [
        ("Social media policy", "Our staff must be careful online."),
        ("Social media policy", "They\nshould think first."),
        ("Café rules", "No swearing."),
    ]
    assert_quotable(document)


def test_utf8_text_with_a_byte_order_mark() -> None:
    document = read_document("\ufeffRègle: soyez prudents.".encode(), "text/plain", "x")
    assert document.text == "Règle: soyez prudents."


def test_the_kind_comes_from_bytes_then_header_then_extension() -> None:
    assert detect_kind(b"%PDF-1.4 ...", "text/html", "a.html") == "pdf"
    assert detect_kind(b"<p>x</p>", "text/html; charset=utf-8", "a.txt") == "html"
    assert detect_kind(b"plain", "text/plain", "a.html") == "text"
    assert detect_kind(b"<p>x</p>", None, "https://acme.example/policy.htm?x=1") == "html"
    assert detect_kind(b"x", "application/octet-stream", "files/policy.PDF") == "pdf"
    assert detect_kind(b"  <!DOCTYPE html><html>", None, "https://acme.example/p") == "html"
    assert detect_kind(b"Just words", None, "https://acme.example/p") == "text"


def test_a_page_without_text_is_a_read_error() -> None:
    with pytest.raises(ReadError, match="no readable text"):
        read_document(b"<html><body></body></html>", "text/html", "https://acme.example/")
    with pytest.raises(ReadError):
        read_document(b"", None, "empty.txt")


def test_the_fallback_html_reader_keeps_structure() -> None:
    tree = lxml.html.document_fromstring(
        "<html><body><nav><p>Menu</p></nav><h2>Rules</h2><p>Be  kind.</p>"
        "<ul><li>Think first.</li></ul><script>var x;</script></body></html>"
    )
    assert _plain_html_text(tree) == "## Rules\n\nBe kind.\n\n- Think first."


def test_very_long_text_is_capped() -> None:
    paragraph = "word " * 199 + "end.\n\n"
    document = read_document((paragraph * 2_100).encode(), "text/plain", "long.txt")
    assert len(document.text) <= MAX_TEXT_CHARS
    assert document.text.endswith("end.")

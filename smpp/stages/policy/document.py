"""The policy as the client receives it: a Word document they can edit (Word's own styles, so
headings, numbering and the table of contents behave as in any document of theirs) and the same
text as an HTML page. Pure: the date and everything shown are parameters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from smpp.documents import FONT_NAME, long_date, long_day
from smpp.sheets import clean_text
from smpp.stages.policy.assembly import Policy
from smpp.stages.policy.check import Finding

PAGES = Path(__file__).with_name("pages")


@dataclass(frozen=True)
class Accepted:
    """A check finding the account lead accepted, with the note they gave."""

    finding: Finding
    by: str
    note: str


@dataclass(frozen=True)
class Version:
    version: int
    made_at: datetime
    changes: tuple[str, ...]


@dataclass(frozen=True)
class PolicyDocument:
    """Everything the document shows beside the policy itself."""

    policy: Policy
    made_at: datetime  # in the client's time zone
    agency: str
    history: tuple[Version, ...]  # every version so far, this one last
    accepted: tuple[Accepted, ...]
    review_on: date  # the policy's first review

    @property
    def title(self) -> str:
        return f"{self.policy.client} social media policy"

    @property
    def version_line(self) -> str:
        return f"Version {self.policy.version}, {long_day(self.made_at.date())}"


def _text(value: str) -> str:
    """Outside text for a Word run: no control characters Word would refuse."""
    return clean_text(value)


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (page number, table of contents entry) with the text shown until updated."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run._r.append(begin)
    code = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    code._r.append(text)
    separate = paragraph.add_run()
    mark = OxmlElement("w:fldChar")
    mark.set(qn("w:fldCharType"), "separate")
    separate._r.append(mark)
    paragraph.add_run(shown)
    end = paragraph.add_run()
    close = OxmlElement("w:fldChar")
    close.set(qn("w:fldCharType"), "end")
    end._r.append(close)


def _contents(document: WordDocument, entries: Sequence[str]) -> None:
    """A table of contents field whose shown result already lists the headings, so the contents
    read right before Word updates the field (and in programs that never do)."""
    first = document.add_paragraph(style="Normal")
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    first.add_run()._r.append(begin)
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    first.add_run()._r.append(separate)
    paragraphs = [first] + [document.add_paragraph(style="Normal") for _ in entries[1:]]
    for paragraph, entry in zip(paragraphs, entries, strict=True):
        indent = entry[:1].isdigit() and "." in entry.split(" ", 1)[0].rstrip(".")
        paragraph.paragraph_format.left_indent = Cm(0.8 if indent else 0)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(_text(entry))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraphs[-1].add_run()._r.append(end)


def _styles(document: WordDocument) -> None:
    styles = document.styles
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Number"):
        font = styles[name].font
        font.name = FONT_NAME
        # East-Asian and complex-script text falls back to the same font.
        rpr = styles[name].element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT_NAME)
    styles["Normal"].font.size = Pt(10.5)
    styles["Heading 1"].font.size = Pt(15)
    styles["Heading 2"].font.size = Pt(12)
    for name in ("Heading 1", "Heading 2", "Title"):
        styles[name].font.color.rgb = RGBColor(0x1F, 0x3A, 0x5F)


def _header_footer(document: WordDocument, info: PolicyDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Cm(2.2))
    section.top_margin = section.bottom_margin = Cm(2.0)
    header = section.header.paragraphs[0]
    header.text = _text(f"{info.title} · {info.version_line}")
    header.style.font.size = Pt(8)
    footer = section.footer.paragraphs[0]
    footer.add_run(_text(f"{info.agency} for {info.policy.client} · page "))
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")


def _table(
    document: WordDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    # LibreOffice lays a table out by its grid columns, Word by its cells: both are set.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for cell, header, width in zip(table.rows[0].cells, headers, widths, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].add_run(header).bold = True
    # The header row repeats on every page the table runs onto.
    properties = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for values in rows:
        cells = table.add_row().cells
        for cell, value, width in zip(cells, values, widths, strict=True):
            cell.width = Cm(width)
            cell.paragraphs[0].add_run(_text(value))
    document.add_paragraph()


def policy_docx(info: PolicyDocument) -> bytes:
    policy = info.policy
    document = Document()
    _styles(document)
    _header_footer(document, info)
    properties = document.core_properties
    properties.title = _text(info.title)[:250]
    properties.subject = "Social media policy and procedures"
    properties.author = _text(info.agency)[:250]
    properties.last_modified_by = _text(info.agency)[:250]
    properties.comments = _text(
        f"Version {policy.version}, assembled from the workshop's decisions"
    )
    properties.keywords = "social media policy; procedures"
    properties.revision = policy.version
    # Word stores these in UTC.
    properties.created = properties.modified = info.made_at.astimezone(UTC).replace(tzinfo=None)

    document.add_paragraph(_text(policy.client), style="Title")
    document.add_paragraph("Social media policy and procedures", style="Subtitle")
    document.add_paragraph(_text(f"{info.version_line}. Prepared by {info.agency}."))
    document.add_paragraph(
        _text(
            f"This policy says who may speak on social media for {policy.client} and how, what "
            "to post and when to hold back, how accounts are run, how what is said online is "
            "routed and answered, and what is measured and reported. It was written from the "
            "decisions of the drafting workshop; Appendix A shows where each clause comes from."
        )
    )
    document.add_heading("Contents", level=1)
    entries = []
    for section in policy.sections:
        if section.clauses:
            entries.append(f"{section.number}. {section.title}")
            entries += [f"{c.number} {c.title}" for c in section.clauses]
    procedures_number = len(policy.sections) + 1
    entries.append(f"{procedures_number}. Procedures")
    entries += [
        "Open items",
        "Appendix A: Where each clause comes from",
        "Appendix B: Policy check",
        "Version history",
    ]
    _contents(document, entries)
    document.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)

    for section in policy.sections:
        if not section.clauses:
            continue
        document.add_heading(_text(f"{section.number}. {section.title}"), level=1)
        for clause in section.clauses:
            document.add_heading(_text(f"{clause.number} {clause.title}"), level=2)
            document.add_paragraph(_text(clause.text))
    document.add_heading(f"{procedures_number}. Procedures", level=1)
    for n, procedure in enumerate(policy.procedures, 1):
        document.add_heading(_text(f"{procedures_number}.{n} {procedure.title}"), level=2)
        for step_number, step in enumerate(procedure.steps, 1):
            paragraph = document.add_paragraph(style="Normal")
            paragraph.paragraph_format.left_indent = Cm(0.8)
            paragraph.paragraph_format.first_line_indent = Cm(-0.8)
            paragraph.add_run(f"{step_number}.\t").bold = True
            paragraph.add_run(_text(step))

    document.add_heading("Open items", level=1)
    if policy.open_items:
        document.add_paragraph(
            "Topics left for a later decision and follow-ups agreed in the workshop. Each is "
            "tracked to its date; a decided topic becomes a clause in the next version."
        )
        _table(
            document,
            ("Topic", "What is open", "Owner", "Due"),
            [
                (
                    item.title,
                    item.what + (f" ({item.notes})" if item.notes else ""),
                    item.owner or "not named yet",
                    long_day(item.due) if item.due else "no date yet",
                )
                for item in policy.open_items
            ],
            (4.0, 7.0, 3.0, 2.6),
        )
    else:
        document.add_paragraph("None: every topic was decided, with no follow-up left open.")

    document.add_heading("Appendix A: Where each clause comes from", level=1)
    document.add_paragraph(
        "Each clause with the workshop decision it was written from and the reviewed companies "
        "whose published policies take the same position (their sentences quoted as published)."
    )
    rows = []
    for clause in policy.clauses():
        evidence = "; ".join(f'{e.company}: "{e.sentence}" ({e.url})' for e in clause.evidence[:3])
        rows.append((clause.number, clause.title, clause.basis, evidence or "none of the five"))
    for decided in policy.without_clause:
        rows.append(("-", decided.title, decided.basis + " (no clause needed)", ""))
    _table(
        document,
        ("Clause", "Topic", "Decision", "Seen among the reviewed companies"),
        rows,
        (1.8, 3.6, 4.6, 6.6),
    )

    document.add_heading("Appendix B: Policy check", level=1)
    if info.accepted:
        document.add_paragraph(
            "The draft was checked for wording that labour, advertising or privacy law treats "
            "as risky. These findings were accepted by the account lead, with their reasons:"
        )
        _table(
            document,
            ("Clause", "Finding", "Law", "Accepted, and why"),
            [
                (
                    a.finding.clause,
                    a.finding.why,
                    f"{a.finding.law}. {a.finding.applies}",
                    f"{a.by}: {a.note}",
                )
                for a in info.accepted
            ],
            (1.8, 6.0, 5.0, 3.8),
        )
    else:
        document.add_paragraph(
            "The draft was checked for wording that labour, advertising or privacy law treats "
            "as risky; no finding stands."
        )

    document.add_heading("Version history", level=1)
    _table(
        document,
        ("Version", "Date", "What changed"),
        [(str(v.version), long_date(v.made_at), "\n".join(v.changes)) for v in info.history],
        (1.8, 4.5, 10.3),
    )
    document.add_paragraph(_text(f"First review of this policy due by {long_day(info.review_on)}."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(PAGES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=True),
    )
    environment.filters["long_day"] = long_day
    environment.filters["long_date"] = long_date
    return environment


def policy_html(info: PolicyDocument) -> bytes:
    page = (
        _environment()
        .get_template("policy.html")
        .render(info=info, policy=info.policy, procedures_number=len(info.policy.sections) + 1)
    )
    return page.encode("utf-8")

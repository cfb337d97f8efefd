"""The policy as the client receives it: a Word document they can edit (Word's own styles, so
headings, numbering and the table of contents behave as in any document of theirs) and the same
text as an HTML page. Pure: the date and everything shown are parameters.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from smpp import word
from smpp.documents import long_date, long_day
from smpp.stages.policy.assembly import Policy
from smpp.stages.policy.check import Finding
from smpp.templating import page_environment

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


def _contents(document: WordDocument, entries: Sequence[str]) -> None:
    """A table of contents field whose shown result already lists the headings, so the contents
    read right before Word updates the field (and in programs that never do)."""
    first = document.add_paragraph(style="Normal")
    word.begin_field(first, 'TOC \\o "1-2" \\h \\z \\u')
    paragraphs = [first] + [document.add_paragraph(style="Normal") for _ in entries[1:]]
    for paragraph, entry in zip(paragraphs, entries, strict=True):
        indent = entry[:1].isdigit() and "." in entry.split(" ", 1)[0].rstrip(".")
        paragraph.paragraph_format.left_indent = Cm(0.8 if indent else 0)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.add_run(word.text(entry))
    word.end_field(paragraphs[-1])


def _styles(document: WordDocument) -> None:
    # The title and headings in Arial too, like the packet: the default template's theme fonts
    # would win over it (Calibri Light in Word, DejaVu Sans in LibreOffice).
    word.base_styles(
        document,
        ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Number"),
        {"Normal": 10.5, "Heading 1": 15, "Heading 2": 12},
    )


def _table(
    document: WordDocument,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
) -> None:
    """A table at the body's size, and an empty paragraph after it, so the next heading does
    not touch its last row."""
    word.table(document, headers, rows, widths)
    document.add_paragraph()


def policy_docx(info: PolicyDocument) -> bytes:
    policy = info.policy
    document = Document()
    _styles(document)
    word.page_and_header_footer(
        document, f"{info.title} · {info.version_line}", f"{info.agency} for {policy.client}"
    )
    properties = document.core_properties
    properties.title = word.text(info.title)[:250]
    properties.subject = "Social media policy and procedures"
    properties.author = word.text(info.agency)[:250]
    properties.last_modified_by = word.text(info.agency)[:250]
    properties.comments = word.text(
        f"Version {policy.version}, assembled from the workshop's decisions"
    )
    properties.keywords = "social media policy; procedures"
    properties.revision = policy.version
    # Word stores these in UTC.
    properties.created = properties.modified = info.made_at.astimezone(UTC).replace(tzinfo=None)

    word.paragraph(document, policy.client, style="Title")
    document.add_paragraph("Social media policy and procedures", style="Subtitle")
    word.paragraph(document, f"{info.version_line}. Prepared by {info.agency}.")
    word.paragraph(
        document,
        f"This policy says who may speak on social media for {policy.client} and how, what "
        "to post and when to hold back, how accounts are run, how what is said online is "
        "routed and answered, and what is measured and reported. It was written from the "
        "decisions of the drafting workshop; Appendix A shows where each clause comes from.",
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
        document.add_heading(word.text(f"{section.number}. {section.title}"), level=1)
        for clause in section.clauses:
            document.add_heading(word.text(f"{clause.number} {clause.title}"), level=2)
            word.paragraph(document, clause.text)
    document.add_heading(f"{procedures_number}. Procedures", level=1)
    for n, procedure in enumerate(policy.procedures, 1):
        document.add_heading(word.text(f"{procedures_number}.{n} {procedure.title}"), level=2)
        for step_number, step in enumerate(procedure.steps, 1):
            paragraph = word.paragraph(document, step, bold=f"{step_number}.\t", indent=0.8)
            paragraph.paragraph_format.first_line_indent = Cm(-0.8)

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
    word.paragraph(document, f"First review of this policy due by {long_day(info.review_on)}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def policy_html(info: PolicyDocument) -> bytes:
    page = (
        page_environment(PAGES)
        .get_template("policy.html")
        .render(info=info, policy=info.policy, procedures_number=len(info.policy.sections) + 1)
    )
    return page.encode("utf-8")

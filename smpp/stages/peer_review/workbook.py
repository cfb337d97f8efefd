"""The peer-review deliverable: advice an account lead can take into the workshop, with the
comparison and its evidence behind it.

Sheets: Cover; Summary (the red flags with the sentence, why, the fix and the law each rests on,
what this means for the client, recommendations for the drafting session); Overview; Matrix
(companies x elements, with a legend); Coverage (charts); Evidence (every sentence behind a tick,
linked to its policy); Red flags; Notes; Selection (why each company was chosen or passed over, in
words); Technical (URLs, fetch times, SHA-256, files, what the search tried). All text from
outside (policies, the client's list) goes through `set_text`, never as a formula.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from openpyxl.chart import Reference
from openpyxl.chart.legend import Legend
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from smpp.documents import (
    DEFAULT_AGENCY,
    FONT_NAME,
    LABEL_FONT,
    LINK_COLOUR,
    NOTE_FONT,
    TITLE_FONT,
    TOP_WRAP,
    ChartColumn,
    DocumentInfo,
    FullTexts,
    Mark,
    PreviousVersion,
    add_cover,
    bar_chart,
    finish_workbook,
    link,
    link_text,
    long_date,
    new_workbook,
    site_name,
    write_facts,
    write_heading,
    write_paragraph,
)
from smpp.sheets import set_text, to_bytes, write_cell, write_table
from smpp.stages.peer_review.comparison import (
    QUESTION_LABELS,
    STANCE_WORDS,
    CompanyReview,
    Comparison,
)
from smpp.stages.peer_review.selection import Verdict
from smpp.taxonomy import QUESTIONS

TICK = "✓"
PRESENT = "C6EFCE"
ABSENT = "F8D7DA"
PRESENT_FILL = PatternFill("solid", fgColor=PRESENT)
ABSENT_FILL = PatternFill("solid", fgColor=ABSENT)
TITLE = "Peer review of social media policies"
TECHNICAL = "Technical"

# The red flags' reasons and sources cite US law; the names a lead can repeat, found by what the
# reason cites. Nothing here states another country's law.
_US_LAWS = (
    (
        re.compile(r"\bFTC\b|Endorsement Guides"),
        "US: FTC Endorsement Guides (16 CFR Part 255)",
    ),
    (
        re.compile(r"NLRA|NLRB|Stericycle|\bAGC\b|Giant Food|Boeing|\bALJ\b|Section 7|Walmart"),
        "US: National Labor Relations Act (NLRA), Section 7, as the NLRB applies it",
    ),
    (re.compile(r"US states"), "US: state laws"),
)
COUNTRY_NAMES = {
    "AT": "Austria",
    "AU": "Australia",
    "BE": "Belgium",
    "CA": "Canada",
    "CH": "Switzerland",
    "CZ": "the Czech Republic",
    "DE": "Germany",
    "DK": "Denmark",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "GB": "the United Kingdom",
    "GR": "Greece",
    "IE": "Ireland",
    "IT": "Italy",
    "LU": "Luxembourg",
    "NL": "the Netherlands",
    "NO": "Norway",
    "PL": "Poland",
    "PT": "Portugal",
    "SE": "Sweden",
    "US": "the United States",
}


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code.upper(), f"the country with code {code.upper()}")


@dataclass(frozen=True)
class FlagView:
    """A red flag as the workbook words it: the reason split into why, fix and legal basis,
    and the law it rests on with whether it applies to the client."""

    company: str
    element_id: str
    element: str
    sentence: str
    why: str
    fix: str
    basis: str
    law: str
    jurisdiction: str  # ISO code of the country whose law it rests on
    applies: str  # in words, for this client


def split_reason(reason: str) -> tuple[str, str, str]:
    """(why, fix, basis) from a classifier reason "Why... Fix: ... Basis: ..."; parts it does
    not have are ""."""
    head, _, basis = reason.partition(" Basis: ")
    why, _, fix = head.partition(" Fix: ")
    return why.strip(), fix.strip(), basis.strip()


def law_of(flag: Mapping[str, str], why: str, basis: str) -> str:
    """The law a flag rests on: the classifier's own `law` when it gives one, else what its
    reason cites, else US law unnamed."""
    if flag.get("law"):
        return str(flag["law"])
    text = f"{why} {basis}"
    named = [name for pattern, name in _US_LAWS if pattern.search(text)]
    return "; ".join(named) or "US law"


def with_jurisdiction(law: str, jurisdiction: str) -> str:
    """'US: NLRA Section 7 ...': the law, led by the country whose law it is."""
    if law.startswith((f"{jurisdiction}:", f"{jurisdiction} law")):
        return law
    return f"{jurisdiction}: {law}"


def applicability(jurisdiction: str, client: str, country: str | None) -> str:
    """Whether a flag resting on `jurisdiction`'s law applies to the client, without claiming
    any law the sources do not state."""
    if country is None:
        return (
            f"The engagement does not say in which country {client} is, so whether this "
            "applies needs a legal check."
        )
    if country.upper() == jurisdiction.upper():
        return f"{client} is in {country_name(jurisdiction)}, where this law applies."
    home = country_name(country)
    return (
        f"It does not apply in {home} as such. No equivalent under the law of {home} was "
        "checked: a prompt for a local legal check, not a finding."
    )


def flag_views(
    reviews: Sequence[CompanyReview], comparison: Comparison, client: str, country: str | None
) -> list[FlagView]:
    views = []
    for review in reviews:
        for flag in review.red_flags:
            why, fix, basis = split_reason(str(flag.get("reason", "")))
            fix = str(flag.get("fix") or fix)
            fix = fix[:1].upper() + fix[1:]
            basis = str(flag.get("basis") or basis)
            jurisdiction = str(flag.get("jurisdiction") or "US")
            element_id = str(flag["element"])
            views.append(
                FlagView(
                    company=review.name,
                    element_id=element_id,
                    element=comparison.elements[element_id].name,
                    sentence=str(flag["sentence"]),
                    why=why,
                    fix=fix,
                    basis=basis,
                    law=with_jurisdiction(law_of(flag, why, basis), jurisdiction),
                    jurisdiction=jurisdiction,
                    applies=applicability(jurisdiction, client, country),
                )
            )
    return views


_NOT_FOUND = "No public social media policy found: "
_BY_LEAD = "Chosen by the account lead"


def reason_in_words(verdict: Verdict) -> tuple[str, str]:
    """(what a lead can repeat to a client, the technical detail or "") for one company."""
    reason = verdict.reason
    lead = reason.startswith(_BY_LEAD)
    rest = reason.removeprefix(_BY_LEAD).lstrip(".;, ")
    if verdict.status == "chosen":
        given = verdict.candidate.priority is not None
        why = f"Client priority {verdict.priority}" if given else "Next on the client's list"
        if lead:
            why = "Chosen by the account lead"
        return f"{why}; its policy was found on its site.", ""
    if not rest.startswith(_NOT_FOUND):
        return reason, ""
    notes = rest.removeprefix(_NOT_FOUND)
    answered = "returned HTTP" in notes or "does not read" in notes or "sitemap:" in notes
    if "could not be fetched" in notes and not answered:
        words = "Its site could not be reached, so its policy could not be looked for."
    elif "could not be read" in notes:
        words = "A possible policy was found on its site but could not be read."
    else:
        words = "No social media policy found on its site."
    if lead:
        words = "Chosen by the account lead, but: " + words[0].lower() + words[1:]
    return words, notes


def build_review_workbook(
    client: str,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    verdicts: Sequence[Verdict],
    made_at: datetime,
    *,
    version: int = 1,
    previous: PreviousVersion | None = None,
    country: str | None = None,
    agency: str = DEFAULT_AGENCY,
) -> bytes:
    """The review as .xlsx bytes. `made_at` is in the client's zone; `previous` is what the last
    version recorded (its "companies" domains and "red_flags" count), for what changed; `country`
    (ISO alpha-2) says whether the red flags' law applies to the client."""
    flags = flag_views(reviews, comparison, client, country)
    full = FullTexts()
    book = new_workbook()
    _summary(book.active, client, reviews, comparison, flags, country, full)
    _overview(book.create_sheet("Overview"), reviews, comparison)
    _matrix(book.create_sheet("Matrix"), comparison)
    _coverage(book, comparison)
    _evidence(book.create_sheet("Evidence"), reviews, comparison, full)
    _red_flags(book.create_sheet("Red flags"), flags, client, full)
    _notes(book.create_sheet("Notes"), comparison, reviews)
    _selection(book.create_sheet("Selection"), verdicts)
    full.write(book)
    _technical(book.create_sheet(TECHNICAL), reviews, verdicts)
    info = DocumentInfo(
        client=client,
        title=TITLE,
        version=version,
        made_at=made_at,
        agency=agency,
        audience=f"the account lead, and {client}'s people drafting its policy",
        purpose=(
            f"{len(reviews)} comparable companies' public social media policies, read against "
            f"{len(comparison.elements)} policy elements: what they share, where they differ, "
            "what is risky, and what it means for the workshop."
        ),
        changes=_changes(reviews, verdicts, previous),
        findings=_findings(client, reviews, comparison, flags, country),
        keywords=("peer review", client),
    )
    add_cover(book, info, _SHEETS, _MARKS)
    finish_workbook(book, info)
    return to_bytes(book)


_SHEETS = (
    (
        "Summary",
        "The red flags (the sentence, why it is a risk, the fix, the law it rests on), what "
        "this means for the client, and recommendations for the drafting session.",
    ),
    ("Overview", "Each policy at a glance; what the policies share, where they differ."),
    ("Matrix", "The companies against the policy elements: a tick where a policy covers one."),
    ("Coverage", "Charts: how many companies cover each element, and each question."),
    ("Evidence", "Every sentence behind a tick, with a link to its policy."),
    ("Red flags", "The red flags in full, with their legal basis as the sources state it."),
    ("Notes", "A critical note per company: strengths, gaps, risks and clarity."),
    ("Selection", "Why each company on the client's list was reviewed or not."),
    (TECHNICAL, "For checking: each policy's address, fetch time, fingerprint and file."),
)
_MARKS = (
    Mark(
        TICK, "On the Matrix: the policy covers the element (its sentences on Evidence).", PRESENT
    ),
    Mark("", "On the Matrix: the policy does not cover the element.", ABSENT),
    Mark(
        "link", "Underlined blue text is a link: to a policy on the web, or to a sheet.", link=True
    ),
)


def _changes(
    reviews: Sequence[CompanyReview],
    verdicts: Sequence[Verdict],
    previous: PreviousVersion | None,
) -> tuple[str, ...]:
    if previous is None:
        return ("First version.",)
    names = {v.candidate.domain: v.candidate.name for v in verdicts}
    reasons = {v.candidate.domain: reason_in_words(v)[0] for v in verdicts}
    before = [str(d) for d in previous.facts.get("companies", [])]
    now = [r.domain for r in reviews]
    lines = [f"Replaces version {previous.version} of {long_date(previous.made_at)}."]
    added = [names.get(d, d) for d in now if d not in before]
    if added:
        lines.append("Now reviewed: " + ", ".join(added) + ".")
    for domain in before:
        if domain not in now:
            why = reasons.get(domain, "").rstrip(".")
            why = f" ({why[:1].lower()}{why[1:]})" if why else ""
            lines.append(f"No longer reviewed: {names.get(domain, domain)}{why}.")
    flags_before = previous.facts.get("red_flags")
    flags_now = sum(len(r.red_flags) for r in reviews)
    if isinstance(flags_before, int) and flags_before != flags_now:
        lines.append(f"Red flags: {flags_now} now, {flags_before} in version {previous.version}.")
    if len(lines) == 1:
        lines.append("The same companies, reviewed again.")
    return tuple(lines)


def _findings(
    client: str,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    flags: Sequence[FlagView],
    country: str | None,
) -> tuple[str, ...]:
    if not reviews:
        return ("No policy could be reviewed.",)
    counts = [len(r.elements) for r in reviews]
    total = len(comparison.elements)
    lines = [
        f"{len(reviews)} policies reviewed against {total} elements; each covers between "
        f"{min(counts)} and {max(counts)}.",
        f"{len(comparison.common)} elements are common to most of them; "
        f"{len(comparison.absent)} are covered by none.",
    ]
    if flags:
        flagged = sorted({f.company for f in flags})
        lines.append(
            f"{_count(len(flags), 'red flag')} in {_count(len(flagged), 'policy', 'policies')} "
            f"({', '.join(flagged)}): wording to avoid, with the fix for each on the Summary "
            "sheet."
        )
        if country is None:
            lines.append("The red flags rest on US law; the client's country is not set.")
        elif any(f.jurisdiction != country.upper() for f in flags):
            lines.append(
                f"The red flags rest on US law; {client} is in {country_name(country)}: "
                "check them locally."
            )
    else:
        lines.append("No red flags: none of the policies uses wording the review marks as risky.")
    share = comparison.coverage.mean(axis=1)
    thin = str(share.idxmin())
    lines.append(
        f"Thinnest on {QUESTION_LABELS[thin]}: on average {share[thin]:.0%} of its elements "
        "covered."
    )
    return tuple(lines[:5])


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


# --- Summary --------------------------------------------------------------------------------

_SUMMARY_WIDTHS = (22, 76)


def _summary(
    sheet: Worksheet,
    client: str,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    flags: Sequence[FlagView],
    country: str | None,
    full: FullTexts,
) -> None:
    sheet.title = "Summary"
    for column, width in enumerate(_SUMMARY_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    last = len(_SUMMARY_WIDTHS)
    row = write_paragraph(sheet, 1, f"What the peer review means for {client}", last, TITLE_FONT)
    row = write_paragraph(
        sheet,
        row,
        f"{len(reviews)} companies' policies reviewed against {len(comparison.elements)} "
        "policy elements. The details behind every statement are on the other sheets.",
        last,
    )
    row += 1
    row = write_heading(sheet, row, f"Red flags ({len(flags)})")
    if not flags:
        row = write_paragraph(
            sheet, row, "None of the policies uses wording the review marks as risky.", last
        )
    for number, flag in enumerate(flags, start=1):
        row = write_paragraph(
            sheet, row, f"{number}. {flag.company}: {flag.element}", last, LABEL_FONT
        )
        row = write_facts(
            sheet,
            row,
            [
                ("Their sentence", "“" + full.cut(flag.sentence, 500, "Summary") + "”"),
                ("Why it is a risk", flag.why),
                ("The fix", flag.fix or "See the reason on the Red flags sheet."),
                ("Law it rests on", f"{flag.law}. {flag.applies}"),
            ],
        )
        row += 1
    row += 1
    row = write_heading(sheet, row, f"What this means for {client}")
    for paragraph in _meaning(client, reviews, comparison, flags, country):
        row = write_paragraph(sheet, row, paragraph, last)
    row += 1
    row = write_heading(sheet, row, "Recommendations for the drafting session")
    for number, line in enumerate(_recommendations(client, reviews, comparison, flags), 1):
        row = write_paragraph(sheet, row, f"{number}. {line}", last)


def _names(ids: Sequence[str], comparison: Comparison, most: int = 6) -> str:
    names = [comparison.elements[i].name for i in ids]
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _meaning(
    client: str,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    flags: Sequence[FlagView],
    country: str | None,
) -> list[str]:
    paragraphs = []
    if flags:
        flagged = sorted({f.company for f in flags})
        elements = sorted({f.element for f in flags})
        laws = sorted({f.law for f in flags})
        verb = "contains" if len(flagged) == 1 else "contain"
        paragraphs.append(
            f"{len(flagged)} of the {len(reviews)} policies {verb} wording that the law they "
            f"are judged against treats as risky ({', '.join(elements)}). {client}'s policy "
            "should not copy it: each fix above says what to write instead. Law cited: "
            + "; ".join(laws)
            + "."
        )
        if country is None:
            paragraphs.append(
                f"These flags rest on US law, and the engagement does not say in which country "
                f"{client} is: have a lawyer check before the drafting session whether they "
                "apply. No other country's law was checked for this review."
            )
        elif any(f.jurisdiction != country.upper() for f in flags):
            where = country_name(country)
            paragraphs.append(
                f"These flags rest on US law. {client} is in {where}, so they are prompts for "
                f"a local legal check before the drafting session, not findings under the law "
                f"of {where}: no local law was checked for this review."
            )
    else:
        paragraphs.append(
            "None of the policies uses wording the review marks as a legal risk, so the peers "
            "offer no warning examples; their common ground is still the place to start."
        )
    if comparison.common:
        paragraphs.append(
            f"Most of the policies cover {len(comparison.common)} of the "
            f"{len(comparison.elements)} elements ({_names(comparison.common, comparison)}). "
            f"A policy for {client} without one of them would stand apart from its peers."
        )
    if comparison.absent:
        paragraphs.append(
            f"None of them covers {_names(comparison.absent, comparison)}: {client} can lead "
            "there, or decide in the workshop that it does not need them."
        )
    return paragraphs


def _recommendations(
    client: str,
    reviews: Sequence[CompanyReview],
    comparison: Comparison,
    flags: Sequence[FlagView],
) -> list[str]:
    lines = []
    seen: set[str] = set()
    for flag in flags:
        if flag.element_id not in seen and flag.fix:
            seen.add(flag.element_id)
            lines.append(f"{flag.element}: {flag.fix}")
    if comparison.common:
        lines.append(
            f"Start the draft from what most peers cover: {_names(comparison.common, comparison)}."
        )
    stances = Counter(STANCE_WORDS.get(r.stance, STANCE_WORDS["unclear"]) for r in reviews)
    if stances:
        spread = "; ".join(f"{words}: {n}" for words, n in stances.most_common())
        lines.append(f"Decide {client}'s stance on employees taking part (peers: {spread}).")
    disclosures = sorted({r.disclosure for r in reviews if r.disclosure})
    if disclosures:
        lines.append(
            "Decide how employees say they work for the company when they post about it "
            f"(peers ask for: {', '.join(disclosures)})."
        )
    for gap in comparison.question_gaps:
        lines.append(f"Decide on {gap}")
    return lines


# --- Overview -------------------------------------------------------------------------------


def _overview(sheet: Worksheet, reviews: Sequence[CompanyReview], comparison: Comparison) -> None:
    last = write_table(
        sheet,
        1,
        [
            "Company",
            "Policy",
            "Elements covered",
            "Red flags",
            "Stance on taking part",
            "Disclosure",
        ],
        [
            [
                r.name,
                link_text(r.url, 26),
                len(r.elements),
                len(r.red_flags),
                STANCE_WORDS.get(r.stance, STANCE_WORDS["unclear"]),
                r.disclosure or "none asked for",
            ]
            for r in reviews
        ],
        [20, 26, 10, 8, 16, 20],
    )
    for offset, review in enumerate(reviews, start=1):
        link(sheet.cell(row=1 + offset, column=2), review.url, link_text(review.url, 26))
    elements = comparison.elements
    n = len(reviews)
    sections: list[tuple[str, list[str]]] = [
        (
            "Common to most",
            [f"{i} {elements[i].name} ({comparison.count(i)} of {n})" for i in comparison.common],
        ),
        (
            "Differences",
            [
                f"{i} {elements[i].name}: "
                + ", ".join(comparison.matrix.columns[comparison.matrix.loc[i]].tolist())
                for i in comparison.differences
            ],
        ),
        (
            "Only one company",
            [f"{i} {elements[i].name}: {company}" for i, company in comparison.unique.items()],
        ),
        ("Covered by none", [f"{i} {elements[i].name}" for i in comparison.absent]),
    ]  # the gaps against the five questions are recommendations, on the Summary
    row = last + 2
    for title, lines in sections:
        row = write_heading(sheet, row, title)
        for line in lines or ["None."]:
            row = write_paragraph(sheet, row, line, 6)
        row += 1


# --- Matrix and charts ----------------------------------------------------------------------


def _matrix(sheet: Worksheet, comparison: Comparison) -> None:
    companies = comparison.companies
    headers = ["ID", "Element", "Question", *companies, "Count"]
    rows = []
    for element_id in comparison.matrix.index:
        element = comparison.elements[element_id]
        marks = [TICK if comparison.matrix.loc[element_id, c] else "" for c in companies]
        rows.append(
            [
                element_id,
                element.name,
                QUESTION_LABELS[element.question],
                *marks,
                comparison.count(element_id),
            ]
        )
    last = write_table(sheet, 1, headers, rows, [5, 30, 9, *([11] * len(companies)), 6])
    sheet.page_setup.orientation = "portrait"  # the whole matrix and its legend on one page
    if companies:
        first_col = get_column_letter(4)
        last_col = get_column_letter(3 + len(companies))
        area = f"{first_col}2:{last_col}{last}"
        sheet.conditional_formatting.add(
            area, CellIsRule(operator="equal", formula=[f'"{TICK}"'], fill=PRESENT_FILL)
        )
        sheet.conditional_formatting.add(
            area, CellIsRule(operator="notEqual", formula=[f'"{TICK}"'], fill=ABSENT_FILL)
        )
        for row in sheet.iter_rows(min_row=2, max_row=last, min_col=4, max_col=3 + len(companies)):
            for cell in row:
                cell.alignment = Alignment(horizontal="center", vertical="top")
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"

    width = len(headers)
    row = write_heading(sheet, last + 2, "Legend")
    for sample, fill, meaning in (
        (TICK, PRESENT_FILL, "The policy covers the element: its sentences are on Evidence."),
        ("", ABSENT_FILL, "The policy does not cover the element."),
        ("n", None, f"Count: how many of the {len(companies)} policies cover the element."),
        (
            "",
            None,
            "Question: which of the method's five questions (Who, When, Identity, Routing, "
            "Reporting) the element helps answer.",
        ),
    ):
        cell = sheet.cell(row=row, column=1)
        set_text(cell, sample)
        cell.alignment = Alignment(horizontal="center", vertical="top")
        if fill is not None:
            cell.fill = fill
        meaning_cell = sheet.cell(row=row, column=2)
        set_text(meaning_cell, meaning)
        meaning_cell.alignment = TOP_WRAP
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        row += 1


def _coverage(book: Workbook, comparison: Comparison) -> None:
    """Two native charts: companies per element (from the Matrix's Count column), and the share
    of each question's elements each company covers (from the table at the top)."""
    sheet = book.create_sheet("Coverage")
    matrix = book["Matrix"]
    companies = comparison.companies
    write_cell(sheet, 1, 1, "Coverage")
    sheet["A1"].font = TITLE_FONT
    write_cell(sheet, 2, 1, "How many of the companies cover each element, and each question.")
    sheet["A2"].font = NOTE_FONT
    write_cell(sheet, 4, 1, "Share of each question's elements covered")
    sheet.cell(row=4, column=1).font = LABEL_FONT
    table: list[list[str | float]] = [
        [QUESTION_LABELS[q], *(float(comparison.coverage.loc[q, c]) for c in companies)]
        for q in QUESTIONS
    ]
    last = write_table(sheet, 5, ["Question", *companies], table, [16, *([13] * len(companies))])
    for line in sheet.iter_rows(min_row=6, max_row=last, min_col=2):
        for cell in line:
            cell.number_format = "0%"
    column = ChartColumn(sheet, last + 2)
    count_col = 4 + len(companies)
    elements = len(comparison.matrix.index)
    by_element = bar_chart(
        Reference(matrix, min_col=count_col, min_row=2, max_row=1 + elements),
        Reference(matrix, min_col=2, min_row=2, max_row=1 + elements),
        most=max(1, len(companies)),
    )
    by_element.gapWidth = 40
    column.add(
        f"Companies covering each element (of {len(companies)})", by_element, 2.0 + 0.55 * elements
    )
    if not companies:
        return
    by_question = bar_chart(
        Reference(sheet, min_col=2, max_col=1 + len(companies), min_row=5, max_row=last),
        Reference(sheet, min_col=1, min_row=6, max_row=last),
        horizontal=False,
        percent=True,
        series_titles=True,
    )
    by_question.dataLabels = None
    by_question.legend = Legend()
    by_question.legend.position = "b"
    column.add("Share of each question's elements covered, by company", by_question, 9.0)


# --- Evidence, red flags, notes -------------------------------------------------------------


EVIDENCE_FONT = Font(name=FONT_NAME, size=9)  # the appendix: compact, still easy to read


def _evidence(
    sheet: Worksheet, reviews: Sequence[CompanyReview], comparison: Comparison, full: FullTexts
) -> None:
    rows = []
    links = []
    for review in reviews:
        for element_id in sorted(review.elements):
            for sentence in review.elements[element_id]:
                rows.append(
                    [
                        review.name,
                        element_id,
                        comparison.elements[element_id].name,
                        full.cut(sentence, 1_000, f"Evidence, {review.name} {element_id}"),
                        site_name(review.url),
                    ]
                )
                links.append(review.url)
    last = write_table(
        sheet,
        1,
        ["Company", "ID", "Element", "Evidence sentence", "Source"],
        rows,
        [16, 5, 28, 82, 17],
        filtered=True,
    )
    for line in sheet.iter_rows(min_row=2, max_row=last):
        for cell in line:
            cell.font = EVIDENCE_FONT
    for offset, url in enumerate(links, start=2):
        link(sheet.cell(row=offset, column=5), url, site_name(url))
        sheet.cell(row=offset, column=5).font = Font(
            name=FONT_NAME, size=9, color=LINK_COLOUR, underline="single"
        )


def _red_flags(sheet: Worksheet, flags: Sequence[FlagView], client: str, full: FullTexts) -> None:
    rows = [
        [
            f.company,
            f.element_id,
            f.element,
            full.cut(f.sentence, 500, f"Red flags, {f.company} {f.element_id}"),
            f.why,
            f.fix,
            f"{f.law}. {f.applies}",
            f.basis,
        ]
        for f in flags
    ]
    write_table(
        sheet,
        1,
        [
            "Company",
            "ID",
            "Element",
            "Sentence",
            "Why it is a risk",
            "The fix",
            f"Law it rests on, and whether it applies to {client}",
            "Legal basis, as the sources state it",
        ],
        rows,
        [13, 5, 13, 24, 26, 24, 21, 24],
        filtered=True,
    )


def _notes(sheet: Worksheet, comparison: Comparison, reviews: Sequence[CompanyReview]) -> None:
    flags = {r.name: r.red_flags for r in reviews}
    rows = []
    for note in comparison.notes:
        risks = note.risks
        found = flags.get(note.company) or ()
        if found:
            # The note's risks repeat the red flags' reasons, which are on the Summary and Red
            # flags sheets in full; here they are named, so the row stays readable.
            names = sorted({comparison.elements[f["element"]].name for f in found})
            risks = f"{len(found)} red flag(s): {', '.join(names)}. See the Summary sheet."
        rows.append([note.company, note.strengths, note.gaps, risks, note.clarity])
    write_table(
        sheet, 1, ["Company", "Strengths", "Gaps", "Risks", "Clarity"], rows, [18, 40, 32, 28, 28]
    )
    sheet.freeze_panes = "B2"


def _selection(sheet: Worksheet, verdicts: Sequence[Verdict]) -> None:
    rows = [
        [
            v.candidate.name,
            v.priority,
            v.status,
            reason_in_words(v)[0],
        ]
        for v in verdicts
    ]
    write_table(
        sheet,
        1,
        ["Company", "Client priority", "Status", "Why"],
        rows,
        [26, 10, 12, 52],
        filtered=True,
    )
    for offset, verdict in enumerate(verdicts, start=2):
        website = verdict.candidate.website
        if website.startswith(("http://", "https://")):
            link(sheet.cell(row=offset, column=1), website, verdict.candidate.name)


def _technical(
    sheet: Worksheet, reviews: Sequence[CompanyReview], verdicts: Sequence[Verdict]
) -> None:
    write_cell(sheet, 1, 1, "Technical record: for checking and reproducing the review")
    sheet["A1"].font = LABEL_FONT
    last = write_table(
        sheet,
        2,
        ["Company", "Policy URL", "Fetched at", "SHA-256", "Kept as"],
        [[r.name, r.url, r.fetched_at, r.sha256, r.source_path] for r in reviews],
        [24, 36, 18, 34, 34],
    )
    for offset, review in enumerate(reviews, start=3):
        # The company links to its policy; the address stays plain text, so it wraps.
        link(sheet.cell(row=offset, column=1), review.url, review.name)
    sheet.print_title_rows = "2:2"
    searched = [(v, reason_in_words(v)[1]) for v in verdicts]
    rows = [[v.candidate.name, v.candidate.website, notes] for v, notes in searched if notes]
    row = last + 2
    write_cell(sheet, row, 1, "What the search tried, for each company whose policy was not found")
    sheet.cell(row=row, column=1).font = LABEL_FONT
    last = write_table(sheet, row + 1, ["Company", "Website", "Search notes"], rows or [["None."]])
    for table_row in range(row + 1, last + 1):
        sheet.merge_cells(start_row=table_row, start_column=3, end_row=table_row, end_column=5)

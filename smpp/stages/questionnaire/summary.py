"""The questionnaire stage's deliverable: every invited person's answers combined, with the
prompts worth drafting on in the workshop, as the workbook the account lead brings to it.

A prompt becomes a candidate drafting topic (a `Divergence`) when one of these holds:

* Split: a choice prompt with at least 2 choices given whose most common option has less than
  `agreement` (default 60%) of them.
* Roles disagree: at least two roles each have a clear majority of their own (more than half of
  that role's choices) and those majorities differ, however high the overall share. People with
  no role given are not a role for this rule.
* Absent view differs: the clear majority (more than half) of those not attending or sending a
  delegate differs from that of the attendees, so their view must be carried into the room.
* Little input: any prompt with fewer than 2 answers (a choice or some text) is left to the
  workshop to decide.
* No answers on a choice: a choice prompt answered (in words) by 2 or more people of whom none
  picked an option: the choice itself is left to the workshop ("no answers on 'How often ...'").

Free text is not scored: no automatic measure of disagreement in prose is reliable, so none is
pretended. A free-text-only prompt answered by 2 or more people from 2 or more roles goes on a
separate "To read" list (`ToRead`), not among the topics.

Topics follow question then prompt order; respondents are ordered by time of answer then email;
ties between options follow their order in the questions file. Answers to prompts the questions
do not have are left out. The same answers therefore always give the same summary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from openpyxl.chart import Reference
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from smpp.documents import (
    DEFAULT_AGENCY,
    TITLE_FONT,
    ChartColumn,
    DocumentInfo,
    FullTexts,
    Mark,
    PreviousVersion,
    add_cover,
    bar_chart,
    finish_workbook,
    long_date,
    new_workbook,
    write_paragraph,
)
from smpp.sheets import BOLD, mark_form, to_bytes, write_cell, write_table
from smpp.stages.questionnaire.questions import Prompt, Question
from smpp.stages.questionnaire.records import ATTENDING, DELEGATE_SENT, NOT_ATTENDING

ATTENDANCES = (ATTENDING, NOT_ATTENDING, DELEGATE_SENT)
NO_ROLE = "(no role given)"
FORM_MARKER = "questionnaire-summary"

ANSWER_COLUMNS = (
    "question_id",
    "question",
    "prompt_id",
    "prompt",
    "name",
    "email",
    "role",
    "attendance",
    "choice",
    "text",
    "late",
)


@dataclass(frozen=True)
class Respondent:
    """One invited person, whether or not they answered."""

    name: str
    email: str
    role: str  # may be "": shown as NO_ROLE
    attendance: str  # ATTENDING | NOT_ATTENDING | DELEGATE_SENT
    answered_at: datetime | None  # None: no answer (yet)
    answers: dict[str, dict[str, str | None]]  # prompt id -> {"choice": option or None, "text"}
    late: bool = False  # answered after the due date
    carried_by: str = ""  # the delegate their RSVP named, who carries their view into the room


@dataclass(frozen=True)
class Divergence:
    """A candidate drafting topic: a prompt the answers do not settle."""

    prompt_id: str
    question: str  # question title
    prompt: str  # prompt text
    reason: str
    counts: dict[str, int]  # option -> choices; {} for a free-text prompt


@dataclass(frozen=True)
class ToRead:
    """A free-text prompt several roles answered: to be read, since prose is not scored."""

    prompt_id: str
    question: str
    prompt: str
    reason: str  # e.g. "5 answers from Comms and Legal"


# eq=False: comparing or hashing data frames field by field has no single truth value.
@dataclass(frozen=True, eq=False)
class QuestionnaireSummary:
    questions: tuple[Question, ...]
    respondents: tuple[Respondent, ...]  # answered first (by time, then email), then the rest
    answers: pd.DataFrame  # ANSWER_COLUMNS; one row per answer given to a known prompt
    # prompt_id, prompt, option, count, share (zeros included; share NaN where nobody chose)
    choice_counts: pd.DataFrame
    by_role: pd.DataFrame  # role, invited, answered, rate
    by_attendance: pd.DataFrame  # attendance, invited, answered, rate
    divergences: tuple[Divergence, ...]  # the candidate drafting topics
    to_read: tuple[ToRead, ...] = ()
    agreement: float = 0.6  # the threshold the divergences were found with

    @property
    def invited(self) -> int:
        return len(self.respondents)

    @property
    def answered(self) -> int:
        return sum(r.answered_at is not None for r in self.respondents)

    @property
    def response_rate(self) -> float:
        return self.answered / self.invited if self.invited else 0.0


def summarise(
    questions: Sequence[Question], respondents: Sequence[Respondent], *, agreement: float = 0.6
) -> QuestionnaireSummary:
    """Combines the answers; raises ValueError for an unknown attendance, an email invited twice
    or an agreement threshold outside (0, 1]."""
    if not 0 < agreement <= 1:
        raise ValueError(f"agreement must be above 0 and at most 1, not {agreement}")
    people = _ordered(respondents)
    answers = _answers(questions, people)
    invitees = pd.DataFrame(
        {
            "role": [role_label(p.role) for p in people],
            "attendance": [p.attendance for p in people],
            "answered": [p.answered_at is not None for p in people],
        },
        columns=["role", "attendance", "answered"],
    )
    roles = sorted(set(invitees["role"]), key=lambda r: (r == NO_ROLE, r.casefold(), r))
    present = set(invitees["attendance"])
    divergences, to_read = _topics(questions, answers, agreement)
    return QuestionnaireSummary(
        questions=tuple(questions),
        respondents=people,
        answers=answers,
        choice_counts=_choice_counts(questions, answers),
        by_role=_rates(invitees, "role", roles),
        by_attendance=_rates(invitees, "attendance", [a for a in ATTENDANCES if a in present]),
        divergences=divergences,
        to_read=to_read,
        agreement=agreement,
    )


def role_label(role: str) -> str:
    return role.strip() or NO_ROLE


def _ordered(respondents: Iterable[Respondent]) -> tuple[Respondent, ...]:
    seen: set[str] = set()
    answered: list[tuple[datetime, str, Respondent]] = []
    waiting: list[Respondent] = []
    for person in respondents:
        if person.attendance not in ATTENDANCES:
            known = ", ".join(ATTENDANCES)
            raise ValueError(
                f"{person.email}: attendance '{person.attendance}' is not one of {known}"
            )
        key = person.email.strip().lower()
        if key in seen:
            raise ValueError(f"{person.email} is invited twice")
        seen.add(key)
        if person.answered_at is None:
            waiting.append(person)
        else:
            answered.append((person.answered_at, key, person))
    answered.sort(key=lambda item: (item[0], item[1]))
    waiting.sort(key=lambda p: p.email.strip().lower())
    return (*(item[2] for item in answered), *waiting)


def _answers(questions: Sequence[Question], people: Sequence[Respondent]) -> pd.DataFrame:
    rows = []
    for question in questions:
        for prompt in question.prompts:
            for person in people:
                given = person.answers.get(prompt.id) if person.answered_at else None
                choice = ((given or {}).get("choice") or "").strip()
                text = ((given or {}).get("text") or "").strip()
                if not (choice or text):
                    continue
                rows.append(
                    (
                        question.id,
                        question.title,
                        prompt.id,
                        prompt.text,
                        person.name,
                        person.email,
                        role_label(person.role),
                        person.attendance,
                        choice,
                        text,
                        person.late,
                    )
                )
    return pd.DataFrame(rows, columns=list(ANSWER_COLUMNS))


def _option_counts(answers: pd.DataFrame, prompt: Prompt) -> Any:
    """Choices per option as a Series: the file's options in order, zeros included, then any
    option not in the file (a prompt reworded after answering) alphabetically."""
    assert prompt.choice is not None
    rows = answers[answers["prompt_id"] == prompt.id]
    found = rows.loc[rows["choice"] != "", "choice"].value_counts()
    options = list(prompt.choice.options)
    options += sorted(set(found.index) - set(options))
    return found.reindex(options, fill_value=0).astype("int64")


def _choice_counts(questions: Sequence[Question], answers: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for question in questions:
        for prompt in question.prompts:
            if prompt.choice is None:
                continue
            counts = _option_counts(answers, prompt)
            total = int(counts.sum())
            frames.append(
                pd.DataFrame(
                    {
                        "prompt_id": prompt.id,
                        "prompt": prompt.text,
                        "option": list(counts.index),
                        "count": counts.to_numpy(),
                        "share": (counts / total).to_numpy() if total else float("nan"),
                    }
                )
            )
    columns = ["prompt_id", "prompt", "option", "count", "share"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True).astype({"count": "int64", "share": "float64"})


def _rates(invitees: pd.DataFrame, column: str, order: Sequence[str]) -> pd.DataFrame:
    grouped = invitees.groupby(column, sort=False)["answered"]
    table = pd.DataFrame({"invited": grouped.size(), "answered": grouped.sum()}).reindex(order)
    table = table.astype({"invited": "int64", "answered": "int64"})
    table["rate"] = (table["answered"] / table["invited"]).astype("float64")
    return table.rename_axis(column).reset_index()


def _topics(
    questions: Sequence[Question], answers: pd.DataFrame, agreement: float
) -> tuple[tuple[Divergence, ...], tuple[ToRead, ...]]:
    divergences: list[Divergence] = []
    to_read: list[ToRead] = []
    for question in questions:
        for prompt in question.prompts:
            rows = answers[answers["prompt_id"] == prompt.id]
            counts: dict[str, int] = {}
            if prompt.choice is not None:
                counts = {str(k): int(v) for k, v in _option_counts(answers, prompt).items()}
            if len(rows) < 2:
                given = "no answer" if rows.empty else "only 1 answer"
                reason = f"little input: decide in the workshop ({given})"
                divergences.append(
                    Divergence(prompt.id, question.title, prompt.text, reason, counts)
                )
            elif prompt.choice is None or sum(counts.values()) < 2:
                if prompt.choice is not None and not sum(counts.values()):
                    # Answered in words only: the choice itself is still open.
                    reason = f"{no_answers(prompt.choice.label)}: decide in the workshop"
                    divergences.append(
                        Divergence(prompt.id, question.title, prompt.text, reason, counts)
                    )
                # Free text (or a choice most people answered only in words): read, not scored.
                roles = sorted({r for r in rows["role"] if r != NO_ROLE}, key=str.casefold)
                if len(roles) >= 2:
                    reason = f"{len(rows)} answers from {_and(roles)}"
                    to_read.append(ToRead(prompt.id, question.title, prompt.text, reason))
            else:
                reason = _choice_reason(rows, counts, agreement) or ""
                if reason:
                    divergences.append(
                        Divergence(prompt.id, question.title, prompt.text, reason, counts)
                    )
    return tuple(divergences), tuple(to_read)


def no_answers(label: str) -> str:
    """A choice nobody picked, worded from its question: "no answers on 'How often ...?'"."""
    return f"no answers on '{label}'"


def is_thin(divergence: Divergence) -> bool:
    """A topic for want of answers rather than because answers differ."""
    return divergence.reason.startswith(("little input", "no answers"))


def _choice_reason(rows: pd.DataFrame, counts: dict[str, int], agreement: float) -> str | None:
    total = sum(counts.values())
    if total < 2:
        return None
    options = list(counts)
    ranked = sorted((n, options.index(o), o) for o, n in counts.items() if n)
    ranked.sort(key=lambda item: (-item[0], item[1]))
    line = f"{ranked[0][0]} of {total} chose '{ranked[0][2]}'" + "".join(
        f", {n} '{option}'" for n, _, option in ranked[1:]
    )
    top = ranked[0][0] / total
    parts = []
    if top < agreement:
        parts.append(
            f"{line}: the most common has {top:.0%}, under the {agreement:.0%} agreement line"
        )
    chosen = rows[rows["choice"] != ""]
    by_role: dict[str, list[str]] = {}
    for role, group in chosen.groupby("role", sort=True):
        majority = _majority(list(group["choice"]), options)
        if role != NO_ROLE and majority is not None:
            by_role.setdefault(majority, []).append(str(role))
    if len(by_role) >= 2:
        sides = sorted(by_role.items(), key=lambda item: options.index(item[0]))
        parts.append(
            "roles disagree: "
            + ", ".join(
                f"{_and(sorted(roles, key=str.casefold))} chose '{option}'"
                for option, roles in sides
            )
        )
    away = _majority(list(chosen.loc[chosen["attendance"] != ATTENDING, "choice"]), options)
    here = _majority(list(chosen.loc[chosen["attendance"] == ATTENDING, "choice"]), options)
    if away is not None and here is not None and away != here:
        parts.append(
            f"those not attending chose '{away}', attendees '{here}': "
            "carry their view into the room"
        )
    if not parts:
        return None
    if top >= agreement:
        parts.insert(0, line)
    return "; ".join(parts)


def _majority(choices: Sequence[str], options: Sequence[str]) -> str | None:
    """The option more than half of `choices` name, if any."""
    for option in options:
        if choices.count(option) * 2 > len(choices):
            return option
    return None


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


# The workbook ------------------------------------------------------------------------------

CARRIED = "FFF2CC"
CARRIED_FILL = PatternFill("solid", fgColor=CARRIED)
PERCENT = "0%"
FIXED_SHEETS = ("Cover", "Summary", "Charts", "Choices", "Carried forward", "Not answered")
TITLE = "Questionnaire summary"
ATTENDANCE_WORDS = {
    ATTENDING: "Attending",
    NOT_ATTENDING: "Not attending",
    DELEGATE_SENT: "Delegate sent",
}
CARRIED_WORDS = {
    ATTENDING: "Attending",
    NOT_ATTENDING: "Not attending: carried forward",
    DELEGATE_SENT: "Delegate sent: carried forward",
}
NO_ANSWERS = "no answers"


def not_answered_words(attendance: str) -> str:
    """Someone with no answer: their attendance is only what the list says, not what they said."""
    return f"No answer (listed as {ATTENDANCE_WORDS[attendance].lower()})"


ANSWER_HEADERS = ["Prompt", "Respondent", "Role", "Attendance", "Choice", "Answer", "Late"]
ANSWER_WIDTHS = [30, 16, 14, 14, 20, 46, 6]
ANSWER_LIMIT = 900  # characters of an answer shown in its row; the rest on the detail sheet


def build_summary_workbook(
    client: str,
    summary: QuestionnaireSummary,
    generated_at: datetime,
    *,
    anonymise: bool = False,
    version: int = 1,
    previous: PreviousVersion | None = None,
    agency: str = DEFAULT_AGENCY,
) -> bytes:
    """The stage deliverable as .xlsx bytes. `anonymise` keeps names and emails out of the file:
    people become "Respondent 1..n" in order of answer; roles stay. `previous` is what the last
    version recorded ("invited", "answered", "topics"), for what changed."""
    labels = _labels(summary.respondents, anonymise)
    full = FullTexts()
    book = new_workbook()
    rates = _summary_sheet(book.active, client, summary, generated_at, anonymise, version)
    titles = sheet_titles([q.title for q in summary.questions], reserved=FIXED_SHEETS)
    charts = book.create_sheet("Charts")
    for question, title in zip(summary.questions, titles, strict=True):
        rows = summary.answers[summary.answers["question_id"] == question.id]
        _answer_sheet(book.create_sheet(title), rows, labels, full)
    choices = _choices_sheet(book.create_sheet("Choices"), summary)
    _carried_sheet(book.create_sheet("Carried forward"), summary, labels, full, anonymise)
    _missing_sheet(book.create_sheet("Not answered"), summary, anonymise)
    full.write(book)
    _charts(charts, book["Summary"], rates, book["Choices"], choices)
    mark_form(book, FORM_MARKER)
    info = DocumentInfo(
        client=client,
        title=TITLE,
        version=version,
        made_at=generated_at,
        agency=agency,
        audience=f"the account lead, for the workshop with {client}",
        purpose=(
            "Everyone's answers to the method's five questions, combined: who answered, how "
            "choices split, and the points to settle in the workshop."
        ),
        changes=_changes(summary, previous),
        findings=_findings(summary),
        keywords=("questionnaire", client),
    )
    sheets = [
        ("Summary", "Response rates, the candidate drafting topics and how they were chosen."),
        ("Charts", "Response rate by role, and how the choices split."),
        *((t, f"Every answer to the {t} question.") for t in titles),
        ("Choices", "How many chose each option."),
        (
            "Carried forward",
            "The answers of people not attending, to carry into the room, and the delegate "
            "who carries them.",
        ),
        ("Not answered", "Who has not answered (by role when anonymised)."),
    ]
    if full.entries:
        sheets.append((full.sheet, "Answers too long for their row, in full."))
    marks = [
        Mark("", "The answer of someone not attending: carried forward.", CARRIED),
        Mark("late", "Answered after the due date."),
    ]
    add_cover(book, info, sheets, marks)
    finish_workbook(book, info)
    return to_bytes(book)


def _changes(summary: QuestionnaireSummary, previous: PreviousVersion | None) -> tuple[str, ...]:
    if previous is None:
        return ("First version.",)
    lines = [f"Replaces version {previous.version} of {long_date(previous.made_at)}."]
    answered, invited = previous.facts.get("answered"), previous.facts.get("invited")
    if isinstance(answered, int) and isinstance(invited, int):
        lines.append(
            f"Answers: {summary.answered} of {summary.invited} now, {answered} of {invited} "
            f"in version {previous.version}."
        )
    topics = previous.facts.get("topics")
    if isinstance(topics, list):
        lines.append(
            f"Candidate drafting topics: {len(summary.divergences)} now, {len(topics)} before."
        )
    return tuple(lines)


def _findings(summary: QuestionnaireSummary) -> tuple[str, ...]:
    lines = [
        f"{summary.answered} of {summary.invited} invited people answered "
        f"({summary.response_rate:.0%})."
    ]
    quiet = [r.role for r in summary.by_role.itertuples(index=False) if r.answered == 0]
    if quiet:
        lines.append("No answer yet from: " + ", ".join(quiet) + ".")
    split = [d for d in summary.divergences if not is_thin(d)]
    thin = len(summary.divergences) - len(split)
    lines.append(
        f"{len(summary.divergences)} candidate drafting topics: {len(split)} where answers "
        f"differ, {thin} with too little input to decide."
    )
    if split:
        lines.append(f"First to settle: {split[0].prompt}")
    away = sum(r.attendance != ATTENDING and r.answered_at is not None for r in summary.respondents)
    if away:
        lines.append(f"{away} answers from people not attending: carry them into the room.")
    return tuple(lines[:5])


def sheet_titles(wanted: Sequence[str], reserved: Sequence[str] = ()) -> list[str]:
    """Excel-safe, distinct sheet titles: no []:*?/\\, no edge apostrophes, at most 31
    characters, unique ignoring case (a repeat gets " (2)"), none of `reserved`."""
    taken = {t.casefold() for t in (*reserved, "History")}
    titles = []
    for raw in wanted:
        base = re.sub(r"[\[\]:*?/\\]", " ", _printable(raw)).strip().strip("'").strip()
        base = base[:31].strip() or "Question"
        title, number = base, 1
        while title.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            title = base[: 31 - len(suffix)].rstrip() + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles


def _printable(text: str) -> str:
    return "".join(ch for ch in text if ch >= " " and ch != "\x7f")


def _labels(respondents: Sequence[Respondent], anonymise: bool) -> dict[str, str]:
    """Email -> how the person is shown: their name, or "Respondent n" numbered by time of
    answer then email (the order `summarise` keeps)."""
    answered = sorted(
        (r for r in respondents if r.answered_at is not None),
        key=lambda r: (r.answered_at, r.email.strip().casefold()),
    )
    if anonymise:
        return {r.email: f"Respondent {n}" for n, r in enumerate(answered, start=1)}
    return {r.email: r.name.strip() or r.email for r in respondents}


def _heading(sheet: Worksheet, row: int, text: str) -> None:
    write_cell(sheet, row, 1, text)
    sheet.cell(row=row, column=1).font = BOLD


_SUMMARY_WIDTHS = (20, 46, 60, 10)


def _summary_sheet(
    sheet: Worksheet,
    client: str,
    summary: QuestionnaireSummary,
    generated_at: datetime,
    anonymise: bool,
    version: int,
) -> tuple[int, int]:
    """Writes the Summary sheet; returns the first and last data rows of the rate-by-role table
    (for its chart)."""
    sheet.title = "Summary"
    write_cell(sheet, 1, 1, f"Questionnaire answers for {client}")
    sheet["A1"].font = TITLE_FONT
    late = sum(r.late and r.answered_at is not None for r in summary.respondents)
    facts: list[tuple[str, Any]] = [
        ("Client", client),
        ("Version", version),
        ("Generated at", long_date(generated_at)),
        ("Invited", summary.invited),
        ("Answered", summary.answered),
        ("Response rate", summary.response_rate),
        ("Answered late", late),
    ]
    for row, (label, value) in enumerate(facts, start=3):
        _heading(sheet, row, label)
        write_cell(sheet, row, 2, value)
        sheet.cell(row=row, column=2).alignment = Alignment(horizontal="left")
        if label == "Response rate":
            sheet.cell(row=row, column=2).number_format = PERCENT
    for column, width in enumerate(_SUMMARY_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    row = 3 + len(facts) + 1
    rates = (0, 0)
    for title, frame, key, words in (
        ("Response rate by role", summary.by_role, "role", None),
        ("Response rate by attendance", summary.by_attendance, "attendance", ATTENDANCE_WORDS),
    ):
        _heading(sheet, row, title)
        rows = [
            [words.get(r[0], r[0]) if words else r[0], r.invited, r.answered, r.rate]
            for r in frame.itertuples(index=False)
        ]
        header = [key.capitalize(), "Invited", "Answered", "Rate"]
        last = write_table(sheet, row + 1, header, rows, formats={4: PERCENT})
        for line in sheet.iter_rows(min_row=row + 1, max_row=last, min_col=2, max_col=4):
            for cell in line:
                cell.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
        if key == "role":
            rates = (row + 2, last)
        row = last + 2

    # The topics are what the lead reads the sheet for: they start a printed page.
    sheet.row_breaks.append(Break(id=row - 1))
    _heading(sheet, row, "Candidate drafting topics")
    topics = [[d.question, d.prompt, d.reason] for d in summary.divergences]
    row = write_table(sheet, row + 1, ["Question", "Prompt", "Why"], topics or [["None."]]) + 2
    _heading(sheet, row, "To read: free text answered from several roles")
    reading = [[t.question, t.prompt, t.reason] for t in summary.to_read]
    row = write_table(sheet, row + 1, ["Question", "Prompt", "Answers"], reading or [["None."]]) + 2

    _heading(sheet, row, "How topics are chosen")
    for line in method_notes(summary.agreement, anonymise):
        row += 1
        write_paragraph(sheet, row, line, len(_SUMMARY_WIDTHS))
    return rates


def method_notes(agreement: float, anonymise: bool) -> list[str]:
    """The rules behind the topic list, as the Summary sheet states them."""
    notes = [
        f"Split: a choice with at least 2 answers whose most common option has less than "
        f"{agreement:.0%} of them.",
        "Roles disagree: two or more roles each have a clear majority (more than half of the "
        "role) for different options, whatever the overall share. No role given counts as no "
        "role.",
        "Absent view differs: the clear majority of those not attending or sending a delegate "
        "differs from the attendees' one; their answers are on the Carried forward sheet.",
        "Little input: a prompt with fewer than 2 answers is left for the workshop to decide.",
        "No answers on a choice: where people answered only in words and nobody picked an "
        "option, the choice itself is left for the workshop to decide.",
        "Free text is not scored: a free-text prompt answered from 2 or more roles is listed "
        "under To read, to be read before the workshop.",
    ]
    if anonymise:
        notes.append(
            "Answers are anonymised: people appear as Respondent 1, 2, ... in order of answer; "
            "roles and attendance are kept, so a small role may still point to a person, and "
            "free text is shown as written."
        )
    return notes


def _answer_rows(
    rows: pd.DataFrame, labels: dict[str, str], full: FullTexts, sheet: str
) -> list[list[Any]]:
    return [
        [
            r.prompt,
            labels.get(r.email, ""),
            r.role,
            CARRIED_WORDS[r.attendance],
            r.choice,
            full.cut(r.text, ANSWER_LIMIT, f"{sheet}, {labels.get(r.email, '')}: {r.prompt_id}"),
            "late" if r.late else "",
        ]
        for r in rows.itertuples(index=False)
    ]


def _answer_sheet(
    sheet: Worksheet, rows: pd.DataFrame, labels: dict[str, str], full: FullTexts
) -> None:
    table = _answer_rows(rows, labels, full, sheet.title)
    write_table(sheet, 1, ANSWER_HEADERS, table, ANSWER_WIDTHS, filtered=True)
    _mark_carried(sheet, 2, list(rows["attendance"]), len(ANSWER_HEADERS))


def _mark_carried(sheet: Worksheet, top: int, attendance: Sequence[str], width: int) -> None:
    for offset, value in enumerate(attendance):
        if value != ATTENDING:
            for column in range(1, width + 1):
                sheet.cell(row=top + offset, column=column).fill = CARRIED_FILL


def _choices_sheet(sheet: Worksheet, summary: QuestionnaireSummary) -> list[tuple[str, int, int]]:
    """Writes the choice counts; returns each choice prompt's label with its first and last
    row (for its chart)."""
    asked = {
        p.id: (q.title, p.choice.label)
        for q in summary.questions
        for p in q.prompts
        if p.choice is not None
    }
    rows: list[list[Any]] = []
    spans: list[tuple[str, int, int]] = []
    for prompt_id, counts in summary.choice_counts.groupby("prompt_id", sort=False):
        label = f"{asked[prompt_id][0]}: {asked[prompt_id][1]}"
        top = len(rows) + 2
        if int(counts["count"].sum()):
            rows += [[*asked[prompt_id], r.option, r.count, r.share] for r in counts.itertuples()]
        else:
            # Nobody chose: a share of 0/0 is no answer, not 0%.
            rows.append([*asked[prompt_id], NO_ANSWERS, None, None])
        spans.append((label, top, len(rows) + 1))
    write_table(
        sheet,
        1,
        ["Question", "Choice asked", "Option", "Count", "Share"],
        rows,
        [12, 44, 30, 7, 7],
        filtered=True,
        formats={5: PERCENT},
    )
    return spans


def _charts(
    sheet: Worksheet,
    summary_sheet: Worksheet,
    rates: tuple[int, int],
    choices_sheet: Worksheet,
    choices: Sequence[tuple[str, int, int]],
) -> None:
    """Native charts: the response rate by role (from the Summary's table) and one bar chart
    of choice counts per choice prompt (from the Choices sheet)."""
    write_cell(sheet, 1, 1, "Charts")
    sheet["A1"].font = TITLE_FONT
    write_cell(sheet, 2, 1, "Response rate by role, then how the choices split.")
    column = ChartColumn(sheet, 4)
    first, last = rates
    if last >= first > 0:
        chart = bar_chart(
            Reference(summary_sheet, min_col=4, min_row=first, max_row=last),
            Reference(summary_sheet, min_col=1, min_row=first, max_row=last),
            percent=True,
        )
        column.add("Response rate by role", chart, 2.0 + 0.8 * (last - first + 1))
    for label, top, bottom in choices:
        if choices_sheet.cell(row=top, column=3).value == NO_ANSWERS:
            column.add_text(label, "No answers: nobody has chosen an option.")
            continue
        chart = bar_chart(
            Reference(choices_sheet, min_col=4, min_row=top, max_row=bottom),
            Reference(choices_sheet, min_col=3, min_row=top, max_row=bottom),
        )
        chart.y_axis.majorUnit = 1
        column.add(label, chart, 2.0 + 0.8 * (bottom - top + 1))


def _carried_sheet(
    sheet: Worksheet,
    summary: QuestionnaireSummary,
    labels: dict[str, str],
    full: FullTexts,
    anonymise: bool,
) -> None:
    answers = summary.answers
    away = answers[answers["attendance"] != ATTENDING]
    rank = {r.email: n for n, r in enumerate(summary.respondents)}
    # Grouped by person, so the lead can hand one person's answers to someone in the room.
    order = sorted(range(len(away)), key=lambda i: rank.get(away.iloc[i]["email"], len(rank)))
    away = away.iloc[order]
    answer_rows = _answer_rows(away, labels, full, sheet.title)
    # Who takes their view into the room: the delegate their RSVP named (unnamed when
    # anonymised); left for the lead to fill in for someone who sends nobody.
    carriers = {
        r.email: ("their delegate" if anonymise else r.carried_by) if r.carried_by else ""
        for r in summary.respondents
    }
    rows = [
        [question, *answer, carriers.get(email, "")]
        for question, email, answer in zip(
            away["question"], away["email"], answer_rows, strict=True
        )
    ]
    headers = ["Question", *ANSWER_HEADERS, "Carried by"]
    widths = [12, 26, 14, 12, 14, 18, 40, 5, 14]
    write_table(sheet, 1, headers, rows, widths, filtered=True)
    _mark_carried(sheet, 2, list(away["attendance"]), len(headers))


def _missing_sheet(sheet: Worksheet, summary: QuestionnaireSummary, anonymise: bool) -> None:
    if anonymise:
        rows = [
            [r.role, r.invited, r.invited - r.answered]
            for r in summary.by_role.itertuples(index=False)
            if r.invited > r.answered
        ]
        write_table(
            sheet, 1, ["Role", "Invited", "Not answered"], rows, [30, 10, 14], filtered=True
        )
        return
    waiting = sorted(
        (r for r in summary.respondents if r.answered_at is None),
        key=lambda r: (role_label(r.role).casefold(), r.name.casefold(), r.email.casefold()),
    )
    rows = [[r.name, role_label(r.role), not_answered_words(r.attendance)] for r in waiting]
    write_table(sheet, 1, ["Name", "Role", "Attendance"], rows, [28, 22, 32], filtered=True)

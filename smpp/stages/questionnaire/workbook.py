"""The personal questionnaire workbook each invited person is emailed, and the judge of the one
they send back.

The workbook carries the person's details and personal code (also as a document property) and one
row per prompt, keyed by the prompt's id in a hidden column, so an answer is filed by id whatever
the wording. The judge reads a returned file without trusting it (the file-level checks are
`smpp.uploads`'), works out whose it is, and says what to fix in words for the person who
filled it in. Nothing here raises for bad input or writes to a returned file.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from math import ceil
from pathlib import Path
from typing import Any

import openpyxl
from email_validator import EmailNotValidError, validate_email
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from smpp.documents import (
    DEFAULT_AGENCY,
    DocumentInfo,
    Mark,
    add_cover,
    finish_workbook,
    long_date,
    new_workbook,
    write_heading,
    write_paragraph,
)
from smpp.sheets import mark_form, set_text, to_bytes
from smpp.stages.company_list.workbook import due_date_text
from smpp.stages.questionnaire.questions import Prompt, Question
from smpp.uploads import (
    Formula,
    Problem,
    UploadWording,
    as_text,
    cell_value,
    custom_properties,
    form_marker,
    is_zip,
    read_upload,
    read_xlsx,
    unreadable,
)

__all__ = [
    "FORM",
    "MAX_ANSWER_CHARS",
    "RSVP_ATTENDING",
    "RSVP_CHOICES",
    "RSVP_DELEGATE",
    "RSVP_NOT_ATTENDING",
    "TOKEN_PROPERTY",
    "Invitee",
    "QuestionnaireVerdict",
    "build_questionnaire",
    "fill_questionnaire",
    "judge_questionnaire",
]

FORM = "questionnaire"  # the value of the FORM_MARKER_NAME document property
TOKEN_PROPERTY = "smpp_token"
RSVP_ATTENDING, RSVP_NOT_ATTENDING, RSVP_DELEGATE = (
    "Attending",
    "Not attending",
    "Sending a delegate",
)
RSVP_CHOICES = (RSVP_ATTENDING, RSVP_NOT_ATTENDING, RSVP_DELEGATE)
MAX_ANSWER_CHARS = 5_000

ANSWERS_SHEET = "Answers"
INSTRUCTIONS_SHEET = "Instructions"
# Rows of the Answers sheet the judge reads; the workbook we send has a few dozen.
MAX_SHEET_ROWS = 1_000

QUESTIONNAIRE_WORDING = UploadWording(
    not_ours="not the questionnaire workbook we sent",
    send_form=(
        "Please fill in the questionnaire workbook we emailed you and return that file (.xlsx)."
    ),
    empty=(
        "The file is empty. Please fill in the questionnaire workbook we emailed you and send it "
        "again."
    ),
    too_big=(
        "Remove any pictures or sheets you added, or copy your answers into the questionnaire "
        "workbook we emailed you, and try again."
    ),
    many_parts=(
        "far more than a questionnaire needs. Copy your answers into the questionnaire workbook "
        "we emailed you and send that file."
    ),
    unzipped=(
        "Remove any pictures or sheets you added, or copy your answers into the questionnaire "
        "workbook we emailed you, and send that file."
    ),
    unsafe=(
        "Copy your answers into the questionnaire workbook we emailed you, save it and send that "
        "file."
    ),
)


@dataclass(frozen=True)
class Invitee:
    """A person asked to answer; `token` is their personal code, made by the caller."""

    name: str
    email: str  # compared case-insensitively
    role: str
    token: str  # opaque; compared case-insensitively, spaces ignored
    attending: bool


@dataclass(frozen=True)
class QuestionnaireVerdict:
    """What a returned questionnaire says and whether it can be accepted (`ok`: no problem).

    `answers` holds what could be read even when there are problems, and `person` whoever the
    file could be attributed to, so the reply reaches them.
    """

    ok: bool
    person: str | None  # the invitee's email as in the invitee list; None when unknown
    unknown_sender: bool  # from nobody on the list: refused, the account lead is told
    rsvp: str | None  # one of RSVP_CHOICES, or None when left blank
    delegate_name: str
    delegate_email: str
    # prompt id -> {"choice": option or None, "text": free text ("" when blank)}; only prompts
    # with something in them
    answers: dict[str, dict[str, str | None]]
    blank_prompts: tuple[str, ...]  # left blank: not a problem by itself
    problems: tuple[Problem, ...]
    name_found: str  # as written in the workbook, for the lead's mail when unknown
    email_found: str

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "person": self.person,
            "unknown_sender": self.unknown_sender,
            "rsvp": self.rsvp,
            "delegate_name": self.delegate_name,
            "delegate_email": self.delegate_email,
            "answers": {k: dict(v) for k, v in self.answers.items()},
            "blank_prompts": list(self.blank_prompts),
            "problems": [p.as_dict() for p in self.problems],
            "name_found": self.name_found,
            "email_found": self.email_found,
        }


# --- the workbook ---------------------------------------------------------------------------

# Answers sheet columns (1-based); the option lists of the drop-downs sit, hidden, from OPTIONS_COL.
ID_COL, TOPIC_COL, QUESTION_COL, CHOICE_COL, ANSWER_COL = 1, 2, 3, 4, 5
OPTIONS_COL = 7
# Narrow enough to print on one landscape page wide at full size.
_WIDTHS = {ID_COL: 14, TOPIC_COL: 20, QUESTION_COL: 46, CHOICE_COL: 26, ANSWER_COL: 54}
_TABLE_HEADERS = {TOPIC_COL: "Topic", QUESTION_COL: "Question", CHOICE_COL: "Choice"}
ANSWER_HEADER = "Your answer"
CHOICE_HEADER = "Choice"

# The hidden id column also marks the other rows, so the judge finds every cell by its key rather
# than by a position the person might have shifted. Prompt ids never contain ":".
_FIELDS_KEY = "fields:"  # "fields:<key in column C>,<key in column E>"
_QUESTION_KEY = "question:"
_TABLE_KEY = "table:"

# The details block: (key, label) in columns B/C and D/E of each row, from row 3.
_Field = tuple[str, str]
_DETAIL_ROWS: tuple[tuple[_Field | None, _Field | None], ...] = (
    (("client", "Client"), ("due", "Please answer by")),
    (("name", "Name"), ("workshop", "Workshop")),
    (("email", "Email"), ("role", "Role")),
    (("token", "Personal code"), None),
    (("rsvp", "Will you attend the workshop?"), None),
    (("delegate_name", "Delegate's name"), ("delegate_email", "Delegate's email")),
)
_DETAILS_ROW = 3
_LABELS = {key: label for row in _DETAIL_ROWS for key, label in (f for f in row if f)}
_RSVP_COLUMN = "RSVP"  # the column a problem names, as the person would call that cell

_BOLD = Font(bold=True)
_TITLE_FONT = Font(bold=True, size=14)
_NOTE_FONT = Font(italic=True, color="595959")
_GREY_FONT = Font(color="7F7F7F")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_ANSWER_FILL_HEX, _NONE_FILL_HEX, _QUESTION_FILL_HEX = "FFF2CC", "D9D9D9", "EDEDED"
_QUESTION_FILL = PatternFill("solid", fgColor=_QUESTION_FILL_HEX)
_ANSWER_FILL = PatternFill("solid", fgColor=_ANSWER_FILL_HEX)
_NONE_FILL = PatternFill("solid", fgColor=_NONE_FILL_HEX)
_THIN = Side(style="thin", color="BFBFBF")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def build_questionnaire(
    client: str,
    invitee: Invitee,
    questions: Sequence[Question],
    due: date,
    workshop: datetime,
    *,
    agency: str = DEFAULT_AGENCY,
    saved_at: datetime | None = None,
) -> bytes:
    """The personal workbook as .xlsx bytes: it opens on its instructions (the cover), the
    answers sheet second. `workshop` is in the client's zone; `saved_at` dates the file."""
    book = new_workbook()
    sheet = book.active
    sheet.title = ANSWERS_SHEET
    workshop_text = long_date(workshop)

    for col, width in _WIDTHS.items():
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.column_dimensions[get_column_letter(ID_COL)].hidden = True

    set_text(sheet.cell(row=1, column=TOPIC_COL), f"Questionnaire for {client}")
    sheet.cell(row=1, column=TOPIC_COL).font = _TITLE_FONT
    sheet.row_dimensions[1].height = 22
    set_text(
        sheet.cell(row=2, column=TOPIC_COL),
        "Please answer in the yellow cells. The Instructions sheet explains how.",
    )
    sheet.cell(row=2, column=TOPIC_COL).font = _NOTE_FONT

    values = {
        "client": client,
        "due": due_date_text(due),
        "name": invitee.name,
        "workshop": workshop_text,
        "email": invitee.email,
        "role": invitee.role,
        "token": invitee.token,
    }
    cells: dict[str, Any] = {}
    for row, pair in enumerate(_DETAIL_ROWS, start=_DETAILS_ROW):
        keys = [f[0] if f else "" for f in pair]
        set_text(sheet.cell(row=row, column=ID_COL), _FIELDS_KEY + ",".join(keys))
        for detail, label_col in zip(pair, (TOPIC_COL, CHOICE_COL), strict=True):
            if detail is None:
                continue
            key, label = detail
            label_cell = sheet.cell(row=row, column=label_col)
            set_text(label_cell, label)
            label_cell.font = _BOLD
            label_cell.alignment = Alignment(wrap_text=True, vertical="center")
            value_cell = sheet.cell(row=row, column=label_col + 1)
            value_cell.alignment = Alignment(vertical="center", wrap_text=True)
            cells[key] = value_cell
            if key in values:
                set_text(value_cell, values[key])
            else:  # the cells the person fills in
                value_cell.protection = _UNLOCKED
                value_cell.number_format = "@"  # text: Excel must not turn "1/2" into a date
                value_cell.fill = _ANSWER_FILL
                value_cell.border = _BOX
        sheet.row_dimensions[row].height = 20
    for key, note in (
        ("token", "Keep this code as it is: it tells us these answers are yours."),
        (
            "rsvp",
            'If you cannot come, you may send someone in your place: choose "Sending a '
            'delegate" and write their name and email address below.',
        ),
    ):
        note_cell = sheet.cell(row=cells[key].row, column=ANSWER_COL)
        set_text(note_cell, note)
        note_cell.font = _NOTE_FONT
        note_cell.alignment = _WRAP
        lines = ceil(len(note) / (_WIDTHS[ANSWER_COL] - 6))
        sheet.row_dimensions[note_cell.row].height = max(20, 15 * lines + 4)
    _add_validations(sheet, cells)

    header_row = _DETAILS_ROW + len(_DETAIL_ROWS) + 1
    set_text(sheet.cell(row=header_row, column=ID_COL), _TABLE_KEY)
    for col, title in {**_TABLE_HEADERS, ANSWER_COL: ANSWER_HEADER}.items():
        cell = sheet.cell(row=header_row, column=col)
        set_text(cell, title)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        cell.border = _BOX
    # The details and the table's header stay in view while scrolling through the questions;
    # on paper, the header row alone is repeated.
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"

    row = header_row
    widest_options = 0
    for question in questions:
        row += 1
        _write_question_row(sheet, row, question)
        for prompt in question.prompts:
            row += 1
            _write_prompt_row(sheet, row, question, prompt)
            if prompt.choice is not None:
                widest_options = max(widest_options, len(prompt.choice.options))
    for col in range(OPTIONS_COL, OPTIONS_COL + widest_options):
        sheet.column_dimensions[get_column_letter(col)].hidden = True

    # No password: the protection only guards against accidental edits of the structure.
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column or a row stays possible
    sheet.protection.formatRows = False

    role = f" ({invitee.role})" if invitee.role.strip() else ""
    info = DocumentInfo(
        client=client,
        title="Questionnaire",
        agency=agency,
        saved_at=saved_at,
        audience=f"{invitee.name}{role}",
        purpose=(
            f"Five questions to think about before the workshop on {workshop_text}. Your "
            "answers, with everyone else's, shape the policy drafted there."
        ),
        keywords=("questionnaire", client),
        dated=f"please answer by {due_date_text(due)}",
    )
    guide = add_cover(
        book,
        info,
        [
            (ANSWERS_SHEET, "Your details at the top, then the questions: answer there."),
            (INSTRUCTIONS_SHEET, "This sheet: how to fill in the questionnaire."),
        ],
        [
            Mark("", "Yours to fill in: pick from the list, or write in words.", _ANSWER_FILL_HEX),
            Mark("-", "Nothing to choose for this part: answer in words.", _NONE_FILL_HEX),
            Mark("", "A question; the rows under it are its parts.", _QUESTION_FILL_HEX),
        ],
        title=INSTRUCTIONS_SHEET,
    )
    _write_instructions(guide, guide.max_row + 2, invitee, due, workshop_text)
    mark_form(book, FORM)
    book.custom_doc_props.append(StringProperty(name=TOKEN_PROPERTY, value=as_text(invitee.token)))
    finish_workbook(book, info)
    book.properties.title = as_text(f"Questionnaire - {client} - {invitee.name}")[:250]
    return to_bytes(book)


def _add_validations(sheet: Any, cells: dict[str, Any]) -> None:
    rsvp = DataValidation(
        type="list",
        formula1='"' + ",".join(RSVP_CHOICES) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Workshop",
        error="Please pick one of the choices in the list.",
        showInputMessage=True,
        promptTitle="Workshop",
        prompt="Pick one: " + _or(RSVP_CHOICES) + ".",
    )
    rsvp.add(cells["rsvp"].coordinate)
    sheet.add_data_validation(rsvp)
    for key, prompt in (
        ("delegate_name", "Only if you are sending a delegate: their name."),
        ("delegate_email", "Only if you are sending a delegate: their email address."),
    ):
        hint = DataValidation(showInputMessage=True, promptTitle="Delegate", prompt=prompt)
        hint.add(cells[key].coordinate)
        sheet.add_data_validation(hint)


def _write_question_row(sheet: Any, row: int, question: Question) -> None:
    set_text(sheet.cell(row=row, column=ID_COL), _QUESTION_KEY + question.id)
    set_text(sheet.cell(row=row, column=TOPIC_COL), question.title)
    set_text(sheet.cell(row=row, column=QUESTION_COL), question.question)
    for col in range(TOPIC_COL, ANSWER_COL + 1):
        cell = sheet.cell(row=row, column=col)
        cell.font = _BOLD
        cell.fill = _QUESTION_FILL
        cell.alignment = _WRAP
        cell.border = _BOX
    sheet.row_dimensions[row].height = _height(question.question, minimum=30)


def _write_prompt_row(sheet: Any, row: int, question: Question, prompt: Prompt) -> None:
    set_text(sheet.cell(row=row, column=ID_COL), prompt.id)
    topic = sheet.cell(row=row, column=TOPIC_COL)
    set_text(topic, question.title)
    topic.font = _GREY_FONT
    text = prompt.text
    if prompt.choice is not None:
        text += f"\nIn the Choice column: {prompt.choice.label}"
    set_text(sheet.cell(row=row, column=QUESTION_COL), text)

    choice = sheet.cell(row=row, column=CHOICE_COL)
    if prompt.choice is None:
        set_text(choice, "-")
        choice.fill = _NONE_FILL
        choice.alignment = Alignment(horizontal="center", vertical="top")
    else:
        choice.protection = _UNLOCKED
        choice.fill = _ANSWER_FILL
        # The options sit on the prompt's own row, in hidden columns: a same-sheet range works
        # in every Excel version, and options may contain commas, which a typed list cannot.
        for offset, option in enumerate(prompt.choice.options):
            set_text(sheet.cell(row=row, column=OPTIONS_COL + offset), option)
        first = get_column_letter(OPTIONS_COL)
        last = get_column_letter(OPTIONS_COL + len(prompt.choice.options) - 1)
        validation = DataValidation(
            type="list",
            formula1=f"${first}${row}:${last}${row}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Choice",
            error="Please pick one of the choices in the list.",
            showInputMessage=True,
            promptTitle="Choice",
            prompt=prompt.choice.label[:250],
        )
        validation.add(choice.coordinate)
        sheet.add_data_validation(validation)

    answer = sheet.cell(row=row, column=ANSWER_COL)
    answer.protection = _UNLOCKED
    answer.number_format = "@"  # text: Excel must not turn "1/2" into a date or "10%" into 0.1
    answer.fill = _ANSWER_FILL
    for col in range(TOPIC_COL, ANSWER_COL + 1):
        cell = sheet.cell(row=row, column=col)
        cell.border = _BOX
        if col != CHOICE_COL or prompt.choice is not None:
            cell.alignment = _WRAP
    sheet.row_dimensions[row].height = _height(text, minimum=75)


def _height(text: str, minimum: float) -> float:
    """A row height (points) that shows `text` wrapped in the question column."""
    chars = _WIDTHS[QUESTION_COL] - 4
    lines = sum(max(1, ceil(len(part) / chars)) for part in text.split("\n"))
    return max(minimum, 15.0 * lines + 4)


def _write_instructions(
    guide: Any, top: int, invitee: Invitee, due: date, workshop_text: str
) -> None:
    lines = (
        f"This workbook was prepared for {invitee.name}. Please return it by {due_date_text(due)}.",
        "",
        "1. Everything is on the Answers sheet. Your details are already filled in at the top.",
        f"2. Tell us whether you will attend the workshop on {workshop_text}: pick Attending, "
        "Not attending or Sending a delegate from the list in the yellow cell next to "
        '"Will you attend the workshop?". If you send a delegate, write their name and email '
        "address in the two cells below it.",
        '3. Answer each question in the "Your answer" column, in your own words. A few '
        "sentences are enough; there are no right or wrong answers.",
        '4. Where a part offers a choice, pick one from the list in the "Choice" column. You '
        'may explain your choice under "Your answer".',
        '5. If you have no view on a part, it is fine to write "no view". Every question needs '
        "at least one answer, but you do not have to answer every part.",
        '6. Type your answers as plain text. Do not start an answer with "=": Excel would take '
        "it as a formula.",
        "7. To start a new line inside a cell, press Alt+Enter (on a Mac: Option+Enter).",
        "8. Do not add, remove or move rows, and do not rename the sheets: we read each answer "
        "from its row.",
        "9. Keep your personal code as it is: it tells us the answers are yours.",
        '10. Save the file as an Excel Workbook (.xlsx), not as PDF or "Excel 97-2003", and '
        "return it as described in the email it came with.",
        "",
        "Thank you for your time.",
    )
    row = write_heading(guide, top, "How to fill it in")
    for line in lines:
        if line:
            write_paragraph(guide, row, line, 2)
        row += 1


def fill_questionnaire(
    workbook: bytes,
    answers: Mapping[str, Mapping[str, str]],
    rsvp: str | None,
    delegate: tuple[str, str] | None = None,
) -> bytes:
    """`workbook` (from `build_questionnaire`) filled in as its person would: `answers` maps a
    prompt id to {"choice": ..., "text": ...} (either may be left out), `delegate` is (name,
    email). For the demo and tests; raises ValueError for a prompt id the workbook lacks."""
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book[ANSWERS_SHEET]
    rows: dict[str, int] = {}
    fields: dict[str, Any] = {}
    for (cell,) in sheet.iter_rows(min_col=ID_COL, max_col=ID_COL):
        key = str(cell.value or "")
        if key.startswith(_FIELDS_KEY):
            names = key.removeprefix(_FIELDS_KEY).split(",")
            for name, col in zip(names, (TOPIC_COL + 1, CHOICE_COL + 1), strict=False):
                if name:
                    fields[name] = sheet.cell(row=cell.row, column=col)
        elif key and ":" not in key:
            rows[key] = cell.row
    unknown = sorted(set(answers) - set(rows))
    if unknown:
        raise ValueError(f"the workbook has no prompt {', '.join(unknown)}")
    for prompt_id, given in answers.items():
        for key, col in (("choice", CHOICE_COL), ("text", ANSWER_COL)):
            if given.get(key):
                set_text(sheet.cell(row=rows[prompt_id], column=col), given[key])
    if rsvp:
        set_text(fields["rsvp"], rsvp)
    if delegate is not None:
        set_text(fields["delegate_name"], delegate[0])
        set_text(fields["delegate_email"], delegate[1])
    return to_bytes(book)


# --- recognising a returned file ------------------------------------------------------------


def is_questionnaire(path: Path, max_bytes: int = 5_000_000) -> bool:
    """True for our questionnaire workbook: by its marker, or, when a program dropped the
    custom properties on saving, by the keyed rows of its Answers sheet. Never raises."""
    marker = form_marker(path)
    if marker is not None:
        return marker == FORM
    try:
        data = read_upload(path, max_bytes, QUESTIONNAIRE_WORDING)
        if isinstance(data, str) or not is_zip(data):
            return False
        sheet = read_xlsx(data, _read_answers_sheet, QUESTIONNAIRE_WORDING)
    except Exception:
        return False
    return not isinstance(sheet, str) and sheet.found and bool(sheet.prompts)


# --- the judge ------------------------------------------------------------------------------

_FRESH_COPY = "Please answer in the workbook exactly as we sent it; a fresh copy is attached."


@dataclass
class _AnswersSheet:
    """What the Answers sheet holds, found through the keys in its hidden column."""

    fields: dict[str, tuple[int, object]] = field(default_factory=dict)  # key -> (row, value)
    prompts: list[tuple[int, str, object, object]] = field(default_factory=list)  # row, id, ...
    question_rows: dict[str, int] = field(default_factory=dict)
    strays: list[int] = field(default_factory=list)  # rows with answers but no id
    titles: tuple[str, ...] = ()  # the workbook's sheets, when there is no Answers sheet
    found: bool = True


def judge_questionnaire(
    path: Path,
    invitees: Sequence[Invitee],
    questions: Sequence[Question],
    *,
    max_bytes: int = 5_000_000,
) -> QuestionnaireVerdict:
    """Reads the returned questionnaire at `path`: whose it is, what it answers, and what must be
    fixed before it can be accepted. Never raises for bad input, never modifies the file."""
    try:
        return _judge(path, invitees, questions, max_bytes)
    except Exception:  # a hostile file must never crash the flow; the person still gets an answer
        return _refused(unreadable(QUESTIONNAIRE_WORDING))


def _refused(message: str, person: str | None = None) -> QuestionnaireVerdict:
    return QuestionnaireVerdict(
        ok=False,
        person=person,
        unknown_sender=False,
        rsvp=None,
        delegate_name="",
        delegate_email="",
        answers={},
        blank_prompts=(),
        problems=(Problem(None, None, message),),
        name_found="",
        email_found="",
    )


def _judge(
    path: Path, invitees: Sequence[Invitee], questions: Sequence[Question], max_bytes: int
) -> QuestionnaireVerdict:
    data = read_upload(path, max_bytes, QUESTIONNAIRE_WORDING)
    if isinstance(data, str):
        return _refused(data)
    if not is_zip(data):  # a CSV, a text or web page, or something unreadable
        return _refused(
            "This file is not the questionnaire workbook we sent. "
            + QUESTIONNAIRE_WORDING.send_form
        )
    property_token = custom_properties(io.BytesIO(data)).get(TOKEN_PROPERTY, "")
    # Whose the file is, as far as its properties say: the reply to a refusal still reaches them.
    owner = _by_token(invitees, property_token)
    owner_email = owner.email if owner else None
    sheet = read_xlsx(data, _read_answers_sheet, QUESTIONNAIRE_WORDING)
    if isinstance(sheet, str):
        return _refused(sheet, owner_email)
    if not sheet.found:
        titles = ", ".join(f'"{t}"' for t in sheet.titles)
        return _refused(
            f'We could not find the "{ANSWERS_SHEET}" sheet in the workbook (sheets: {titles}); '
            "it may have been renamed or removed, so the structure of the workbook was edited. "
            + _FRESH_COPY,
            owner_email,
        )

    person, unknown, problems, name_found, email_found = _identify(sheet, invitees, property_token)
    base = QuestionnaireVerdict(
        ok=False,
        person=person,
        unknown_sender=unknown,
        rsvp=None,
        delegate_name="",
        delegate_email="",
        answers={},
        blank_prompts=(),
        problems=(),
        name_found=name_found,
        email_found=email_found,
    )
    structure = _structure_problem(sheet, questions)
    if structure is not None:
        return _with(base, problems + [structure])

    rsvp, delegate_name, delegate_email = _judge_rsvp(sheet, problems)
    answers, blank = _judge_answers(sheet, questions, problems)
    return QuestionnaireVerdict(
        ok=not problems,
        person=person,
        unknown_sender=unknown,
        rsvp=rsvp,
        delegate_name=delegate_name,
        delegate_email=delegate_email,
        answers=answers,
        blank_prompts=blank,
        problems=tuple(problems),
        name_found=name_found,
        email_found=email_found,
    )


def _with(verdict: QuestionnaireVerdict, problems: list[Problem]) -> QuestionnaireVerdict:
    return replace(verdict, ok=not problems, problems=tuple(problems))


def _read_answers_sheet(book: Any) -> _AnswersSheet:
    sheets = list(book.worksheets)
    chosen = next(
        (s for s in sheets if str(s.title).strip().casefold() == ANSWERS_SHEET.casefold()), None
    )
    if chosen is None:
        return _AnswersSheet(titles=tuple(str(s.title) for s in sheets), found=False)
    chosen.reset_dimensions()  # the declared size may be wrong; read what is there
    found = _AnswersSheet()
    in_table = False
    rows = chosen.iter_rows(min_row=1, max_row=MAX_SHEET_ROWS, max_col=ANSWER_COL)
    # read_only mode fills gaps in the sheet with empty rows, so counting gives the row number.
    for number, cells in enumerate(rows, start=1):
        values = [cell_value(c) for c in cells] + [None] * ANSWER_COL
        key = as_text(values[ID_COL - 1])
        choice, answer = values[CHOICE_COL - 1], values[ANSWER_COL - 1]
        if key.startswith(_FIELDS_KEY):
            names = key.removeprefix(_FIELDS_KEY).split(",")
            for name, col in zip(names, (TOPIC_COL + 1, CHOICE_COL + 1), strict=False):
                if name:
                    found.fields[name] = (number, values[col - 1])
        elif key == _TABLE_KEY:
            in_table = True
        elif key.startswith(_QUESTION_KEY):
            found.question_rows[key.removeprefix(_QUESTION_KEY)] = number
        elif key:
            found.prompts.append((number, key, choice, answer))
        elif in_table and (_text(choice) not in ("", "-") or _text(answer)):
            found.strays.append(number)
    return found


def _structure_problem(sheet: _AnswersSheet, questions: Sequence[Question]) -> Problem | None:
    ids = [prompt_id for _, prompt_id, _, _ in sheet.prompts]
    expected = {p.id for q in questions for p in q.prompts}
    if set(ids) == expected and len(ids) == len(expected) and not sheet.strays:
        return None
    return Problem(
        None,
        None,
        f"The questions on the {ANSWERS_SHEET} sheet were changed (rows were added, removed or "
        "moved), so we cannot tell which answer belongs to which question. " + _FRESH_COPY,
    )


# --- who it is from -------------------------------------------------------------------------


def _token_key(token: str) -> str:
    return "".join(token.split()).casefold()


def _email_key(email: str) -> str:
    return email.strip().casefold()


def _by_token(invitees: Sequence[Invitee], token: str) -> Invitee | None:
    key = _token_key(token)
    return next((i for i in invitees if key and _token_key(i.token) == key), None)


def _by_email(invitees: Sequence[Invitee], email: str) -> Invitee | None:
    key = _email_key(email)
    return next((i for i in invitees if key and _email_key(i.email) == key), None)


def _identify(
    sheet: _AnswersSheet, invitees: Sequence[Invitee], property_token: str
) -> tuple[str | None, bool, list[Problem], str, str]:
    """(person, unknown_sender, problems, name found, email found) from the code and email."""
    token_row, token_value = sheet.fields.get("token", (None, None))
    email_row, email_value = sheet.fields.get("email", (None, None))
    name = _text(sheet.fields.get("name", (None, None))[1])
    email = _text(email_value)
    token = _text(token_value) or property_token
    # The code in the document's properties is the one we wrote; the cell is only its display,
    # so an accidental edit of the cell does not cost the person their answers.
    owner = _by_token(invitees, token) or _by_token(invitees, property_token)
    named = _by_email(invitees, email)
    code = _LABELS["token"]
    if owner is not None and (not email or named == owner):
        return owner.email, False, [], name, email
    if owner is not None and named is not None:
        message = (
            "This workbook carries the personal code of another invited person, so we cannot "
            "take these answers as yours. Please use the workbook sent to you."
        )
        return named.email, False, [Problem(token_row, code, message)], name, email
    if owner is not None:
        # The owner's workbook with someone else's address: a typo, or a colleague answering in
        # a forwarded copy. The owner is told (and the account lead, since it may be an outsider).
        message = (
            f"The email address on the {ANSWERS_SHEET} sheet ({_quoted(email)}) is not the one we "
            f"sent this workbook to. If you changed it by mistake, put back {_quoted(owner.email)} "
            "and send it again; if someone else filled it in, they are not on the list of invited "
            "people, and the account lead has been told."
        )
        return owner.email, True, [Problem(email_row, _LABELS["email"], message)], name, email
    if named is not None:
        shown = _quoted(token) if token else "now empty"
        message = (
            f"The personal code on the {ANSWERS_SHEET} sheet ({shown}) was changed, so we cannot "
            "be sure these answers are yours. Please answer in the workbook we sent you, keeping "
            "its personal code as it is."
        )
        return named.email, False, [Problem(token_row, code, message)], name, email
    who = ", ".join(_quoted(part) for part in (name, email) if part) or "nobody"
    message = (
        f"The person named in this workbook ({who}) is not on the list of invited people, and "
        "its personal code is not one we sent, so we cannot accept these answers. The account "
        "lead will be in touch."
    )
    return None, True, [Problem(None, None, message)], name, email


# --- what it says ---------------------------------------------------------------------------


def _judge_rsvp(sheet: _AnswersSheet, problems: list[Problem]) -> tuple[str | None, str, str]:
    """The RSVP and the delegate's name and email; problems are appended to `problems`."""
    read: dict[str, str] = {}
    for key, column in (
        ("rsvp", _RSVP_COLUMN),
        ("delegate_name", _LABELS["delegate_name"]),
        ("delegate_email", _LABELS["delegate_email"]),
    ):
        row, value = sheet.fields.get(key, (None, None))
        if isinstance(value, Formula):
            problems.append(_formula_problem(row, column, value, _at(row, column)))
            read[key] = ""
        else:
            read[key] = _text(value)
    rsvp_row = sheet.fields.get("rsvp", (None, None))[0]
    rsvp: str | None = None
    if read["rsvp"]:
        rsvp = _match(read["rsvp"], RSVP_CHOICES)
        if rsvp is None:
            problems.append(
                Problem(
                    rsvp_row,
                    _RSVP_COLUMN,
                    f"{_at(rsvp_row, _RSVP_COLUMN)}: {_quoted(read['rsvp'])} is not one of the "
                    f'answers to "{_LABELS["rsvp"]}". Pick one from the list '
                    f"({_or(RSVP_CHOICES)}), or leave it empty.",
                )
            )
    name, email = read["delegate_name"], read["delegate_email"]
    if rsvp == RSVP_DELEGATE:
        name_row = sheet.fields.get("delegate_name", (rsvp_row, None))[0]
        email_row = sheet.fields.get("delegate_email", (rsvp_row, None))[0]
        name_label, email_label = _LABELS["delegate_name"], _LABELS["delegate_email"]
        if not name:
            problems.append(
                Problem(
                    name_row,
                    name_label,
                    f'You chose "{RSVP_DELEGATE}": please write your delegate\'s name in the '
                    f'"{name_label}" cell (row {name_row}).',
                )
            )
        if not email:
            problems.append(
                Problem(
                    email_row,
                    email_label,
                    f'You chose "{RSVP_DELEGATE}": please write your delegate\'s email address '
                    f'in the "{email_label}" cell (row {email_row}), so we can invite them.',
                )
            )
        elif not _valid_email(email):
            problems.append(
                Problem(
                    email_row,
                    email_label,
                    f"{_at(email_row, email_label)}: {_quoted(email)} is not a valid email "
                    "address. Write it in full, for example name@company.com.",
                )
            )
    return rsvp, name, email


def _judge_answers(
    sheet: _AnswersSheet, questions: Sequence[Question], problems: list[Problem]
) -> tuple[dict[str, dict[str, str | None]], tuple[str, ...]]:
    """The answers given and the prompts left blank; problems are appended to `problems`."""
    where_is = {
        prompt_id: (row, choice, answer) for row, prompt_id, choice, answer in sheet.prompts
    }
    answers: dict[str, dict[str, str | None]] = {}
    blank: list[str] = []
    empty_questions: list[tuple[Question, list[int]]] = []
    for question in questions:
        rows: list[int] = []
        question_blank = True
        for prompt in question.prompts:
            row, choice_value, answer_value = where_is[prompt.id]
            rows.append(row)
            given = _judge_prompt(row, question, prompt, choice_value, answer_value, problems)
            if given is None:
                blank.append(prompt.id)
                continue
            question_blank = False
            if given["choice"] or given["text"]:
                answers[prompt.id] = given
        if question_blank:
            empty_questions.append((question, rows))
    if questions and len(empty_questions) == len(questions):
        problems.append(
            Problem(
                None,
                ANSWER_HEADER,
                f'Nothing was answered: the "{ANSWER_HEADER}" column of the {ANSWERS_SHEET} sheet '
                'is empty. Please answer the questions in your own words ("no view" is fine) '
                "and send the file again.",
            )
        )
    else:
        for question, rows in empty_questions:
            first, last = min(rows), max(rows)
            span = f"row {first}" if first == last else f"rows {first} to {last}"
            problems.append(
                Problem(
                    sheet.question_rows.get(question.id, first),
                    ANSWER_HEADER,
                    f'Nothing was answered for the question "{question.title}" ({span}). '
                    'Answer at least one part, or write "no view".',
                )
            )
    return answers, tuple(blank)


def _judge_prompt(
    row: int,
    question: Question,
    prompt: Prompt,
    choice_value: object,
    answer_value: object,
    problems: list[Problem],
) -> dict[str, str | None] | None:
    """The prompt's answer as far as it is valid, or None when both cells are blank."""
    where = f"Row {row} ({question.title})"
    choice_text = "" if isinstance(choice_value, Formula) else _text(choice_value)
    if prompt.choice is None and choice_text == "-":
        choice_text = ""
    answer_text = "" if isinstance(answer_value, Formula) else _text(answer_value)
    formula = isinstance(choice_value, Formula) or isinstance(answer_value, Formula)
    if not (choice_text or answer_text or formula):
        return None
    choice: str | None = None
    text = ""
    if isinstance(choice_value, Formula):
        problems.append(
            _formula_problem(row, CHOICE_HEADER, choice_value, f"{where}, {CHOICE_HEADER}")
        )
    elif choice_text and prompt.choice is None:
        problems.append(
            Problem(
                row,
                CHOICE_HEADER,
                f"{where}, {CHOICE_HEADER}: this part has no choices to pick from. Write what "
                f'you wrote there ({_quoted(choice_text)}) under "{ANSWER_HEADER}" instead.',
            )
        )
    elif choice_text and prompt.choice is not None:
        choice = _match(choice_text, prompt.choice.options)
        if choice is None:
            options = _or(tuple(f'"{o}"' for o in prompt.choice.options))
            problems.append(
                Problem(
                    row,
                    CHOICE_HEADER,
                    f"{where}, {CHOICE_HEADER}: {_quoted(choice_text)} is not one of the choices. "
                    f"Pick one from the list ({options}), or leave it empty.",
                )
            )
    if isinstance(answer_value, Formula):
        problems.append(
            _formula_problem(row, ANSWER_HEADER, answer_value, f"{where}, {ANSWER_HEADER}")
        )
    elif len(answer_text) > MAX_ANSWER_CHARS:
        problems.append(
            Problem(
                row,
                ANSWER_HEADER,
                f"{where}, {ANSWER_HEADER}: the answer is {len(answer_text):,} characters long; "
                f"the limit is {MAX_ANSWER_CHARS:,}. Please shorten it.",
            )
        )
    else:
        text = answer_text
    return {"choice": choice, "text": text}


def _formula_problem(row: int | None, column: str, value: Formula, where: str) -> Problem:
    return Problem(
        row,
        column,
        f"{where}: there is a formula ({_quoted(value.text)}); type your answer as text, not a "
        'formula. If your text starts with "=", leave the "=" out.',
    )


def _at(row: int | None, column: str) -> str:
    return f"Row {row}, {column}" if row is not None else column


# --- values ---------------------------------------------------------------------------------


def _text(value: object) -> str:
    """A cell's content as text: control characters and surrounding spaces removed, numbers and
    dates written out, line breaks kept as "\\n"."""
    return as_text(value).replace("\r\n", "\n").replace("\r", "\n")


def _match(text: str, options: Sequence[str]) -> str | None:
    """The option `text` stands for, ignoring case and spacing; None when it is none of them."""
    key = " ".join(text.split()).casefold()
    return next((o for o in options if " ".join(o.split()).casefold() == key), None)


def _valid_email(email: str) -> bool:
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _or(items: Sequence[str]) -> str:
    """ "a, b or c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _quoted(text: str, limit: int = 60) -> str:
    """A person's value quoted for a message, on one line and not too long."""
    flat = " ".join(text.split())
    return '"' + (flat if len(flat) <= limit else flat[: limit - 1] + "…") + '"'

"""The personal questionnaire workbook and the judge of a returned one; every file is made here
with build_questionnaire and then filled in (or spoilt) with openpyxl, as a person would."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from smpp.sheets import FORM_MARKER_NAME
from smpp.stages.company_list.workbook import build_company_list_template
from smpp.stages.questionnaire.questions import questions_for
from smpp.stages.questionnaire.workbook import (
    FORM,
    MAX_ANSWER_CHARS,
    RSVP_CHOICES,
    Invitee,
    QuestionnaireVerdict,
    build_questionnaire,
    fill_questionnaire,
    judge_questionnaire,
)
from smpp.uploads import form_marker

ANN = Invitee("Ann Archer", "Ann.Archer@acme.example", "Legal", "K7QF-2M9X", True)
BOB = Invitee("Bob Baker", "bob.baker@acme.example", "Customer Service", "P3RT-8WZL", False)
INVITEES = (ANN, BOB)
QUESTIONS = questions_for()
PROMPTS = {p.id: p for q in QUESTIONS for p in q.prompts}
DUE = date(2027, 1, 28)
WORKSHOP = datetime(2027, 2, 11, 9, 30)

RSVP_LABEL = "Will you attend the workshop?"
# Every prompt answered in words; a person's own workbook returned like this is accepted.
FULL: dict[str, tuple[str | None, object]] = {pid: (None, f"View on {pid}.") for pid in PROMPTS}


def blank(invitee: Invitee = ANN, client: str = "Acme Foods") -> bytes:
    return build_questionnaire(client, invitee, QUESTIONS, DUE, WORKSHOP)


def prompt_row(sheet: Any, prompt_id: str) -> int:
    return next(c.row for (c,) in sheet.iter_rows(max_col=1) if c.value == prompt_id)


def beside(sheet: Any, label: str) -> Any:
    """The cell right of a label, as a person finds "Personal code" and writes next to it."""
    for row in sheet.iter_rows(max_col=5):
        for cell in row:
            if cell.value == label:
                return sheet.cell(row=cell.row, column=cell.column + 1)
    raise AssertionError(f"no label {label!r}")


def answered(
    workbook: bytes | None = None,
    *,
    answers: dict[str, tuple[str | None, object]] | None = None,
    rsvp: str | None = "Attending",
    delegate: tuple[str, str] | None = None,
    then: Callable[[Any], None] | None = None,
) -> bytes:
    """A returned workbook: `answers` maps a prompt id to (choice, answer); `then` spoils it."""
    book = openpyxl.load_workbook(io.BytesIO(workbook or blank()))
    sheet = book["Answers"]
    for prompt_id, (choice, text) in (FULL if answers is None else answers).items():
        row = prompt_row(sheet, prompt_id)
        if choice is not None:
            sheet.cell(row=row, column=4).value = choice
        if text is not None:
            sheet.cell(row=row, column=5).value = text
    if rsvp is not None:
        beside(sheet, RSVP_LABEL).value = rsvp
    if delegate is not None:
        beside(sheet, "Delegate's name").value = delegate[0]
        beside(sheet, "Delegate's email").value = delegate[1]
    if then is not None:
        then(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def judge(tmp_path: Path, data: bytes, **kwargs: int) -> QuestionnaireVerdict:
    path = tmp_path / "answers.xlsx"
    path.write_bytes(data)
    return judge_questionnaire(path, INVITEES, QUESTIONS, **kwargs)


def rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        assert set(replace) <= set(src.namelist())
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def with_big_member(data: bytes) -> bytes:
    """A copy that declares 60 MB unzipped (zeros compress to almost nothing)."""
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as z, z.open("xl/media/big.bin", "w") as f:
        for _ in range(60):
            f.write(b"\0" * 1_000_000)
    return out.getvalue()


# --- the workbook -------------------------------------------------------------------------------


def test_a_filled_in_workbook_round_trips(tmp_path: Path) -> None:
    answers = {
        **FULL,
        "who.primer": (" yes,  FOR everyone ", "  A short primer.\n\nOnline, 30 minutes.  "),
        "who.time": (None, None),
        "when.commitment": ("Only official spokespeople", None),
        "identity.official": (None, 42),
        "routing.crisis": (None, date(2027, 1, 5)),
        "routing.support": (None, "\tSame day, please. "),
    }
    verdict = judge(tmp_path, answered(answers=answers, rsvp="attending"))
    assert verdict.problems == ()
    assert verdict.ok
    assert (verdict.person, verdict.unknown_sender) == ("Ann.Archer@acme.example", False)
    assert (verdict.name_found, verdict.email_found) == ("Ann Archer", "Ann.Archer@acme.example")
    assert verdict.rsvp == "Attending"
    assert (verdict.delegate_name, verdict.delegate_email) == ("", "")
    assert verdict.blank_prompts == ("who.time",)
    expected = {pid: {"choice": None, "text": f"View on {pid}."} for pid in PROMPTS}
    del expected["who.time"]
    expected["who.primer"] = {
        "choice": "Yes, for everyone",
        "text": "A short primer.\n\nOnline, 30 minutes.",
    }
    expected["when.commitment"] = {"choice": "Only official spokespeople", "text": ""}
    expected["identity.official"] = {"choice": None, "text": "42"}
    expected["routing.crisis"] = {"choice": None, "text": "2027-01-05"}
    expected["routing.support"] = {"choice": None, "text": "Same day, please."}
    assert verdict.answers == expected
    assert json.loads(json.dumps(verdict.as_dict()))["answers"] == expected


def test_a_delegate_is_read(tmp_path: Path) -> None:
    data = answered(rsvp="Sending a delegate", delegate=(" Dan Deputy ", "dan.deputy@acme.example"))
    verdict = judge(tmp_path, data)
    assert verdict.ok
    assert (verdict.rsvp, verdict.delegate_name, verdict.delegate_email) == (
        "Sending a delegate",
        "Dan Deputy",
        "dan.deputy@acme.example",
    )


def test_as_dict_holds_every_field_and_is_json(tmp_path: Path) -> None:
    verdict = judge(tmp_path, answered(answers={**FULL, "who.primer": ("Maybe", "Hm.")}))
    data = json.loads(json.dumps(verdict.as_dict()))
    assert set(data) == {
        "ok",
        "person",
        "unknown_sender",
        "rsvp",
        "delegate_name",
        "delegate_email",
        "answers",
        "blank_prompts",
        "problems",
        "name_found",
        "email_found",
    }
    assert data["problems"] == [
        {
            "row": 13,
            "column": "Choice",
            "message": 'Row 13 (Who), Choice: "Maybe" is not one of the choices. Pick one from the '
            'list ("Yes, for everyone", "Only for official accounts" or "No, optional"), or '
            "leave it empty.",
        }
    ]
    assert data["answers"]["who.primer"] == {"choice": None, "text": "Hm."}


def test_the_personal_code_tolerates_case_and_spaces_and_falls_back_to_the_property(
    tmp_path: Path,
) -> None:
    def retype(book: Any) -> None:
        beside(book["Answers"], "Personal code").value = " k7qf - 2m9x "

    assert judge(tmp_path, answered(then=retype)).person == ANN.email

    def clear(book: Any) -> None:
        beside(book["Answers"], "Personal code").value = None

    verdict = judge(tmp_path, answered(then=clear))
    assert (verdict.ok, verdict.person) == (True, ANN.email)


def test_the_workbook_carries_its_marker_token_and_title(tmp_path: Path) -> None:
    path = tmp_path / "q.xlsx"
    path.write_bytes(blank())
    assert form_marker(path) == FORM == "questionnaire"
    book = openpyxl.load_workbook(path)
    assert book.custom_doc_props[FORM_MARKER_NAME].value == "questionnaire"
    assert book.custom_doc_props["smpp_token"].value == "K7QF-2M9X"
    assert book.properties.title == "Questionnaire - Acme Foods - Ann Archer"
    assert book.sheetnames == ["Instructions", "Answers"]
    assert book.active.title == "Instructions"  # it opens on its cover: what it is, how to fill it
    sheet = book["Answers"]
    assert beside(sheet, "Client").value == "Acme Foods"
    assert beside(sheet, "Name").value == "Ann Archer"
    assert beside(sheet, "Email").value == "Ann.Archer@acme.example"
    assert beside(sheet, "Role").value == "Legal"
    assert beside(sheet, "Personal code").value == "K7QF-2M9X"
    assert beside(sheet, "Please answer by").value == "Thursday 28 January 2027"
    assert beside(sheet, "Workshop").value == "Thursday 11 February 2027, 09:30"
    assert beside(sheet, RSVP_LABEL).value is None  # nothing pre-selected
    assert sheet.column_dimensions["A"].hidden
    assert sheet.freeze_panes == "A11"
    row = prompt_row(sheet, "who.primer")
    assert sheet.cell(row=row, column=2).value == "Who"
    assert sheet.cell(row=row, column=3).value.startswith("Do people need a primer training")
    assert sheet.cell(row=row, column=5).alignment.wrap_text
    assert sheet.row_dimensions[row].height >= 75
    assert sheet.cell(row=prompt_row(sheet, "who.time"), column=4).value == "-"


def test_only_the_cells_to_fill_in_are_unlocked_on_the_protected_sheet() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(blank()))["Answers"]
    assert sheet.protection.sheet
    assert not sheet.protection.password
    assert sheet.protection.insertRows and sheet.protection.deleteRows  # both forbidden
    unlocked = {
        cell.coordinate
        for row in sheet.iter_rows(max_col=5)
        for cell in row
        if not cell.protection.locked
    }
    expected = {
        beside(sheet, label).coordinate
        for label in (RSVP_LABEL, "Delegate's name", "Delegate's email")
    }
    for pid, prompt in PROMPTS.items():
        row = prompt_row(sheet, pid)
        expected.add(f"E{row}")
        if prompt.choice is not None:
            expected.add(f"D{row}")
    assert unlocked == expected


def test_drop_downs_offer_the_rsvp_choices_and_each_prompts_options() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(blank()))["Answers"]
    lists = {
        str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"
    }
    rsvp = beside(sheet, RSVP_LABEL).coordinate
    assert lists.pop(rsvp) == '"Attending,Not attending,Sending a delegate"'
    for pid, prompt in PROMPTS.items():
        row = prompt_row(sheet, pid)
        if prompt.choice is None:
            assert f"D{row}" not in lists
            continue
        source = lists.pop(f"D{row}").replace("$", "")
        offered = tuple(cell.value for line in sheet[source] for cell in line)
        assert offered == prompt.choice.options
    assert lists == {}


def test_outside_text_is_written_as_text_never_as_a_formula() -> None:
    evil = Invitee('=HYPERLINK("http://evil.example","Click")', "x@acme.example", "+1", "=T", True)
    data = build_questionnaire("=cmd|' /C calc'!A0", evil, QUESTIONS, DUE, WORKSHOP)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
    assert sheets and not any(b"<f>" in s for s in sheets)
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Answers"]
    name = beside(sheet, "Name")
    assert name.value == '=HYPERLINK("http://evil.example","Click")'
    assert name.data_type == "s"
    assert beside(sheet, "Client").value == "=cmd|' /C calc'!A0"


def test_the_instructions_are_for_a_non_technical_reader_and_name_no_agency() -> None:
    guide = openpyxl.load_workbook(io.BytesIO(blank()))["Instructions"]
    text = "\n".join(str(c.value) for (c,) in guide.iter_rows(max_col=1) if c.value)
    for fragment in (
        "in your own words",
        '"no view"',
        "Every question needs at least one answer",
        "Do not add, remove or move rows, and do not rename the sheets",
        "Keep your personal code as it is",
        "Save the file as an Excel Workbook (.xlsx)",
        "Thursday 28 January 2027",
    ):
        assert fragment in text
    assert "agency" not in text.casefold()


def test_fill_questionnaire_fills_in_a_workbook_as_a_person_would(tmp_path: Path) -> None:
    answers = {"who.primer": {"choice": "No, optional", "text": "Optional."}}
    answers |= {pid: {"text": "No view."} for pid in PROMPTS if pid != "who.primer"}
    data = fill_questionnaire(blank(), answers, "Sending a delegate", ("Dan", "dan@acme.example"))
    verdict = judge(tmp_path, data)
    assert verdict.ok
    assert verdict.answers["who.primer"] == {"choice": "No, optional", "text": "Optional."}
    assert (verdict.rsvp, verdict.delegate_email) == ("Sending a delegate", "dan@acme.example")
    with pytest.raises(ValueError, match="no prompt who.nothing"):
        fill_questionnaire(blank(), {"who.nothing": {"text": "x"}}, None)


# --- form_marker --------------------------------------------------------------------------------

_DTD_PROPERTIES = (
    b'<?xml version="1.0"?><!DOCTYPE Properties [<!ENTITY a "questionnaire">]>'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    b' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="smpp_form">'
    b"<vt:lpwstr>&a;</vt:lpwstr></property></Properties>"
)


def _plain_xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


MARKER_CASES: list[tuple[str, Callable[[], bytes], str | None]] = [
    ("questionnaire", blank, "questionnaire"),
    ("returned questionnaire", answered, "questionnaire"),
    ("company list", lambda: build_company_list_template("Acme Foods", DUE), "company-list"),
    ("plain workbook", _plain_xlsx, None),
    ("csv", lambda: b"Company name,Website\r\nAcme,acme.com\r\n", None),
    ("garbage", lambda: bytes(range(256)) * 10, None),
    ("empty", lambda: b"", None),
    ("damaged zip", lambda: blank()[:2_000], None),
    ("declared huge", lambda: with_big_member(blank()), None),
    (
        "too many parts",
        lambda: rezip(blank(), add={f"xl/media/i{n}.png": b"" for n in range(1_200)}),
        None,
    ),
    ("dtd in properties", lambda: rezip(blank(), {"docProps/custom.xml": _DTD_PROPERTIES}), None),
    (
        "oversized properties",
        lambda: rezip(blank(), {"docProps/custom.xml": b" " * 70_000 + _DTD_PROPERTIES[21:]}),
        None,
    ),
]


@pytest.mark.parametrize(
    ("builder", "expected"), [pytest.param(b, e, id=i) for i, b, e in MARKER_CASES]
)
def test_form_marker(tmp_path: Path, builder: Callable[[], bytes], expected: str | None) -> None:
    path = tmp_path / "file.xlsx"
    path.write_bytes(builder())
    assert form_marker(path) == expected


def test_form_marker_of_a_missing_file_is_none(tmp_path: Path) -> None:
    assert form_marker(tmp_path / "gone.xlsx") is None
    assert form_marker(tmp_path) is None  # a folder


# --- the judge: what a returned workbook can get wrong ------------------------------------------


def _on_sheet(change: Callable[[Any], None]) -> Callable[[Any], None]:
    return lambda book: change(book["Answers"])


def _delete_row(sheet: Any) -> None:
    sheet.delete_rows(prompt_row(sheet, "who.time"))


def _extra_prompt(sheet: Any) -> None:
    row = prompt_row(sheet, "who.time") + 1
    sheet.insert_rows(row)
    sheet.cell(row=row, column=1).value = "who.extra"
    sheet.cell(row=row, column=5).value = "An extra thought."


def _row_without_id(sheet: Any) -> None:
    row = prompt_row(sheet, "who.time") + 1
    sheet.insert_rows(row)
    sheet.cell(row=row, column=5).value = "One more thing."


def _set(label: str, value: object) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        beside(book["Answers"], label).value = value

    return change


def _both(*changes: Callable[[Any], None]) -> Callable[[Any], None]:
    def change(book: Any) -> None:
        for one in changes:
            one(book)

    return change


def _dtd_in_sheet() -> bytes:
    data = answered()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    bombed = sheet.replace("<worksheet", '<!DOCTYPE worksheet [<!ENTITY a "b">]><worksheet', 1)
    return rezip(data, {"xl/worksheets/sheet1.xml": bombed.encode()})


def _drop_properties(book: Any) -> None:
    book.custom_doc_props.props = []


_STRUCTURE = "The questions on the Answers sheet were changed"
_FULL_BUT = {pid: FULL[pid] for pid in PROMPTS if not pid.startswith("reporting.")}
OUTSIDER = "eve@elsewhere.example"

# (id, the returned file, expected message fragment, person, unknown_sender)
BAD_CASES: list[tuple[str, Callable[[], bytes], str, str | None, bool]] = [
    (
        "pdf",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "This file is not the questionnaire workbook we sent (it looks like a PDF document). "
        "Please fill in the questionnaire workbook we emailed you and return that file (.xlsx).",
        None,
        False,
    ),
    (
        "csv",
        lambda: b"Question,Your answer\r\nwho.participants,Everyone\r\n",
        "This file is not the questionnaire workbook we sent. Please fill in the questionnaire "
        "workbook we emailed you",
        None,
        False,
    ),
    (
        "old xls",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1_000,
        "This is an old-format Excel file (.xls).",
        None,
        False,
    ),
    (
        "empty",
        lambda: b"",
        "The file is empty. Please fill in the questionnaire workbook we emailed you",
        None,
        False,
    ),
    (
        "damaged zip",
        lambda: answered()[:3_000],
        "The file looks like an Excel workbook but is damaged and cannot be opened.",
        None,
        False,
    ),
    (
        "macro workbook",
        lambda: rezip(answered(), add={"xl/vbaProject.bin": b"\0" * 64}),
        "This workbook contains macros, which we do not accept for safety reasons.",
        ANN.email,
        False,
    ),
    (
        "dtd in a sheet",
        _dtd_in_sheet,
        "The workbook contains content that cannot be read safely (Excel itself never writes "
        "it). Copy your answers into the questionnaire workbook we emailed you",
        ANN.email,
        False,
    ),
    (
        "declared huge",
        lambda: with_big_member(answered()),
        "The workbook unpacks to 60 MB, more than the 10 MB we accept. Remove any pictures",
        None,  # the properties are not even read then
        False,
    ),
    ("row deleted", lambda: answered(then=_on_sheet(_delete_row)), _STRUCTURE, ANN.email, False),
    (
        "prompt row added",
        lambda: answered(then=_on_sheet(_extra_prompt)),
        _STRUCTURE,
        ANN.email,
        False,
    ),
    (
        "row added without id",
        lambda: answered(then=_on_sheet(_row_without_id)),
        _STRUCTURE,
        ANN.email,
        False,
    ),
    (
        "sheet renamed",
        lambda: answered(then=lambda book: setattr(book["Answers"], "title", "My answers")),
        'We could not find the "Answers" sheet in the workbook (sheets: "Instructions", '
        '"My answers")',
        ANN.email,
        False,
    ),
    (
        "code changed, own email",
        # With the properties gone too (a re-save by another program), only the cell remains.
        lambda: answered(then=_both(_set("Personal code", "ZZZZ-0000"), _drop_properties)),
        'The personal code on the Answers sheet ("ZZZZ-0000") was changed',
        ANN.email,
        False,
    ),
    (
        "someone else's workbook",
        lambda: answered(blank(BOB), then=_set("Email", "ann.archer@ACME.example")),
        "This workbook carries the personal code of another invited person, so we cannot take "
        "these answers as yours. Please use the workbook sent to you.",
        ANN.email,
        False,
    ),
    (
        "own code, outsider's email",
        lambda: answered(then=_set("Email", OUTSIDER)),
        'The email address on the Answers sheet ("eve@elsewhere.example") is not the one we sent '
        'this workbook to. If you changed it by mistake, put back "Ann.Archer@acme.example"',
        ANN.email,
        True,
    ),
    (
        "nobody we know",
        lambda: answered(
            then=_both(
                _set("Personal code", "ZZZZ-0000"),
                _set("Name", "Eve Outsider"),
                _set("Email", OUTSIDER),
                _drop_properties,
            )
        ),
        'The person named in this workbook ("Eve Outsider", "eve@elsewhere.example") is not on '
        "the list of invited people",
        None,
        True,
    ),
    (
        "invalid choice",
        lambda: answered(answers={**FULL, "when.disclaimer": ("Sometimes", None)}),
        'Row 18 (When), Choice: "Sometimes" is not one of the choices. Pick one from the list '
        '("Yes", "No" or "Only when discussing company topics")',
        ANN.email,
        False,
    ),
    (
        "formula in an answer",
        lambda: answered(answers={**FULL, "who.time": (None, "=1+1")}),
        'Row 14 (Who), Your answer: there is a formula ("=1+1"); type your answer as text, not a '
        "formula.",
        ANN.email,
        False,
    ),
    (
        "formula in a choice",
        lambda: answered(answers={**FULL, "who.primer": ("=G13", None)}),
        'Row 13 (Who), Choice: there is a formula ("=G13")',
        ANN.email,
        False,
    ),
    (
        "answer too long",
        lambda: answered(answers={**FULL, "who.time": (None, "x" * (MAX_ANSWER_CHARS + 1))}),
        "Row 14 (Who), Your answer: the answer is 5,001 characters long; the limit is 5,000.",
        ANN.email,
        False,
    ),
    (
        "choice where there is none",
        lambda: answered(answers={**FULL, "who.time": ("Yes", None)}),
        "Row 14 (Who), Choice: this part has no choices to pick from.",
        ANN.email,
        False,
    ),
    (
        "all blank",
        lambda: answered(answers={}),
        'Nothing was answered: the "Your answer" column of the Answers sheet is empty.',
        ANN.email,
        False,
    ),
    (
        "one question blank",
        lambda: answered(answers=_FULL_BUT),
        'Nothing was answered for the question "Reporting" (rows 28 to 29). Answer at least one '
        'part, or write "no view".',
        ANN.email,
        False,
    ),
    (
        "bad rsvp",
        lambda: answered(rsvp="Maybe"),
        'Row 7, RSVP: "Maybe" is not one of the answers to "Will you attend the workshop?". Pick '
        "one from the list (Attending, Not attending or Sending a delegate), or leave it empty.",
        ANN.email,
        False,
    ),
    (
        "formula as rsvp",
        lambda: answered(rsvp="=C3"),
        'Row 7, RSVP: there is a formula ("=C3")',
        ANN.email,
        False,
    ),
    (
        "delegate without email",
        lambda: answered(rsvp="Sending a delegate", delegate=("Dan Deputy", "")),
        'You chose "Sending a delegate": please write your delegate\'s email address in the '
        '"Delegate\'s email" cell (row 8)',
        ANN.email,
        False,
    ),
    (
        "delegate without name",
        lambda: answered(rsvp="Sending a delegate", delegate=("", "dan@acme.example")),
        "please write your delegate's name",
        ANN.email,
        False,
    ),
    (
        "delegate with a bad email",
        lambda: answered(rsvp="Sending a delegate", delegate=("Dan", "dan at acme")),
        'Row 8, Delegate\'s email: "dan at acme" is not a valid email address.',
        ANN.email,
        False,
    ),
]


@pytest.mark.parametrize(
    ("builder", "expected", "person", "unknown"),
    [pytest.param(b, e, p, u, id=i) for i, b, e, p, u in BAD_CASES],
)
def test_a_returned_questionnaire_with_a_problem_is_refused(
    tmp_path: Path,
    builder: Callable[[], bytes],
    expected: str,
    person: str | None,
    unknown: bool,
) -> None:
    verdict = judge(tmp_path, builder())
    assert not verdict.ok
    messages = [p.message for p in verdict.problems]
    assert any(expected in m for m in messages), messages
    assert (verdict.person, verdict.unknown_sender) == (person, unknown)
    json.dumps(verdict.as_dict())


def test_a_structure_problem_stops_the_judging_of_answers(tmp_path: Path) -> None:
    verdict = judge(tmp_path, answered(then=_on_sheet(_delete_row)))
    assert verdict.problems[0].message == (
        "The questions on the Answers sheet were changed (rows were added, removed or moved), so "
        "we cannot tell which answer belongs to which question. Please answer in the workbook "
        "exactly as we sent it; a fresh copy is attached."
    )
    assert (len(verdict.problems), verdict.answers, verdict.blank_prompts) == (1, {}, ())


def test_problems_name_the_row_and_column(tmp_path: Path) -> None:
    data = answered(answers={**FULL, "who.time": (None, "=1+1")}, rsvp="Maybe")
    found = {(p.row, p.column) for p in judge(tmp_path, data).problems}
    assert found == {(14, "Your answer"), (7, "RSVP")}


def test_a_question_left_blank_keeps_the_other_answers(tmp_path: Path) -> None:
    verdict = judge(tmp_path, answered(answers=_FULL_BUT))
    assert [(p.row, p.column) for p in verdict.problems] == [(27, "Your answer")]
    assert verdict.blank_prompts == ("reporting.measures", "reporting.audience")
    assert set(verdict.answers) == set(_FULL_BUT)


def test_an_unknown_sender_keeps_what_was_written(tmp_path: Path) -> None:
    spoil = _both(_set("Personal code", "ZZZZ"), _set("Name", "Eve"), _set("Email", OUTSIDER))
    verdict = judge(tmp_path, answered(then=spoil))
    assert (verdict.name_found, verdict.email_found) == ("Eve", OUTSIDER)
    assert len(verdict.answers) == len(PROMPTS)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    verdict = judge(tmp_path, answered(), max_bytes=1_000)
    assert verdict.problems[0].message.endswith(
        "the limit is 1 KB. Remove any pictures or sheets you added, or copy your answers into "
        "the questionnaire workbook we emailed you, and try again."
    )


def test_a_missing_file_is_an_answer_not_an_exception(tmp_path: Path) -> None:
    verdict = judge_questionnaire(tmp_path / "gone.xlsx", INVITEES, QUESTIONS)
    assert verdict.problems[0].message == (
        "The file gone.xlsx could not be opened. Please send it again."
    )


@pytest.mark.parametrize(
    "builder",
    [answered, lambda: answered(then=_on_sheet(_delete_row)), _dtd_in_sheet, lambda: b"%PDF-1"],
)
def test_judging_leaves_the_file_as_it_was(tmp_path: Path, builder: Callable[[], bytes]) -> None:
    path = tmp_path / "answers.xlsx"
    data = builder()
    path.write_bytes(data)
    before = path.stat()
    judge_questionnaire(path, INVITEES, QUESTIONS)
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def test_rsvp_choices_are_the_ones_offered() -> None:
    assert RSVP_CHOICES == ("Attending", "Not attending", "Sending a delegate")


def test_a_code_cell_edited_by_accident_still_counts_when_the_workbook_is_theirs(
    tmp_path: Path,
) -> None:
    verdict = judge(tmp_path, answered(then=_set("Personal code", "K7QF-2M9")))
    assert verdict.ok and verdict.person == ANN.email and not verdict.unknown_sender


def test_answer_cells_are_text_cells_so_excel_keeps_what_is_typed() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(blank()))["Answers"]
    unlocked = [c for row in sheet.iter_rows() for c in row if c.protection.locked is False]
    typed = [c for c in unlocked if c.number_format == "@"]
    assert len(typed) >= len(PROMPTS) + 2  # every answer, the delegate's name and email

"""The company-list judge; every file is built here in tmp_path (openpyxl, zipfile, bytes)."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from smpp import uploads
from smpp.stages.company_list.judge import (
    COMPANY_COLUMNS,
    Company,
    ListVerdict,
    Problem,
    judge_company_list,
)

HEADERS = [c.header for c in COMPANY_COLUMNS]


def firms(count: int, start: int = 1) -> list[list[str]]:
    """`count` distinct valid rows: name and website only."""
    return [[f"Firm {i:03d}", f"firm{i:03d}.com"] for i in range(start, start + count)]


def xlsx(
    rows: Sequence[Sequence[object]],
    headers: Sequence[str] = ("Company name", "Website"),
    title: str = "Companies",
) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    if headers:
        sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None
) -> bytes:
    """A copy of a zip with some members replaced or added."""
    replace = replace or {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert set(replace) <= set(z.namelist())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def csv_bytes(lines: Sequence[Sequence[str]], sep: str = ",", encoding: str = "utf-8") -> bytes:
    return "\r\n".join(sep.join(line) for line in lines).encode(encoding)


def judge(tmp_path: Path, data: bytes, name: str = "list.xlsx", **kwargs: int) -> ListVerdict:
    path = tmp_path / name
    path.write_bytes(data)
    return judge_company_list(path, **kwargs)


# --- hostile or wrong files --------------------------------------------------------------------

_ENTITIES = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
)
BOMB_STRINGS = (
    f'<?xml version="1.0"?><!DOCTYPE sst [{_ENTITIES}]>'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
    'uniqueCount="1"><si><t>&lol9;</t></si></sst>'
).encode()


def with_shared_strings(data: bytes, strings_xml: bytes) -> bytes:
    """openpyxl writes inline strings; Excel writes a shared-strings part. This makes one, with
    cell A2 of the first sheet pointing at its first string."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        types = z.read("[Content_Types].xml").decode()
    cell = re.search(r'<c r="A2" t="inlineStr">.*?</c>', sheet)
    assert cell is not None
    override = (
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    )
    return rezip(
        data,
        replace={
            "xl/worksheets/sheet1.xml": sheet.replace(
                cell[0], '<c r="A2" t="s"><v>0</v></c>'
            ).encode(),
            "[Content_Types].xml": types.replace("</Types>", override + "</Types>").encode(),
        },
        add={"xl/sharedStrings.xml": strings_xml},
    )


def bomb_in_strings() -> bytes:
    return with_shared_strings(xlsx(firms(20)), BOMB_STRINGS)


def bomb_in_sheet() -> bytes:
    data = xlsx(firms(20))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    bombed = f"<!DOCTYPE worksheet [{_ENTITIES}]>{sheet}"
    return rezip(data, replace={"xl/worksheets/sheet1.xml": bombed.encode()})


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = b"\0" * 1_000_000
            for _ in range(60):
                member.write(chunk)
    return out.getvalue()


def many_members() -> bytes:
    return zipped({f"xl/media/image{i}.png": b"" for i in range(1_500)})


MACRO_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/'
    b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
)

FILE_CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("empty", lambda: b"", "The file is empty. Please fill in the company list"),
    (
        "xls renamed",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1_000,
        "This is an old-format Excel file (.xls). Open it in Excel, choose File > Save As",
    ),
    (
        "password protected",
        lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"),
        "This workbook is protected with a password, so we cannot open it.",
    ),
    (
        "random bytes",
        lambda: random.Random(7).randbytes(3_000),
        "This file is not an Excel workbook or CSV file; its content cannot be read as a table.",
    ),
    (
        "pdf",
        lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "This file is not an Excel workbook or CSV file (it looks like a PDF document).",
    ),
    (
        "png",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 100,
        "This file is not an Excel workbook or CSV file (it looks like an image).",
    ),
    (
        "web page",
        lambda: b"<html><body><table><tr><td>Company name</td></tr></table></body></html>",
        "This file is a web page or XML file, not an Excel workbook or CSV file.",
    ),
    (
        "docx",
        lambda: zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
        "This file is a Word document, not an Excel workbook or CSV file.",
    ),
    (
        "plain zip",
        lambda: zipped({"list.xlsx": xlsx(firms(20))}),
        "This file is a zip archive, not an Excel workbook or CSV file.",
    ),
    (
        "ods",
        lambda: zipped(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
        ),
        "This is an OpenDocument spreadsheet (.ods).",
    ),
    (
        "corrupt zip",
        lambda: xlsx(firms(20))[:3_000],
        "The file looks like an Excel workbook but is damaged and cannot be opened.",
    ),
    (
        "macro workbook",
        lambda: rezip(xlsx(firms(20)), add={"xl/vbaProject.bin": b"\0" * 64}),
        "This workbook contains macros, which we do not accept for safety reasons.",
    ),
    (
        "xlsm content type",
        lambda: rezip(xlsx(firms(20)), replace={"[Content_Types].xml": MACRO_TYPES}),
        "This workbook contains macros, which we do not accept for safety reasons.",
    ),
    (
        "xml bomb in shared strings",
        bomb_in_strings,
        "The workbook contains content that cannot be read safely",
    ),
    (
        "xml bomb in sheet",
        bomb_in_sheet,
        "The workbook contains content that cannot be read safely",
    ),
    ("zip bomb", zip_bomb, "The workbook unpacks to 60 MB, more than the 10 MB we accept."),
    ("many parts", many_members, "The file contains 1,500 parts, far more than a company list"),
    (
        "no header",
        lambda: xlsx([["just", "some", "cells"]] * 12, headers=()),
        "We could not find the header row: one of the first 10 rows should contain",
    ),
    (
        "no company sheet",
        lambda: xlsx(firms(20), headers=("Supplier", "Web"), title="Sheet1"),
        'We could not find the company list in the workbook (sheets: "Sheet1").',
    ),
]


@pytest.mark.parametrize(
    ("builder", "expected"),
    [pytest.param(b, e, id=i) for i, b, e in FILE_CASES],
)
def test_a_file_that_cannot_be_used_gets_one_clear_problem(
    tmp_path: Path, builder: Callable[[], bytes], expected: str
) -> None:
    verdict = judge(tmp_path, builder())
    assert not verdict.ok
    assert verdict.companies == ()
    assert len(verdict.problems) == 1
    problem = verdict.problems[0]
    assert (problem.row, problem.column) == (None, None)
    assert expected in problem.message


@pytest.mark.parametrize("bomb", [bomb_in_strings, bomb_in_sheet])
def test_an_xml_bomb_is_stopped_by_defusedxml_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bomb: Callable[[], bytes]
) -> None:
    # With the DTD pre-scan blinded, the bomb reaches openpyxl and defusedxml must refuse it.
    monkeypatch.setattr(uploads, "XML_SNIFF_BYTES", 0)
    verdict = judge(tmp_path, bomb())
    assert len(verdict.problems) == 1
    assert verdict.problems[0].message.startswith(
        "The workbook contains content that cannot be read safely"
    )


def test_an_oversized_file_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "big.xlsx"
    with path.open("wb") as f:
        f.truncate(7_300_000)  # sparse: costs no time
    verdict = judge_company_list(path)
    assert verdict.problems == (
        Problem(
            None,
            None,
            "The file is 7.3 MB; the limit is 5 MB. Remove pictures and extra sheets, or send "
            "only the company list, and try again.",
        ),
    )


def test_the_size_limit_is_a_parameter(tmp_path: Path) -> None:
    verdict = judge(tmp_path, b"x" * 7_300, name="list.csv", max_bytes=5_000)
    assert verdict.problems[0].message.startswith("The file is 7.3 KB; the limit is 5 KB.")


def test_a_missing_file_gives_a_problem(tmp_path: Path) -> None:
    verdict = judge_company_list(tmp_path / "gone.xlsx")
    assert verdict.as_dict() == {
        "ok": False,
        "companies": 0,
        "problems": [
            {
                "row": None,
                "column": None,
                "message": "The file gone.xlsx could not be opened. Please send it again.",
            }
        ],
        "notes": [],
    }


def test_damaged_files_never_raise(tmp_path: Path) -> None:
    good = xlsx(firms(20))
    rng = random.Random(3)
    for _ in range(40):
        data = bytearray(good)
        for _ in range(5):
            data[rng.randrange(len(data))] = rng.randrange(256)
        verdict = judge(tmp_path, bytes(data))
        assert verdict.ok == (not verdict.problems)


# --- lists with problems in rows ---------------------------------------------------------------

ROW_CASES: list[
    tuple[str, Sequence[Sequence[object]], Sequence[str], int | None, str | None, str]
] = [
    (
        "19 companies",
        firms(19),
        ("Company name", "Website"),
        None,
        None,
        "The list has 19 distinct companies; at least 20 are needed. Add 1 more company, one "
        "per row (repeated companies and rows with problems are not counted).",
    ),
    (
        "same name, other spelling",
        [["ACME Inc.", "acme.com"], *firms(20), ["Acme, Incorporated", "acme-corp.com"]],
        ("Company name", "Website"),
        23,
        "Company name",
        "Row 23 repeats 'ACME Inc.' from row 2 (same company name). Remove one of them.",
    ),
    (
        "same name, accents and &",
        [["Société Générale & Co S.p.A.", "sg.fr"], *firms(20), ["SOCIETE GENERALE", "x.fr"]],
        ("Company name", "Website"),
        23,
        "Company name",
        "Row 23 repeats 'Société Générale & Co S.p.A.' from row 2 (same company name).",
    ),
    (
        "same domain with and without www and https",
        [["Initech", "initech.com"], *firms(20), ["Initech Software", "https://www.initech.com/"]],
        ("Company name", "Website"),
        23,
        "Website",
        "Row 23 repeats 'Initech' from row 2 (same web domain initech.com). Remove one of them.",
    ),
    (
        "same name and domain",
        [*firms(20), ["Firm 001 Ltd", "http://WWW.firm001.com"]],
        ("Company name", "Website"),
        22,
        "Company name",
        "Row 22 repeats 'Firm 001' from row 2 (same company name and web domain firm001.com).",
    ),
    (
        "missing Website column",
        firms(20),
        ("Company name", "Industry"),
        1,
        "Website",
        'The "Website" column is missing. The header row (row 1) has: "Company name", '
        '"Industry". Add a column titled "Website" and fill it in for every company.',
    ),
    (
        "formula",
        [*firms(3), ["Firm 004", '=LOWER(A4)&".com"'], *firms(17, start=5)],
        ("Company name", "Website"),
        5,
        "Website",
        'Row 5, Website, contains a formula (=LOWER(A4)&".com"); type the value itself instead '
        "of a formula.",
    ),
    (
        "name without website",
        [*firms(20), ["Umbrella Corp", None]],
        ("Company name", "Website"),
        22,
        "Website",
        "Row 22 ('Umbrella Corp') has no website. Add the company's website, for example acme.com.",
    ),
    (
        "website without name",
        [*firms(20), [None, "umbrella.com"]],
        ("Company name", "Website"),
        22,
        "Company name",
        "Row 22 has a website ('umbrella.com') but no company name. Add the company's name.",
    ),
    (
        "details without name or website",
        [*firms(20), [None, None, "Retail"]],
        ("Company name", "Website", "Industry"),
        22,
        None,
        "Row 22 has details but no company name or website.",
    ),
    (
        "blank name",
        [*firms(20), ["---", "dash.com"]],
        ("Company name", "Website"),
        22,
        "Company name",
        "Row 22: '---' is not a company name. Write the company's name.",
    ),
]


@pytest.mark.parametrize(
    ("rows", "headers", "row", "column", "expected"),
    [pytest.param(r, h, n, c, e, id=i) for i, r, h, n, c, e in ROW_CASES],
)
def test_a_row_problem_names_row_column_and_fix(
    tmp_path: Path,
    rows: Sequence[Sequence[object]],
    headers: Sequence[str],
    row: int | None,
    column: str | None,
    expected: str,
) -> None:
    verdict = judge(tmp_path, xlsx(rows, headers))
    assert not verdict.ok
    matching = [p for p in verdict.problems if expected in p.message]
    assert [(p.row, p.column) for p in matching] == [(row, column)], verdict.problems


@pytest.mark.parametrize(
    ("website", "says"),
    [
        ("n/a", "is not a web address"),
        ("acme .com", "contains spaces"),
        ("info@acme.com", "looks like an email address, not a web address"),
        ("https://bob@acme.com", "looks like an email address, not a web address"),
        ("acme", "is not a valid web address"),
        ("acme.c0m", "is not a valid web address"),
        ("-acme.com", "is not a valid web address"),
        ("acme..com", "is not a valid web address"),
        ("localhost", "is not a public web address"),
        ("http://192.168.0.1/", "is a numeric (IP) address, not the company's web address"),
        ("ftp://acme.com", "does not start with http:// or https://"),
        ("https://acme.com:99999", "has a wrong port number after the site name"),
        ("https://", "has no site name"),
        ("javascript:alert(1)", "is not a web address"),
        ("JavaScript:void(0)", "is not a web address"),
        ("data:text/html,<b>hi</b>", "is not a web address"),
        ("file:/etc/passwd", "is not a web address"),
        ("[/b]", "is not a valid web address"),
        ("https://[::1", "is not a valid web address"),
    ],
)
def test_a_bad_website_is_explained(tmp_path: Path, website: str, says: str) -> None:
    verdict = judge(tmp_path, xlsx([*firms(20), ["Acme", website]]))
    assert verdict.problems == (
        Problem(
            22,
            "Website",
            f"Row 22: the Website '{website}' {says}. Write the company's web address, for "
            "example acme.com or https://www.acme.com.",
        ),
    )
    assert len(verdict.companies) == 20


def test_too_many_rows_is_one_problem(tmp_path: Path) -> None:
    verdict = judge(tmp_path, xlsx(firms(30)), max_rows=25, min_companies=5)
    assert [p.message for p in verdict.problems] == [
        "The list has more than 25 rows; we accept at most 25. Keep only the companies you "
        "consider comparable and send the file again."
    ]
    assert len(verdict.companies) == 25


def test_a_formula_like_csv_cell_is_refused(tmp_path: Path) -> None:
    lines = [["Company name", "Website", "Industry"], *([*f, "Retail"] for f in firms(20))]
    lines[3][1] = "@SUM(A1)"  # in a required column: the row cannot be taken
    lines[4][2] = "-5"  # a number, not a formula
    lines[5][2] = "+44 20 7946 0000"
    verdict = judge(tmp_path, csv_bytes(lines), name="list.csv")
    assert verdict.problems == (
        Problem(
            4,
            "Website",
            "Row 4, Website, contains a formula (@SUM(A1)); type the value itself instead of "
            "a formula.",
        ),
        Problem(
            None,
            None,
            "The list has 19 distinct companies; at least 20 are needed. Add 1 more company, "
            "one per row (repeated companies and rows with problems are not counted).",
        ),
    )


# --- good lists --------------------------------------------------------------------------------


def test_shuffled_upper_case_columns_with_an_extra_one_are_accepted(tmp_path: Path) -> None:
    headers = (
        "WHY COMPARABLE",
        "web-site",
        "NOTES FROM BOB",
        "company  name",
        "PRIORITY",
        "Size (Employees)",
        "country",
        "INDUSTRY",
        "social media policy url (if known)",
    )
    rows: list[list[object]] = [
        [
            "Same market",
            "www.Acme.com/",
            "ignore me",
            " ACME Inc. ",
            "1 - High",
            "251-1000",
            "UK",
            "Retail",
            "acme.com/policies/social",
        ],
        ["", "http://globex.com/about?x=1", None, "Globex", 3.0, "over 50,000", "", "", ""],
        ["", "https://société.fr", None, "Société", "medium", "", "FR", "", ""],
        [date(2026, 1, 2), "initech.com", None, 1234, "LOW", None, None, 5.5, None],
    ]
    rows += [[None, f[1], None, f[0], 2, None, None, None, None] for f in firms(16)]
    verdict = judge(tmp_path, xlsx(rows, headers))
    assert verdict.ok, verdict.problems
    assert verdict.problems == ()
    assert len(verdict.companies) == 20
    assert verdict.companies[:4] == (
        Company(
            name="ACME Inc.",
            website="https://www.acme.com",
            domain="acme.com",
            industry="Retail",
            country="UK",
            size="251-1,000",
            why_comparable="Same market",
            priority=1,
            policy_url="https://acme.com/policies/social",
            row=2,
        ),
        Company(
            name="Globex",
            website="http://globex.com/about?x=1",
            domain="globex.com",
            industry="",
            country="",
            size="over 50,000",
            why_comparable="",
            priority=3,
            policy_url=None,
            row=3,
        ),
        Company(
            name="Société",
            website="https://société.fr",
            domain="société.fr",
            industry="",
            country="FR",
            size="",
            why_comparable="",
            priority=2,
            policy_url=None,
            row=4,
        ),
        Company(
            name="1234",
            website="https://initech.com",
            domain="initech.com",
            industry="5.5",
            country="",
            size="",
            why_comparable="2026-01-02",
            priority=3,
            policy_url=None,
            row=5,
        ),
    )
    assert verdict.as_dict() == {"ok": True, "companies": 20, "problems": [], "notes": []}


def test_a_header_below_a_title_and_blank_rows_keep_excel_row_numbers(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Notes"  # no "Companies" sheet: the first sheet with a header is used
    other = book.create_sheet("Companies list")
    other["A1"] = "Our comparables"
    other["A3"], other["B3"] = "Name", "URL"
    for offset, (name, site) in enumerate(firms(20)):
        row = 4 + offset + (2 if offset >= 10 else 0)  # rows 14 and 15 left blank
        other.cell(row=row, column=1, value=name)
        other.cell(row=row, column=2, value=site)
    other["B18"] = "not a site"
    buffer = io.BytesIO()
    book.save(buffer)
    verdict = judge(tmp_path, buffer.getvalue())
    assert [c.row for c in verdict.companies][9:12] == [13, 16, 17]
    assert verdict.problems[0].row == 18
    assert verdict.problems[0].message.startswith("Row 18: the Website 'not a site' contains")


def test_a_csv_with_semicolons_and_bom_is_accepted(tmp_path: Path) -> None:
    lines = [["Company name", "Website", "Country"], ["Müller GmbH", "müller.de", "Deutschland"]]
    lines += [[*f, "Österreich"] for f in firms(19)]
    data = b"\xef\xbb\xbf" + csv_bytes(lines, sep=";")
    verdict = judge(tmp_path, data, name="list.csv")
    assert verdict.ok, verdict.problems
    assert verdict.companies[0].name == "Müller GmbH"
    assert verdict.companies[0].domain == "müller.de"
    assert verdict.companies[1].country == "Österreich"


@pytest.mark.parametrize(
    ("sep", "encoding"),
    [(",", "cp1252"), ("\t", "utf-16"), (",", "utf-8")],
)
def test_csv_encodings_and_delimiters(tmp_path: Path, sep: str, encoding: str) -> None:
    lines = [["Company", "Homepage", "Why"], ["Café Rouge", "caferouge.co.uk", "Français, et al"]]
    lines += [[*f, "x"] for f in firms(19)]
    if sep == ",":
        lines[1][2] = '"Français, et al"'
    # Named .xlsx on purpose: the content decides the format, not the extension.
    verdict = judge(tmp_path, csv_bytes(lines, sep, encoding), name="list.xlsx")
    assert verdict.ok, verdict.problems
    assert (verdict.companies[0].name, verdict.companies[0].why_comparable) == (
        "Café Rouge",
        "Français, et al",
    )


def test_shared_strings_are_read(tmp_path: Path) -> None:
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
        b'main" count="1" uniqueCount="1"><si><t>Shared Firm</t></si></sst>'
    )
    verdict = judge(tmp_path, with_shared_strings(xlsx(firms(20)), strings))
    assert verdict.ok
    assert verdict.companies[0].name == "Shared Firm"


def test_the_file_is_left_as_it_was(tmp_path: Path) -> None:
    data = xlsx(firms(25))
    path = tmp_path / "list.xlsx"
    path.write_bytes(data)
    before = path.stat().st_mtime_ns
    verdict = judge_company_list(path)
    assert verdict.ok
    assert path.read_bytes() == data
    assert path.stat().st_mtime_ns == before


def test_every_header_alias_names_one_column_only() -> None:
    seen: dict[str, str] = {}
    for column in COMPANY_COLUMNS:
        for alias in (column.header, column.key, *column.aliases):
            key = "".join(ch for ch in alias.casefold() if ch.isalnum())
            assert seen.setdefault(key, column.key) == column.key, alias


def test_as_dict_shapes() -> None:
    problem = Problem(4, "Website", "Row 4 ...")
    company = Company("A", "https://a.com", "a.com", "", "", "", "", None, None, 2)
    verdict = ListVerdict(ok=False, companies=(company,), problems=(problem,))
    assert problem.as_dict() == {"row": 4, "column": "Website", "message": "Row 4 ..."}
    assert verdict.as_dict() == {
        "ok": False,
        "companies": 1,
        "problems": [{"row": 4, "column": "Website", "message": "Row 4 ..."}],
        "notes": [],
    }


def test_a_datetime_in_a_text_column_reads_as_text(tmp_path: Path) -> None:
    rows = [[*f, datetime(2026, 3, 4, 9, 30)] for f in firms(20)]
    verdict = judge(tmp_path, xlsx(rows, ("Company name", "Website", "Why comparable")))
    assert verdict.companies[0].why_comparable == "2026-03-04 09:30:00"


@pytest.mark.parametrize(
    ("value", "text"),
    [("line1_x000D_\nline2", "line1\r\nline2"), ("bell_x0007_", "bell"), ("  plain ", "plain")],
)
def test_cell_text_decodes_excel_escapes_and_drops_control_characters(
    value: str, text: str
) -> None:
    from smpp.stages.company_list.judge import as_text

    assert as_text(value) == text


def two_sheets(
    hidden: Sequence[Sequence[object]], visible: Sequence[Sequence[object]] | None
) -> bytes:
    """A workbook whose "Companies" sheet is hidden, with another list on a visible sheet."""
    book = openpyxl.Workbook()
    secret = book.active
    secret.title = "Companies"
    secret.sheet_state = "hidden"
    for row in [("Company name", "Website"), *hidden]:
        secret.append(list(row))
    shown = book.create_sheet("Our peers")
    for row in [("Company name", "Website"), *(visible or [])] if visible is not None else []:
        shown.append(list(row))
    if visible is None:
        shown.append(["Notes for the workshop"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_visible_list_is_judged_not_a_hidden_sheet(tmp_path: Path) -> None:
    verdict = judge(tmp_path, two_sheets([["Hidden Co", "not a site"]], firms(19)))
    assert [p.message for p in verdict.problems] == [
        "The list has 19 distinct companies; at least 20 are needed. Add 1 more company, one "
        "per row (repeated companies and rows with problems are not counted)."
    ]


def test_a_list_only_on_a_hidden_sheet_is_refused_saying_so(tmp_path: Path) -> None:
    verdict = judge(tmp_path, two_sheets(firms(20), None))
    assert [p.message for p in verdict.problems] == [
        'The company list is on a hidden sheet ("Companies"), and we read only what you can '
        "see. Unhide it (right-click a sheet tab, then Unhide) or copy the list onto a visible "
        "sheet, and send the file again."
    ]

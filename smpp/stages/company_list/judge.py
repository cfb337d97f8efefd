"""Judges the list of comparable companies a client sends back (xlsx or csv).

The client fills in the template made by this stage's `workbook.py` and drops it in the inbox.
This module reads what came back, without trusting it: the file may be empty, huge, of another
kind, a zip bomb, an XML bomb, a macro workbook, or simply filled in differently than asked.
Nothing here raises for bad input and nothing modifies the file: the answer is a `ListVerdict`
whose problems are written for the client (a non-technical reader), each naming the spreadsheet
row as Excel shows it (header row included) and saying how to fix it. Only the required columns
refuse: an optional cell that cannot be taken (a priority that is no rank, a policy address that
is no address, a formula, an over-long text) is left out, with a note on its `Company`.

The column spec (`COMPANY_COLUMNS`) and the choice lists live here and the template imports them,
so the template and the judge cannot drift apart. The file-level checks every upload goes through
first (size, kind, zip and XML bombs) are in `smpp.uploads`, shared with the questionnaire.
"""

from __future__ import annotations

import csv
import io
import ipaddress
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from smpp.uploads import (
    RESAVE,
    Formula,
    Problem,
    UploadWording,
    as_text,
    cell_value,
    is_zip,
    read_upload,
    read_xlsx,
    unreadable,
)

_SEND_TEMPLATE = "Please fill in the Excel template we sent and return that file (.xlsx)."


@dataclass(frozen=True)
class Column:
    """One column of the company list: `header` is what the template shows."""

    key: str
    header: str
    required: bool
    help: str
    aliases: tuple[str, ...]
    width: int


COMPANY_COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "Company name",
        True,
        "The company's usual name, for example Acme Ltd.",
        (
            "company",
            "companies",
            "company names",
            "name",
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "business",
            "business name",
            "firm",
            "comparable company",
        ),
        32,
    ),
    Column(
        "website",
        "Website",
        True,
        "The company's main website, for example acme.com or https://www.acme.com.",
        (
            "web site",
            "websites",
            "company website",
            "website url",
            "web address",
            "url",
            "homepage",
            "home page",
            "site",
            "domain",
            "web",
            "www",
        ),
        32,
    ),
    Column(
        "industry",
        "Industry",
        False,
        "The company's industry or sector.",
        ("sector", "industry sector", "business sector", "market"),
        22,
    ),
    Column(
        "country",
        "Country",
        False,
        "The country of the company's headquarters.",
        ("hq country", "country of headquarters", "headquarters", "hq", "location"),
        18,
    ),
    Column(
        "size",
        "Size (employees)",
        False,
        "Number of employees: pick one of the choices in the list.",
        (
            "size",
            "company size",
            "employees",
            "number of employees",
            "no of employees",
            "employee count",
            "headcount",
            "staff",
        ),
        18,
    ),
    Column(
        "why_comparable",
        "Why comparable",
        False,
        "In a few words, why you consider this company comparable.",
        ("why", "why is it comparable", "reason", "reasons", "rationale", "comments", "notes"),
        48,
    ),
    Column(
        "priority",
        "Priority",
        False,
        "How important the comparison is to you: 1 - high, 2 - medium or 3 - low, or rank "
        "the companies 1, 2, 3, 4 ... (1 first).",
        ("prio", "importance", "rank", "ranking"),
        14,
    ),
    Column(
        "policy_url",
        "Social media policy URL (if known)",
        False,
        "If you know where the company publishes its social media policy, its web address.",
        (
            "social media policy url",
            "social media policy link",
            "social media policy",
            "policy url",
            "policy link",
            "policy",
            "policy website",
            "link to policy",
            "link to social media policy",
        ),
        40,
    ),
)

SIZE_CHOICES = ("1-50", "51-250", "251-1,000", "1,001-5,000", "5,001-50,000", "over 50,000")
PRIORITY_CHOICES = ("1 - high", "2 - medium", "3 - low")

MAX_CELL_CHARS = 1_000

# Columns beyond this are ignored: no company list is that wide, and it bounds the work per row.
MAX_COLUMNS = 50
HEADER_SEARCH_ROWS = 10
_COLUMN_BY_KEY = {c.key: c for c in COMPANY_COLUMNS}


@dataclass(frozen=True)
class Company:
    """One accepted row of the list, normalised."""

    name: str
    website: str  # normalised URL; https:// added when the client gave no scheme
    domain: str  # host without www., lowercased
    industry: str
    country: str
    size: str
    why_comparable: str
    priority: int | None  # 1 first: a rank, or 1 high, 2 medium, 3 low
    policy_url: str | None
    row: int  # spreadsheet row it came from
    # Optional cells that could not be taken (left out), in words: the row is kept all the same.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListVerdict:
    """`ok` only when there is no problem; `companies` holds the distinct valid rows either way.
    `unreadable` when the file could not be read as a table at all (not a workbook or CSV,
    damaged, unsafe): nothing in it shows it was meant as a company list."""

    ok: bool
    companies: tuple[Company, ...]
    problems: tuple[Problem, ...]
    unreadable: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "companies": len(self.companies),
            "problems": [p.as_dict() for p in self.problems],
            "notes": list(company_notes(self.companies)),
        }


def company_notes(companies: Iterable[Company]) -> Iterator[str]:
    """Every company's notes, each naming its row and company: what was left out of the list."""
    for company in companies:
        for note in company.notes:
            yield note_line(company.row, company.name, note)


def note_line(row: int, name: str, note: str) -> str:
    return f"Row {row} ({_clip(name, 40)}): {note}"


# A data row as read from either format: its spreadsheet row number and the cell values.
_Row = tuple[int, list[object]]

COMPANY_LIST_WORDING = UploadWording(
    not_ours="not an Excel workbook or CSV file",
    send_form=_SEND_TEMPLATE,
    empty="The file is empty. Please fill in the company list and send the file again.",
    too_big="Remove pictures and extra sheets, or send only the company list, and try again.",
    many_parts=(
        "far more than a company list needs. Copy the list into the Excel template we sent and "
        "send that file."
    ),
    unzipped=(
        "Remove pictures and extra sheets, or copy the company list into the Excel template we "
        "sent, and send that file."
    ),
    unsafe="Copy the company list into the Excel template we sent, save it and send that file.",
)


def judge_company_list(
    path: Path, *, min_companies: int = 20, max_bytes: int = 5_000_000, max_rows: int = 1_000
) -> ListVerdict:
    """Reads the returned company list at `path` and says whether it can be accepted.

    Never raises for bad input and never writes to the file.
    """
    try:
        return _judge(path, min_companies, max_bytes, max_rows)
    except Exception:  # a hostile file must never crash the flow; the client still gets an answer
        return _unreadable(unreadable(COMPANY_LIST_WORDING))


def _refused(message: str) -> ListVerdict:
    return ListVerdict(ok=False, companies=(), problems=(Problem(None, None, message),))


def _unreadable(message: str) -> ListVerdict:
    return ListVerdict(
        ok=False, companies=(), problems=(Problem(None, None, message),), unreadable=True
    )


def _judge(path: Path, min_companies: int, max_bytes: int, max_rows: int) -> ListVerdict:
    data = read_upload(path, max_bytes, COMPANY_LIST_WORDING)
    if isinstance(data, str):
        return _unreadable(data)
    if is_zip(data):
        return _judge_xlsx(data, min_companies, max_rows)

    text = _decode_text(data)
    if text is None:
        return _unreadable(
            "This file is not an Excel workbook or CSV file; its content cannot be read as a "
            "table. " + _SEND_TEMPLATE
        )
    if text.lstrip().startswith("<"):  # web page or XML "spreadsheet" renamed .xls/.xlsx
        return _unreadable(
            "This file is a web page or XML file, not an Excel workbook or CSV file. " + RESAVE
        )
    try:
        rows = _take_rows(_csv_rows(text), max_rows)
    except csv.Error:
        return _refused(
            "The CSV file could not be read (a cell may be too long or a quote left open). "
            + _SEND_TEMPLATE
        )
    return _judge_rows(rows, min_companies, max_rows)


def _judge_xlsx(data: bytes, min_companies: int, max_rows: int) -> ListVerdict:
    found = read_xlsx(data, lambda book: _xlsx_rows(book, max_rows), COMPANY_LIST_WORDING)
    if isinstance(found, str):
        return _unreadable(found)
    if isinstance(found, _NoList):
        return _refused(found.message)
    return _judge_rows(found, min_companies, max_rows)


@dataclass(frozen=True)
class _NoList:
    """The workbook was read, but holds no company list we can take: why, for the client."""

    message: str


def _list_sheet(sheets: list[Any]) -> Any | None:
    """The sheet named "Companies", else the first whose first rows hold the header."""
    named = [s for s in sheets if str(s.title).strip().casefold() == "companies"]
    return next(
        iter(named or (s for s in sheets if _find_header(_sheet_rows(s, 10)) is not None)),
        None,
    )


def _xlsx_rows(book: Any, max_rows: int) -> list[_Row] | _NoList:
    """The non-blank rows of the company sheet, or why there is no such sheet. Only visible
    sheets count: the client is told about the rows they can see, never a hidden sheet's."""
    sheets = list(book.worksheets)
    for sheet in sheets:
        sheet.reset_dimensions()  # the declared size may be wrong; read what is there
    visible = [s for s in sheets if getattr(s, "sheet_state", "visible") == "visible"]
    chosen = _list_sheet(visible)
    if chosen is None:
        hidden = _list_sheet([s for s in sheets if s not in visible])
        if hidden is not None:
            return _NoList(
                f'The company list is on a hidden sheet ("{_clip(str(hidden.title), 31)}"), and '
                "we read only what you can see. Unhide it (right-click a sheet tab, then "
                "Unhide) or copy the list onto a visible sheet, and send the file again."
            )
        titles = ", ".join(f'"{s.title}"' for s in sheets)
        return _NoList(
            f"We could not find the company list in the workbook (sheets: {titles}). "
            'Put it on a sheet named "Companies" with the column titles in the first row, '
            "as in the Excel template we sent."
        )
    return _take_rows(_sheet_rows(chosen, None), max_rows)


def _sheet_rows(sheet: Any, max_row: int | None) -> Iterator[_Row]:
    rows = sheet.iter_rows(min_row=1, max_row=max_row, max_col=MAX_COLUMNS)
    # read_only mode fills gaps in the sheet with empty rows, so counting gives the row number.
    for number, cells in enumerate(rows, start=1):
        yield number, [cell_value(c) for c in cells]


_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _decode_text(data: bytes) -> str | None:
    """The file as text, or None when it is binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        # Excel on Windows saves "CSV" in the ANSI code page; latin-1 decodes anything at all.
        encodings = ("utf-8-sig", "cp1252", "latin-1")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if _BINARY_CHARS.search(text[:8192]) else text.removeprefix("\ufeff")
    return None


def _csv_rows(text: str) -> Iterator[_Row]:
    sample = text.splitlines()[:HEADER_SEARCH_ROWS]
    # The delimiter used most in the first lines wins: the header alone settles it.
    delimiter = max((",", ";", "\t"), key=lambda d: sum(line.count(d) for line in sample))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, record in enumerate(reader, start=1):
        yield number, [_csv_value(v) for v in record[:MAX_COLUMNS]]


# What Excel would evaluate if the CSV were opened: "=..." and "+", "-", "@" before a name or "(".
_FORMULA_LIKE = re.compile(r"^(=|[+\-@][^\W\d_(]|[+\-@]\()")


def _csv_value(text: str) -> object:
    stripped = text.strip()
    return Formula(stripped) if _FORMULA_LIKE.match(stripped) else text


# --- rows -----------------------------------------------------------------------------------


def _take_rows(rows: Iterable[_Row], max_rows: int) -> list[_Row]:
    """The non-blank rows, stopping once there are more than the header search and max_rows."""
    kept: list[_Row] = []
    for number, cells in rows:
        if any(as_text(v) for v in cells):
            kept.append((number, cells))
            if len(kept) > HEADER_SEARCH_ROWS + max_rows:
                break
    return kept


def _find_header(rows: Iterable[_Row]) -> tuple[int, dict[str, int]] | None:
    """The header row number and where each known column is, from the first rows."""
    for number, cells in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        positions: dict[str, int] = {}
        for index, value in enumerate(cells):
            key = _HEADER_KEYS.get(_header_key(as_text(value)))
            if key is not None and key not in positions:  # first of two same columns wins
                positions[key] = index
        if "name" in positions:
            return number, positions
    return None


def _fold(text: str) -> str:
    """Casefolded, accents removed: "Société" -> "societe"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _header_key(text: str) -> str:
    return "".join(ch for ch in _fold(text) if ch.isalnum())


_HEADER_KEYS = {
    _header_key(alias): c.key for c in COMPANY_COLUMNS for alias in (c.header, c.key, *c.aliases)
}


def _judge_rows(rows: list[_Row], min_companies: int, max_rows: int) -> ListVerdict:
    found = _find_header(rows)
    if found is None:
        return _refused(
            "We could not find the header row: one of the first 10 rows should contain the "
            'column titles, including "Company name" and "Website", as in the Excel template '
            "we sent. Keep that row and send the file again."
        )
    header_row, positions = found
    header_cells = next(cells for number, cells in rows if number == header_row)
    missing = [c for c in COMPANY_COLUMNS if c.required and c.key not in positions]
    if missing:
        seen = ", ".join(f'"{t}"' for t in (as_text(v) for v in header_cells) if t)
        return ListVerdict(
            ok=False,
            companies=(),
            problems=tuple(
                Problem(
                    header_row,
                    c.header,
                    f'The "{c.header}" column is missing. The header row (row {header_row}) '
                    f'has: {seen}. Add a column titled "{c.header}" and fill it in for every '
                    "company.",
                )
                for c in missing
            ),
        )

    problems: list[Problem] = []
    companies: list[Company] = []
    by_name: dict[str, Company] = {}
    by_domain: dict[str, Company] = {}
    data_rows = [(n, cells) for n, cells in rows if n > header_row]
    for number, cells in data_rows[:max_rows]:
        company, row_problems = _judge_row(number, cells, positions, header_cells)
        problems.extend(row_problems)
        if company is None:
            continue
        name_key = _name_key(company.name)
        first = by_name.get(name_key) or by_domain.get(company.domain)
        if first is not None:
            problems.append(_duplicate(company, first, name_key))
            continue
        by_name[name_key] = by_domain[company.domain] = company
        companies.append(company)
    if len(data_rows) > max_rows:
        problems.append(
            Problem(
                None,
                None,
                f"The list has more than {max_rows:,} rows; we accept at most {max_rows:,}. "
                "Keep only the companies you consider comparable and send the file again.",
            )
        )
    if len(companies) < min_companies:
        problems.append(Problem(None, None, _too_few(len(companies), min_companies)))
    return ListVerdict(not problems, tuple(companies), tuple(problems))


def _too_few(count: int, needed: int) -> str:
    short = needed - count
    more = f"{short} more {'company' if short == 1 else 'companies'}"
    if count == 0:
        return (
            f"The list has no companies yet; at least {needed} are needed. Add them below the "
            "header row, one company per row, and send the file again."
        )
    return (
        f"The list has {count} distinct {'company' if count == 1 else 'companies'}; at least "
        f"{needed} are needed. Add {more}, one per row (repeated companies and rows with "
        "problems are not counted)."
    )


def _duplicate(company: Company, first: Company, name_key: str) -> Problem:
    same_name = _name_key(first.name) == name_key
    same_domain = first.domain == company.domain
    if same_name and same_domain:
        reason = f"same company name and web domain {company.domain}"
    elif same_name:
        reason = "same company name"
    else:
        reason = f"same web domain {company.domain}"
    return Problem(
        company.row,
        "Company name" if same_name else "Website",
        f"Row {company.row} repeats {_shown(first.name)} from row {first.row} ({reason}). "
        "Remove one of them.",
    )


def _judge_row(
    number: int, cells: list[object], positions: dict[str, int], header_cells: list[object]
) -> tuple[Company | None, list[Problem]]:
    """The company on one data row, or the problems that keep it out of the list. Only the
    required columns can keep a row out: an optional cell that cannot be taken is left out of
    the company, with a note saying so, and a column we do not know is not read at all."""
    problems: list[Problem] = []
    notes: list[str] = []
    required = {i for key, i in positions.items() if _COLUMN_BY_KEY[key].required}
    optional = {i: _COLUMN_BY_KEY[key] for key, i in positions.items() if i not in required}
    for index, value in enumerate(cells):
        if isinstance(value, Formula) and index in required:
            column = _column_for(index, positions, header_cells)
            where = f"Row {number}" + (f", {column}," if column else "")
            problems.append(
                Problem(
                    number,
                    column,
                    f"{where} contains a formula ({_clip(value.text)}); type the value itself "
                    "instead of a formula.",
                )
            )
        elif isinstance(value, Formula) and index in optional:
            notes.append(
                f"{optional[index].header}: a formula ({_clip(value.text)}), not a value; left out."
            )
    if problems:
        return None, problems

    raw = {
        key: cells[i] if i < len(cells) and not isinstance(cells[i], Formula) else None
        for key, i in positions.items()
    }
    text = {c.key: as_text(raw.get(c.key)) for c in COMPANY_COLUMNS}
    for c in COMPANY_COLUMNS:
        if len(text[c.key]) > MAX_CELL_CHARS and not c.required:
            notes.append(
                f"{c.header}: {len(text[c.key]):,} characters, over the {MAX_CELL_CHARS:,} we "
                "take; left out."
            )
            text[c.key] = ""
            raw[c.key] = None
        elif len(text[c.key]) > MAX_CELL_CHARS:
            problems.append(
                Problem(
                    number,
                    c.header,
                    f"Row {number}, {c.header}: the text is {len(text[c.key]):,} characters "
                    f"long; the limit is {MAX_CELL_CHARS:,}. Shorten it.",
                )
            )
    if problems:
        return None, problems

    name, website = text["name"], text["website"]
    if not name and not website:
        if any(text.values()):
            problems.append(
                Problem(
                    number,
                    None,
                    f"Row {number} has details but no company name or website. Add the "
                    "company's name and website, or clear the row.",
                )
            )
        return None, problems  # a row with only columns we do not know is not a company row
    if not name:
        problems.append(
            Problem(
                number,
                "Company name",
                f"Row {number} has a website ({_shown(website)}) but no company name. Add the "
                "company's name.",
            )
        )
    elif not any(ch.isalnum() for ch in name):
        problems.append(
            Problem(
                number,
                "Company name",
                f"Row {number}: {_shown(name)} is not a company name. Write the company's name.",
            )
        )
    url = domain = ""
    if not website:
        problems.append(
            Problem(
                number,
                "Website",
                f"Row {number} ({_shown(name)}) has no website. Add the company's website, "
                "for example acme.com.",
            )
        )
    else:
        try:
            url, domain = _parse_url(website)
        except ValueError as e:
            problems.append(
                Problem(
                    number,
                    "Website",
                    f"Row {number}: the Website {_shown(website)} {e}. Write the company's web "
                    "address, for example acme.com or https://www.acme.com.",
                )
            )
    policy_url: str | None = None
    if text["policy_url"]:
        try:
            policy_url = _parse_url(text["policy_url"])[0]
        except ValueError as e:
            header = _COLUMN_BY_KEY["policy_url"].header
            notes.append(f"{header}: {_shown(text['policy_url'])} {e}; left out.")
    priority: int | None = None
    try:
        priority = _parse_priority(raw.get("priority"))
    except ValueError:
        notes.append(
            f"Priority: {_shown(text['priority'])} is neither a rank (a whole number, 1 first) "
            "nor high, medium or low; left out."
        )
    if problems:
        return None, problems
    company = Company(
        name=name,
        website=url,
        domain=domain,
        industry=text["industry"],
        country=text["country"],
        size=_SIZE_BY_KEY.get(_header_key(text["size"]), text["size"]),
        why_comparable=text["why_comparable"],
        priority=priority,
        policy_url=policy_url,
        row=number,
        notes=tuple(notes),
    )
    return company, []


def _column_for(index: int, positions: dict[str, int], header_cells: list[object]) -> str | None:
    """The template header of a column, else the client's own header text, else None."""
    for key, i in positions.items():
        if i == index:
            return _COLUMN_BY_KEY[key].header
    found = as_text(header_cells[index]) if index < len(header_cells) else ""
    return found or None


_SIZE_BY_KEY = {_header_key(s): s for s in SIZE_CHOICES}


_LEGAL_SUFFIXES = frozenset(
    "inc incorporated ltd limited llc llp lp plc corp corporation co company gmbh ag kg sa sas "
    "sarl spa srl nv bv ab as asa oy oyj kk pty se".split()
)


def _name_key(name: str) -> str:
    """The name as compared for duplicates: "ACME, Inc." and "Acme Incorporated" give "acme"."""
    folded = re.sub(r"[.'’]", "", _fold(name).replace("&", " and "))  # S.p.A. -> spa
    words = re.findall(r"[^\W_]+", folded)
    core = list(words)
    while len(core) > 1 and (core[-1] in _LEGAL_SUFFIXES or core[-1] == "and"):  # "& Co."
        core.pop()
    if len(core) > 1 and core[0] == "the":
        core.pop(0)
    return "".join(core)


_NOT_A_VALUE = frozenset({"na", "n/a", "none", "-", "--", "unknown", "tbc", "tbd", "?", "x"})
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
# "scheme:" with no "//" and not "site:port": javascript:, data:, mailto:, file:, tel:...
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?![0-9]+(/|$))", re.IGNORECASE)


def _parse_url(text: str) -> tuple[str, str]:
    """The normalised URL and its domain (host without www.); ValueError says what is wrong."""
    if text.casefold() in _NOT_A_VALUE:
        raise ValueError("is not a web address")
    if any(ch.isspace() for ch in text):
        raise ValueError("contains spaces")
    if "://" not in text:
        if "@" in text:
            raise ValueError("looks like an email address, not a web address")
        if _OTHER_SCHEME.match(text):  # javascript:..., data:..., mailto:...
            raise ValueError("is not a web address")
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:  # "[/b]" reads as a broken IPv6 address; the client needs no such word
        raise ValueError("is not a valid web address") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("does not start with http:// or https://")
    if "@" in parts.netloc:
        raise ValueError("looks like an email address, not a web address")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has a wrong port number after the site name") from None
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise ValueError("has no site name")
    if host == "localhost" or host.endswith(".localhost"):
        raise ValueError("is not a public web address")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        raise ValueError("is a numeric (IP) address, not the company's web address")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise ValueError("is not a valid web address") from None
    labels = ascii_host.split(".")
    tld = labels[-1]
    if (
        len(labels) < 2
        or not all(_LABEL.match(label) for label in labels)
        or not (tld.isalpha() and len(tld) >= 2 or tld.startswith("xn--"))
    ):
        raise ValueError("is not a valid web address")
    path = "" if parts.path in ("", "/") else parts.path
    query = f"?{parts.query}" if parts.query else ""
    netloc = host if port is None else f"{host}:{port}"
    url = f"{parts.scheme.lower()}://{netloc}{path}{query}"
    return url, host.removeprefix("www.")


_PRIORITY_BY_KEY = {
    _header_key(form): number
    for number, word in ((1, "high"), (2, "medium"), (3, "low"))
    for form in (str(number), word, f"{number} - {word}")
} | {"med": 2}


_WHOLE = re.compile(r"^\+?0*([1-9][0-9]{0,5})(?:\.0*)?$")


def _parse_priority(value: object) -> int | None:
    """The place in the client's order, 1 first: a whole number from 1 (a rank: "4", 4, 4.0),
    or high, medium, low as 1, 2, 3 ("1 - high", "high", "med" ...); None when empty;
    ValueError otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        value = repr(value)  # 4.0 reads as "4.0", 1e9 as "1000000000.0"
    text = as_text(value)
    if not text:
        return None
    number = _PRIORITY_BY_KEY.get(_header_key(text))
    if number is not None:
        return number
    whole = _WHOLE.match(text.strip())
    if whole is None:
        raise ValueError(value)
    return int(whole.group(1))


def _clip(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _shown(text: str) -> str:
    """A client's value quoted for a message, on one line and not too long."""
    return f"'{_clip(text)}'"

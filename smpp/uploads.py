"""The checks every file a person sends back goes through before its form is judged: too big,
empty, of another kind, a zip or XML bomb, a macro or encrypted workbook. Shared by the company
list and the questionnaire, which word the advice for their own form through an `UploadWording`.
Nothing here raises for bad input or writes to the file."""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, TypeVar

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from openpyxl.utils.escape import unescape

from smpp.drive import NotARegularFile, open_regular
from smpp.sheets import FORM_MARKER_NAME

# A real company list unzips to well under 1 MB; these bound what a hostile zip can cost us.
# A filled-in list or questionnaire unpacks to well under 1 MB; more is refused before parsing,
# because a small file can unpack to XML that costs openpyxl gigabytes (styles, shared strings).
MAX_UNZIPPED_BYTES = 10_000_000
MAX_ZIP_MEMBERS = 1_000
# How much of each XML part is scanned for a DTD before any parser sees it (see _xml_has_dtd).
XML_SNIFF_BYTES = 65_536


@dataclass(frozen=True)
class Problem:
    """Something the client must fix; `row` is the spreadsheet row, `column` a template header."""

    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula rather than a value; `text` is the formula as typed."""

    text: str


RESAVE = (
    'Open it in Excel, choose File > Save As, pick "Excel Workbook (.xlsx)" and send the new file.'
)


@dataclass(frozen=True)
class UploadWording:
    """The parts of the file-level refusals that depend on which form we expect back; the
    company list and the questionnaire share the checks but not the advice."""

    not_ours: str  # "This file is <kind>, <not_ours>."
    send_form: str  # what to send instead, a whole sentence
    empty: str  # the whole message for an empty file
    too_big: str  # after "The file is 6 MB; the limit is 5 MB."
    many_parts: str  # after "The file contains 2,000 parts, "
    unzipped: str  # after "The workbook unpacks to 60 MB, more than the 10 MB we accept."
    unsafe: str  # after "The workbook contains content that cannot be read safely (...)."


_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

T = TypeVar("T")


def unreadable(wording: UploadWording) -> str:
    """The answer when reading failed in a way no check foresaw."""
    return (
        "We could not read this file; it may be damaged or of a kind we do not support. "
        + wording.send_form
    )


def read_upload(path: Path, max_bytes: int, wording: UploadWording) -> bytes | str:
    """The content of a returned file, or why it is refused before looking inside: unreadable,
    too big, empty, an old or encrypted Excel file, a PDF, an image, an archive.

    What comes back may still be anything else (`is_zip` tells a workbook's container); the file
    itself is only read.
    """
    try:
        # Read-only (the file is evidence and stays as received), and never through a link.
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                return _too_big(size, max_bytes, wording)
            data = f.read(max_bytes + 1)
    except NotARegularFile:
        return (
            f"{path.name} is not a file itself (it is a link or a special file), so it was not "
            "read. Please send the file itself."
        )
    except OSError:
        return f"The file {path.name} could not be opened. Please send it again."
    if len(data) > max_bytes:  # grew since stat
        return _too_big(len(data), max_bytes, wording)
    if not data:
        return wording.empty
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        # An OLE container: an old .xls, or a password-protected .xlsx (which Excel wraps in OLE).
        if "EncryptedPackage".encode("utf-16-le") in data:
            return (
                "This workbook is protected with a password, so we cannot open it. Remove the "
                "password (File > Info > Protect Workbook > Encrypt with Password, then clear "
                "it), save and send the file again."
            )
        return "This is an old-format Excel file (.xls). " + RESAVE
    for magic, kind in _OTHER_KINDS:
        if data.startswith(magic):
            return f"This file is {wording.not_ours} (it looks like {kind}). " + wording.send_form
    return data


def is_zip(data: bytes) -> bool:
    """True when the content is a zip container, as every .xlsx is."""
    return data.startswith(_ZIP_MAGIC)


_OTHER_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "an image"),
    (b"\xff\xd8\xff", "an image"),
    (b"GIF8", "an image"),
    (b"{\\rtf", "a Word (RTF) document"),
    (b"Rar!", "a compressed archive"),
    (b"7z\xbc\xaf", "a compressed archive"),
    (b"\x1f\x8b", "a compressed archive"),
)


def _too_big(size: int, limit: int, wording: UploadWording) -> str:
    return f"The file is {_size_text(size)}; the limit is {_size_text(limit)}. " + wording.too_big


def _size_text(n: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} bytes"


# --- xlsx -----------------------------------------------------------------------------------

_DAMAGED = (
    "The file looks like an Excel workbook but is damaged and cannot be opened. "
    "Open it in Excel, save it again as .xlsx and send the new file."
)


def _unsafe(wording: UploadWording) -> str:
    return (
        "The workbook contains content that cannot be read safely (Excel itself never writes "
        "it). " + wording.unsafe
    )


def read_xlsx(data: bytes, read: Callable[[Any], T], wording: UploadWording) -> T | str:
    """`read` applied to the workbook in `data`, or why the workbook is refused.

    The archive is checked first (`check_xlsx_archive`); openpyxl then opens it read-only with
    formulas kept as formulas (data_only=False), so `read` can tell a typed value from a formula.
    """
    try:
        problem = check_xlsx_archive(data, wording)
        if problem is not None:
            return problem
        with warnings.catch_warnings():
            # openpyxl warns about features it drops (extensions, styles); irrelevant here.
            warnings.simplefilter("ignore")
            # read_only streams the sheet XML instead of building it all in memory.
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            try:
                return read(book)
            finally:
                book.close()
    except Exception as e:
        return _xlsx_failure(e, wording)


def check_xlsx_archive(data: bytes, wording: UploadWording) -> str | None:
    """Why the zip in `data` cannot be taken as a plain workbook (damaged, too many or too large
    parts, macros, another kind of document, a DTD in any XML part), or None when it can."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = _check_archive(archive, wording)
        if problem is None and _xml_has_dtd(data):
            problem = _unsafe(wording)
        return problem
    except Exception as e:
        return _xlsx_failure(e, wording)


def _xlsx_failure(error: Exception, wording: UploadWording) -> str:
    if isinstance(error, zipfile.BadZipFile | EOFError):
        return _DAMAGED
    if _caused_by_defusedxml(error):
        return _unsafe(wording)
    return (
        "The workbook could not be read; it may be damaged or made by a program we do not "
        "support. " + RESAVE
    )


def _caused_by_defusedxml(error: BaseException | None) -> bool:
    """True when defusedxml refused an entity or DTD; openpyxl wraps that in its own error."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, DefusedXmlException):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _check_archive(archive: zipfile.ZipFile, wording: UploadWording) -> str | None:
    """Says why the zip cannot be our workbook, or None; looks only at the zip's directory."""
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS:
        return f"The file contains {len(infos):,} parts, " + wording.many_parts
    # zipfile never inflates a member past its declared size, so the declared total bounds it.
    unzipped = sum(i.file_size for i in infos)
    if unzipped > MAX_UNZIPPED_BYTES:
        return (
            f"The workbook unpacks to {_size_text(unzipped)}, more than the "
            f"{_size_text(MAX_UNZIPPED_BYTES)} we accept. " + wording.unzipped
        )
    names = {i.filename.lower() for i in infos}
    content_types = ""
    for info in infos:
        if info.filename.lower() == "[content_types].xml":
            with archive.open(info) as f:
                content_types = f.read(XML_SNIFF_BYTES).decode("utf-8", "replace").lower()
    if any(n.endswith("vbaproject.bin") for n in names) or "macroenabled" in content_types:
        return (
            "This workbook contains macros, which we do not accept for safety reasons. "
            'Save it as a plain workbook (File > Save As > "Excel Workbook (.xlsx)") and send '
            "that file."
        )
    if "xl/workbook.xml" in names:
        return None
    if "xl/workbook.bin" in names:
        return "This is an Excel binary workbook (.xlsb). " + RESAVE
    if "word/document.xml" in names:
        kind = "a Word document"
    elif "ppt/presentation.xml" in names:
        kind = "a PowerPoint presentation"
    elif "content.xml" in names:
        return (
            "This is an OpenDocument spreadsheet (.ods). Save it as an Excel workbook (File > "
            'Save As, file type "Excel 2007-365 (.xlsx)") and send the new file.'
        )
    else:
        kind = "a zip archive"
    return f"This file is {kind}, {wording.not_ours}. " + wording.send_form


def _xml_has_dtd(data: bytes) -> bool:
    """True when an XML part declares a DTD: the start of every XML bomb, never written by Excel.

    openpyxl parses some parts with lxml (entities left unexpanded) and others with defusedxml
    (which raises); checking here first gives one clear answer whatever the parser.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(info) as f:
                head = f.read(XML_SNIFF_BYTES).replace(b"\x00", b"")  # also catches UTF-16
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                return True
    return False


def cell_value(cell: Any) -> object:
    if cell.data_type == "f":
        text = str(getattr(cell.value, "text", None) or cell.value or "")
        return Formula(text if text.startswith("=") else "=" + text)
    value: object = cell.value
    return value


# --- csv ------------------------------------------------------------------------------------

# Control characters that never occur in a text file; their presence means binary content.
# --- values ---------------------------------------------------------------------------------

# Characters that cannot be stored in an xlsx cell (openpyxl refuses them); tab and newlines stay.
_ILLEGAL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def as_text(value: object) -> str:
    """A cell value as the text a reader would expect to see in a text column."""
    if value is None:
        return ""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    elif isinstance(value, date | time):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, Formula):
        text = value.text
    else:
        text = str(value)
    # Excel writes some characters as _xHHHH_ (a carriage return as _x000D_); openpyxl leaves
    # them so. Decode, then drop what is not text.
    return _ILLEGAL_CHARS.sub("", unescape(text)).strip()


# --- recognising our own forms -----------------------------------------------------------------

# form_marker only reads the zip directory and one small part, but a file this big is no
# form of ours, and refusing it bounds what a hostile directory can cost.
MAX_MARKED_FILE_BYTES = 50_000_000
CUSTOM_PROPERTIES_PART = "docprops/custom.xml"  # lowercased
MAX_CUSTOM_PROPERTIES_BYTES = 65_536


def form_marker(path: Path) -> str | None:
    """The form marker (smpp.sheets.FORM_MARKER_NAME) of an xlsx file: "company-list",
    "questionnaire", "consensus"; None for anything else (csv, not a zip, damaged, unsafe).
    Never raises."""
    try:
        with open_regular(path) as f:  # zipfile reads only the directory and the one part
            if os.fstat(f.fileno()).st_size > MAX_MARKED_FILE_BYTES:
                return None
            if not is_zip(f.read(4)):
                return None
            f.seek(0)
            value = custom_properties(f).get(FORM_MARKER_NAME)
    except Exception:  # OSError and anything a hostile file may provoke
        return None
    return value or None


def custom_properties(source: IO[bytes]) -> dict[str, str]:
    """The custom document properties of the zip at `source`, {} when it cannot be read safely.

    The zip's directory is checked before any part is read, the part is read to a bound, and a
    DTD (the start of every XML bomb; Excel never writes one) is refused before parsing.
    """
    try:
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return {}
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                return {}
            part = next((i for i in infos if i.filename.lower() == CUSTOM_PROPERTIES_PART), None)
            if part is None or part.file_size > MAX_CUSTOM_PROPERTIES_BYTES:
                return {}
            with archive.open(part) as f:
                xml = f.read(MAX_CUSTOM_PROPERTIES_BYTES + 1)
        if len(xml) > MAX_CUSTOM_PROPERTIES_BYTES:
            return {}
        plain = xml.replace(b"\x00", b"")  # also catches UTF-16
        if b"<!DOCTYPE" in plain or b"<!ENTITY" in plain:
            return {}
        root = SafeElementTree.fromstring(xml, forbid_dtd=True, forbid_entities=True)
        found: dict[str, str] = {}
        for prop in root:
            name = prop.get("name")
            if str(prop.tag).endswith("property") and name and len(prop):
                found[str(name)] = str(prop[0].text or "").strip()
        return found
    except Exception:
        return {}

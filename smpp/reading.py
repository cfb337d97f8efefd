"""Reading a fetched policy: its main text, and that text cut into sentences under their headings.

`read_document` turns the bytes of a web page, a PDF or a text file into a `Document`. Every
sentence is an exact slice of `Document.text` (bullet markers and surrounding whitespace left
out), so a sentence quoted as evidence can always be found again in the text it came from.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlparse

import lxml.html
import trafilatura
from lxml import etree
from pypdf import PasswordType, PdfReader

from smpp.document import Document, Sentence

MAX_TEXT_CHARS = 2_000_000  # a policy is a few pages; more than this is not a policy page
MAX_PDF_PAGES = 300
HEADING_MAX_CHARS = 80
LABEL_MAX_CHARS = 60
QUESTION_HEADING_WORDS = 14
# Words a hard-wrapped line of prose can end with, the sentence going on below.
CONTINUING_WORDS = frozenset(
    "a an the of to and or for with in on at by about from as our your their its this that is are "
    "be not no any all".split()
)

# Forms after which a full stop does not end a sentence. Capitalised forms are matched exactly
# ("No." is an abbreviation, "no." at the end of a sentence is not); lower-case ones in any case.
ABBREVIATIONS = frozenset(
    {"Inc.", "Ltd.", "Co.", "Corp.", "Mr.", "Mrs.", "Ms.", "Dr.", "No.", "St.", "Jr.", "Sr."}
    | {"Prof.", "Fig.", "Dept.", "Nos.", "Art.", "Sec."}
)
LOWER_ABBREVIATIONS = frozenset({"e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "incl."})

FINAL_PUNCTUATION = ".!?:;,"
BULLET = re.compile(r"[ \t]*(?:[-*+•▪◦–]|\d{1,3}[.)]|[a-z][.)])[ \t]+(?=\S)")
NUMBERED = re.compile(r"[ \t]*(?:\d{1,3}[.)]|[a-z][.)])[ \t]+")
MARKDOWN_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*)")
TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*")
# A sentence ends at . ! ? (and any closing quote or bracket) when whitespace and a capital, an
# opening quote or a digit follow; or, where extraction lost the space ("work hours.All other"),
# between a lower-case word and a capitalised one.
SENTENCE_END = re.compile(
    r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-ÖØ-Þ])|(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])"
)
INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
PAGE_NUMBER = re.compile(r"(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?", re.IGNORECASE)
BOLD_LINE = re.compile(r"\*\*([^*\n]+)\*\*")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
ITALIC = re.compile(r"(?<![*\w])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![*\w])")


class ReadError(Exception):
    """The content cannot be read as a document: corrupt, encrypted, or without any text."""


def read_document(content: bytes, content_type: str | None, source: str) -> Document:
    """Read a page, PDF or text file into its main text and sentences.

    `content_type` is the HTTP header value if there was one; `source` is the URL or file name,
    used for its extension and recorded in the document.
    """
    kind = detect_kind(content, content_type, source)
    if kind != "pdf" and _looks_binary(content):
        # Whatever its name says, this is no page or text: classifying it would find nothing
        # and pass an unreadable file off as an empty policy.
        raise ReadError(
            f"{source} is not a readable policy: it holds binary data, not a web page, PDF or text"
        )
    if kind == "pdf":
        title, text = _read_pdf(content)
    elif kind == "html":
        title, text = _read_html(content)
    else:
        title, text = None, _normalise_newlines(_decode_text(content))
    text = _cap(text.strip())
    if not text:
        raise ReadError(f"no readable text in {source}")
    # Web pages come through trafilatura as markdown, whose headings are marked; a short line on
    # its own in a web page is as often a caption or a date as a heading.
    sentences = split_sentences(text, plain_headings=kind != "html")
    if not title:
        title = _first_heading(text, plain_headings=kind != "html")
    return Document(source=source, title=title, text=text, sentences=sentences, content_type=kind)


def detect_kind(content: bytes, content_type: str | None, source: str) -> str:
    """The kind, "pdf", "html" or "text": from the bytes, the content type, then the extension."""
    head = content[:1024]
    # The bytes win over the header: servers often send PDFs as application/octet-stream.
    if b"%PDF-" in head:
        return "pdf"
    media = (content_type or "").split(";")[0].strip().lower()
    if media == "application/pdf":
        return "pdf"
    if media in ("text/html", "application/xhtml+xml"):
        return "html"
    if media in ("text/plain", "text/markdown"):
        return "text"
    path = urlparse(source).path.lower() if "://" in source else source.lower()
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    if extension == "pdf":
        return "pdf"
    if extension in ("html", "htm", "xhtml", "php", "asp", "aspx", "jsp"):
        return "html"
    if extension in ("txt", "text", "md"):
        return "text"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered:
        return "html"
    return "text"


def split_sentences(text: str, *, plain_headings: bool = True) -> tuple[Sentence, ...]:
    """Cut text into sentences, each with the nearest heading above it.

    Markdown `#` lines are headings. With `plain_headings`, so is a short line standing alone
    (a paragraph of one line, under 80 characters, without final punctuation). Bullets and table
    rows are sentences on their own; paragraphs are cut at . ! ? before a capital, a quote or a
    digit, except after common abbreviations and initials. List items keep the sentence ending
    in ":" that introduces their list as their `lead_in`.
    """
    sentences: list[Sentence] = []
    heading: str | None = None
    lead_in: str | None = None  # "Employees must not:" above the list items it governs
    for kind, start, end in _units(text, plain_headings):
        if kind == "heading":
            heading = _heading_text(text[start:end]) or heading
            lead_in = None
            continue
        if kind != "bullet":
            lead_in = None
        spans = [(start, end)] if kind == "row" else _sentence_spans(text, start, end)
        for span_start, span_end in spans:
            sentence = text[span_start:span_end].strip()
            if kind == "row":
                sentence = sentence.strip("|").strip()
            if any(character.isalnum() for character in sentence):
                sentences.append(Sentence(sentence, heading, len(sentences), lead_in))
        if kind == "para" and sentences and sentences[-1].text.endswith(":"):
            lead_in = sentences[-1].text
    return tuple(sentences)


@dataclass
class _Line:
    start: int
    end: int  # without the newline
    text: str


def _lines(text: str) -> Iterator[_Line]:
    start = 0
    for line in text.split("\n"):
        yield _Line(start, start + len(line), line)
        start += len(line) + 1


def _units(text: str, plain_headings: bool) -> Iterator[tuple[str, int, int]]:
    """The text's units as (kind, start, end): "heading", "row" (a table row), "bullet", "para"."""
    block: list[_Line] = []
    for line in [*_lines(text), _Line(len(text), len(text), "")]:
        if line.text.strip():
            block.append(line)
            continue
        yield from _block_units(block, plain_headings)
        block = []


def _block_units(block: list[_Line], plain_headings: bool) -> Iterator[tuple[str, int, int]]:
    """The units of one block of consecutive non-blank lines."""
    kind, start, end = "", 0, 0
    for number, line in enumerate(block):
        stripped = line.text.strip()
        bullet = BULLET.match(line.text)
        # A plain heading opens its block or follows another heading ("ACME GROUP" above
        # "Social Media Policy"); "alone" means the block ends with it.
        heading = MARKDOWN_HEADING.fullmatch(line.text) is not None or (
            plain_headings and not kind and _plain_heading(stripped, number == len(block) - 1)
        )
        if heading or stripped.startswith("|") or TABLE_RULE.fullmatch(line.text) or bullet:
            if kind:
                yield (kind, start, end)
            kind = ""
            if heading:
                yield ("heading", line.start, line.end)
            elif stripped.startswith("|") and not TABLE_RULE.fullmatch(line.text):
                yield ("row", line.start, line.end)
            elif bullet and not TABLE_RULE.fullmatch(line.text):
                kind, start, end = "bullet", line.start + bullet.end(), line.end
            continue
        if kind and plain_headings and _ends_label(block[number - 1].text, stripped):
            yield (kind, start, end)  # "Owner: Communications" above "Reviewed: May 2025"
            kind = ""
        if kind:
            end = line.end  # a wrapped line carries on the paragraph or bullet above it
        else:
            kind, start, end = "para", line.start, line.end
    if kind:
        yield (kind, start, end)


def _plain_heading(stripped: str, alone: bool) -> bool:
    """A heading in plain text: a short line alone in its block, a short line in capitals, or
    a short question opening a paragraph ("Who does this cover?" in a FAQ)."""
    if alone:
        return _looks_like_heading(stripped)
    if stripped.isupper() and len(stripped) > 3 and _looks_like_heading(stripped):
        return True
    return (
        stripped.endswith("?")
        and stripped.count("?") == 1
        and len(stripped.split()) <= QUESTION_HEADING_WORDS
        and stripped[:1].isupper()
        and SENTENCE_END.search(stripped) is None
    )


def _ends_label(previous: str, line: str) -> bool:
    """Whether a line of a block is a label, field or title line of its own ("Policy owner:
    HR", "Acme Group"), so the next line starts a new unit, rather than wrapped prose."""
    previous = previous.strip()
    if not line[:1].isupper() or not previous or len(previous) >= LABEL_MAX_CHARS:
        return False
    if previous[-1] in FINAL_PUNCTUATION:
        return False
    words = previous.split()
    if words[-1].lower() in CONTINUING_WORDS:
        return False  # "... information about" / "Acme customers": one sentence wrapped
    capitalised = sum(1 for word in words if word[:1].isupper() or word[:1].isdigit())
    return ":" in previous or capitalised >= 0.6 * len(words) or len(words) <= 3


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    begin = start
    for match in SENTENCE_END.finditer(text, start, end):
        stop = match.start() + 1 if match.group() else match.start()  # after the first mark
        if text[stop - 1] == "." and _is_abbreviation(text, begin, stop):
            continue
        spans.append((begin, match.end()))
        begin = match.end()
    spans.append((begin, end))
    return spans


def _is_abbreviation(text: str, begin: int, stop: int) -> bool:
    """Whether the word ending with the full stop at text[stop - 1] is an abbreviation."""
    word_start = stop - 1
    while word_start > begin and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:stop].lstrip("\"'“‘([")
    if word in ABBREVIATIONS or word.lower() in LOWER_ABBREVIATIONS:
        return True
    # "J. Smith", "U.S.", "U.N.": single letters with full stops
    return INITIALS.fullmatch(word) is not None


def _looks_like_heading(line: str) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) >= HEADING_MAX_CHARS or stripped[-1] in FINAL_PUNCTUATION:
        return False
    if stripped.startswith("|") or (BULLET.match(stripped) and not NUMBERED.match(stripped)):
        return False
    number = NUMBERED.match(stripped)
    words = stripped[number.end() :] if number else stripped
    return any(character.isalpha() for character in words) and not words[:1].islower()


def _heading_text(line: str) -> str:
    stripped = line.strip()
    heading = MARKDOWN_HEADING.fullmatch(stripped)
    if heading:
        stripped = heading.group(2).strip().rstrip("#").strip()
    return stripped


def _first_heading(text: str, plain_headings: bool) -> str | None:
    for kind, start, end in _units(text, plain_headings):
        if kind == "heading":
            return _heading_text(text[start:end]) or None
    return None


def _cap(text: str) -> str:
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = text.rfind("\n\n", 0, MAX_TEXT_CHARS)
    return text[: cut if cut > 0 else MAX_TEXT_CHARS]


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


# Share of control or undecodable characters above which content is binary, not text.
_BINARY_SHARE = 0.05
# Characters that do not occur in text: control characters but for tab, newline, vertical tab,
# form feed and carriage return, and the replacement character of undecodable bytes.
_ODD = re.compile("[\x00-\x08\x0e-\x1f\ufffd]")


def _looks_binary(content: bytes) -> bool:
    """True for content that is not text in any encoding a page or text file uses."""
    head = content[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text, with its byte-order mark
    if b"\x00" in head:
        return True
    text = _decode_text(head)
    odd = len(_ODD.findall(text))
    return bool(text) and odd / len(text) > _BINARY_SHARE


def _decode_text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252 is what non-UTF-8 text from the web and Office exports usually is.
        return content.decode("cp1252", errors="replace")


# HTML


def _read_html(content: bytes) -> tuple[str | None, str]:
    tree = _parse_html(content)
    title = _html_title(tree) if tree is not None else None
    extracted = trafilatura.extract(
        content,
        output_format="markdown",
        include_formatting=True,
        favor_recall=True,
        include_tables=True,
    )
    if extracted is None:
        text = _plain_html_text(tree) if tree is not None else ""
    else:
        text = _tidy_markdown(extracted)
    return title, text


def _parse_html(content: bytes) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(content)
    except (etree.ParserError, ValueError):
        return None


def _html_title(tree: lxml.html.HtmlElement) -> str | None:
    for path in ("//title", "//h1"):
        for element in tree.xpath(path):
            title = " ".join(element.text_content().split())
            if title:
                return title
    return None


def _plain_html_text(tree: lxml.html.HtmlElement) -> str:
    """The text of the page's headings, paragraphs and list items, when trafilatura finds none."""
    for element in tree.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside"):
        element.drop_tree()
    blocks: list[str] = []
    for element in tree.xpath("//h1|//h2|//h3|//h4|//h5|//h6|//p|//li|//td"):
        words = " ".join(element.text_content().split())
        if not words:
            continue
        tag = element.tag
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            blocks.append("#" * int(tag[1]) + " " + words)
        elif tag == "li":
            blocks.append("- " + words)
        else:
            blocks.append(words)
    if not blocks:
        body = tree.find("body")
        root = body if body is not None else tree
        return " ".join(root.text_content().split())
    return "\n\n".join(blocks)


def _tidy_markdown(markdown: str) -> str:
    """Headings kept as `#` lines, emphasis markers dropped so sentences quote cleanly."""
    lines: list[str] = []
    for line in _normalise_newlines(markdown).split("\n"):
        line = line.rstrip()
        bold = BOLD_LINE.fullmatch(line.strip())
        # A paragraph that is all bold, short and unpunctuated is a heading set in bold type.
        if bold and _looks_like_heading(bold.group(1)):
            line = "### " + bold.group(1).strip()
        line = ITALIC.sub(r"\1", BOLD.sub(r"\1", line))
        previous = lines[-1] if lines else ""
        if _is_plain(line) and (_is_plain(previous) or BULLET.match(previous)):
            # a line break inside an HTML paragraph is only white space in the source
            lines[-1] = previous + " " + line.strip()
        else:
            lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines))


def _is_plain(line: str) -> bool:
    """A line of paragraph text: not blank, not a heading, a list item or a table row."""
    stripped = line.strip()
    return bool(stripped) and not (
        stripped.startswith(("#", "|")) or BULLET.match(line) or TABLE_RULE.fullmatch(line)
    )


# PDF


def _read_pdf(content: bytes) -> tuple[str | None, str]:
    try:
        reader = PdfReader(io.BytesIO(content))
        # Many published PDFs are encrypted with an empty password only to stop editing.
        if reader.is_encrypted and _decrypt(reader) == PasswordType.NOT_DECRYPTED:
            raise ReadError("the PDF is protected by a password")
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
        metadata = reader.metadata
        title = metadata.title if metadata is not None else None
    except ReadError:
        raise
    except Exception as error:
        # pypdf fails on damaged files with many kinds of exception (and needs an extra package
        # for some encryption); to the caller they all mean the same: this PDF cannot be read.
        raise ReadError(f"the PDF cannot be read: {error}") from error
    text = "\n\n".join(paragraphs for paragraphs in map(_pdf_page_text, pages) if paragraphs)
    return (title.strip() or None) if isinstance(title, str) else None, text


def _decrypt(reader: PdfReader) -> PasswordType:
    try:
        return reader.decrypt("")
    except Exception as error:
        raise ReadError(f"the PDF is encrypted and cannot be opened: {error}") from error


def _pdf_page_text(page: str) -> str:
    """A page's lines joined back into paragraphs, headings and list items.

    PDF text comes out one printed line at a time. A line ends its paragraph when it is clearly
    shorter than the page's full lines and ends with punctuation (or ends a list item); a short
    unpunctuated line after the end of a paragraph is a heading.
    """
    lines = [
        line.strip()
        for line in _normalise_newlines(page).split("\n")
        if not PAGE_NUMBER.fullmatch(line.strip())
    ]
    longest = max((len(line) for line in lines), default=0)
    units: list[tuple[str, str]] = []  # (kind, text): "heading", "bullet", "para"
    kind, current = "", ""
    for number, line in enumerate(lines):
        following = next((later for later in lines[number + 1 :] if later), "")
        if not line:
            if kind:
                units.append((kind, current))
            kind, current = "", ""
            continue
        is_bullet = BULLET.match(line) is not None
        if not kind and _pdf_heading(line, longest, following, units):
            units.append(("heading", line))
            continue
        if is_bullet:
            if kind:
                units.append((kind, current))
            kind, current = "bullet", line
        elif not kind:
            kind, current = "para", line
        elif current.endswith("-") and current[-2:-1].isalpha() and line[:1].islower():
            current = current[:-1] + line  # a word hyphenated across the line break
        else:
            current += " " + line
        short = len(line) < 0.75 * longest
        if short and (line[-1] in ".!?:" or kind == "bullet"):
            units.append((kind, current))
            kind, current = "", ""
    if kind:
        units.append((kind, current))
    text = ""
    for number, (kind, unit) in enumerate(units):
        if number:
            # list items stay together as a list; everything else is its own paragraph
            text += "\n" if kind == "bullet" and units[number - 1][0] == "bullet" else "\n\n"
        text += unit
    return text


def _pdf_heading(line: str, longest: int, following: str, units: list[tuple[str, str]]) -> bool:
    if not _looks_like_heading(line) or len(line) >= 0.75 * longest:
        return False
    if following[:1].islower():
        return False
    if NUMBERED.match(line):
        # "2. Scope" is a heading; "2. Be kind" among other list items is not.
        after_list = bool(units) and units[-1][0] == "bullet"
        return not after_list and BULLET.match(following) is None
    return True

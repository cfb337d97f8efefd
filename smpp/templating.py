"""Jinja2 rendering for everything people read: HTML autoescaped, every variable required.

An email template is a pair `email/<kind>.txt` and `email/<kind>.html`; the text one holds the
subject in `{% block subject %}` and both hold the body in `{% block body %}`, which opens with
the context's `greeting`. Every mail closes with the same sign-off (`email/parts/sign_off.*`,
from the context's `sign_off`): the HTML layout includes it, the text body has it appended.

The plain-text body is wrapped at 78 columns: a paragraph (lines starting at the margin) is
reflowed as one, a list item ("  - ", "  1. ") keeps its marker and hangs its continuation
under its text, any other indented line keeps its indentation (a labelled one, "  To:  x",
hangs under its value); so the templates' line breaks
do not matter, and a long client name or file name cannot push a line past the margin.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

# The templates every stage shares (the base layout, the machinery's own notices); each stage's
# are in its folder. SMPP_TEMPLATES names a folder whose templates override both.
SHARED_TEMPLATES = Path(__file__).resolve().parent / "templates"


def template_folders() -> list[Path]:
    from smpp.stages import stages  # on first use: the stages render through this module

    override = os.environ.get("SMPP_TEMPLATES")
    return [
        *([Path(override)] if override else []),
        SHARED_TEMPLATES,
        *(stage.templates for stage in stages()),
    ]


# The width of a plain-text mail (RFC 5322 recommends at most 78 characters a line).
TEXT_WIDTH = 78
_ITEM = re.compile(r"^(\s+)(?:[-*]|\d+[.)])\s+")
_LABEL = re.compile(r"^(\s+)[^\s:][^:]{0,24}:\s+")
_OWN_LINE = re.compile(r"^[A-Z][\w ]{0,20}: ")
_QUOTE = re.compile(r"^[\"“]")


def _fill(text: str, first: str, rest: str, width: int) -> list[str]:
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,  # a web address stays whole, on a line of its own
        break_on_hyphens=False,
    ) or [first.rstrip()]


def wrap_text(text: str, width: int = TEXT_WIDTH) -> str:
    """Plain text wrapped at `width`: paragraphs (separated by blank lines) stay paragraphs.

    Within a list item, a line carried on under the item's text that starts with a label
    ("Why: "), or with a quotation mark after a line ending in a colon, starts a line of its
    own at the same indentation; a line indented further (a command to copy) stays as it is."""
    blocks = re.split(r"\n[ \t]*\n", text.strip("\n"))
    return "\n\n".join("\n".join(_wrap_block(block, width)) for block in blocks)


def _wrap_block(block: str, width: int) -> list[str]:
    out: list[str] = []
    prose: list[str] = []
    prefix = ""  # the open list item's marker, with its indentation
    parts: list[list[str]] = []  # the open item's lines of its own, as words

    def flush() -> None:
        nonlocal prefix
        if prose:
            out.extend(_fill(" ".join(prose), "", "", width))
            prose.clear()
        hang = " " * len(prefix)
        for number, words in enumerate(parts):
            out.extend(_fill(" ".join(words), prefix if number == 0 else hang, hang, width))
        parts.clear()
        prefix = ""

    for line in block.split("\n"):
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        marker = _ITEM.match(line)
        if indent == 0:
            if parts:
                flush()
            prose.append(line.strip())
        elif marker:
            flush()
            prefix = marker.group(0)
            parts.append([line[marker.end() :].strip()])
        elif parts and indent == len(prefix):
            quoted = _QUOTE.match(line.strip()) and parts[-1][-1].endswith(":")
            if _OWN_LINE.match(line.strip()) or quoted:
                parts.append([line.strip()])
            else:
                parts[-1].append(line.strip())  # the item's text, carried on
        else:
            flush()
            label = _LABEL.match(line)
            hang = " " * (len(label.group(0)) if label else indent)
            out.extend(_fill(line.strip(), line[:indent], hang, width))
    flush()
    return out


def long_date(value: date | datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%A %-d %B %Y")


def short_time(value: datetime | str) -> str:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%-d %b %Y, %H:%M")


@cache
def _environment(html: bool) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(template_folders()),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default=False)
        if html
        else False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["long_date"] = long_date
    environment.filters["short_time"] = short_time
    return environment


def _block(name: str, block: str, context: dict[str, Any], html: bool) -> str:
    template = _environment(html).get_template(name)
    return "".join(template.blocks[block](template.new_context(context))).strip()


@cache
def page_environment(folder: Path, **filters: Callable[..., str]) -> Environment:
    """Jinja2 for the HTML pages beside the deliverables (packet, policy, follow-up report):
    every value autoescaped, so outside text is never markup; every variable required; dates in
    words (`long_date`, `long_day`), plus the page's own `filters`."""
    from smpp import documents

    environment = Environment(
        loader=FileSystemLoader(folder),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(long_date=documents.long_date, long_day=documents.long_day)
    environment.filters.update(filters)
    return environment


def render_email(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text body, HTML body) for an email of `kind`."""
    subject = " ".join(_block(f"email/{kind}.txt", "subject", context, html=False).split())
    body = wrap_text(_block(f"email/{kind}.txt", "body", context, html=False))
    closing = _environment(False).get_template("email/parts/sign_off.txt").render(context)
    # The sign-off keeps its lines as the agency wrote them (a long one is only broken).
    signed = [
        wrapped
        for line in closing.strip("\n").split("\n")
        for wrapped in _fill(line.strip(), line[: len(line) - len(line.lstrip())], "  ", TEXT_WIDTH)
    ]
    text = body + "\n\n" + "\n".join(signed) + "\n"
    template = _environment(True).get_template(f"email/{kind}.html")
    html = template.render(context)
    return subject, text, html


def email_kinds() -> list[str]:
    """Every email template there is, shared or a stage's."""
    return sorted(
        {p.stem for folder in template_folders() for p in (folder / "email").glob("*.txt")}
    )

"""Jinja2 rendering for everything people read: HTML autoescaped, every variable required.

An email template is a pair `email/<kind>.txt` and `email/<kind>.html`; the text one holds the
subject in `{% block subject %}` and both hold the body in `{% block body %}`.
"""

from __future__ import annotations

import os
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


def render_email(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """(subject, text body, HTML body) for an email of `kind`."""
    subject = " ".join(_block(f"email/{kind}.txt", "subject", context, html=False).split())
    text = _block(f"email/{kind}.txt", "body", context, html=False) + "\n"
    template = _environment(True).get_template(f"email/{kind}.html")
    html = template.render(context)
    return subject, text, html


def email_kinds() -> list[str]:
    """Every email template there is, shared or a stage's."""
    return sorted(
        {p.stem for folder in template_folders() for p in (folder / "email").glob("*.txt")}
    )

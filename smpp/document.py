"""A policy as read: its sentences, each with the heading it stands under.

Produced by `reading` from a fetched page, PDF or text file; consumed by `classify`. A sentence's
text is exactly as it stands in the extracted text, so evidence can be found in the source.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sentence:
    text: str
    heading: str | None  # the nearest heading above it, if the document has headings
    index: int  # position in the document, from 0
    # For a list item, the sentence ending in ":" that introduces its list ("You must not:").
    lead_in: str | None = None


@dataclass(frozen=True)
class Document:
    source: str  # URL or file name
    title: str | None
    text: str  # the main text, headings included, as extracted
    sentences: tuple[Sentence, ...]
    content_type: str  # "html", "pdf" or "text"

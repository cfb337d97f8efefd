"""Sample websites of the demo's fictional comparable companies, served on loopback.

Each site is a folder named after its host (`alpinecrest.example`, `www.bluefjord.example`, ...)
whose files mirror the site's URL paths:

- `index.html` is the folder's own URL (`/`); any other `name.html` is served at `/name`, without
  the extension, as most sites do (`about/social-media-guidelines.html` is
  `/about/social-media-guidelines`);
- other files keep their name (`robots.txt`, `sitemap.xml`);
- `name.pdf.txt` is the text of a PDF, rendered with fpdf2 when first asked for and served at
  `name.pdf` (`# ` starts the title, `## ` a heading, `- ` a bullet, blank lines end paragraphs);
- `_redirects` lists redirects, one per line: `from-path  to-URL  [status]` (301 if omitted);
- files whose name starts with `_` are not served.

A site without its own `robots.txt` gets one that allows everything but `/private/`. Delays (the
slow site) are in `DELAYS`. All content is original and fictional.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType

Body = bytes | Callable[[], bytes]

SLOW_SITE_DELAY = 1.5  # seconds, before every response of the slow site
DELAYS: Mapping[str, float] = MappingProxyType({"fjellvind.example": SLOW_SITE_DELAY})

DEFAULT_ROBOTS = b"User-agent: *\nDisallow: /private/\n"

CONTENT_TYPES: Mapping[str, str] = MappingProxyType(
    {
        ".html": "text/html; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".xml": "application/xml; charset=utf-8",
        ".md": "text/markdown; charset=utf-8",
        ".pdf": "application/pdf",
    }
)

_PDF_SOURCE = ".pdf.txt"
_PDF_DATE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # fixed, so the rendered bytes are stable


@dataclass(frozen=True)
class Route:
    """What one path answers: status, content type, body and any extra headers."""

    status: int
    content_type: str
    body: Body
    headers: Mapping[str, str] = field(default_factory=dict)

    def render(self) -> bytes:
        return self.body() if callable(self.body) else self.body


NOT_FOUND = Route(
    404,
    CONTENT_TYPES[".html"],
    b"<!doctype html><html><head><title>Page not found</title></head>"
    b"<body><h1>Page not found</h1><p>Sorry, we could not find that page.</p>"
    b'<p><a href="/">Home</a></p></body></html>\n',
)


@dataclass(frozen=True)
class Site:
    """A website: the paths it serves and how long it takes to answer."""

    host: str
    routes: Mapping[str, Route]
    delay_seconds: float = 0.0

    def route(self, path: str) -> Route:
        """The route for a request path (query and fragment ignored; a trailing slash is
        tolerated); the site's 404 page when there is none."""
        path = path.split("#", 1)[0].split("?", 1)[0] or "/"
        if path in self.routes:
            return self.routes[path]
        if path.endswith("/") and path.rstrip("/") in self.routes:
            return self.routes[path.rstrip("/")]
        return NOT_FOUND


def find_site(host: str, sites: Mapping[str, Site] | None = None) -> Site | None:
    """The site a Host header names: port, case and a trailing dot ignored; `www.example.x` and
    `example.x` are the same site."""
    sites = SITES if sites is None else sites
    name = host.strip().lower()
    if name.startswith("["):  # an IPv6 literal is never one of ours
        return None
    name = name.split(":", 1)[0].rstrip(".")
    if name in sites:
        return sites[name]
    other = name.removeprefix("www.") if name.startswith("www.") else "www." + name
    return sites.get(other)


def render_pdf(text: str) -> bytes:
    """A plain A4 PDF of a `.pdf.txt` source (see the module docstring for the markup)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    lines = text.splitlines()
    title = next((line[2:].strip() for line in lines if line.startswith("# ")), "Document")
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creation_date(_PDF_DATE)
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    for block in _blocks(lines):
        if block.startswith("# "):
            pdf.set_font("Helvetica", "B", 17)
            pdf.multi_cell(0, 9, block[2:], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(3)
        elif block.startswith("## "):
            pdf.set_font("Helvetica", "B", 12.5)
            pdf.ln(2)
            pdf.multi_cell(0, 7, block[3:], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        elif block.startswith("- "):
            pdf.set_font("Helvetica", "", 10.5)
            pdf.set_x(pdf.l_margin + 5)
            pdf.multi_cell(0, 5.5, "- " + block[2:], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
        else:
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(0, 5.5, block, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2.5)
    return bytes(pdf.output())


def _blocks(lines: list[str]) -> Iterator[str]:
    """Headings and bullets one per line; other consecutive lines joined into paragraphs."""
    paragraph: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith(("# ", "## ", "- ")):
            if paragraph:
                yield " ".join(paragraph)
                paragraph = []
            if line:
                yield line
        else:
            paragraph.append(line)
    if paragraph:
        yield " ".join(paragraph)


def _files(folder: Traversable, prefix: str = "") -> Iterator[tuple[str, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("_", ".")):
            continue
        if entry.is_dir():
            yield from _files(entry, f"{prefix}{entry.name}/")
        else:
            yield prefix + entry.name, entry


def _route_for(relative: str, file: Traversable) -> tuple[str, Route] | None:
    folder, _, name = relative.rpartition("/")
    base = "/" + (folder + "/" if folder else "")
    if name.endswith(_PDF_SOURCE):
        text = file.read_text(encoding="utf-8")
        body = functools.cache(lambda: render_pdf(text))
        return base + name.removesuffix(".txt"), Route(200, CONTENT_TYPES[".pdf"], body)
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in CONTENT_TYPES:
        return None
    if name == "index.html":
        path = base.rstrip("/") or "/"
    elif suffix == ".html":
        path = base + name.removesuffix(".html")
    else:
        path = base + name
    return path, Route(200, CONTENT_TYPES[suffix], file.read_bytes())


def _redirects(site_folder: Traversable) -> Iterator[tuple[str, Route]]:
    file = site_folder / "_redirects"
    if not file.is_file():
        return
    for line in file.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        source, target = fields[0], fields[1]
        status = int(fields[2]) if len(fields) > 2 else 301
        link = html.escape(target)
        body = (
            "<!doctype html><html><head><title>Moved</title></head><body>"
            f'<p>This page has moved to <a href="{link}">{link}</a>.</p></body></html>\n'
        ).encode()
        yield source, Route(status, CONTENT_TYPES[".html"], body, {"Location": target})


def load_sites() -> dict[str, Site]:
    """Every site folder of the package, keyed by host."""
    root = resources.files(__name__)
    sites: dict[str, Site] = {}
    for folder in sorted(root.iterdir(), key=lambda e: e.name):
        if not folder.is_dir() or "." not in folder.name or folder.name.startswith(("_", ".")):
            continue
        routes: dict[str, Route] = {}
        for relative, file in _files(folder):
            found = _route_for(relative, file)
            if found is not None:
                routes[found[0]] = found[1]
        routes.update(_redirects(folder))
        routes.setdefault("/robots.txt", Route(200, CONTENT_TYPES[".txt"], DEFAULT_ROBOTS))
        host = folder.name
        sites[host] = Site(host, MappingProxyType(routes), DELAYS.get(host, 0.0))
    return sites


SITES: dict[str, Site] = load_sites()

"""Finding a company's public social media policy from its website.

Candidates come from the client's known policy URL, the site's sitemaps, the links on its home
page and a few paths where such policies usually live. They are scored by the words in their URL
and link text, fetched best first, and the first whose text reads like a social media policy is
taken. Only pages on the company's own site are considered. Everything tried and everything that
failed is kept in `notes`, in words an account lead can act on.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import defusedxml.ElementTree as SafeElementTree
import lxml.html
from defusedxml import DefusedXmlException
from lxml import etree

from smpp.document import Document
from smpp.fetch import FetchedSource, Fetcher
from smpp.reading import ReadError, read_document

MAX_SITEMAP_URLS = 5_000  # page URLs read from all sitemaps together
MAX_SITEMAP_FILES = 6  # sitemap files fetched, index files and the sitemaps they list together
MAX_SITEMAP_BYTES = 50_000_000  # unzipped; the sitemap protocol allows 50 MB
MAX_CANDIDATES_REPORTED = 40
GUESS_PENALTY = 3.0  # a guessed path may well not exist; a listed or linked page does

COMMON_PATHS = (
    "/social-media-policy",
    "/social-media-guidelines",
    "/policies/social-media",
    "/policies/social-media-policy",
    "/about/social-media-policy",
    "/legal/social-media",
    "/social-media",
    "/code-of-conduct",
    "/guidelines",
    "/policies",
)

# Phrases looked for in a URL's path and a link's text, both reduced to lower-case words.
STRONG = (
    "social media policy",
    "social media guidelines",
    "social media",
    "socialmedia",
    "social networking",
    "digital communications policy",
    "online conduct",
)
MEDIUM = (
    "policy",
    "policies",
    "guidelines",
    "guideline",
    "principles",
    "code of conduct",
    "community guidelines",
    "standards",
)
WEAK = ("legal", "governance", "about", "compliance", "ethics", "company", "corporate")
WRONG = (
    "privacy",
    "cookie",
    "cookies",
    "terms",
    "terms of use",
    "careers",
    "jobs",
    "vacancies",
    "accessibility",
    "modern slavery",
    "returns",
    "shipping",
    "login",
    "cart",
)
ASIDE = ("news", "blog", "press", "article", "articles", "events", "stories")
NOT_PAGES = tuple(
    ".jpg .jpeg .png .gif .svg .webp .ico .css .js .json .xml .zip .mp3 .mp4 .woff .woff2 .docx "
    ".xlsx".split()
)

SOCIAL = re.compile(r"social[\s-]*media|social[\s-]*network", re.IGNORECASE)
OFF_TOPIC = re.compile(r"personal data|cookie|data controller|gdpr|data protection|privacy")
POLICY_CUES = (
    "employee",
    "staff",
    "colleague",
    "must",
    "should",
    "policy",
    "guideline",
    "personal account",
    "on behalf",
    "confidential",
    "represent",
    "respect",
    "responsib",
    "conduct",
    "comply",
    "breach",
    "disciplinary",
    "post",
    "approv",
)
MIN_POLICY_CUES = 5
MIN_SOCIAL_MENTIONS = 4  # when neither the title nor the first heading names social media


@dataclass(frozen=True)
class Candidate:
    url: str
    score: float
    why: str  # where it came from: "sitemap", "home page link 'Social media guidelines'", ...


@dataclass(frozen=True)
class Discovery:
    url: str | None  # the policy found (after redirects), None when none was found
    source: FetchedSource | None  # the policy as fetched
    candidates: tuple[Candidate, ...]  # best first
    notes: tuple[str, ...]  # what was tried and what failed
    # Whether the site answered at all (any HTTP status); False when every request failed to
    # connect, resolve or time out, which says more about our network than about the company.
    reached: bool = True


def score_candidate(url: str, text: str) -> float:
    """How likely a URL (with its link text or title) leads to a social media policy."""
    path = urlsplit(url).path.lower()
    if path.endswith(NOT_PAGES):
        return -100.0
    words = f" {_words(unquote(urlsplit(url).path))} {_words(text)} "

    def hits(phrases: Sequence[str]) -> int:
        return sum(1 for phrase in phrases if f" {phrase} " in words)

    score = 5.0 * min(hits(STRONG), 2) + 2.0 * min(hits(MEDIUM), 2) + 0.5 * min(hits(WEAK), 2)
    score -= 6.0 * min(hits(WRONG), 2) + 2.0 * min(hits(ASIDE), 1)
    return score


def links_from_html(html: str | bytes, base_url: str) -> list[tuple[str, str]]:
    """The page's http(s) links as (absolute URL without fragment, link text), each URL once."""
    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    base = base_url
    for element in tree.iter("base"):
        if element.get("href"):
            base = urljoin(base_url, str(element.get("href")).strip())
            break
    links: dict[str, str] = {}
    for anchor in tree.iter("a"):
        href = str(anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        url = urldefrag(urljoin(base, href)).url
        if urlsplit(url).scheme not in ("http", "https"):
            continue  # mailto:, javascript:, tel:
        label = " ".join(anchor.text_content().split())
        if not label:
            images = [str(image.get("alt") or "") for image in anchor.iter("img")]
            label = str(anchor.get("title") or anchor.get("aria-label") or " ".join(images))
        if not links.get(url):
            links[url] = label.strip()
    return list(links.items())


def urls_from_sitemap(xml_bytes: bytes) -> list[str]:
    """The URLs a sitemap lists (pages, or the sitemaps of a sitemap index); [] if unreadable."""
    try:
        return _read_sitemap(xml_bytes)[1]
    except ValueError:
        return []


def looks_like_policy(document: Document) -> bool:
    """Whether the text reads like a social media policy (not a privacy policy or a news item).

    It must use enough of the words policies use (employees, must, should, confidential ...).
    A page whose title or first heading names social media needs nothing more; any other must
    speak of social media several times, more often than of privacy and personal data (a
    privacy policy mentions social media too, for its plugins and pages).
    """
    text = document.text.lower()
    cues = sum(1 for cue in POLICY_CUES if cue in text)
    if cues < MIN_POLICY_CUES:
        return False
    headline = document.title or ""
    if document.sentences and document.sentences[0].heading:
        headline += " " + document.sentences[0].heading
    if SOCIAL.search(headline) and not OFF_TOPIC.search(headline.lower()):
        return True
    social = len(SOCIAL.findall(text))
    return social >= MIN_SOCIAL_MENTIONS and len(OFF_TOPIC.findall(text)) <= social


async def discover_policy(
    fetcher: Fetcher, website: str, known_url: str | None = None, max_pages: int = 12
) -> Discovery:
    """Find the company's social media policy; `max_pages` bounds the candidate pages fetched."""
    search = _Search(fetcher, _home_url(website))
    if known_url:
        found = await search.try_known(known_url)
        if found is not None:
            return found
    await search.collect_from_sitemaps()
    await search.collect_from_home_page()
    for path in COMMON_PATHS:
        search.add(search.origin + path, "", "common path", guessed=True)
    return await search.check_candidates(max_pages)


class _Search:
    """The state of one discovery: the site, its candidates and the notes taken so far."""

    def __init__(self, fetcher: Fetcher, home: str) -> None:
        self.fetcher = fetcher
        self.home = home
        parts = urlsplit(home)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.sites = {_site_host(parts.hostname or "")}
        self.candidates: dict[str, Candidate] = {}
        self.guessed: set[str] = set()
        self.depth: dict[str, int] = {}  # 0: found on the site, 1: linked from a candidate
        self.checked: set[str] = {_key(home)}
        self.notes: list[str] = []
        self.reached = False

    async def fetch(self, url: str) -> FetchedSource:
        return self.answered(await self.fetcher.fetch(url))

    def answered(self, source: FetchedSource) -> FetchedSource:
        if source.status is not None:
            self.reached = True
        return source

    def same_site(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == site or host.endswith("." + site) for site in self.sites)

    def add(self, url: str, text: str, why: str, guessed: bool = False, depth: int = 0) -> None:
        if urlsplit(url).scheme not in ("http", "https") or not self.same_site(url):
            return
        key = _key(url)
        if key in self.checked or urlsplit(url).path in ("", "/"):
            return
        score = score_candidate(url, text)
        if score <= 0:
            return
        if guessed:
            # below what the site itself lists, but every common path still gets its turn
            score = max(score - GUESS_PENALTY, 0.5)
        existing = self.candidates.get(key)
        if existing is not None and existing.score >= score:
            return
        self.candidates[key] = Candidate(url, score, why)
        self.depth[key] = min(depth, self.depth.get(key, depth))
        if guessed:
            self.guessed.add(key)
        else:
            self.guessed.discard(key)

    def ranked(self) -> list[Candidate]:
        return sorted(self.candidates.values(), key=lambda candidate: -candidate.score)

    def result(self, source: FetchedSource | None) -> Discovery:
        url = source.final_url if source is not None else None
        ranked = tuple(self.ranked()[:MAX_CANDIDATES_REPORTED])
        return Discovery(url, source, ranked, tuple(self.notes), self.reached or source is not None)

    async def try_known(self, known_url: str) -> Discovery | None:
        source = await self.fetch(known_url)
        self.checked.update({_key(known_url), _key(source.final_url)})
        if source.error:
            self.notes.append(_failure(f"the known policy URL {known_url}", source))
            return None
        document = self.read(source, f"the known policy URL {known_url}")
        if document is None:
            return None
        if not looks_like_policy(document):
            self.notes.append(
                f"the known policy URL {known_url} does not read like a social media policy"
            )
            return None
        score = score_candidate(known_url, document.title or "")
        self.candidates[_key(known_url)] = Candidate(known_url, score, "known policy URL")
        return self.result(source)

    async def collect_from_sitemaps(self) -> None:
        rules = await self.fetcher.robots(self.home)
        declared = list(dict.fromkeys(rules.site_maps() or []))
        sitemaps = declared or [self.origin + "/sitemap.xml"]
        pages: list[str] = []
        read = 0
        files = 0
        for sitemap in sitemaps:
            if files >= MAX_SITEMAP_FILES:
                break
            files += 1
            is_index, urls = await self.read_sitemap(sitemap)
            if is_index is None:
                continue
            read += 1
            if not is_index:
                pages += urls
                continue
            for inner in sorted(urls, key=_sitemap_priority, reverse=True):
                if files >= MAX_SITEMAP_FILES:
                    break
                files += 1
                inner_is_index, inner_urls = await self.read_sitemap(inner)
                # one level of nesting only: an index inside an index is not followed
                if inner_is_index is False:
                    pages += inner_urls
        if not read:
            where = "robots.txt lists none" if not declared else "none could be read"
            self.notes.append(f"no sitemap ({where})")
            return
        pages = pages[:MAX_SITEMAP_URLS]
        before = len(self.candidates)
        for page in pages:
            self.add(page, "", "sitemap")
        found = len(self.candidates) - before
        self.notes.append(f"sitemap: {len(pages)} pages listed, {found} worth a look")

    async def read_sitemap(self, url: str) -> tuple[bool | None, list[str]]:
        """(whether it is a sitemap index, its URLs); (None, []) when it cannot be read."""
        source = await self.fetch(url)
        if source.error:
            self.notes.append(_failure(f"sitemap {url}", source))
            return None, []
        try:
            return _read_sitemap(source.content)
        except ValueError as error:
            self.notes.append(f"sitemap {url} could not be read: {error}")
            return None, []

    async def collect_from_home_page(self) -> None:
        source = await self.fetch(self.home)
        if source.error:
            self.notes.append(_failure("home page", source))
            return
        final_host = urlsplit(source.final_url).hostname or ""
        if not self.same_site(source.final_url):
            # acme.com moving to acme-group.com is the same company: follow its links too
            self.sites.add(_site_host(final_host))
            self.notes.append(f"home page redirected to {final_host}")
        self.checked.add(_key(source.final_url))
        for url, text in links_from_html(source.content, source.final_url):
            self.add(url, text, f"home page link '{text}'" if text else "home page link")

    async def check_candidates(self, max_pages: int) -> Discovery:
        budget = max_pages
        failed_guesses: list[str] = []
        while budget > 0:
            batch = [c for c in self.ranked() if _key(c.url) not in self.checked]
            batch = batch[: min(budget, self.fetcher.settings.concurrency)]
            if not batch:
                break
            budget -= len(batch)
            sources = [
                self.answered(source)
                for source in await self.fetcher.fetch_all([c.url for c in batch])
            ]
            for candidate, source in zip(batch, sources, strict=True):
                self.checked.update({_key(candidate.url), _key(source.final_url)})
                if self.accept(candidate, source, failed_guesses):
                    self.note_guesses(failed_guesses)
                    return self.result(source)
        self.note_guesses(failed_guesses)
        if not self.candidates:
            self.notes.append("no page on the site looks like a policy page")
        checked = max_pages - budget
        self.notes.append(f"no social media policy found ({checked} candidate pages checked)")
        return self.result(None)

    def accept(self, candidate: Candidate, source: FetchedSource, failed: list[str]) -> bool:
        """Whether the fetched candidate is the policy; otherwise notes why not and reads on."""
        key = _key(candidate.url)
        guessed = key in self.guessed
        label = _short(candidate.url)
        if source.error:
            if guessed and source.error.startswith("HTTP 4"):
                failed.append(label)
            else:
                self.notes.append(_failure(label, source))
            return False
        if _key(source.final_url) == _key(self.home):
            if guessed:
                failed.append(label)
            else:
                self.notes.append(f"{label} leads back to the home page")
            return False
        document = self.read(source, label)
        if document is None:
            return False
        if looks_like_policy(document):
            return True
        self.notes.append(f"{label} ({candidate.why}) does not read like a social media policy")
        if self.depth.get(key, 0) == 0 and document.content_type == "html":
            # A "Policies" or "Legal" page often lists the policy itself: follow its links once.
            for url, text in links_from_html(source.content, source.final_url):
                self.add(url, text, f"link on {label} '{text}'", depth=1)
        return False

    def read(self, source: FetchedSource, label: str) -> Document | None:
        try:
            return read_document(source.content, source.content_type, source.final_url)
        except ReadError as error:
            self.notes.append(f"{label} could not be read: {error}")
            return None

    def note_guesses(self, failed: list[str]) -> None:
        if failed:
            self.notes.append("common paths not found: " + ", ".join(failed))


def _read_sitemap(data: bytes) -> tuple[bool, list[str]]:
    """(whether it is a sitemap index, the <loc> URLs); ValueError when it is not a sitemap."""
    if data[:2] == b"\x1f\x8b":
        # .xml.gz: unzip with a bound, so a small file cannot unpack into gigabytes
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(data, MAX_SITEMAP_BYTES)
        except zlib.error as error:
            raise ValueError("damaged gzip file") from error
        if inflater.unconsumed_tail:
            raise ValueError("larger than 50 MB unzipped")
    try:
        # defusedxml refuses entity expansion (billion laughs) and external entities
        root = SafeElementTree.fromstring(data)
    except (SafeElementTree.ParseError, DefusedXmlException) as error:
        raise ValueError(f"not valid XML ({error})") from error
    tag = str(root.tag).rsplit("}", 1)[-1]
    if tag not in ("urlset", "sitemapindex"):
        raise ValueError(f"not a sitemap (<{tag}>)")
    urls: list[str] = []
    for element in root.iter():
        if str(element.tag).rsplit("}", 1)[-1] == "loc" and element.text and element.text.strip():
            urls.append(element.text.strip())
            if len(urls) >= MAX_SITEMAP_URLS:
                break
    return tag == "sitemapindex", urls


def _sitemap_priority(url: str) -> float:
    """Which sitemaps of an index to read first: pages and policies before products and posts."""
    name = _words(unquote(urlsplit(url).path))
    score = score_candidate(url, "")
    if re.search(r"\b(page|pages|policy|policies|legal|about|corporate|company)\b", name):
        score += 3
    if re.search(r"\b(product|products|post|posts|blog|news|image|video|category|tag)\b", name):
        score -= 3
    return score


def _words(text: str) -> str:
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text)  # SocialMediaPolicy
    return " ".join(re.findall(r"[a-z0-9]+", spaced.lower()))


def _home_url(website: str) -> str:
    website = website.strip()
    if "://" not in website:
        website = "https://" + website
    parts = urlsplit(website)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path or '/'}"


def _site_host(host: str) -> str:
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _key(url: str) -> str:
    """A URL as compared for duplicates: no scheme, fragment, trailing slash or letter case."""
    parts = urlsplit(urldefrag(url).url)
    query = f"?{parts.query}" if parts.query else ""
    return f"{_site_host(parts.hostname or '')}{parts.path.rstrip('/')}{query}".lower()


def _short(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _failure(what: str, source: FetchedSource) -> str:
    error = source.error or ""
    if error.startswith("HTTP "):
        return f"{what} returned {error}"
    if error == "disallowed by robots.txt":
        return f"robots.txt disallows {_short(source.final_url)}"
    if error.startswith("blocked"):
        return f"{what} was {error}"
    return f"{what} could not be fetched: {error}"

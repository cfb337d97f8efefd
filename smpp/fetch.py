"""Fetching public pages politely and safely, and keeping what was fetched.

`Fetcher` gets a URL with a bounded size and time, retries what is worth retrying, follows
redirects itself so that every hop passes the `AddressGuard` (no request ever goes to a private,
loopback or otherwise internal address unless explicitly allowed), and honours robots.txt. It
never raises for network or HTTP trouble: the `FetchedSource` says what went wrong in words an
account lead can read. `save_source` files each fetched source with a JSON sidecar so a review
can be reproduced from exactly the bytes it was based on.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import os
import re
import socket
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx

USER_AGENT = "smpp-policy-review/0.1 (+https://github.com/smpp; social media policy review)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_CAP = 10.0  # seconds; a server asking for longer is not worth waiting for here
ROBOTS_MAX_BYTES = 500_000  # Google reads 500 KiB of a robots.txt; so do we
CHUNK = 65_536
ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.5"


class BlockedAddress(Exception):
    """The URL may not be fetched: not http(s), or its host is an internal address."""


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = USER_AGENT
    timeout: float = 10.0  # seconds, for each attempt as a whole
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 3  # further attempts after the first, on 429, 5xx and dropped connections
    backoff: float = 0.5  # seconds before the first retry, doubled for each next one
    concurrency: int = 5
    allow_private: bool = False  # only for tests and the demo, which serve on loopback
    respect_robots: bool = True


@dataclass(frozen=True)
class FetchedSource:
    url: str  # as requested
    final_url: str  # after redirects
    status: int | None  # the last HTTP status, None when no response came
    content_type: str | None
    content: bytes
    sha256: str
    fetched_at: datetime  # UTC
    error: str | None  # None when the content is the page itself

    @property
    def ok(self) -> bool:
        return self.error is None


class AddressGuard:
    """Refuses URLs that are not http(s) or whose host is (or resolves to) a non-public address.

    This stops a URL from a client list, a link or a redirect from reaching the agency's own
    network. `check` resolves the host name with the system resolver (it blocks; call it in a
    thread from async code). The address actually connected to is resolved again by httpx, so a
    host that changes its answer between the two (DNS rebinding) is not covered.
    """

    def __init__(self, allow_private: bool = False) -> None:
        self.allow_private = allow_private

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise BlockedAddress(f"blocked: {parts.scheme or 'no'} scheme (only http and https)")
        host = parts.hostname
        if not host:
            raise BlockedAddress(f"blocked: no host in {url}")
        if self.allow_private:
            return
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            reason = address_problem(literal)
            if reason:
                raise BlockedAddress(f"blocked: {host} is {reason}")
            return
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise BlockedAddress(f"blocked: bad port in {url}") from error
        # gaierror (an OSError) propagates: the host does not resolve, which is not a block.
        for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
            address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
            reason = address_problem(address)
            if reason:
                raise BlockedAddress(f"blocked: {host} resolves to {address}, {reason}")


def address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address must not be contacted ("a private address", ...), or None if it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:10.0.0.1 reaches 10.0.0.1; judge the IPv4 address inside
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return address_problem(embedded)
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        # shared (carrier-grade NAT) space, documentation ranges and the like
        (not address.is_global, "not a public address"),
    )
    return next((reason for flagged, reason in checks if flagged), None)


class _Failure(Exception):
    """A fetch that went wrong, with the message for FetchedSource.error."""

    def __init__(self, message: str, status: int | None = None, url: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.url = url


@dataclass(frozen=True)
class _Response:
    url: str
    status: int
    content_type: str | None
    content: bytes
    location: str | None
    retry_after: float | None


def utc_now() -> datetime:
    return datetime.now(UTC)


class Fetcher:
    """Fetches URLs with one shared httpx client (handed in, so tests can route it to loopback)."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        settings: FetchSettings,
        clock: Callable[[], datetime] = utc_now,
        guard: AddressGuard | None = None,
        wallclock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.client = client
        self.settings = settings
        # `clock` dates what was fetched (the advance's moment: time is a parameter); a server's
        # Retry-After date is measured against the real clock, `wallclock`.
        self.clock = clock
        self.wallclock = wallclock
        self.guard = guard if guard is not None else AddressGuard(settings.allow_private)
        self._robots: dict[str, RobotFileParser] = {}
        self._robots_locks: dict[str, asyncio.Lock] = {}

    async def fetch_all(self, urls: Iterable[str]) -> list[FetchedSource]:
        """Fetch several URLs at once (at most `concurrency` in flight), results in their order."""
        semaphore = asyncio.Semaphore(self.settings.concurrency)

        async def bounded(url: str) -> FetchedSource:
            async with semaphore:
                return await self.fetch(url)

        return list(await asyncio.gather(*(bounded(url) for url in urls)))

    async def fetch(self, url: str) -> FetchedSource:
        """Fetch one URL; problems are reported in `error`, never raised."""
        fetched_at = self.clock()
        try:
            response = await self._follow(url, check_robots=self.settings.respect_robots)
        except _Failure as failure:
            return _source(url, failure.url or url, failure.status, None, b"", fetched_at, failure)
        return _source(
            url,
            response.url,
            response.status,
            response.content_type,
            response.content,
            fetched_at,
            None,
        )

    async def robots(self, url: str) -> RobotFileParser:
        """The robots.txt rules of the URL's site, fetched once per origin.

        A robots.txt that is missing (4xx) allows everything, as RFC 9309 says. One that cannot be
        loaded (5xx, timeout, refused) also allows everything, which RFC 9309 would not: we read a
        handful of public pages once, so a broken robots.txt should not hide a public policy.
        """
        origin = _origin(url)
        lock = self._robots_locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._robots:
                self._robots[origin] = await self._load_robots(origin)
            return self._robots[origin]

    async def _load_robots(self, origin: str) -> RobotFileParser:
        parser = RobotFileParser(origin + "/robots.txt")
        try:
            response = await self._follow(origin + "/robots.txt", check_robots=False)
        except _Failure:
            parser.parse([])  # no rules: everything allowed
            return parser
        text = response.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return parser

    async def _follow(self, url: str, check_robots: bool) -> _Response:
        """GET the URL, following redirects by hand so every hop is checked."""
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            await self._check_address(current)
            if check_robots:
                rules = await self.robots(current)
                if not rules.can_fetch(self.settings.user_agent, current):
                    raise _Failure("disallowed by robots.txt", url=current)
            response = await self._with_retries(current)
            if response.status not in REDIRECT_STATUSES:
                if response.status >= 400:
                    raise _Failure(f"HTTP {response.status}", response.status, current)
                return response
            if not response.location:
                message = f"HTTP {response.status} without a Location header"
                raise _Failure(message, response.status, current)
            current = urljoin(current, response.location.strip())
        raise _Failure(f"more than {self.settings.max_redirects} redirects", url=current)

    async def _check_address(self, url: str) -> None:
        try:
            # the system resolver blocks, so it runs in a thread
            await asyncio.to_thread(self.guard.check, url)
        except BlockedAddress as error:
            raise _Failure(str(error), url=url) from error
        except ValueError as error:
            raise _Failure(f"not a valid URL: {url}", url=url) from error
        except OSError as error:
            host = urlsplit(url).hostname
            raise _Failure(f"could not resolve {host}", url=url) from error

    async def _with_retries(self, url: str) -> _Response:
        settings = self.settings
        for attempt in range(settings.retries + 1):
            last = attempt == settings.retries
            delay = settings.backoff * 2**attempt
            try:
                response = await self._get(url)
            except (httpx.NetworkError, httpx.RemoteProtocolError) as error:
                # A refused or dropped connection is often momentary. A timeout is not retried:
                # it has already taken the whole time budget.
                if last:
                    raise _Failure(_network_message(error), url=url) from error
                await asyncio.sleep(delay)
                continue
            except httpx.HTTPError as error:
                raise _Failure(_network_message(error), url=url) from error
            if response.status == 429 or response.status >= 500:
                if last:
                    return response
                if response.retry_after is not None:
                    delay = min(response.retry_after, RETRY_AFTER_CAP)
                await asyncio.sleep(delay)
                continue
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def _get(self, url: str) -> _Response:
        settings = self.settings
        try:
            async with asyncio.timeout(settings.timeout):
                return await self._stream(url)
        except (TimeoutError, httpx.TimeoutException) as error:
            raise _Failure(f"timed out after {settings.timeout:g} s", url=url) from error
        except httpx.InvalidURL as error:
            raise _Failure(f"not a valid URL: {url}", url=url) from error

    async def _stream(self, url: str) -> _Response:
        settings = self.settings
        headers = {"User-Agent": settings.user_agent, "Accept": ACCEPT}
        request = self.client.build_request("GET", url, headers=headers, timeout=settings.timeout)
        response = await self.client.send(request, stream=True, follow_redirects=False)
        try:
            content_type = response.headers.get("content-type")
            location = response.headers.get("location")
            retry_after = _retry_after(response.headers.get("retry-after"), self.wallclock())
            content = b""
            # The body of an error or a redirect is not wanted: do not read it.
            if response.status_code < 300:
                content = await self._read_capped(response, url)
            return _Response(
                url, response.status_code, content_type, content, location, retry_after
            )
        finally:
            await response.aclose()

    async def _read_capped(self, response: httpx.Response, url: str) -> bytes:
        limit = self.settings.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Failure(f"larger than {_size(limit)}", response.status_code, url)
        body = bytearray()
        async for chunk in response.aiter_bytes(CHUNK):
            body += chunk
            if len(body) > limit:
                raise _Failure(f"larger than {_size(limit)}", response.status_code, url)
        return bytes(body)


def _source(
    url: str,
    final_url: str,
    status: int | None,
    content_type: str | None,
    content: bytes,
    fetched_at: datetime,
    failure: _Failure | None,
) -> FetchedSource:
    return FetchedSource(
        url=url,
        final_url=final_url,
        status=status,
        content_type=content_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        fetched_at=fetched_at,
        error=str(failure) if failure is not None else None,
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}".lower()


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Retry-After in seconds: either a number of seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())


def _network_message(error: Exception) -> str:
    detail = str(error) or type(error).__name__
    if isinstance(error, httpx.ConnectError):
        return f"could not connect: {detail}"
    if isinstance(error, httpx.DecodingError):
        return f"the response could not be decoded: {detail}"
    return f"connection failed: {detail}"


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:g} MB"
    if count >= 1_000:
        return f"{count / 1_000:g} kB"
    return f"{count} bytes"


# Keeping sources

EXTENSIONS = {
    "application/pdf": "pdf",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
    "text/markdown": "md",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/json": "json",
}


def save_source(folder: Path, source: FetchedSource) -> Path:
    """Write the content to `folder/<sha256[:12]>-<name>.<ext>` with a `.json` sidecar beside it.

    Both files are written atomically (temporary file, then rename), the sidecar last, so a
    sidecar always describes complete content. Saving the same content from the same URL again
    changes nothing; the path of the content file is returned.
    """
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{source.sha256[:12]}-{_safe_name(source.final_url or source.url)}.{_extension(source)}"
    path = folder / name
    sidecar = path.with_name(path.name + ".json")
    if sidecar.exists() and path.exists() and path.read_bytes() == source.content:
        return path
    record = {
        "url": source.url,
        "final_url": source.final_url,
        "status": source.status,
        "content_type": source.content_type,
        "sha256": source.sha256,
        "fetched_at": source.fetched_at.isoformat(),
        "error": source.error,
    }
    _write_atomically(path, source.content)
    _write_atomically(sidecar, (json.dumps(record, indent=2) + "\n").encode())
    return path


def _safe_name(url: str) -> str:
    parts = urlsplit(url)
    words = re.sub(r"[^a-z0-9]+", "-", f"{parts.hostname or ''}{parts.path}".lower()).strip("-")
    return words[:60].rstrip("-") or "source"


def _extension(source: FetchedSource) -> str:
    if source.content.startswith(b"%PDF-"):
        return "pdf"
    media = (source.content_type or "").split(";")[0].strip().lower()
    if media in EXTENSIONS:
        return EXTENSIONS[media]
    suffix = Path(urlsplit(source.final_url or source.url).path).suffix.lower().lstrip(".")
    return suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

"""Fetching over real HTTP on loopback: errors, retries, limits, redirects, robots, the guard."""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from fpdf import FPDF

from smpp.fetch import (
    AddressGuard,
    BlockedAddress,
    FetchedSource,
    Fetcher,
    FetchSettings,
    address_problem,
    save_source,
)
from tests.loopback_http import (
    LoopbackServer,
    LoopbackTransport,
    Reply,
    html,
    redirect,
    sequence,
    text,
)

FIXED = datetime(2027, 1, 28, 9, 30, tzinfo=UTC)


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def settings(**overrides: Any) -> FetchSettings:
    # Loopback is private: the tests switch the guard off explicitly unless they test it.
    values: dict[str, Any] = {"allow_private": True, "backoff": 0.01, "timeout": 5.0}
    return FetchSettings(**{**values, **overrides})


async def fetch_with(
    fetch_settings: FetchSettings,
    urls: list[str],
    transport: LoopbackTransport | None = None,
    guard: AddressGuard | None = None,
) -> list[FetchedSource]:
    async with httpx.AsyncClient(transport=transport or LoopbackTransport()) as client:
        fetcher = Fetcher(client, fetch_settings, clock=lambda: FIXED, guard=guard)
        return await fetcher.fetch_all(urls)


def fetch(url: str, **overrides: Any) -> FetchedSource:
    return asyncio.run(fetch_with(settings(**overrides), [url]))[0]


def test_a_page_is_fetched_with_its_details(server: LoopbackServer) -> None:
    server.routes["/policy"] = html("Policy", "<p>Be kind.</p>")
    source = fetch(server.url("/policy"))
    assert source.error is None and source.ok
    assert source.status == 200
    assert source.content_type == "text/html; charset=utf-8"
    assert b"Be kind." in source.content
    assert source.sha256 == hashlib.sha256(source.content).hexdigest()
    assert source.fetched_at == FIXED
    assert source.url == source.final_url == server.url("/policy")
    assert server.requests[-1].headers["user-agent"].startswith("smpp-policy-review/0.1")


def test_a_missing_page_is_an_http_error(server: LoopbackServer) -> None:
    source = fetch(server.url("/nowhere"))
    assert source.error == "HTTP 404"
    assert source.status == 404
    assert source.content == b""
    assert server.hits["/nowhere"] == 1  # a 404 is not retried


def test_too_many_requests_is_retried_as_told(server: LoopbackServer) -> None:
    server.routes["/busy"] = sequence(
        Reply(429, {"Retry-After": "0"}), text("at last"), text("not reached")
    )
    source = fetch(server.url("/busy"))
    assert source.error is None
    assert source.content == b"at last"
    assert server.hits["/busy"] == 2


def test_a_server_error_is_retried(server: LoopbackServer) -> None:
    server.routes["/flaky"] = sequence(Reply(503), text("back"))
    source = fetch(server.url("/flaky"))
    assert (source.error, source.content) == (None, b"back")
    assert server.hits["/flaky"] == 2


def test_retries_give_up_with_the_last_status(server: LoopbackServer) -> None:
    server.routes["/down"] = Reply(503)
    source = fetch(server.url("/down"), retries=2)
    assert (source.error, source.status) == ("HTTP 503", 503)
    assert server.hits["/down"] == 3


def test_a_slow_server_times_out(server: LoopbackServer) -> None:
    server.routes["/slow"] = Reply(200, body=b"late", delay=2.0)
    started = time.perf_counter()
    source = fetch(server.url("/slow"), timeout=0.5)
    assert time.perf_counter() - started < 1.5
    assert source.error == "timed out after 0.5 s"
    assert source.status is None and source.content == b""
    assert server.hits["/slow"] == 1  # a timeout has used its budget: not retried


def test_a_refused_connection_is_reported(server: LoopbackServer) -> None:
    server.stop()  # nothing listens on its port any more
    source = fetch(server.url("/"), retries=1)
    assert source.error is not None and source.error.startswith("could not connect")


@pytest.mark.parametrize("declared", [True, False])
def test_an_oversized_body_is_refused(server: LoopbackServer, declared: bool) -> None:
    server.routes["/big"] = Reply(200, {}, b"x" * 200_000, content_length=declared)
    source = fetch(server.url("/big"), max_bytes=10_000)
    assert source.error == "larger than 10 kB"
    assert source.content == b""


def test_a_body_at_the_limit_is_kept(server: LoopbackServer) -> None:
    server.routes["/exact"] = Reply(200, {}, b"x" * 10_000, content_length=False)
    assert fetch(server.url("/exact"), max_bytes=10_000).content == b"x" * 10_000


def test_a_redirect_chain_is_followed(server: LoopbackServer) -> None:
    server.routes["/a"] = redirect("/b", 301)
    server.routes["/b"] = redirect(server.url("/c"), 307)
    server.routes["/c"] = redirect("d", 308)  # relative to /c
    server.routes["/d"] = text("arrived")
    source = fetch(server.url("/a"))
    assert (source.error, source.content) == (None, b"arrived")
    assert source.url == server.url("/a")
    assert source.final_url == server.url("/d")


def test_a_redirect_loop_stops_at_the_limit(server: LoopbackServer) -> None:
    server.routes["/ping"] = redirect("/pong")
    server.routes["/pong"] = redirect("/ping")
    source = fetch(server.url("/ping"), max_redirects=3)
    assert source.error == "more than 3 redirects"
    assert server.hits["/ping"] + server.hits["/pong"] == 4


def test_a_pdf_is_fetched_as_bytes(server: LoopbackServer) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Social media policy")
    data = bytes(pdf.output())
    server.routes["/policy.pdf"] = Reply(200, {"Content-Type": "application/pdf"}, data)
    source = fetch(server.url("/policy.pdf"))
    assert source.content == data
    assert source.content_type == "application/pdf"


def test_robots_txt_is_honoured_and_read_once(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = text("User-agent: *\nDisallow: /private/\n")
    server.routes["/private/policy"] = text("secret")
    server.routes["/public"] = text("public")
    urls = [server.url("/private/policy"), server.url("/public"), server.url("/public")]
    private, public, _again = asyncio.run(fetch_with(settings(), urls))
    assert private.error == "disallowed by robots.txt"
    assert public.content == b"public"
    assert server.hits["/private/policy"] == 0
    assert server.hits["/robots.txt"] == 1


def test_robots_txt_for_another_agent_does_not_apply(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = text("User-agent: OtherBot\nDisallow: /\n")
    server.routes["/page"] = text("page")
    assert fetch(server.url("/page")).error is None


def test_a_broken_robots_txt_allows_everything(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = Reply(500)
    server.routes["/page"] = text("page")
    assert fetch(server.url("/page"), retries=0).error is None


def test_robots_txt_can_be_ignored_when_told(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = text("User-agent: *\nDisallow: /\n")
    server.routes["/page"] = text("page")
    assert fetch(server.url("/page"), respect_robots=False).error is None
    assert server.hits["/robots.txt"] == 0


def test_the_guard_refuses_loopback_before_connecting(server: LoopbackServer) -> None:
    server.routes["/"] = text("home")
    source = fetch(server.url("/"), allow_private=False)
    assert source.error == "blocked: 127.0.0.1 is a loopback address"
    assert server.requests == []  # not even robots.txt


def test_the_guard_refuses_a_private_address_without_contacting_it() -> None:
    transport = LoopbackTransport()
    fetch_settings = settings(allow_private=False)
    (source,) = asyncio.run(fetch_with(fetch_settings, ["http://10.0.0.1/"], transport))
    assert source.error == "blocked: 10.0.0.1 is a private address"
    assert transport.sent == []


class FirstHopOnly(AddressGuard):
    """The real guard, except that it lets the test's first URL (on loopback) through."""

    def __init__(self, first: str) -> None:
        super().__init__(allow_private=False)
        self.first = first
        self.checked: list[str] = []

    def check(self, url: str) -> None:
        self.checked.append(url)
        if url != self.first:
            super().check(url)


def test_every_redirect_hop_is_checked(server: LoopbackServer) -> None:
    server.routes["/go"] = redirect("http://10.0.0.1/admin")
    guard = FirstHopOnly(server.url("/go"))
    transport = LoopbackTransport()
    fetch_settings = settings(allow_private=False, respect_robots=False)
    (source,) = asyncio.run(fetch_with(fetch_settings, [guard.first], transport, guard))
    assert source.error == "blocked: 10.0.0.1 is a private address"
    assert source.final_url == "http://10.0.0.1/admin"
    assert guard.checked == [server.url("/go"), "http://10.0.0.1/admin"]
    assert transport.sent == [server.url("/go")]  # 10.0.0.1 never contacted


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[::1]:8080/", "blocked: ::1 is a loopback address"),
        ("http://[fe80::1]/", "blocked: fe80::1 is a link-local address"),
        ("http://[::ffff:127.0.0.1]/", "blocked: ::ffff:127.0.0.1 is a loopback address"),
        ("http://[::ffff:10.1.2.3]/", "blocked: ::ffff:10.1.2.3 is a private address"),
        ("http://[fd00::1]/", "blocked: fd00::1 is a private address"),
        ("http://[ff02::1]/", "blocked: ff02::1 is a multicast address"),
        ("http://[::]/", "blocked: :: is an unspecified address"),
        ("http://0.0.0.0/", "blocked: 0.0.0.0 is an unspecified address"),
        ("http://169.254.169.254/latest", "blocked: 169.254.169.254 is a link-local address"),
        ("http://192.168.1.1/", "blocked: 192.168.1.1 is a private address"),
        ("http://224.0.0.1/", "blocked: 224.0.0.1 is a multicast address"),
        ("http://100.64.0.1/", "blocked: 100.64.0.1 is not a public address"),
        ("http://localhost:8000/", "blocked: localhost resolves to"),
        ("file:///etc/passwd", "blocked: file scheme (only http and https)"),
        ("ftp://ftp.example.com/", "blocked: ftp scheme (only http and https)"),
    ],
)
def test_the_guard_blocks_internal_addresses(url: str, message: str) -> None:
    with pytest.raises(BlockedAddress) as blocked:
        AddressGuard().check(url)
    assert str(blocked.value).startswith(message)


@pytest.mark.parametrize("url", ["http://93.184.215.14/", "https://[2606:4700::1111]/policy"])
def test_the_guard_lets_public_addresses_through(url: str) -> None:
    AddressGuard().check(url)  # literal addresses: no resolver needed


def test_the_guard_switch_allows_private_addresses_but_not_other_schemes() -> None:
    AddressGuard(allow_private=True).check("http://10.0.0.1/")
    with pytest.raises(BlockedAddress):
        AddressGuard(allow_private=True).check("javascript:alert(1)")


def test_address_problem_judges_mapped_and_6to4_addresses() -> None:
    assert address_problem(ipaddress.ip_address("::ffff:8.8.8.8")) is None
    assert address_problem(ipaddress.ip_address("2002:0a00:0001::1")) == "a private address"


def test_fetches_run_concurrently(server: LoopbackServer) -> None:
    for number in range(5):
        server.routes[f"/slow/{number}"] = Reply(200, {}, str(number).encode(), delay=0.3)
    urls = [server.url(f"/slow/{number}") for number in range(5)]
    started = time.perf_counter()
    sources = asyncio.run(fetch_with(settings(respect_robots=False), urls))
    elapsed = time.perf_counter() - started
    assert [source.content for source in sources] == [b"0", b"1", b"2", b"3", b"4"]
    assert elapsed < 0.9  # one after another would take 1.5 s


def test_concurrency_is_bounded(server: LoopbackServer) -> None:
    for number in range(4):
        server.routes[f"/slow/{number}"] = Reply(200, {}, b"ok", delay=0.2)
    urls = [server.url(f"/slow/{number}") for number in range(4)]
    started = time.perf_counter()
    asyncio.run(fetch_with(settings(respect_robots=False, concurrency=2), urls))
    assert time.perf_counter() - started >= 0.4  # two rounds of two


def test_save_source_keeps_content_and_sidecar(tmp_path: Path, server: LoopbackServer) -> None:
    server.routes["/about/social-media-policy"] = html("Policy", "<p>Be kind.</p>")
    source = fetch(server.url("/about/social-media-policy"))
    path = save_source(tmp_path, source)
    assert path.name == f"{source.sha256[:12]}-127-0-0-1-about-social-media-policy.html"
    assert path.read_bytes() == source.content
    sidecar = json.loads(path.with_name(path.name + ".json").read_text())
    assert sidecar == {
        "url": source.url,
        "final_url": source.final_url,
        "status": 200,
        "content_type": "text/html; charset=utf-8",
        "sha256": source.sha256,
        "fetched_at": "2027-01-28T09:30:00+00:00",
        "error": None,
    }
    modified = path.stat().st_mtime_ns
    assert save_source(tmp_path, source) == path  # the same content again: nothing rewritten
    assert path.stat().st_mtime_ns == modified
    assert sorted(item.name for item in tmp_path.iterdir()) == [path.name, path.name + ".json"]


def test_save_source_records_a_failure(tmp_path: Path) -> None:
    failed = FetchedSource(
        url="https://acme.example/policy.pdf",
        final_url="https://acme.example/policy.pdf",
        status=404,
        content_type=None,
        content=b"",
        sha256=hashlib.sha256(b"").hexdigest(),
        fetched_at=FIXED,
        error="HTTP 404",
    )
    path = save_source(tmp_path, failed)
    assert path.suffix == ".pdf" and path.read_bytes() == b""
    assert json.loads(path.with_name(path.name + ".json").read_text())["error"] == "HTTP 404"

"""The demo's sample sites, served on loopback and reached through the loopback transport."""

from __future__ import annotations

import asyncio
import io
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

import httpx
import pypdf
import pytest

from smpp.sample_sites import SITES, SLOW_SITE_DELAY, find_site
from smpp.site_server import SiteServer, demo_client, demo_sync_client

T = TypeVar("T")
SLOW = 0.2  # the slow site's delay in these tests

POLICIES = {
    "https://alpinecrest.example/about/social-media-guidelines": "#employee",
    "https://www.bluefjord.example/policies/social-media-policy": "ambassador programme",
    "https://everpeak.example/company/guidelines/social-media": "Nothing in this policy is "
    "intended to interfere with employees' rights to discuss wages, hours or other terms and "
    "conditions of employment",
    "https://fjellvind.example/social-media-policy": "Don't leak the roadmap",
    "https://glacierline.example/legal/social-media-policy": "Impartiality",
    "https://northpass.example/en/company/social-media-policy": "#NorthpassTeam",
}


@pytest.fixture(scope="module")
def server() -> Iterator[SiteServer]:
    with SiteServer(delays={"fjellvind.example": SLOW}) as running:
        yield running


def fetch(server: SiteServer, call: Callable[[httpx.AsyncClient], Awaitable[T]]) -> T:
    async def run() -> T:
        async with demo_client(server) as client:
            return await call(client)

    return asyncio.run(run())


def get(server: SiteServer, url: str, **kwargs: object) -> httpx.Response:
    async def call(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(url, **kwargs)  # type: ignore[arg-type]

    return fetch(server, call)


def test_every_home_page(server: SiteServer) -> None:
    hosts = sorted(SITES)

    async def call(client: httpx.AsyncClient) -> list[httpx.Response]:
        return list(await asyncio.gather(*(client.get(f"https://{h}/") for h in hosts)))

    for host, response in zip(hosts, fetch(server, call), strict=True):
        assert response.status_code == 200, host
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "<h1>" in response.text and "<footer" in response.text
        assert str(response.url) == f"https://{host}/"  # the caller's URL, not loopback


def test_the_sites_of_the_demo_companies() -> None:
    assert set(SITES) >= {
        "alpinecrest.example",
        "www.bluefjord.example",
        "cedarpine.example",
        "dunmoretrail.example",
        "everpeak.example",
        "fjellvind.example",
        "glacierline.example",
        "highmoor.example",
        "ironbark.example",
        "northpass.example",
        "riverstone.example",
        "summitharbor.example",
    }


def test_policy_pages(server: SiteServer) -> None:
    urls = list(POLICIES)

    async def call(client: httpx.AsyncClient) -> list[httpx.Response]:
        return list(await asyncio.gather(*(client.get(url) for url in urls)))

    for url, response in zip(urls, fetch(server, call), strict=True):
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
        assert POLICIES[url] in response.text, url
        assert "social media" in response.text.lower()


def test_policies_are_linked_where_the_sites_say() -> None:
    def page(host: str, path: str) -> str:
        return SITES[host].route(path).render().decode()

    assert 'href="/about/social-media-guidelines"' in page("alpinecrest.example", "/")
    assert 'href="/docs/social-media-policy.pdf">Our social media policy (PDF)' in page(
        "cedarpine.example", "/"
    )
    assert 'href="/social-media"' in page("everpeak.example", "/")
    footer = page("glacierline.example", "/").split("<footer", 1)[1]
    assert 'href="/legal/social-media-policy"' in footer
    assert "social-media-policy" not in page("fjellvind.example", "/")  # found by guessing


def test_planted_features_in_the_policies() -> None:
    def text(host: str, path: str) -> str:
        return SITES[host].route(path).render().decode()

    alpine = text("alpinecrest.example", "/about/social-media-guidelines")
    assert "Views are my own" in alpine and "customer care" in alpine
    bluefjord = text("www.bluefjord.example", "/policies/social-media-policy").lower()
    assert "two-factor authentication" in bluefjord and "retention" in bluefjord
    assert "disclos" not in bluefjord and "#ad" not in bluefjord  # the gap, on purpose
    everpeak = text("everpeak.example", "/company/guidelines/social-media")
    assert "Section 7 of the\nNational Labor Relations Act" in everpeak
    assert "Federal Trade Commission" in everpeak


def test_pdf_policy(server: SiteServer) -> None:
    response = get(server, "https://cedarpine.example/docs/social-media-policy.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    assert "social media" in flat.lower()
    assert (
        "Employees must not disclose any internal or non-public information about the company."
        in flat
    )
    assert (
        "Employees must not post anything negative about the company, its management or colleagues."
        in flat
    )
    assert reader.metadata is not None and reader.metadata.title == (
        "Cedar & Pine Co. - Social Media Policy"
    )
    again = get(server, "https://cedarpine.example/docs/social-media-policy.pdf")
    assert again.content == response.content  # rendered once, then cached


def test_redirect(server: SiteServer) -> None:
    target = "https://everpeak.example/company/guidelines/social-media"
    moved = get(server, "https://everpeak.example/social-media")
    assert moved.status_code == 301
    assert moved.headers["location"] == target
    followed = get(server, "https://everpeak.example/social-media", follow_redirects=True)
    assert followed.status_code == 200
    assert str(followed.url) == target
    assert [r.status_code for r in followed.history] == [301]
    assert "Social Media Guidelines" in followed.text


def test_slow_site(server: SiteServer) -> None:
    assert SITES["fjellvind.example"].delay_seconds == SLOW_SITE_DELAY == 1.5
    started = time.monotonic()
    response = get(server, "https://fjellvind.example/social-media-policy")
    assert time.monotonic() - started >= SLOW
    assert response.status_code == 200
    started = time.monotonic()
    assert get(server, "https://fjellvind.example/nothing-here").status_code == 404
    assert time.monotonic() - started >= SLOW  # every response is slow
    started = time.monotonic()
    assert get(server, "https://highmoor.example/").status_code == 200
    assert time.monotonic() - started < SLOW


def test_robots_and_sitemap(server: SiteServer) -> None:
    hosts = sorted(SITES)

    async def call(client: httpx.AsyncClient) -> list[httpx.Response]:
        return list(await asyncio.gather(*(client.get(f"https://{h}/robots.txt") for h in hosts)))

    for host, response in zip(hosts, fetch(server, call), strict=True):
        assert response.status_code == 200, host
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert "User-agent: *" in response.text and "Disallow: /private/" in response.text
    robots = get(server, "https://www.bluefjord.example/robots.txt").text
    sitemap_url = next(
        line.split(":", 1)[1].strip() for line in robots.splitlines() if line.startswith("Sitemap:")
    )
    assert sitemap_url == "https://www.bluefjord.example/sitemap.xml"
    sitemap = get(server, sitemap_url)
    assert sitemap.status_code == 200
    assert sitemap.headers["content-type"].startswith("application/xml")
    assert "<loc>https://www.bluefjord.example/policies/social-media-policy</loc>" in sitemap.text


def test_site_without_policy(server: SiteServer) -> None:
    for path in ("/", "/about", "/careers", "/privacy-policy"):
        response = get(server, f"https://dunmoretrail.example{path}")
        assert response.status_code == 200, path
    privacy = get(server, "https://dunmoretrail.example/privacy-policy").text
    assert "<h1>Privacy policy</h1>" in privacy and "social media" in privacy
    for path in ("/social-media-policy", "/social-media", "/policies/social-media-policy"):
        assert get(server, f"https://dunmoretrail.example{path}").status_code == 404


def test_unknown_path_and_unknown_host(server: SiteServer) -> None:
    missing = get(server, "https://alpinecrest.example/private/plans")
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    nowhere = get(server, "https://nowhere.example/")
    assert nowhere.status_code == 404
    assert nowhere.text == "unknown site\n"


def test_other_hosts_are_refused(server: SiteServer) -> None:
    for url in ("https://www.google.com/", "http://127.0.0.1/", "https://example/"):
        with pytest.raises(httpx.ConnectError, match="only .example sites"):
            get(server, url)


def test_host_variants_query_strings_and_head(server: SiteServer) -> None:
    for url in (
        "https://www.alpinecrest.example/",  # www. added
        "https://bluefjord.example/",  # www. left out
        "http://ALPINECREST.example:8080/",  # case, port and plain http
        "https://alpinecrest.example/about/social-media-guidelines/?utm_source=x",
    ):
        response = get(server, url)
        assert response.status_code == 200, url
        assert str(response.url) == str(httpx.URL(url))

    async def head(client: httpx.AsyncClient) -> httpx.Response:
        return await client.head("https://northpass.example/en/company/social-media-policy")

    response = fetch(server, head)
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) > 1000


def test_find_site() -> None:
    assert find_site("alpinecrest.example:443") is SITES["alpinecrest.example"]
    assert find_site("BlueFjord.Example.") is SITES["www.bluefjord.example"]
    assert find_site("[::1]:80") is None
    assert find_site("") is None


def test_sync_client(server: SiteServer) -> None:
    with demo_sync_client(server, follow_redirects=True) as client:
        response = client.get("https://everpeak.example/social-media")
        assert response.status_code == 200
        assert str(response.url) == "https://everpeak.example/company/guidelines/social-media"
        with pytest.raises(httpx.ConnectError):
            client.get("https://pypi.org/")


def test_server_stops_cleanly() -> None:
    with SiteServer() as running:
        port = running.port
        with demo_sync_client(running) as client:
            assert client.get("https://highmoor.example/").status_code == 200
    with pytest.raises(RuntimeError):
        _ = running.port
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    with pytest.raises(TypeError):
        demo_client(running, transport=httpx.AsyncHTTPTransport())


def test_quiet_even_when_clients_give_up(capfd: pytest.CaptureFixture[str]) -> None:
    with SiteServer(delays={"fjellvind.example": 0.15}) as running:
        with demo_sync_client(running, timeout=0.05) as client:
            with pytest.raises(httpx.ReadTimeout):
                client.get("https://fjellvind.example/social-media-policy")
            assert client.get("https://highmoor.example/nope").status_code == 404
        time.sleep(0.25)  # the handler wakes up and answers a closed connection
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""

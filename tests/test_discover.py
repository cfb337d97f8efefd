"""Discovery against fictional sites served for real on loopback (acme.example and friends)."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterator

import httpx
import pytest
from fpdf import FPDF

from smpp.fetch import Fetcher, FetchSettings
from smpp.reading import read_document
from smpp.stages.peer_review.discover import (
    Candidate,
    Discovery,
    discover_policy,
    links_from_html,
    looks_like_policy,
    score_candidate,
    urls_from_sitemap,
)
from tests.loopback_http import LoopbackServer, LoopbackTransport, Reply, html, redirect, text

SITE = "https://acme.example"

POLICY_BODY = """
<nav><a href="/">Home</a> <a href="/products">Products</a></nav>
<main><h1>Social Media Policy</h1>
<p>This policy applies to all employees and contractors of Acme Inc. who use social media,
whether on company channels or on their personal accounts.</p>
<h2>Speaking for Acme</h2>
<p>Only the communications team may post on behalf of Acme. Employees must not share
confidential information on social media. They should make clear that their views are their
own.</p>
<h2>Breaches</h2>
<p>A breach of this policy may lead to disciplinary action. Questions about social media go to
the communications team.</p></main>
"""

PRIVACY_BODY = """
<main><h1>Privacy Policy</h1>
<p>This privacy policy explains how Acme, the data controller, processes personal data. We
collect personal data when you use our website, our social media pages or our apps.</p>
<p>We use cookies and social media plugins. When you click a social media button, the social
media network receives personal data about you. Employees of Acme must treat personal data as
confidential and should comply with data protection law (GDPR). See our cookie policy.</p>
<p>You may ask us about your personal data at any time. Our data protection officer responds
within one month. We never post your personal data on social media.</p></main>
"""


def policy_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "Social Media Guidelines", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(
        0,
        6,
        "These guidelines apply to every employee who uses social media. Staff must not "
        "disclose confidential information, and they should say that they speak for themselves "
        "when they post about Acme on social media. Breaches are handled under the disciplinary "
        "policy.",
    )
    return bytes(pdf.output())


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running


def discover(
    server: LoopbackServer, known_url: str | None = None, max_pages: int = 12
) -> Discovery:
    hosts = {host: server.port for host in ("acme.example", "www.acme.example", "other.example")}

    async def run() -> Discovery:
        async with httpx.AsyncClient(transport=LoopbackTransport(hosts)) as client:
            # loopback is private: the guard is switched off explicitly for the fictional sites
            fetcher = Fetcher(client, FetchSettings(allow_private=True, backoff=0.01, retries=0))
            return await discover_policy(fetcher, "acme.example", known_url, max_pages)

    return asyncio.run(run())


def why_chosen(found: Discovery) -> str:
    return next(candidate.why for candidate in found.candidates if candidate.url == found.url)


def sitemap(*paths: str, index: bool = False) -> Reply:
    tag, item = ("sitemapindex", "sitemap") if index else ("urlset", "url")
    entries = "".join(f"<{item}><loc>{SITE}{path}</loc></{item}>" for path in paths)
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<{tag} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</{tag}>'
    )
    return Reply(200, {"Content-Type": "application/xml"}, body.encode())


def test_the_policy_listed_in_the_sitemap_is_found(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = text(
        f"User-agent: *\nAllow: /\nSitemap: {SITE}/sitemap-main.xml"
    )
    server.routes["/sitemap-main.xml"] = sitemap(
        "/", "/products/tents", "/privacy-policy", "/company/social-media-policy"
    )
    server.routes["/"] = html("Acme", "<p>Welcome</p>")
    server.routes["/company/social-media-policy"] = html("Social media | Acme", POLICY_BODY)
    found = discover(server)
    assert found.url == f"{SITE}/company/social-media-policy"
    assert found.source is not None and b"disciplinary action" in found.source.content
    assert why_chosen(found) == "sitemap"
    assert all("privacy" not in candidate.url for candidate in found.candidates)
    assert "sitemap: 4 pages listed, 1 worth a look" in found.notes
    assert server.hits["/privacy-policy"] == 0 and server.hits["/products/tents"] == 0


def test_a_home_page_link_is_found_by_its_text(server: LoopbackServer) -> None:
    server.routes["/"] = html(
        "Acme",
        '<p>Welcome</p><footer><a href="/contact">Contact</a> '
        '<a href="/about-us/online-voice">Social media guidelines</a></footer>',
    )
    server.routes["/about-us/online-voice"] = html("Our voice", POLICY_BODY)
    found = discover(server)
    assert found.url == f"{SITE}/about-us/online-voice"
    assert why_chosen(found) == "home page link 'Social media guidelines'"
    assert found.candidates[0] == Candidate(
        f"{SITE}/about-us/online-voice", 12.5, "home page link 'Social media guidelines'"
    )  # above every guessed path
    assert f"sitemap {SITE}/sitemap.xml returned HTTP 404" in found.notes
    assert "no sitemap (robots.txt lists none)" in found.notes


def test_a_common_path_is_tried(server: LoopbackServer) -> None:
    server.routes["/"] = html("Acme", "<p>Welcome, no links here.</p>")
    server.routes["/social-media-guidelines"] = html("Guidelines", POLICY_BODY)
    found = discover(server)
    assert found.url == f"{SITE}/social-media-guidelines"
    assert any(note.startswith("common paths not found: /") for note in found.notes)
    assert "/social-media-policy" in next(n for n in found.notes if n.startswith("common paths"))


def test_a_sitemap_index_is_followed_one_level(server: LoopbackServer) -> None:
    pages = b"".join(
        [
            b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            b"<url><loc>https://acme.example/governance/digital-communications-policy</loc></url>",
            b"</urlset>",
        ]
    )
    server.routes["/sitemap.xml"] = sitemap("/sitemap-posts.xml", "/pages.xml.gz", index=True)
    server.routes["/sitemap-posts.xml"] = sitemap("/blog/hello")
    server.routes["/pages.xml.gz"] = Reply(
        200, {"Content-Type": "application/gzip"}, gzip.compress(pages)
    )
    server.routes["/"] = html("Acme", "<p>Welcome</p>")
    server.routes["/governance/digital-communications-policy"] = html("Digital", POLICY_BODY)
    found = discover(server)
    assert found.url == f"{SITE}/governance/digital-communications-policy"
    assert why_chosen(found) == "sitemap"
    # the pages sitemap is read before the posts sitemap
    assert server.requests[2].path == "/pages.xml.gz"


def test_a_broken_known_url_falls_back_to_discovery(server: LoopbackServer) -> None:
    server.routes["/"] = html(
        "Acme", '<a href="/policies/social.pdf">Social Media Policy (PDF)</a>'
    )
    server.routes["/policies/social.pdf"] = Reply(
        200, {"Content-Type": "application/pdf"}, policy_pdf()
    )
    found = discover(server, known_url=f"{SITE}/old/social-media.html")
    assert found.url == f"{SITE}/policies/social.pdf"
    assert found.source is not None and found.source.content.startswith(b"%PDF")
    assert found.notes[0] == f"the known policy URL {SITE}/old/social-media.html returned HTTP 404"


def test_a_good_known_url_is_taken_without_searching(server: LoopbackServer) -> None:
    server.routes["/smp"] = redirect("/policies/smp")
    server.routes["/policies/smp"] = html("Social media policy", POLICY_BODY)
    found = discover(server, known_url=f"{SITE}/smp")
    assert found.url == f"{SITE}/policies/smp"  # where it ended up
    assert [candidate.why for candidate in found.candidates] == ["known policy URL"]
    assert server.hits["/"] == 0 and server.hits["/sitemap.xml"] == 0


def test_a_site_without_a_policy_says_what_was_tried(server: LoopbackServer) -> None:
    server.routes["/"] = Reply(503)
    found = discover(server)
    assert found.url is None and found.source is None
    assert "home page returned HTTP 503" in found.notes
    assert "no sitemap (robots.txt lists none)" in found.notes
    assert any(note.startswith("common paths not found: /") for note in found.notes)
    assert found.notes[-1] == "no social media policy found (10 candidate pages checked)"


def test_max_pages_bounds_the_pages_fetched(server: LoopbackServer) -> None:
    server.routes["/"] = html("Acme", "<p>Welcome</p>")
    found = discover(server, max_pages=3)
    assert found.url is None
    assert found.notes[-1] == "no social media policy found (3 candidate pages checked)"
    guesses = [request for request in server.requests if request.path not in ("/", "/robots.txt")]
    assert len(guesses) == 1 + 3  # /sitemap.xml and three candidates


def test_the_privacy_policy_is_not_taken_for_the_social_media_policy(
    server: LoopbackServer,
) -> None:
    server.routes["/"] = html(
        "Acme",
        '<a href="/privacy-policy">Privacy policy</a> <a href="/cookies">Cookie policy</a> '
        '<a href="/policies">Policies</a>',
    )
    server.routes["/privacy-policy"] = html("Privacy policy", PRIVACY_BODY)
    server.routes["/policies"] = html(
        "Policies",
        '<p>Our policies.</p><a href="/privacy-policy">Privacy</a> '
        '<a href="/policies/ugc-rules">How our people use social media</a>',
    )
    server.routes["/policies/ugc-rules"] = html("Rules", POLICY_BODY)
    found = discover(server)
    assert found.url == f"{SITE}/policies/ugc-rules"
    assert why_chosen(found) == "link on /policies 'How our people use social media'"
    assert "/policies (home page link 'Policies') does not read like a social media policy" in (
        found.notes
    )
    assert server.hits["/privacy-policy"] == 0 and server.hits["/cookies"] == 0


def test_a_privacy_policy_given_as_the_known_url_is_rejected(server: LoopbackServer) -> None:
    server.routes["/privacy"] = html("Privacy policy", PRIVACY_BODY)
    server.routes["/"] = html("Acme", "<p>Welcome</p>")
    found = discover(server, known_url=f"{SITE}/privacy", max_pages=1)
    assert found.url is None
    assert found.notes[0] == (
        f"the known policy URL {SITE}/privacy does not read like a social media policy"
    )


def test_off_site_links_are_ignored(server: LoopbackServer) -> None:
    server.routes["/"] = html(
        "Acme",
        '<a href="https://other.example/social-media-policy">Social media policy</a> '
        '<a href="https://twitter.example/acme">Follow us on social media</a> '
        '<a href="https://www.acme.example/team/social">Social media at Acme</a>',
    )
    server.routes["/team/social"] = html("Social media at Acme", POLICY_BODY)
    found = discover(server)
    assert found.url == "https://www.acme.example/team/social"
    assert all("acme.example/" in candidate.url for candidate in found.candidates)
    assert not any("other.example" in candidate.url for candidate in found.candidates)
    assert "other.example" not in server.hosts_seen()


def test_robots_txt_is_respected_and_reported(server: LoopbackServer) -> None:
    server.routes["/robots.txt"] = text("User-agent: *\nDisallow: /policies/\n")
    server.routes["/"] = html("Acme", '<a href="/policies/social-media">Social media policy</a>')
    server.routes["/policies/social-media"] = html("Social media policy", POLICY_BODY)
    found = discover(server)
    assert found.url is None
    assert "robots.txt disallows /policies/social-media" in found.notes
    assert server.hits["/policies/social-media"] == 0


# The pure helpers


def test_scores_rank_social_media_policies_first() -> None:
    ranked = sorted(
        [
            ("https://acme.example/privacy-policy", "Privacy policy"),
            ("https://acme.example/about", "About us"),
            ("https://acme.example/policies", "Policies"),
            ("https://acme.example/p/17", "Social media guidelines"),
            ("https://acme.example/SocialMediaPolicy.pdf", ""),
            ("https://acme.example/careers", "Careers"),
        ],
        key=lambda link: -score_candidate(*link),
    )
    assert {url.rsplit("/", 1)[-1] for url, _ in ranked[:2]} == {"SocialMediaPolicy.pdf", "17"}
    assert [url.rsplit("/", 1)[-1] for url, _ in ranked[2:]] == [
        "policies",
        "about",
        "privacy-policy",
        "careers",
    ]
    assert score_candidate("https://acme.example/privacy-policy", "Privacy policy") < 0
    assert score_candidate("https://acme.example/logo.png", "Social media policy") < 0


def test_links_are_absolute_without_fragments() -> None:
    page = """<html><head><base href="/en/"></head><body>
    <a href="policies/social#top">Social <b>media</b>
      policy</a>
    <a href="#main">Skip</a> <a href="mailto:x@acme.example">Mail</a>
    <a href="javascript:void(0)">Menu</a> <a href="https://acme.example/en/policies/social">Again</a>
    <a href="/x"><img alt="Guidelines"></a> <a href="//cdn.example/file.pdf" title="PDF">?</a>
    </body></html>"""
    assert links_from_html(page, "https://acme.example/start") == [
        ("https://acme.example/en/policies/social", "Social media policy"),
        ("https://acme.example/x", "Guidelines"),
        ("https://cdn.example/file.pdf", "?"),
    ]
    assert links_from_html("", "https://acme.example/") == []


def test_sitemap_urls_are_read_safely() -> None:
    listed = sitemap("/a", "/b").body
    assert urls_from_sitemap(listed) == [f"{SITE}/a", f"{SITE}/b"]
    assert urls_from_sitemap(gzip.compress(listed)) == [f"{SITE}/a", f"{SITE}/b"]
    assert urls_from_sitemap(sitemap("/s1.xml", index=True).body) == [f"{SITE}/s1.xml"]
    assert urls_from_sitemap(b"<html><body>not a sitemap</body></html>") == []
    assert urls_from_sitemap(b"<urlset><loc>unclosed") == []
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<urlset><url><loc>&lol2;</loc></url></urlset>"
    )
    assert urls_from_sitemap(bomb) == []


def test_looks_like_policy_tells_policies_from_other_pages() -> None:
    def read(body: str, title: str) -> bool:
        page = html(title, body).body
        return looks_like_policy(read_document(page, "text/html", f"{SITE}/x"))

    assert read(POLICY_BODY, "Social Media Policy")
    assert not read(PRIVACY_BODY, "Privacy Policy")
    assert not read("<main><h1>News</h1><p>Follow us on social media!</p></main>", "News")
    assert looks_like_policy(read_document(policy_pdf(), "application/pdf", f"{SITE}/x.pdf"))
    # titled as a social media policy, with a section on personal data: still the policy
    titled = (
        "<main><h1>Social Media Policy</h1><p>This policy is for all our staff. Only the "
        "Communication Office speaks for the company. Respect colleagues before you post.</p>"
        "<h2>Personal data</h2><p>Never publish personal data of customers. Our privacy notice "
        "and the GDPR apply to social media too. Breaches lead to disciplinary measures.</p>"
        "</main>"
    )
    assert read(titled, "Social Media Policy | Northpass")
    # the same words under a title that is not about social media: too few mentions
    assert not read(titled.replace("<h1>Social Media Policy</h1>", ""), "Northpass")
    # a page that names social media but uses no policy words
    assert not read("<h1>Social media</h1><p>Follow us on Instagram.</p>", "Social media")

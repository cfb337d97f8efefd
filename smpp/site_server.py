"""The demo's sample websites on loopback, and an httpx transport that reaches them.

The demo has no internet: `SiteServer` serves the fictional companies' sites (`smpp.sample_sites`)
on 127.0.0.1, choosing the site by the request's Host header, and `LoopbackTransport` sends every
request for a `.example` host there, whatever its scheme, so the code under demonstration fetches
`https://alpinecrest.example/...` exactly as it would fetch a real site:

    with SiteServer() as server:
        async with demo_client(server, follow_redirects=True) as client:
            response = await client.get("https://alpinecrest.example/")

Requests for any other host are refused with `httpx.ConnectError`.
"""

from __future__ import annotations

import functools
import logging
import ssl
import threading
import time
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx

from smpp.sample_sites import SITES, Route, Site, find_site

__all__ = [
    "LoopbackSyncTransport",
    "LoopbackTransport",
    "SiteServer",
    "demo_client",
    "demo_sync_client",
    "is_demo_host",
]

_log = logging.getLogger(__name__)

REFUSED = "only .example sites are served in the demo"
UNKNOWN_SITE = Route(404, "text/plain; charset=utf-8", b"unknown site\n")


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "smpp-sample-sites/1"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        site = find_site(self.headers.get("Host", ""), self.server.sites)
        if site is None:
            route = UNKNOWN_SITE
        else:
            delay = self.server.delays.get(site.host, site.delay_seconds)
            if delay > 0:
                time.sleep(delay)
            route = site.route(self.path)
        body = route.render()
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the demo's output is its own; requests are not logged


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], sites: Mapping[str, Site], delays: Mapping[str, float]
    ) -> None:
        self.sites = sites
        self.delays = delays
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (a timeout on the slow site) is not worth a traceback on stderr.
        _log.debug("error serving %s", client_address, exc_info=True)


class SiteServer:
    """The sample sites on 127.0.0.1, served from a background thread while in a `with` block.

    `delays` overrides the sites' own delays by host (for instance `{"fjellvind.example": 0.2}`
    in tests, or 0 to make the slow site fast); `sites` replaces the sample sites.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        sites: Mapping[str, Site] | None = None,
        delays: Mapping[str, float] | None = None,
    ) -> None:
        self._address = (host, port)
        self._sites: Mapping[str, Site] = SITES if sites is None else sites
        self._delays: Mapping[str, float] = dict(delays or {})
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        return self._address[0]

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the site server is not running")
        return int(self._httpd.server_address[1])

    @property
    def sites(self) -> Mapping[str, Site]:
        return self._sites

    def start(self) -> SiteServer:
        if self._httpd is not None:
            raise RuntimeError("the site server is already running")
        self._httpd = _HTTPServer(self._address, self._sites, self._delays)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="smpp-site-server",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join()

    def __enter__(self) -> SiteServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def is_demo_host(host: str) -> bool:
    """Whether the demo serves this host: any name under the reserved `.example` domain."""
    return host.lower().rstrip(".").endswith(".example")


def _to_loopback(request: httpx.Request, port: int) -> httpx.Request:
    """The same request sent to 127.0.0.1:port over plain HTTP, its Host header unchanged."""
    if not is_demo_host(request.url.host):
        raise httpx.ConnectError(REFUSED, request=request)
    url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
    headers = request.headers.copy()
    if "host" not in headers:
        headers["Host"] = request.url.netloc.decode("ascii")
    return httpx.Request(
        request.method,
        url,
        headers=headers,
        stream=request.stream,
        extensions=request.extensions,
    )


def _port(server: SiteServer | int) -> int:
    return server if isinstance(server, int) else server.port


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # The loopback leg is plain HTTP, so TLS settings are never used; sharing one default context
    # spares every client the ~40 ms of loading the CA bundle.
    return httpx.create_ssl_context()


def _options(transport_options: dict[str, Any]) -> dict[str, Any]:
    return {"verify": _ssl_context(), **transport_options}


class LoopbackTransport(httpx.AsyncBaseTransport):
    """Sends requests for `.example` hosts (http or https) to the site server over plain HTTP;
    refuses every other host. Responses belong to the original request, so `response.url` is
    still `https://alpinecrest.example/...`."""

    def __init__(self, server: SiteServer | int, **transport_options: Any) -> None:
        self._port = _port(server)
        self._transport = httpx.AsyncHTTPTransport(**_options(transport_options))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._transport.handle_async_request(_to_loopback(request, self._port))
        response.request = request
        return response

    async def aclose(self) -> None:
        await self._transport.aclose()


class LoopbackSyncTransport(httpx.BaseTransport):
    """`LoopbackTransport` for synchronous `httpx.Client`s."""

    def __init__(self, server: SiteServer | int, **transport_options: Any) -> None:
        self._port = _port(server)
        self._transport = httpx.HTTPTransport(**_options(transport_options))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._transport.handle_request(_to_loopback(request, self._port))
        response.request = request
        return response

    def close(self) -> None:
        self._transport.close()


def demo_client(server: SiteServer, **kwargs: Any) -> httpx.AsyncClient:
    """An `httpx.AsyncClient` that reaches the demo's sites, and only them. `kwargs` go to the
    client (for instance `follow_redirects=True`, `timeout=...`); close it after use."""
    if "transport" in kwargs:
        raise TypeError("demo_client() makes its own transport")
    return httpx.AsyncClient(transport=LoopbackTransport(server), **kwargs)


def demo_sync_client(server: SiteServer, **kwargs: Any) -> httpx.Client:
    """`demo_client` for synchronous code."""
    if "transport" in kwargs:
        raise TypeError("demo_sync_client() makes its own transport")
    return httpx.Client(transport=LoopbackSyncTransport(server), **kwargs)

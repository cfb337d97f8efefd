"""A real HTTP server on loopback, and an httpx transport that routes test host names to it.

Used by the fetch, discovery and reading tests and by bench/bench_fetch.py: requests go over real
sockets to a `http.server.ThreadingHTTPServer` on 127.0.0.1, so redirects, timeouts, streaming and
size limits are exercised for real. The server stops when its `with` block ends, or by itself
after `lifetime` seconds; handlers that wait (`Reply.delay`) wake up as soon as it stops.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

import httpx


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds to wait before answering
    content_length: bool = True  # False: no Content-Length, the body ends when the socket closes


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    host: str  # the Host header, without port
    headers: dict[str, str]
    hit: int  # how many times this path has been asked for, this request included


Handler = Callable[[Request], Reply]
Route = Reply | Handler


def html(title: str, body: str) -> Reply:
    page = f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
    return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())


def text(body: str, content_type: str = "text/plain; charset=utf-8") -> Reply:
    return Reply(200, {"Content-Type": content_type}, body.encode())


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, {"Location": location})


def sequence(*replies: Reply) -> Handler:
    """A handler answering with each reply in turn, then the last one again and again."""

    def answer(request: Request) -> Reply:
        return replies[min(request.hit, len(replies)) - 1]

    return answer


class LoopbackServer:
    """Serves `routes` (path, with or without its query, to a Reply or a handler) on 127.0.0.1."""

    def __init__(self, routes: dict[str, Route] | None = None, lifetime: float = 60.0) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.hits: Counter[str] = Counter()
        self.requests: list[Request] = []
        self.errors: list[BaseException] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def hosts_seen(self) -> set[str]:
        with self._lock:
            return {request.host for request in self.requests}

    def start(self) -> LoopbackServer:
        self._thread.start()
        self._timer.start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # wakes handlers that are waiting
        self._timer.cancel()
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def _record(self, method: str, path: str, headers: dict[str, str]) -> Request:
        host = headers.get("host", "").rsplit(":", 1)[0]
        with self._lock:
            self.hits[path] += 1
            request = Request(method, path, host, headers, self.hits[path])
            self.requests.append(request)
        return request

    def _reply(self, request: Request) -> Reply:
        route = self.routes.get(request.path) or self.routes.get(request.path.split("?")[0])
        if route is None:
            return Reply(404, {"Content-Type": "text/plain"}, b"not found")
        return route if isinstance(route, Reply) else route(request)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: LoopbackServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hung up early (a size cap, a timeout) is expected here, not a failure.
        pass


def _handler_for(owner: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server looks for)
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = owner._record("GET", self.path, headers)
            try:
                reply = owner._reply(request)
                if reply.delay and owner.stopping.wait(reply.delay):
                    return
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                if reply.content_length:
                    self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first
            except Exception as error:  # a broken test route: keep it for the test to see
                owner.errors.append(error)
                raise

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class LoopbackTransport(httpx.AsyncBaseTransport):
    """Real HTTP for loopback addresses and for the named hosts (sent to their loopback port).

    Any other host is refused without touching the network, and every request is recorded in
    `sent`, so a test can show that a blocked address was never contacted.
    """

    def __init__(self, hosts: dict[str, int] | None = None) -> None:
        self.hosts = dict(hosts or {})
        self.sent: list[str] = []
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(str(request.url))
        host = request.url.host
        if host in self.hosts:
            url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.hosts[host])
            request = httpx.Request(
                request.method,
                url,
                headers=request.headers,
                stream=request.stream,
                extensions=request.extensions,
            )
        elif host not in ("127.0.0.1", "::1", "localhost"):
            raise httpx.ConnectError(f"{host} is not reachable from the tests", request=request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()

"""The preview HTTP server: one handler that serves the last published build, safely.

Per request (attack-suite.md §4): only GET and HEAD (else 405); the `Host` header must be ours
(else 403, against DNS rebinding); the raw request target is normalised by `paths.normalise`
and resolved by `files.locate` strictly inside the build; HTML responses get the overlay and the
reload script; everything is sent with `Cache-Control: no-store` and `nosniff`. `/__reload` is
the server-sent-events stream, `/__reload/state` its one-shot JSON twin, and
`/__reload/overlay?page=<path>` the overlay of one page (its own source's problems first).
Every handler error becomes an escaped 500 and the server keeps running.
"""

from __future__ import annotations

import select
import shutil
import socket
import sys
import time
import traceback
from collections.abc import Callable
from html import escape
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from ..diagnostics.printable import printable
from . import files
from .hosts import host_allowed
from .overlay import decorate, overlay_json, plain_page
from .paths import Refusal, RequestPath, base_segments, normalise, query_value, url_for
from .reload import HEARTBEAT, HEARTBEAT_COMMENT, RETRY, Closed, Hub, SiteState, sse

ALLOWED_METHODS = "GET, HEAD"
_GONE_POLL = 1.0  # seconds between checks that an event stream's client is still there
_QUIET_ERRORS = (ConnectionError, TimeoutError)


class PreviewServer(ThreadingHTTPServer):
    """A threading HTTP server bound to one `Hub`; daemon threads, quiet on client hang-ups."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def __init__(
        self,
        address: tuple[str, int],
        hub: Hub,
        *,
        bound_host: str,
        machine_names: frozenset[str] = frozenset(),
        heartbeat: float = HEARTBEAT,
        log: TextIO | None = None,
        family: socket.AddressFamily = socket.AF_INET,
    ) -> None:
        self.address_family = family
        self.hub = hub
        self.bound_host = bound_host
        self.machine_names = machine_names
        self.heartbeat = heartbeat
        self.log = log if log is not None else sys.stderr
        super().__init__(address, PreviewHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, _QUIET_ERRORS):
            return
        problem = printable(f"{type(error).__name__}: {error}")
        self.log.write(f"build-site serve: connection error: {problem}\n")


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests; see the module docstring for the rules."""

    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "site_builder-preview"
    sys_version = ""
    timeout = 30
    _started = False

    # -- plumbing -------------------------------------------------------------------------

    def handle_one_request(self) -> None:
        """The standard request loop, with our own method dispatch and error wrapper."""
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline = self.request_version = self.command = ""
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            if self.request_version == "HTTP/0.9":
                self.request_version = "HTTP/1.0"
                self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/0.9 requests are not supported")
                return
            self._started = False
            self._respond()
            self.wfile.flush()
        except _QUIET_ERRORS:
            self.close_connection = True

    def _respond(self) -> None:
        try:
            self.route()
        except _QUIET_ERRORS:
            raise
        except Exception as error:  # noqa: BLE001 - any failure is a 500; the server lives on
            self.server.log.write(
                f"build-site serve: error answering {self.command} {self._target()!r}:\n"
                + "".join(traceback.format_exception(error))
            )
            self.close_connection = True
            if not self._started:
                self._page(500, f"{type(error).__name__}: {error}")

    def send_response(self, code: int, message: str | None = None) -> None:
        self._started = True
        super().send_response(code, message)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors from request parsing (400, 414, ...) in our escaped, uncached form."""
        self.close_connection = True
        if self.request_version not in ("HTTP/1.0", "HTTP/1.1"):
            self.request_version = "HTTP/1.0"  # always answer with a status line and headers
        self._page(int(code), message or HTTPStatus(code).phrase)

    def log_message(self, format: str, *args: object) -> None:
        """No access log: the terminal is for build output."""

    def _target(self) -> str:
        words = self.requestline.split()
        return words[1] if len(words) >= 2 else ""

    # -- responses ------------------------------------------------------------------------

    def _headers(
        self, status: int, content_type: str, length: int | None, extra: dict[str, str]
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for name, value in extra.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _send(
        self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        self._headers(status, content_type, len(body), extra or {})
        if self.command != "HEAD":
            self.wfile.write(body)

    def _page(self, status: int, message: str, extra: dict[str, str] | None = None) -> None:
        title = f"{status} {HTTPStatus(status).phrase}"
        body = plain_page(escape(title), f"<p>{escape(message)}</p>")
        self._send(status, body, "text/html; charset=utf-8", extra)

    def _redirect(self, status: int, location: str) -> None:
        self._send(status, b"", "text/plain; charset=utf-8", {"Location": location})

    # -- routing --------------------------------------------------------------------------

    def route(self) -> None:
        if self.command not in ("GET", "HEAD"):
            self._page(405, f"method {self.command} not allowed", {"Allow": ALLOWED_METHODS})
            return
        server = self.server
        if not host_allowed(self.headers.get("Host"), server.bound_host, server.machine_names):
            self._page(403, "unexpected Host header; open the preview at the address it printed")
            return
        request = normalise(self._target())
        if isinstance(request, Refusal):
            self._page(request.status, request.reason)
            return
        if request.segments[:1] == ("__reload",):
            self._reload_endpoint(request)
            return
        state = server.hub.state
        base = base_segments(state.base_path)
        if request.segments[: len(base)] != base:
            if not request.segments:
                self._redirect(302, state.base_path)
            else:
                self._not_found(state)
            return
        if request.segments == base and not request.trailing_slash:
            self._redirect(301, state.base_path)
            return
        self._serve(state, request, request.segments[len(base) :])

    def _serve(self, state: SiteState, request: RequestPath, rel: tuple[str, ...]) -> None:
        # The state is read before the file is opened: a page is never labelled with a newer
        # generation than its content, so a swap in between costs one extra reload, not a miss.
        if state.output is None:
            self._no_build(state)
            return
        found = files.locate(state.output, rel, request.trailing_slash)
        if isinstance(found, files.NeedsSlash):
            self._redirect(301, url_for(request.segments, True))
            return
        opened = files.open_file(found) if found is not None else None
        if found is None or opened is None:
            self._not_found(state)
            return
        handle, size = opened
        with handle:
            content_type = files.content_type(found.rel)
            if files.is_html(found.rel):
                page = state.base_path + found.rel
                body = decorate(handle.read(), state, page, 200, found.rel)
                self._send(200, body, content_type)
                return
            self._headers(200, content_type, size, {})
            if self.command != "HEAD":
                shutil.copyfileobj(handle, self.wfile)

    def _not_found(self, state: SiteState) -> None:
        body: bytes | None = None
        if state.output is not None:
            found = files.locate(state.output, ("404.html",), False)
            opened = files.open_file(found) if isinstance(found, files.Found) else None
            if opened is not None:
                with opened[0] as handle:
                    body = handle.read()
        if body is None:
            body = plain_page("404 Not Found", "<p>There is nothing at this address.</p>")
        page = state.base_path + "404.html"
        self._send(404, decorate(body, state, page, 404, None), "text/html; charset=utf-8")

    def _no_build(self, state: SiteState) -> None:
        body = plain_page(
            "The site has not been built yet",
            "<p>The first build failed; fix the problems listed here and this page reloads.</p>",
        )
        self._send(503, decorate(body, state, None, 503, None), "text/html; charset=utf-8")

    # -- reload channel -------------------------------------------------------------------

    def _reload_endpoint(self, request: RequestPath) -> None:
        hub = self.server.hub
        rest = request.segments[1:]
        token = self.headers.get("Last-Event-ID") or query_value(request.query, "since")
        if rest == () and not request.trailing_slash:
            self._events(hub, token)
        elif rest == ("state",) and not request.trailing_slash:
            _name, _id, data = hub.event(token)
            self._send(200, data.encode(), "application/json")
        elif rest == ("overlay",) and not request.trailing_slash:
            page = query_value(request.query, "page")
            self._send(200, overlay_json(hub.state, page), "application/json")
        else:
            self._page(404, "no such reload endpoint")

    def _events(self, hub: Hub, token: str | None) -> None:
        if self.command == "HEAD":
            self._headers(200, "text/event-stream; charset=utf-8", None, {})
            return
        if not hub.open_stream():
            self.close_connection = True
            self._page(503, "too many open event streams", {"Retry-After": "5"})
            return
        try:
            self.close_connection = True
            self._headers(
                200, "text/event-stream; charset=utf-8", None, {"X-Accel-Buffering": "no"}
            )
            self._stream(hub, token)
        except (Closed, *_QUIET_ERRORS):
            pass
        finally:
            hub.close_stream()

    def _stream(self, hub: Hub, token: str | None) -> None:
        write: Callable[[bytes], object] = self.wfile.write
        name, event_id, data = hub.event(token)
        write(RETRY + sse(name, event_id, data))
        self.wfile.flush()
        seen = int(event_id.rpartition("-")[2])
        heartbeat = self.server.heartbeat
        beat = time.monotonic() + heartbeat
        while True:
            # Wake at least every second: a tab that closed frees its thread and socket now,
            # not at the next event or heartbeat (which is when a write would notice).
            if hub.wait_after(seen, max(0.0, min(_GONE_POLL, beat - time.monotonic()))):
                name, event_id, data = hub.event(f"{hub.state.session}-{seen}")
                write(sse(name, event_id, data))
                seen = int(event_id.rpartition("-")[2])
            elif time.monotonic() >= beat:
                write(HEARTBEAT_COMMENT)
            elif self._client_gone():
                return
            else:
                continue
            beat = time.monotonic() + heartbeat
            self.wfile.flush()

    def _client_gone(self) -> bool:
        """Whether the client has closed its end (readable, with nothing left to read)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

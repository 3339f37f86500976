"""One HTTP(S) request for the external-link check: status, redirects, and the page's ids.

Uses only the standard library (http.client). Each hop of a redirect chain (http and https
only, at most `MAX_HOPS`) has its host resolved once and every address checked by `Reach`; the
connection goes to a checked address, with the host name kept for `Host`, SNI and the TLS
certificate check. A hop to a refused address ends the chain before anything is sent to it.
The first permanent redirect (301, 308) is remembered; bodies are read only when a #fragment
needs the page's ids, and never more than `MAX_BODY` bytes. Environment proxies are not used:
a proxy would make its own lookup of the name.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from .addresses import Address, Reach, Refused, refusal

MAX_BODY = 4 * 1024 * 1024
MAX_HOPS = 10
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a URL answered: a status (None when unreachable) or why it could not be reached.

    `refused` says why it was not checked (a local or private address, perhaps after a
    redirect); `local` that some hop went to a local address, allowed by `external_local`."""

    status: int | None
    reason: str = ""
    final_url: str = ""
    moved_to: str | None = None
    body: bytes | None = None
    error: str | None = None
    refused: str | None = None
    local: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


def fetch(
    url: str, *, timeout: float, agent: str, body: bool = False, reach: Reach | None = None
) -> Answer:
    """HEAD `url` (GET when `body` is wanted, or when the server answers HEAD with an error)."""
    reach = reach or Reach()
    answer = _request(url, "GET" if body else "HEAD", timeout, agent, body, reach)
    if not body and answer.status is not None and answer.status >= 400:
        answer = _request(url, "GET", timeout, agent, False, reach)
    return answer


def _request(url: str, method: str, timeout: float, agent: str, body: bool, reach: Reach) -> Answer:
    headers = {
        "User-Agent": agent,
        "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
        "Connection": "close",
    }
    current, moved, local = url, None, False
    for _hop in range(MAX_HOPS + 1):
        try:
            scheme, host, port, target = _parts(current)
            addresses = reach.addresses(host, port)
            local = local or any(refusal(a) is not None for a in addresses)
            connection = pinned_connection(scheme, host, port, addresses, timeout)
        except Refused as refused:
            why = str(refused) if current == url else f"it redirects to {current}, and {refused}"
            return Answer(None, error=why, refused=why)
        except (OSError, ValueError) as error:
            return Answer(None, error=_why(error, timeout))
        try:
            connection.request(method, target, headers=headers)
            response = connection.getresponse()
            status, reason = response.status, str(response.reason or "")
            location = response.getheader("Location")
            if status in _REDIRECTS and location:
                response.read(64 * 1024)
                following = urllib.parse.urljoin(current, location.strip())
                scheme = urllib.parse.urlsplit(following).scheme.lower()
                if scheme not in ("http", "https"):  # ftp:, file:, mailto:: never followed
                    return Answer(
                        None,
                        error=f"it redirects to {following}, which is not an http(s) address",
                        local=local,
                    )
                if status in (301, 308) and moved is None:
                    moved = following
                current = following
                continue
            content = None
            if body and "html" in (response.getheader("Content-Type") or "").lower():
                content = response.read(MAX_BODY)
            elif method == "GET":
                response.read(64 * 1024)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return Answer(None, error=_why(error, timeout), local=local)
        finally:
            connection.close()
        if status >= 400:
            return Answer(status, reason, url, moved, local=local)
        return Answer(status, reason, current, current if moved else None, content, local=local)
    return Answer(None, error=f"more than {MAX_HOPS} redirects", local=local)


def _parts(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and request target of an http(s) URL."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"not an http(s) URL: {url}")
    host = parts.hostname
    if not host:
        raise ValueError("no host in the URL")
    port = parts.port or (443 if scheme == "https" else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, target


def _connect(addresses: list[Address], port: int, timeout: float) -> socket.socket:
    """A TCP connection to the first of `addresses` that answers (no name lookup)."""
    last: OSError = OSError("no address")
    for address in addresses:
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect((str(address), port))
            return sock
        except OSError as error:
            sock.close()
            last = error
    raise last


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to checked addresses; `host` is only sent, in the Host header."""

    def __init__(self, host: str, port: int, addresses: list[Address], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses, self.wait = addresses, timeout

    def connect(self) -> None:
        self.sock = _connect(self.addresses, self.port, self.wait)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to checked addresses; the certificate is verified against `host` (also the SNI)."""

    def __init__(self, host: str, port: int, addresses: list[Address], timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.addresses, self.wait = addresses, timeout

    def connect(self) -> None:
        sock = _connect(self.addresses, self.port, self.wait)
        try:
            self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise


def pinned_connection(
    scheme: str, host: str, port: int, addresses: list[Address], timeout: float
) -> http.client.HTTPConnection:
    """A connection to `host` that goes to `addresses` (already checked) without a lookup."""
    if scheme == "https":
        return _PinnedHTTPS(host, port, addresses, timeout)
    return _PinnedHTTP(host, port, addresses, timeout)


def _why(reason: Any, timeout: float) -> str:
    if isinstance(reason, TimeoutError | socket.timeout):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return "the host name does not resolve (DNS)"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, ConnectionResetError):
        return "connection reset"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"TLS certificate problem: {reason.verify_message}"
    if isinstance(reason, ssl.SSLError):
        return f"TLS problem: {reason.reason or reason}"
    if isinstance(reason, http.client.HTTPException):
        return f"bad HTTP answer ({type(reason).__name__})"
    return str(reason) or type(reason).__name__


def page_ids(body: bytes) -> frozenset[str]:
    """The fragment targets of an HTML page: every element's `id`, and `name` of `<a>` (the
    legacy anchor), as a browser finds them: parsed by html.parser, so ids in comments and
    scripts do not count, `<meta name>`/`<input name>` are not anchors, and `&amp;` is decoded."""
    collector = _Anchors()
    try:
        collector.feed(body.decode("utf-8", errors="replace"))
        collector.close()
    except AssertionError:  # html.parser gives up on some malformed markup: keep what it found
        pass
    return frozenset(collector.found)


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name == "id" or (name == "name" and tag == "a")):
                self.found.add(value)

    handle_startendtag = handle_starttag

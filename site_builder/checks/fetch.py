"""One HTTP(S) request for the external-link check: status, redirects, and the page's ids.

Uses only the standard library (urllib). Redirects are followed (http and https only) and the
first permanent one (301, 308) is remembered; bodies are read only when a #fragment needs the
page's ids, and never more than `MAX_BODY` bytes.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import IO, Any

MAX_BODY = 4 * 1024 * 1024
_ID_RE = re.compile(rb"""<[^>]*?\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a URL answered: a status (None when unreachable) or why it could not be reached."""

    status: int | None
    reason: str = ""
    final_url: str = ""
    moved_to: str | None = None
    body: bytes | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects and records the first permanent one."""

    def __init__(self) -> None:
        self.moved_to: str | None = None

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if code in (301, 308) and self.moved_to is None:
            self.moved_to = newurl
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, timeout: float, agent: str, body: bool = False) -> Answer:
    """HEAD `url` (GET when `body` is wanted, or when the server answers HEAD with an error)."""
    answer = _request(url, "GET" if body else "HEAD", timeout, agent, body)
    if not body and answer.status is not None and answer.status >= 400:
        answer = _request(url, "GET", timeout, agent, False)
    return answer


def _request(url: str, method: str, timeout: float, agent: str, body: bool) -> Answer:
    redirects = _Redirects()
    opener = urllib.request.build_opener(redirects)
    headers = {"User-Agent": agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    # only http(s) URLs get here (external._absolute); redirects are limited by urllib
    request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310
    try:
        with opener.open(request, timeout=timeout) as response:
            content = None
            if body and "html" in (response.headers.get("Content-Type") or "").lower():
                content = response.read(MAX_BODY)
            elif method == "GET":
                response.read(64 * 1024)
            return Answer(
                response.status,
                str(response.reason or ""),
                response.geturl(),
                _moved(redirects.moved_to, response.geturl()),
                content,
            )
    except urllib.error.HTTPError as error:
        error.close()
        return Answer(error.code, str(error.reason or ""), url, redirects.moved_to)
    except urllib.error.URLError as error:
        return Answer(None, error=_why(error.reason, timeout))
    except (OSError, http.client.HTTPException, ValueError) as error:
        return Answer(None, error=_why(error, timeout))


def _moved(first: str | None, final: str) -> str | None:
    """The address to link instead: the end of the chain that began with a permanent redirect."""
    return final if first is not None else None


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
    """Every `id` and `name` attribute value in an HTML page."""
    found: set[str] = set()
    for match in _ID_RE.finditer(body):
        raw = next(group for group in match.groups() if group is not None)
        found.add(raw.decode("utf-8", errors="replace"))
    return frozenset(found)

"""Request targets: turn the raw target of an HTTP request line into safe path segments.

Pure. Implements steps 1-4 of the preview server's path rules (design note attack-suite.md §4):
strip the query and fragment; refuse raw `\\`, control characters and encoded separators
(`%2f`, `%5c`); percent-decode exactly once as strict UTF-8; split on `/` and refuse `.`, `..`,
empty segments and segments ending in a dot or a space. The result can only name something
*below* a root: it never contains a separator, a NUL or a dot segment. Joining it onto the
served folder, and refusing symlinks, is `files.locate`'s job.
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

MAX_TARGET = 8192
_PRINTABLE = re.compile(r"[\x21-\x7e]*")
_ENCODED_SEPARATOR = re.compile(r"%(2f|5c)", re.IGNORECASE)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEGMENT_SAFE = "!$&'()*+,;=:@-._~"


@dataclass(frozen=True, slots=True)
class RequestPath:
    """A normalised request path: decoded segments, and whether it ended with `/`."""

    segments: tuple[str, ...]
    trailing_slash: bool
    query: str = ""

    @property
    def url(self) -> str:
        """The path again, re-encoded, with exactly one leading slash."""
        return url_for(self.segments, self.trailing_slash)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a target was refused, and the HTTP status to answer with."""

    status: int
    reason: str


def normalise(target: str) -> RequestPath | Refusal:
    """Parse a raw request target (as sent, not decoded) into segments, or refuse it."""
    if len(target) > MAX_TARGET:
        return Refusal(414, "request target too long")
    if not _PRINTABLE.fullmatch(target):
        return Refusal(400, "request target contains spaces, control or non-ASCII characters")
    if not target.startswith("/"):
        return Refusal(400, "request target must be a path starting with '/'")
    path, _, _fragment = target.partition("#")
    path, _, query = path.partition("?")
    if "\\" in path:
        return Refusal(400, "backslash in path")
    if _ENCODED_SEPARATOR.search(path):
        return Refusal(400, "encoded path separator (%2f or %5c) in path")
    if _BAD_ESCAPE.search(path):
        return Refusal(400, "malformed percent-escape in path")
    try:
        decoded = urllib.parse.unquote_to_bytes(path).decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return Refusal(400, "path is not valid UTF-8 after percent-decoding")
    if _CONTROL.search(decoded):
        return Refusal(400, "control character (such as NUL) in path")
    if "\\" in decoded:
        return Refusal(400, "backslash in path")
    parts = decoded[1:].split("/")
    trailing = parts[-1] == ""
    if trailing:
        parts.pop()
    for part in parts:
        if part == "":
            return Refusal(400, "empty path segment ('//')")
        if part in (".", ".."):
            return Refusal(400, "dot segment ('.' or '..') in path")
        if part.endswith((".", " ")):
            return Refusal(400, "path segment ends with a dot or a space")
    return RequestPath(tuple(parts), trailing or not parts, query)


def url_for(segments: tuple[str, ...] | list[str], trailing_slash: bool) -> str:
    """`/a/b/` from segments: each percent-encoded, one leading slash, never `//`."""
    path = "/" + "/".join(urllib.parse.quote(s, safe=_SEGMENT_SAFE) for s in segments)
    if trailing_slash and segments:
        path += "/"
    return path


def base_segments(base_path: str) -> tuple[str, ...]:
    """The segments of a site's base path: `/blog/` → `("blog",)`, `/` → `()`."""
    return tuple(part for part in base_path.split("/") if part)


def query_value(query: str, name: str) -> str | None:
    """The first value of `name` in a query string, if present and decodable."""
    try:
        values = urllib.parse.parse_qs(query, strict_parsing=False, errors="strict").get(name)
    except (UnicodeDecodeError, ValueError):
        return None
    return values[0] if values else None

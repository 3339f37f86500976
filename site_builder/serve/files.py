"""Files of the published build: find the one a request names, strictly inside the build.

Steps 5-8 of the preview server's path rules (attack-suite.md §4), after `paths.normalise`:
join the segments onto the served folder, refuse any symlinked component, resolve and require
containment by path component (`is_relative_to`, never a string prefix), serve a folder's
`index.html` (a folder asked for without the trailing slash is redirected), and never list a
folder. Files are opened with `O_NOFOLLOW` and must be regular files.
"""

from __future__ import annotations

import errno
import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..publish.swap import MARKER

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xsl": "application/xslt+xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".pdf": "application/pdf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".gz": "application/gzip",
}
_FALLBACK = mimetypes.MimeTypes()


@dataclass(frozen=True, slots=True)
class Found:
    """A regular file inside the build; `rel` is its path below the build root."""

    path: Path
    rel: str


@dataclass(frozen=True, slots=True)
class NeedsSlash:
    """A folder asked for without its trailing slash: redirect to the slashed URL."""


def content_type(name: str) -> str:
    """The Content-Type for a file name: a fixed table first, then the standard defaults."""
    suffix = os.path.splitext(name)[1].lower()
    if suffix in _TYPES:
        return _TYPES[suffix]
    guessed, _encoding = _FALLBACK.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def is_html(name: str) -> bool:
    return content_type(name).startswith("text/html")


def locate(
    root: Path, segments: tuple[str, ...], trailing_slash: bool
) -> Found | NeedsSlash | None:
    """The file `segments` names below `root`, a redirect for a bare folder, or None."""
    for segment in segments:
        if segment in ("", ".", "..") or "/" in segment or "\\" in segment or "\0" in segment:
            return None
    if segments and segments[-1] == MARKER:
        return None
    current = root
    try:
        if stat.S_ISLNK(os.lstat(current).st_mode):
            return None
        for segment in segments:
            current = current / segment
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return None
        resolved = current.resolve(strict=True)
        real_root = root.resolve(strict=True)
    except (OSError, ValueError):
        return None
    if not resolved.is_relative_to(real_root):
        return None
    try:
        info = os.stat(resolved)
    except OSError:
        return None
    if stat.S_ISDIR(info.st_mode):
        if not trailing_slash:
            return NeedsSlash()
        index = resolved / "index.html"
        try:
            index_info = os.lstat(index)
        except OSError:
            return None
        if not stat.S_ISREG(index_info.st_mode):
            return None
        return Found(index, index.relative_to(real_root).as_posix())
    if stat.S_ISREG(info.st_mode) and not trailing_slash:
        return Found(resolved, resolved.relative_to(real_root).as_posix())
    return None


def open_file(found: Found) -> tuple[BinaryIO, int] | None:
    """The located file opened for reading (without following symlinks) and its size.

    None when it vanished or changed kind since `locate` (a rebuild swapped the folder).
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(found.path, flags | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
            return None
        raise
    handle = os.fdopen(fd, "rb")
    info = os.fstat(handle.fileno())
    if not stat.S_ISREG(info.st_mode):
        handle.close()
        return None
    return handle, info.st_size

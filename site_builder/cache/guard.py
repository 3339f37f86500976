"""What of `.site-cache/` may be trusted: the folder and its files, before anything is read.

The cache folder is in the site, where anyone who can write the site can put a symlink. The
cache reads and writes only a plain folder of plain files: a `.site-cache` that is a symlink
or not a folder, or that holds a symlink (or a folder where the cache keeps a file), is refused
with CACHE002 and the build runs without a cache, so nothing is written through the link. Files
are opened without following a link (`read_file`).
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity
from .lock import CACHE_DIR
from .packs import PACK_NAME
from .state import INDEX_FILES

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
# The files kept in the folder (by the build cache and the link checks' cache): each a file.
_OWN_FILES = frozenset({*INDEX_FILES, "state.pickle", ".gitignore", "lock", "external-links.json"})


def refusal(folder: Path) -> Diagnostic | None:
    """CACHE002 when the cache folder is not a plain folder of plain files (a symlink, or a
    symlink or something other than a file where the cache keeps one); None when it is usable
    or absent. Only the folder's own listing is read: no link is followed."""
    try:
        info = os.lstat(folder)
    except OSError:
        return None  # absent (made when needed), or unreadable: reading it then fails quietly
    if stat.S_ISLNK(info.st_mode):
        with contextlib.suppress(OSError):
            return _refused(f"{CACHE_DIR} is a symlink (to {os.readlink(folder)})")
        return _refused(f"{CACHE_DIR} is a symlink")
    if not stat.S_ISDIR(info.st_mode):
        return _refused(f"{CACHE_DIR} is not a folder")
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_symlink():
                    return _refused(f"{CACHE_DIR}/{entry.name} is a symlink")
                own = entry.name in _OWN_FILES or PACK_NAME.fullmatch(entry.name) is not None
                if own and not entry.is_file(follow_symlinks=False):
                    return _refused(f"{CACHE_DIR}/{entry.name} is not a file")
    except OSError:
        return None
    return None


def _refused(what: str) -> Diagnostic:
    return Diagnostic(
        CACHE_DIR,
        1,
        1,
        Severity.WARNING,
        "CACHE002",
        f"{what}; the build cache is not used and nothing is written through it",
        hint=f"delete it: the next build makes {CACHE_DIR}/ a plain folder in the site root",
    )


def read_file(path: Path) -> bytes | None:
    """The bytes of the regular file at `path` (never through a symlink); None if none."""
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW)
    except OSError:
        return None
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return handle.read()

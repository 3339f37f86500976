"""The site's build lock and the cache folder it lives in: one build of a site at a time."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

CACHE_DIR = ".site-cache"


def ignore_in_git(folder: Path) -> None:
    """Keep the cache folder out of git (it holds a .gitignore of `*`)."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# build-site's cache: safe to delete\n*\n")


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the site's build lock (a second build of the same site waits)."""
    folder = root / CACHE_DIR
    if folder.is_symlink():
        yield
        return
    try:
        folder.mkdir(exist_ok=True)
        ignore_in_git(folder)
        handle = open(folder / "lock", "a+b")  # noqa: SIM115 - closed below
    except OSError:
        yield  # a read-only site: build without the cache's lock
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        handle.close()

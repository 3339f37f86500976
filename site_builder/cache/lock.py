"""The site's build lock and the cache folder it lives in: one build of a site at a time.

Every build that publishes holds a lock on the site's root folder itself (`flock` on the
folder, so no file is made for it: a `--no-cache` build writes nothing outside the output),
for the whole build: two builds of one site at once would each clear the other's staging
folder (`publish.swap.recover`) and fail half-way. A build with the cache also holds the lock
file in the cache folder, as earlier versions did, so it excludes them too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Callable, Iterator
from pathlib import Path

CACHE_DIR = ".site-cache"


def ignore_in_git(folder: Path) -> None:
    """Keep the cache folder out of git (it holds a .gitignore of `*`)."""
    marker = folder / ".gitignore"
    if not marker.exists():
        marker.write_text("# build-site's cache: safe to delete\n*\n")


@contextlib.contextmanager
def locked(
    root: Path, *, use_cache: bool = True, waiting: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the site's build lock: a second build of the same site waits for the first (after
    calling `waiting`, if given). With `use_cache`, the cache folder is made and its lock held.
    """
    with contextlib.ExitStack() as held:
        fd = _open_folder(root)
        if fd is not None:
            held.callback(_release, fd)
            _lock(fd, waiting)
        if use_cache:
            cache_fd = _open_cache_lock(root / CACHE_DIR)
            if cache_fd is not None:
                held.callback(_release, cache_fd)
                _lock(cache_fd, waiting if fd is None else None)
        yield


def _lock(fd: int, waiting: Callable[[], None] | None) -> None:
    """An exclusive lock on `fd` (released when it is closed); `waiting` first if it is held."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        if waiting is not None:
            waiting()
    except OSError:
        return  # a file system without locks: build as before, unlocked
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX)


def _release(fd: int) -> None:
    """Unlock, then close: a worker forked meanwhile shares the lock until it is unlocked."""
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def _open_folder(root: Path) -> int | None:
    try:
        return os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | os.O_CLOEXEC)
    except OSError:
        return None


def _open_cache_lock(folder: Path) -> int | None:
    """The cache's lock file, opened; None for a cache folder that is a link (never followed)
    or cannot be made (a read-only site: the build runs without the cache's lock)."""
    if folder.is_symlink():
        return None
    try:
        folder.mkdir(exist_ok=True)
        ignore_in_git(folder)
        flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC
        return os.open(folder / "lock", flags | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError:
        return None

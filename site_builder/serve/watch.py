"""Watching the site's inputs, and the build loop that turns changes into rebuilds.

`Watcher` runs watchfiles on `content/`, `themes/` and `examples/` (the files posts include)
recursively, and on the site root without recursion (that sees `site.toml`, `measurements.json`
after `build-site measure`, and a watched folder appearing or disappearing, which restarts the
recursive watch). Output folders and their staging siblings, `.site-cache/`,
version-control folders and editor temp files (`*.swp`, `*~`, `.#*`, `#*#`, `4913`, JetBrains
and Kate temp files) are ignored. watchfiles debounces: a batch arrives once nothing changed for
`step` ms, so an editor's write-rename-delete dance is one batch.

`BuildLoop` runs one build at a time. A change during a build sets a dirty flag: however many
saves land meanwhile, exactly one more build follows, and many open tabs cost no build at all.
"""

from __future__ import annotations

import gc
import re
import sys
import threading
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Generic, TextIO, TypeVar

import watchfiles

from ..pipeline.phases import paused_gc

T = TypeVar("T")

EDITOR_TEMP = re.compile(
    r"\.sw[a-px]$|~$|^\.#|^#.*#$|^4913$|___jb_(?:tmp|old)___$|\.kate-swp$|^\.DS_Store$"
    r"|\.(?:tmp|part|crdownload)$"
)
IGNORED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "__pycache__",
        "node_modules",
        ".site-cache",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".hypothesis",
        ".venv",
        ".idea",
        ".vscode",
    }
)
WATCHED_DIRS = ("content", "themes", "examples")  # examples/: the files posts include
CONFIG_NAME = "site.toml"
ROOT_FILES = (CONFIG_NAME, "measurements.json")  # measurements: what `build-site measure` wrote
READY_TIMEOUT_MS = 200  # an empty batch this often tells us the watch is in place
# watchfiles reports a batch one to two steps after its last change; an editor's save (write,
# rename, delete) takes a few milliseconds, so 20 ms still makes it one batch.
WATCH_STEP_MS = 20
COLLECT_AFTER = 0.5  # seconds without a build request before a build's garbage is collected


class BuildLoop(Generic[T]):
    """Runs `build` whenever `request()` was called; one build at a time, at most one queued."""

    def __init__(
        self,
        build: Callable[[], T],
        done: Callable[[T], None],
        log: TextIO | None = None,
    ) -> None:
        self._build = build
        self._done = done
        self._log = log if log is not None else sys.stderr
        self._condition = threading.Condition()
        self._pending = False
        self._building = False
        self._stopped = False
        self.builds = 0

    def request(self) -> None:
        """Ask for a build: now if idle, else once more after the current one."""
        with self._condition:
            self._pending = True
            self._condition.notify_all()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until no build is running or queued; False on timeout."""
        with self._condition:
            return self._condition.wait_for(
                lambda: self._stopped or not (self._pending or self._building), timeout=timeout
            )

    def run(self) -> None:
        """The loop body, for a thread of its own; returns after `stop()`."""
        garbage = False
        while True:
            with self._condition:
                self._condition.wait_for(
                    lambda: self._pending or self._stopped,
                    timeout=COLLECT_AFTER if garbage else None,
                )
                if self._stopped:
                    return
                start = self._pending
                self._pending = False
                self._building = start
            if not start:
                # Builds run without cyclic GC (`paused_gc`); their garbage is collected once the
                # pages have been told to reload and no other build is waiting.
                garbage = False
                gc.collect()
                continue
            try:
                with paused_gc():
                    result = self._build()
                    self.builds += 1
                    self._done(result)
                garbage = True
            except Exception as error:  # noqa: BLE001 - the next save gets a fresh build
                self._log.write(
                    "build-site serve: the build loop hit an error; waiting for the next change\n"
                    + "".join(traceback.format_exception(error))
                )
            finally:
                with self._condition:
                    self._building = False
                    self._condition.notify_all()


class _Either:
    """Stops a watchfiles run when either event is set."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


class Watcher:
    """Calls `on_change(paths)` with the site-relative paths of each debounced batch of changes."""

    def __init__(
        self,
        root: Path,
        ignored: Callable[[], Iterable[Path]],
        on_change: Callable[[list[str]], None],
        log: TextIO,
        *,
        step_ms: int = WATCH_STEP_MS,
        debounce_ms: int = 1600,
    ) -> None:
        self.root = root.resolve()
        self._ignored = ignored
        self._on_change = on_change
        self._log = log
        self._step = step_ms
        self._debounce = debounce_ms
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._ready = (threading.Event(), threading.Event())
        self._threads: list[threading.Thread] = []

    def start(self, timeout: float = 10.0) -> bool:
        """Start watching; returns once both watches are in place (True) or after `timeout`."""
        for target, name in ((self._watch_root, "root"), (self._watch_tree, "tree")):
            thread = threading.Thread(target=target, name=f"site-builder-watch-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return all(ready.wait(timeout) for ready in self._ready)

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout)

    def relevant(self, path: Path) -> bool:
        """Whether a change at `path` can change the site."""
        try:
            rel = path.relative_to(self.root)
        except ValueError:
            return False
        parts = rel.parts
        if not parts or (parts[0] not in WATCHED_DIRS and rel.as_posix() not in ROOT_FILES):
            return False
        if any(part in IGNORED_DIRS for part in parts) or EDITOR_TEMP.search(parts[-1]):
            return False
        for output in self._ignored():
            if path == output or path.is_relative_to(output):
                return False
            staging = (f".{output.name}.staging-", f".{output.name}.old-")
            if path.is_relative_to(output.parent):
                inner = path.relative_to(output.parent).parts
                if inner and inner[0].startswith(staging):
                    return False
        return True

    def _batch(self, changes: set[tuple[watchfiles.Change, str]]) -> list[str]:
        paths = sorted({Path(p) for _change, p in changes})
        return [p.relative_to(self.root).as_posix() for p in paths if self.relevant(p)]

    def _watch_root(self) -> None:
        while not self._stop.is_set():
            try:
                for changes in watchfiles.watch(
                    self.root,
                    recursive=False,
                    step=self._step,
                    debounce=self._debounce,
                    stop_event=self._stop,
                    raise_interrupt=False,
                    rust_timeout=READY_TIMEOUT_MS,
                    yield_on_timeout=True,
                ):
                    self._ready[0].set()  # the first (empty) batch: the watch is in place
                    batch = self._batch(changes)
                    if any(p in WATCHED_DIRS for p in batch):
                        self._restart.set()
                    if batch:
                        self._on_change(batch)
            except Exception as error:  # noqa: BLE001 - keep watching whatever the OS does
                self._ready[0].set()
                self._log.write(f"build-site serve: watcher restarted after {error!r}\n")
                self._stop.wait(0.5)

    def _watch_tree(self) -> None:
        while not self._stop.is_set():
            self._restart.clear()
            folders = [self.root / name for name in WATCHED_DIRS if (self.root / name).is_dir()]
            if not folders:
                self._ready[1].set()
                self._restart.wait(0.5)
                continue
            try:
                for changes in watchfiles.watch(
                    *folders,
                    step=self._step,
                    debounce=self._debounce,
                    stop_event=_Either(self._stop, self._restart),
                    raise_interrupt=False,
                    rust_timeout=READY_TIMEOUT_MS,
                    yield_on_timeout=True,
                ):
                    self._ready[1].set()
                    batch = self._batch(changes)
                    if batch:
                        self._on_change(batch)
            except Exception as error:  # noqa: BLE001 - a folder vanished mid-watch, for one
                self._ready[1].set()
                self._log.write(f"build-site serve: watcher restarted after {error!r}\n")
                self._stop.wait(0.5)

"""Processing the sources edited since the last build in a forked worker, while the build
reads its cache.

An incremental build learns which sources changed only once it has read the cache's document
index, which takes a while to unpickle on a large site. Processing a source takes the Markdown,
YAML, Pygments and Dockerfile machinery, which takes about as long to import. The sources
modified since the index was last saved are the likely changes: `start` forks a worker that
processes those while this process reads the index and imports what it needs for the rest of
the build. `Ahead.take` then hands over the results for the sources that did need processing,
and deletes the worker's pack if none did. The build processes the others itself, as usual.
The guess only decides where the work runs: the output is the same byte for byte.

Not used where fork is unsafe (a threaded process such as the preview server), without a
cache index to compare with, or when many sources changed (the parallel path takes those).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from .cache import INDEX_FILES, BuildCache
from .config import SiteConfig
from .discovery import SourceRef
from .processed import ProcessedDocument

MAX_GUESS = 16  # more sources than this modified: the ordinary (parallel) path processes them

Processed = tuple[list[ProcessedDocument], dict[str, int]]


class Ahead:
    """A forked worker processing `paths`; `take` or `cancel` must be called once."""

    def __init__(self, pid: int, reader: int, paths: frozenset[str], folder: Path | None) -> None:
        self.pid = pid
        self.paths = paths
        self._reader = reader
        self._folder = folder  # where its bodies are packed (None: returned in memory)
        self._done = False

    def take(self, wanted: Sequence[SourceRef]) -> Processed:
        """The worker's results for the `wanted` sources it processed, with its packs; empty
        if it failed (the caller then processes them itself). A worker with nothing wanted is
        stopped rather than waited for."""
        wanted_paths = {ref.path for ref in wanted}
        if self.paths.isdisjoint(wanted_paths):
            self.cancel()
            return [], {}
        processed, packs = self._collect()
        kept = [item for item in processed if item.path in wanted_paths]
        if not kept:
            self._discard(packs)
            return [], {}
        return kept, packs

    def cancel(self) -> None:
        """Stop the worker, if still running, and delete its pack if it said which (a pack
        it leaves behind unnamed is in no index: the cache deletes it at a later save)."""
        if self._done:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        _, packs = self._collect()
        self._discard(packs)

    def _collect(self) -> Processed:
        if self._done:
            return [], {}
        self._done = True
        with os.fdopen(self._reader, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            return [], {}
        try:  # our own fork wrote it, over a pipe nobody else holds: not the cache's files
            processed, packs = pickle.loads(data)  # noqa: S301
        except Exception:  # noqa: BLE001 - a torn result: the build processes them itself
            return [], {}
        return processed, packs

    def _discard(self, packs: dict[str, int]) -> None:
        if self._folder is None:
            return
        for name in packs:
            with contextlib.suppress(OSError):
                (self._folder / name).unlink()


def start(config: SiteConfig, refs: Sequence[SourceRef], cache: BuildCache) -> Ahead | None:
    """Fork a worker for the sources modified since the cache's index was saved (see above)."""
    if not cache.enabled or threading.active_count() != 1 or not hasattr(os, "fork"):
        return None
    saved = _index_saved_at(cache.folder)
    if saved is None:
        return None
    guess = [ref for ref in refs if ref.mtime_ns >= saved]
    if not guess or len(guess) > MAX_GUESS:
        return None
    folder = cache.pack_folder()
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (EAGAIN, ENOMEM): the build processes them itself
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - the worker; its exit status and pipe are what is tested
        os.close(reader)
        _work(writer, lambda: _process(guess, config, folder))
    os.close(writer)
    return Ahead(pid, reader, frozenset(ref.path for ref in guess), folder)


def _process(refs: list[SourceRef], config: SiteConfig, folder: Path | None) -> Processed:
    from .documents import process_all

    return process_all(refs, config, workers=1, pack_folder=folder)


def _work(writer: int, job: Callable[[], Processed]) -> None:  # pragma: no cover - in the fork
    status = 1
    try:
        data = pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # noqa: BLE001, S110 - any failure: the build processes them itself
        pass
    finally:
        os._exit(status)


def _index_saved_at(folder: Path) -> int | None:
    """When the document index was last written (ns since the epoch), if there is one."""
    times = []
    for name in INDEX_FILES:
        with contextlib.suppress(OSError):
            times.append(os.stat(folder / name, follow_symlinks=False).st_mtime_ns)
    return max(times, default=None)

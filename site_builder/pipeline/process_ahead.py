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

With a second core, the worker then compiles the theme's templates, which the build would
otherwise compile itself before it renders the edited pages; `Ahead.templates` hands them over
if they are ready by then (Jinja checks each against its template's source before using it).
The worker sends length-prefixed pickles over a pipe: the documents, then the templates.

Not used where fork is unsafe (a threaded process such as the preview server), without a
cache index to compare with, or when many sources changed (the parallel path takes those).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ..cache.processed import ProcessedDocument, default_workers
from ..cache.store import BuildCache, index_files
from ..config.schema import SiteConfig
from ..content.discovery import SourceRef
from .workers import signals_held, tie_to_parent

MAX_GUESS = 16  # more sources than this modified: the ordinary (parallel) path processes them

Processed = tuple[list[ProcessedDocument], dict[str, int]]


class Ahead:
    """A forked worker processing `paths`; `cancel` must be called once done with it."""

    def __init__(self, pid: int, reader: int, paths: frozenset[str], folder: Path | None) -> None:
        self.pid = pid
        self.paths = paths
        self._reader = reader
        self._folder = folder  # where its bodies are packed (None: returned in memory)
        self._taken = False  # the documents were read from the pipe
        self._reaped = False

    def take(self, wanted: Sequence[SourceRef]) -> Processed:
        """The worker's results for the `wanted` sources it processed, with its packs; empty
        if it failed (the caller then processes them itself). A worker with nothing wanted is
        stopped rather than waited for."""
        wanted_paths = {ref.path for ref in wanted}
        if self.paths.isdisjoint(wanted_paths):
            self.cancel()
            return [], {}
        processed, packs = self._documents()
        kept = [item for item in processed if item.path in wanted_paths]
        if not kept:
            self._discard(packs)
            return [], {}
        return kept, packs

    def templates(self) -> dict[str, bytes]:
        """The theme's compiled templates (`templates.preload`) if the worker has sent them
        by now; empty otherwise: the build does not wait for them."""
        if not self._taken or self._reaped:
            return {}
        ready, _, _ = select.select([self._reader], [], [], 0)
        frame = _read_frame(self._reader) if ready else None
        if frame is None:
            return {}
        try:  # our own fork wrote it, over a pipe nobody else holds: not the cache's files
            compiled = pickle.loads(frame)  # noqa: S301
        except Exception:  # noqa: BLE001 - a torn message: the build compiles them itself
            return {}
        return compiled if isinstance(compiled, dict) else {}

    def cancel(self) -> None:
        """Stop the worker, if still running, and reap it; if its documents were never
        taken, delete its pack if it said which (a pack it leaves behind unnamed is in no
        index: the cache deletes it at a later save)."""
        if self._reaped:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        if not self._taken:
            _, packs = self._documents()
            self._discard(packs)
        self._reap()

    def _documents(self) -> Processed:
        self._taken = True
        frame = _read_frame(self._reader)
        if frame is None:
            self._reap()
            return [], {}
        try:  # our own fork wrote it, over a pipe nobody else holds: not the cache's files
            processed, packs = pickle.loads(frame)  # noqa: S301
        except Exception:  # noqa: BLE001 - a torn result: the build processes them itself
            return [], {}
        return processed, packs

    def _reap(self) -> None:
        if not self._reaped:
            self._reaped = True
            os.close(self._reader)
            with contextlib.suppress(ChildProcessError):  # reaped already (SIGCHLD ignored)
                os.waitpid(self.pid, 0)

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
    parent = os.getpid()
    try:
        with signals_held():
            pid = os.fork()
    except OSError:  # no process to spare (EAGAIN, ENOMEM): the build processes them itself
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - the worker; what it sends over its pipe is what is tested
        os.close(reader)
        tie_to_parent(parent)  # it dies with the build, whatever kills the build
        spare_core = default_workers() > 1  # on one core, compiling would delay the build
        _work(writer, lambda: _process(guess, config, folder), config if spare_core else None)
    os.close(writer)
    return Ahead(pid, reader, frozenset(ref.path for ref in guess), folder)


def _process(refs: list[SourceRef], config: SiteConfig, folder: Path | None) -> Processed:
    from .processing import process_all

    return process_all(refs, config, workers=1, pack_folder=folder)


def _compile_theme(config: SiteConfig) -> dict[str, bytes]:
    from ..render.templates import compile_theme

    return compile_theme(config)


def _work(
    writer: int, job: Callable[[], Processed], theme_of: SiteConfig | None
) -> None:  # pragma: no cover - in the fork
    """Send `job`'s documents, then (given a site) its theme's compiled templates; exit."""
    status = 1
    try:
        _write_frame(writer, pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
        if theme_of is not None:
            compiled = _compile_theme(theme_of)
            _write_frame(writer, pickle.dumps(compiled, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:  # noqa: BLE001, S110 - any failure: the build does it itself
        pass
    finally:
        os._exit(status)


_LENGTH = struct.Struct("<Q")


def _write_frame(fd: int, data: bytes) -> None:
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


def _read_frame(fd: int) -> bytes | None:
    """One length-prefixed message, or None at the end of the pipe (or a torn message)."""
    header = _read_exactly(fd, _LENGTH.size)
    if header is None:
        return None
    return _read_exactly(fd, _LENGTH.unpack(header)[0])


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size > 0:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _index_saved_at(folder: Path) -> int | None:
    """When the document index was last written (ns since the epoch), if there is one."""
    return max((key[2] for key in index_files(folder) if key is not None), default=None)

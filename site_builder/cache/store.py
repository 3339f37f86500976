"""The build cache in `<site>/.site-cache/`: what earlier builds learned, so the next redoes only
what changed.

- `state.pickle` (small, read by every build): per published file, its signature and content
  hash (the output manifest, see `publish.staging`); the last build's inputs fingerprint and
  diagnostics, for an instant answer when nothing changed.
- `documents.pickle` + `documents.journal`: per source file, its stat facts, content hash,
  front matter, body facts and diagnostics; a build appends only what it changed to the
  journal, and the base is rewritten once the journal has grown past a quarter of it.
- `bodies-*.pack`: the rendered HTML and outline of each document, appended by the process
  that rendered it, read on demand; rewritten into one pack when mostly garbage.

A build that saved the document index leaves it in memory for the next build of the same
process (a preview session rebuilding on every save), which takes it instead of unpickling the
files again as long as they are still exactly what was saved (inode, size and mtime).

Everything is keyed by content hashes, the tool's code fingerprint and the config. A cache from
another version or config is simply not used; a corrupt or foreign one (another site's, or one
that fails to load) is ignored with a warning (CACHE001), never trusted. It is read with an
unpickler that builds only the record classes `safe_pickle` lists and a few standard types, so
a tampered cache cannot run code. A lock file keeps two builds of one site from interleaving
(`lock`); the records the files hold are in `state`.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..markup.outline import Outline
from ..publish.staging import Stat, lstat_key
from .lock import CACHE_DIR, ignore_in_git
from .packs import PACK_NAME, BodyRef, PackWriter
from .safe_pickle import safe_loads
from .state import FORMAT, INDEX_FILES, CacheState, DocumentIndex, JournalFrame

__all__ = ["CACHE_DIR", "INDEX_FILES", "BuildCache", "index_files"]

COMPACT_FLOOR = 8 * 1024 * 1024  # the pack may hold this much garbage before it is rewritten


@dataclass(frozen=True, slots=True)
class _Saved:
    """The document index as the last save of this process left it on disk."""

    folder: Path
    files: tuple[Stat | None, ...]  # INDEX_FILES' (inode, size, mtime_ns)
    index: DocumentIndex
    snapshot: dict[str, Any]
    on_disk: str
    journal_size: int


_last_saved: list[_Saved] = []  # at most one: the last site this process built


class BuildCache:
    """The cache folder of one site, opened for one build (under its lock)."""

    def __init__(
        self, root: Path, key: str, *, enabled: bool = True, writable: bool = True
    ) -> None:
        self.root = root
        self.folder = root / CACHE_DIR
        self.key = key
        self.enabled = enabled
        self.writable = enabled and writable
        self.problems: list[Diagnostic] = []
        self.state = CacheState(root=str(root))
        self._documents: DocumentIndex | None = None
        self._readers: dict[str, int] = {}
        self._documents_changed = False
        self._snapshot: dict[str, Any] = {}  # the index as on disk (base + journal)
        self._on_disk = ""  # the base on disk that the journal extends ("" if none)
        self._journal_size = 0
        if enabled:
            self._load_state()

    # -- reading ---------------------------------------------------------------------------

    def _read(self, name: str) -> Any:
        path = self.folder / name
        if self.folder.is_symlink() or not path.is_file() or path.is_symlink():
            return None
        try:
            return safe_loads(path.read_bytes())
        except Exception as error:  # noqa: BLE001 - whatever is wrong, the cache is not used
            self._warn(f"build cache file {name} is unreadable ({type(error).__name__}); ignored")
            return None

    def _load_state(self) -> None:
        loaded = self._read("state.pickle")
        if loaded is None:
            return
        if not isinstance(loaded, CacheState) or loaded.format != FORMAT:
            self._warn("build cache has an unknown format; ignored and rebuilt")
            return
        if loaded.root != str(self.root):
            self._warn(f"build cache belongs to another site ({loaded.root}); ignored and rebuilt")
            return
        self.state = loaded

    @property
    def documents(self) -> DocumentIndex:
        """The document index (read on first use; empty if absent, stale or damaged)."""
        if self._documents is None and not self._take_saved():
            self._documents = DocumentIndex(key=self.key)
            loaded = self._read("documents.pickle") if self.enabled else None
            if isinstance(loaded, DocumentIndex) and loaded.format == FORMAT:
                self._replay(loaded)
                if not all(self._pack_complete(name, size) for name, size in loaded.packs.items()):
                    self._warn("build cache is incomplete (a body pack is missing); rebuilt")
                elif loaded.key == self.key:
                    self._documents = loaded
                    self._on_disk = loaded.base
            elif loaded is not None:
                self._warn("build cache has an unknown format; ignored and rebuilt")
            self._snapshot = dict(self._documents.documents)
        assert self._documents is not None
        return self._documents

    def _take_saved(self) -> bool:
        """Take the index this process saved last, if it is this cache's and still on disk.

        Only a writable build takes it (and it is handed on again only by a successful save),
        so an index that a failed build changed in memory is never reused.
        """
        saved = _last_saved.pop() if _last_saved and self.writable else None
        if (
            saved is None
            or saved.folder != self.folder
            or saved.index.key != self.key
            or self.folder.is_symlink()
            or saved.files != index_files(self.folder)
            or not all(self._pack_complete(n, size) for n, size in saved.index.packs.items())
        ):
            return False
        self._documents, self._snapshot = saved.index, saved.snapshot
        self._on_disk, self._journal_size = saved.on_disk, saved.journal_size
        return True

    def _replay(self, index: DocumentIndex) -> None:
        """Apply the journal's frames for this base; a torn last frame is left out."""
        path = self.folder / "documents.journal"
        if not path.is_file() or path.is_symlink():
            return
        data = path.read_bytes()
        offset = 0
        while offset + 8 <= len(data):
            length = int.from_bytes(data[offset : offset + 8], "big")
            if offset + 8 + length > len(data):
                break
            try:
                frame = safe_loads(data[offset + 8 : offset + 8 + length])
            except Exception:  # noqa: BLE001 - a damaged frame ends the journal
                break
            if not isinstance(frame, JournalFrame) or frame.base != index.base:
                break
            index.documents.update(frame.changed)
            for removed in frame.removed:
                index.documents.pop(removed, None)
            index.packs = dict(frame.packs)
            offset += 8 + length
        self._journal_size = offset

    def _warn(self, message: str) -> None:
        self.problems.append(
            Diagnostic(
                CACHE_DIR,
                1,
                1,
                Severity.WARNING,
                "CACHE001",
                message,
                hint=f"nothing to do: the next build rewrites {CACHE_DIR}/",
            )
        )

    def _pack_complete(self, name: str, size: int) -> bool:
        path = self.folder / name
        return (
            PACK_NAME.fullmatch(name) is not None
            and path.is_file()
            and (path.stat().st_size >= size)
        )

    def body(self, ref: BodyRef) -> tuple[str, Outline]:
        """The HTML and outline a pack holds at `ref`."""
        name, offset, length = ref
        fd = self._readers.get(name)
        if fd is None:
            fd = self._readers[name] = os.open(self.folder / name, os.O_RDONLY)
        # pread: no shared file offset, so forked render workers can read at the same time
        html, outline = safe_loads(os.pread(fd, length, offset))
        return html, outline

    # -- writing ---------------------------------------------------------------------------

    def pack_folder(self) -> Path | None:
        """Where this build's bodies are written (None: do not store them)."""
        if not self.writable:
            return None
        try:
            self._prepare()
        except OSError as error:
            self._unwritable(error)
            return None
        return self.folder

    def _unwritable(self, error: OSError) -> None:
        self.writable = False
        self._warn(f"cannot write the build cache ({error.strerror or error}); not updated")

    def add_packs(self, packs: dict[str, int]) -> None:
        """Packs written by this build (by worker processes or this one)."""
        written = {name: size for name, size in packs.items() if size > 0}  # no file if empty
        if written:
            self.documents.packs.update(written)
            self._documents_changed = True

    def documents_changed(self) -> None:
        self._documents_changed = True

    def compact(self, live: list[BodyRef]) -> list[BodyRef] | None:
        """Rewrite the `live` bodies (in that order) into one new pack and delete the others,
        when over half of the packs is garbage; the new references, or None when nothing was
        done. Call it last: the bodies of this build are read from the old references."""
        index = self.documents
        needed = sum(length for _, _, length in live)
        total = sum(index.packs.values())
        if not self.writable or total <= 2 * needed + COMPACT_FLOOR:
            return None
        try:
            writer = PackWriter(self.folder)
            moved = [writer.append_raw(self._raw(ref)) for ref in live]
            name, size = writer.flush()
            writer.close()
        except OSError as error:
            self._unwritable(error)
            return None
        self.close()
        for old in index.packs:
            with contextlib.suppress(OSError):
                (self.folder / old).unlink()
        index.packs = {name: size}
        self._documents_changed = True
        self._on_disk = ""  # every record moves: write a new base rather than a journal frame
        return moved

    def _raw(self, ref: BodyRef) -> bytes:
        name, offset, length = ref
        fd = self._readers.get(name)
        if fd is None:
            fd = self._readers[name] = os.open(self.folder / name, os.O_RDONLY)
        return os.pread(fd, length, offset)

    def save(self) -> None:
        """Write what changed, atomically (the pack before the index that points into it)."""
        if not self.writable:
            return
        try:
            self._prepare()
            if self._documents_changed and self._documents is not None:
                self._forget_stray_packs()
                self._save_documents(self._documents)
            self._write("state.pickle", self.state)
        except OSError as error:
            self._unwritable(error)
            return
        if self._documents is not None:
            _last_saved[:] = [
                _Saved(
                    self.folder,
                    index_files(self.folder),
                    self._documents,
                    self._snapshot,
                    self._on_disk,
                    self._journal_size,
                )
            ]

    def _save_documents(self, index: DocumentIndex) -> None:
        """Append this build's changes to the journal, or write a fresh base when the journal
        has grown past a quarter of it (or there is no base to append to)."""
        changed = {
            path: record
            for path, record in index.documents.items()
            if self._snapshot.get(path) is not record
        }
        removed = tuple(path for path in self._snapshot if path not in index.documents)
        journal = self.folder / "documents.journal"
        base_size = (self.folder / "documents.pickle").stat().st_size if self._on_disk else 0
        if self._on_disk and self._on_disk == index.base and self._journal_size < base_size // 4:
            frame = pickle.dumps(
                JournalFrame(index.base, changed, removed, dict(index.packs)),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            with open(journal, "r+b" if journal.is_file() else "wb") as handle:
                handle.seek(self._journal_size)
                handle.truncate()
                handle.write(len(frame).to_bytes(8, "big") + frame)
            self._journal_size += 8 + len(frame)
        else:
            index.base = os.urandom(16).hex()
            self._write("documents.pickle", index)
            journal.unlink(missing_ok=True)
            self._on_disk, self._journal_size = index.base, 0
        self._snapshot = dict(index.documents)

    def _forget_stray_packs(self) -> None:
        """Delete pack files no index refers to (an interrupted or failed build's)."""
        known = set(self.documents.packs)
        for path in self.folder.glob("bodies-*.pack"):
            if path.name not in known:
                with contextlib.suppress(OSError):
                    path.unlink()

    def _write(self, name: str, value: object) -> None:
        temporary = self.folder / f"{name}.{os.getpid()}.tmp"
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, self.folder / name)

    def _prepare(self) -> None:
        self.folder.mkdir(exist_ok=True)
        ignore_in_git(self.folder)

    def close(self) -> None:
        for fd in self._readers.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._readers = {}


def index_files(folder: Path) -> tuple[Stat | None, ...]:
    """The `lstat` key (inode, size, mtime) of each index file, None where there is none."""
    keys: list[Stat | None] = []
    for name in INDEX_FILES:
        try:
            keys.append(lstat_key(folder / name))
        except OSError:
            keys.append(None)
    return tuple(keys)

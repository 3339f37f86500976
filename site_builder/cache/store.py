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

Nothing is read or written through a symlink (`guard`: CACHE002). Every body read back must hash
to the digest its reference holds; before a build uses the index, a pack whose `lstat` key
changed since it was written is verified record by record, and a damaged record is dropped
(CACHE001): its source is processed again, and the output is what a build without cache makes.
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
from .guard import NOFOLLOW, read_file, refusal
from .lock import CACHE_DIR, ignore_in_git
from .packs import BodyRef, DamagedBody, PackReader, PackWriter
from .safe_pickle import safe_loads
from .state import FORMAT, INDEX_FILES, CacheState, DocumentIndex, JournalFrame

__all__ = ["CACHE_DIR", "INDEX_FILES", "BuildCache", "DamagedBody", "index_files"]

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
        self._packs = PackReader(self.folder)
        self._documents_changed = False
        self._snapshot: dict[str, Any] = {}  # the index as on disk (base + journal)
        self._on_disk = ""  # the base on disk that the journal extends ("" if none)
        self._journal_size = 0
        if enabled:
            refused = refusal(self.folder)
            if refused is not None:
                self.problems.append(refused)
                self.enabled = self.writable = False
            else:
                self._load_state()

    # -- reading ---------------------------------------------------------------------------

    def _read(self, name: str) -> Any:
        data = read_file(self.folder / name)
        if data is None:
            return None
        try:
            return safe_loads(data)
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
            self._verify(self._documents)
        assert self._documents is not None
        return self._documents

    def _verify(self, index: DocumentIndex) -> None:
        """Drop the records whose body no longer hashes to its digest, reading only the packs
        that changed since they were written (by their `lstat` key, see `state.PackKey`)."""
        by_pack: dict[str, list[str]] = {}
        for path, record in index.documents.items():
            ref = getattr(record, "body_ref", None)
            if ref is not None:
                name = ref[0] if isinstance(ref, tuple) and len(ref) == 4 else ""
                by_pack.setdefault(name, []).append(path)
        for name, paths in by_pack.items():
            key = self._packs.key(name)
            if key is not None and name in index.packs and index.pack_keys.get(name) == key:
                continue
            damaged = [p for p in paths if not self._packs.intact(index.documents[p].body_ref)]
            for path in damaged:
                del index.documents[path]
            if key is not None and name in index.packs:
                index.pack_keys[name] = key  # what is left of it was read back intact
            self._documents_changed = True
            if damaged:
                self._warn(
                    f"build cache file {name or 'index'} is damaged ({len(damaged)} of its "
                    f"{len(paths)} bodies); they are rebuilt"
                )

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
        self._verify(self._documents)
        return True

    def _replay(self, index: DocumentIndex) -> None:
        """Apply the journal's frames for this base; a torn last frame is left out."""
        data = read_file(self.folder / "documents.journal")
        if data is None:
            return
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
            index.pack_keys = dict(getattr(frame, "pack_keys", {}))
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
        key = self._packs.key(name)
        return key is not None and key[1] >= size

    def body(self, ref: BodyRef) -> tuple[str, Outline]:
        """The HTML and outline a pack holds at `ref`, if its bytes still hash to its digest.

        Damage is found before the build uses the index (`_verify`) unless the pack changed
        without its `lstat` key changing (below the file system, or during this build); then
        the pack is touched, so that the next build verifies it whole and rebuilds the body,
        and `DamagedBody` is raised rather than the damaged bytes used."""
        try:
            return self._packs.body(ref)
        except DamagedBody:
            if self.writable:  # a write to the pack's inode changes its ctime
                with contextlib.suppress(OSError, NotImplementedError):
                    os.utime(self.folder / ref[0], follow_symlinks=False)
            raise

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
        """Packs written by this build (by worker processes or this one), once written."""
        written = {name: size for name, size in packs.items() if size > 0}  # no file if empty
        if written:
            index = self.documents
            index.packs.update(written)
            for name in written:
                key = self._packs.key(name)
                if key is not None:
                    index.pack_keys[name] = key
            self._documents_changed = True

    def documents_changed(self) -> None:
        self._documents_changed = True

    def compact(self, live: list[BodyRef]) -> list[BodyRef] | None:
        """Rewrite the `live` bodies (in that order) into one new pack and delete the others,
        when over half of the packs is garbage; the new references, or None when nothing was
        done. Call it last: the bodies of this build are read from the old references."""
        index = self.documents
        needed = sum(ref[2] for ref in live)
        total = sum(index.packs.values())
        if not self.writable or total <= 2 * needed + COMPACT_FLOOR:
            return None
        writer = PackWriter(self.folder)  # left unnamed if it fails: a stray pack, deleted
        try:
            moved = [writer.append_raw(self._packs.checked(ref)) for ref in live]
            name, size = writer.flush()
        except DamagedBody as error:  # never carry damage on: the next build verifies that pack
            index.pack_keys.pop(error.pack, None)
            self._documents_changed = True
            return None
        except OSError as error:
            self._unwritable(error)
            return None
        finally:
            writer.close()
        self.close()
        for old in index.packs:
            with contextlib.suppress(OSError):
                (self.folder / old).unlink()
        index.packs = {name: size}
        key = self._packs.key(name)
        index.pack_keys = {name: key} if key is not None else {}
        self._documents_changed = True
        self._on_disk = ""  # every record moves: write a new base rather than a journal frame
        return moved

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
        base_size = os.lstat(self.folder / "documents.pickle").st_size if self._on_disk else 0
        if self._on_disk and self._on_disk == index.base and self._journal_size < base_size // 4:
            frame = pickle.dumps(
                JournalFrame(
                    index.base, changed, removed, dict(index.packs), dict(index.pack_keys)
                ),
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            fd = os.open(journal, os.O_RDWR | os.O_CREAT | NOFOLLOW, 0o666)
            with open(fd, "r+b") as handle:
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
        temporary.unlink(missing_ok=True)  # a leftover (or a link planted there): not followed
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, 0o666)
        with open(fd, "wb") as handle:
            handle.write(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, self.folder / name)

    def _prepare(self) -> None:
        self.folder.mkdir(exist_ok=True)
        if refusal(self.folder) is not None:  # made a symlink since the build started
            raise OSError(f"{CACHE_DIR} is no longer a plain folder")
        ignore_in_git(self.folder)

    def close(self) -> None:
        self._packs.close()


def index_files(folder: Path) -> tuple[Stat | None, ...]:
    """The `lstat` key (inode, size, mtime) of each index file, None where there is none."""
    keys: list[Stat | None] = []
    for name in INDEX_FILES:
        try:
            keys.append(lstat_key(folder / name))
        except OSError:
            keys.append(None)
    return tuple(keys)

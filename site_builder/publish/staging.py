"""The staging tree of one publish, and the spare that makes the next one cheap.

A build writes into a staging folder beside `output/` and swaps it in atomically (see
`swap`). After the swap, the previous build is kept as `.<output>.spare` instead of being
deleted; the next build updates that spare in place (only what differs from it) and swaps
again, so publishing costs what changed, not the size of the site. Unchanged files are hard
links to the published ones, so they keep their inode and mtime (cheap `rsync` deploys).

Every tree we publish carries a marker with a token, and the cache remembers each token's file
list (`TreeState`). A spare whose marker does not match is never trusted: it is deleted and a
fresh staging folder is used. Nor is a spare whose marker matches trusted blindly: its listing
is read (without following any link) and it is reused only if it holds real folders, each
writable, and regular files, and nothing beyond its file list and the search index; otherwise
it is discarded (deleted, or moved aside as a leftover when it cannot be) and the build writes
a fresh tree, so a planted symlink is never followed or published, and a read-only spare never
fails a build. The spare's marker is removed before it is touched, so a build
killed half-way leaves nothing that could be mistaken for a known tree. Files are never written
in place: a new file goes to a temporary name and is renamed over the old one, so a file shared
by hard link with the published tree is never modified.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..records import compact_pickle
from .search_index import INDEX_FOLDER
from .swap import (
    MARKER,
    PublishError,
    check_output_dir,
    io_diagnostic,
    remove_tree,
    swap,
    target_path,
)

Stat = tuple[int, int, int]  # inode, size, mtime_ns


@compact_pickle
@dataclass(frozen=True, slots=True)
class Entry:
    """One published file: the signature it was made for, its content hash, its stat facts."""

    signature: str
    digest: str
    stat: Stat


@dataclass(frozen=True, slots=True)
class TreeState:
    token: str
    files: Mapping[str, Entry]


@dataclass(frozen=True, slots=True)
class OutputState:
    """What the cache knows of the published tree and of the spare beside it."""

    live: TreeState | None = None
    spare: TreeState | None = None


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stat_key(info: os.stat_result) -> Stat:
    """What tells a file we wrote from any other: inode, size and mtime."""
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def lstat_key(path: str | Path) -> Stat:
    return stat_key(os.lstat(path))


def marker_token(folder: Path) -> str | None:
    try:
        text = (folder / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("token: "):
            return line[len("token: ") :].strip()
    return None


def spare_dir(output: Path) -> Path:
    return output.parent / f".{output.name}.spare"


class Staging:
    """The tree the next build is written into, before it becomes `output/`."""

    def __init__(self, output: Path, display: str, state: OutputState | None) -> None:
        problem = check_output_dir(output, display)
        if problem is not None:
            raise PublishError(problem)
        self.output = output
        self.display = display
        state = state or OutputState()
        live = state.live if state.live and marker_token(output) == state.live.token else None
        self.live: Mapping[str, Entry] = live.files if live else {}
        self._live_token = live.token if live else None
        spare = spare_dir(output)
        trusted = (
            live is not None
            and state.spare is not None
            and spare.is_dir()
            and not spare.is_symlink()
            and marker_token(spare) == state.spare.token
        )
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            files = state.spare.files if trusted and state.spare is not None else None
            if files is not None and reusable(spare, files) and _unmark(spare):
                self.folder = spare
                self.base: Mapping[str, Entry] = files
                self._fresh = False
            else:
                discard(spare)
                self.folder = output.parent / f".{output.name}.staging-{os.urandom(6).hex()}"
                self.folder.mkdir()
                self.base = {}
                # A folder this build just made holds nothing anyone else links to: files go
                # straight to their names, without the temporary name and rename.
                self._fresh = True
        except OSError as error:
            raise PublishError(io_diagnostic(display, error)) from None
        self.files: dict[str, Entry] = {}
        self._dirs: set[str] = set()
        self.written = 0
        self._output, self._folder = str(output), str(self.folder)  # for cheap path joins

    # -- filling ---------------------------------------------------------------------------

    def keep(self, path: str, signature: str) -> bool:
        """Keep the published file at `path` if it was made for `signature` and is intact;
        whether it was kept. A spare that still links to that very file needs nothing more
        (one `lstat`); otherwise the published file is checked and linked in."""
        entry = self.live.get(path)
        if entry is None or entry.signature != signature:
            return False
        base = self.base.get(path)
        if base is None or base.stat != entry.stat or not self._intact(path, base):
            if not self._live_intact(path, entry):
                return False
            self._link(self.output / path, path)
        self.files[path] = entry
        return True

    def write(self, path: str, data: bytes, signature: str) -> None:
        """Put `data` at `path` (unless the tree already holds exactly these bytes)."""
        entry, wrote = self.put(path, data, signature)
        self.add(path, entry, wrote)

    def put(self, path: str, data: bytes, signature: str) -> tuple[Entry, bool]:
        """The file-system part of `write` (safe in a forked worker): its entry, and whether
        new bytes were written (rather than kept or linked)."""
        digest = content_digest(data)
        base = self.base.get(path)
        if base is not None and base.digest == digest and self._intact(path, base):
            return Entry(signature, digest, base.stat), False
        live = self.live.get(path)
        if live is not None and live.digest == digest and self._live_intact(path, live):
            self._link(self.output / path, path)
            return Entry(signature, digest, live.stat), False
        target = self._target(path)
        if self._fresh:
            return Entry(signature, digest, _write_new(target, data)), True
        temporary = target.with_name(f".{target.name}.tmp")
        with open(temporary, "wb") as handle:  # no stray entry in a reused spare (`reusable`)
            handle.write(data)
        facts = lstat_key(temporary)  # after close: every byte written, the final mtime
        os.replace(temporary, target)
        return Entry(signature, digest, facts), True

    def add(self, path: str, entry: Entry, wrote: bool) -> None:
        """Record a file put by `put` (possibly in a worker process)."""
        self.files[path] = entry
        self.written += wrote

    def copy(self, path: str, source: Path, signature: str) -> None:
        """Publish the file `source` as `path`."""
        if self.keep(path, signature):
            return
        base = self.base.get(path)
        if base is not None and base.signature == signature and self._intact(path, base):
            self.files[path] = base
            return
        target = self._target(path)
        temporary = target.with_name(f".{target.name}.tmp")
        shutil.copyfile(source, temporary, follow_symlinks=False)
        os.replace(temporary, target)
        self.written += 1
        self.files[path] = Entry(signature, signature, lstat_key(target))

    def _intact(self, path: str, entry: Entry) -> bool:
        try:
            return lstat_key(os.path.join(self._folder, path)) == entry.stat
        except OSError:
            return False

    def _live_intact(self, path: str, entry: Entry) -> bool:
        try:
            return lstat_key(os.path.join(self._output, path)) == entry.stat
        except OSError:
            return False

    def _target(self, path: str) -> Path:
        return target_path(self.folder, path, self._dirs)

    def _link(self, source: Path, path: str) -> None:
        target = self._target(path)
        if self._fresh:
            os.link(source, target)
            return
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.unlink(missing_ok=True)
        os.link(source, temporary)
        os.replace(temporary, target)

    # -- finishing -------------------------------------------------------------------------

    def finish(self, finalize: Callable[[Path], None] | None = None) -> OutputState:
        """Drop what the build no longer has, add the marker, swap; the new output state."""
        try:
            self._prune()
            if finalize is not None:
                finalize(self.folder)
            token = os.urandom(16).hex()
            (self.folder / MARKER).write_text(
                f"built by site_builder; this folder is replaced on every build\ntoken: {token}\n",
                encoding="utf-8",
            )
            had_output = self.output.exists()
            swap(self.folder, self.output)
        except OSError as error:
            self.abort()
            raise PublishError(io_diagnostic(self.display, error)) from None
        spare = spare_dir(self.output)
        kept = had_output
        if had_output and self.folder != spare:
            try:  # published already: a spare that cannot be kept is deleted, not an error
                os.rename(self.folder, spare)
            except OSError:
                _remove(self.folder)
                kept = False
        old = TreeState(self._live_token, self.live) if self._live_token and kept else None
        return OutputState(TreeState(token, dict(self.files)), old)

    def _prune(self) -> None:
        """Remove the files of the spare the new build does not have, and emptied folders.

        A trusted spare holds exactly its manifest (plus the search index, which the search
        indexer manages), so this costs what was removed, not the size of the site.
        """
        folders: set[str] = set()
        for path in self.base.keys() - self.files.keys():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.folder / path)
            parent = path.rpartition("/")[0]
            while parent:
                folders.add(parent)
                parent = parent.rpartition("/")[0]
        for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
            with contextlib.suppress(OSError):  # not empty: still holds files of the new build
                os.rmdir(self.folder / folder)

    def abort(self) -> None:
        """Give up: the staging tree is deleted (a spare would no longer be trusted anyway)."""
        _remove(self.folder)


def _write_new(target: Path, data: bytes) -> Stat:
    """Create `target` (it must not exist) holding `data`; its stat facts once written."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        stat = stat_key(os.fstat(fd))  # every byte written: the final size and mtime
    finally:
        os.close(fd)
    return stat


def reusable(spare: Path, files: Mapping[str, Entry]) -> bool:
    """Whether the spare holds exactly what a build left: real, writable folders and regular
    files, nothing beyond `files`, the marker and the search index. One listing per folder
    (no `stat` per file, no link followed): on 1,000 posts, about 5 ms."""
    folders = {""}
    for path in files:
        parent = path.rpartition("/")[0]
        while parent not in folders:
            folders.add(parent)
            parent = parent.rpartition("/")[0]
    index = INDEX_FOLDER + "/"
    pending = [""]
    try:
        while pending:
            rel = pending.pop()
            folder = os.path.join(spare, rel)
            if not os.access(folder, os.W_OK | os.X_OK):
                return False
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = f"{rel}/{entry.name}" if rel else entry.name
                    if entry.is_symlink():
                        return False
                    searched = name == INDEX_FOLDER or name.startswith(index)
                    known = name in files or name == MARKER or searched
                    if entry.is_dir(follow_symlinks=False):
                        if name not in folders and not searched:
                            return False
                        pending.append(name)
                    elif not (known and entry.is_file(follow_symlinks=False)):
                        return False
    except OSError:
        return False
    return True


def _unmark(spare: Path) -> bool:
    """Take the marker off the spare before it is changed; False if it cannot be."""
    try:
        (spare / MARKER).unlink()
    except OSError:
        return False
    return True


def discard(spare: Path) -> None:
    """Remove the spare, only what is inside it (a link in it is removed, never followed).
    A spare that cannot be removed (read-only folders are made writable first) is moved aside
    as a leftover staging folder (removed at a later start); failing that, it is left alone."""
    try:
        info = os.lstat(spare)
    except OSError:
        return
    if not stat.S_ISDIR(info.st_mode):
        with contextlib.suppress(OSError):
            spare.unlink()
        return
    if not remove_tree(spare):  # an immutable folder in it, say
        name = spare.name.removesuffix(".spare") + f".staging-{os.urandom(6).hex()}"
        with contextlib.suppress(OSError):
            os.rename(spare, spare.with_name(name))


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        remove_tree(path)

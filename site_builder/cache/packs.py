"""Body packs: the rendered HTML and outline of each document, appended to `bodies-*.pack`.

Each process that renders documents appends to a pack of its own and hands back references
(pack name, offset, length, digest); the build cache's index records them, and a later build
reads a body back only when a page needs it. The digest (`record_digest`) of the pickled bytes
is kept in the reference, not in the pack: a record read back is used only if its bytes still
hash to it, so a damaged or edited pack is noticed, never published.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import pickle
import re
import stat
from pathlib import Path
from typing import IO

from ..markup.outline import Outline
from .safe_pickle import safe_loads
from .state import PackKey

BodyRef = tuple[str, int, int, bytes]  # pack file name, offset, length, record_digest
PACK_NAME = re.compile(r"bodies-[0-9a-f]{16}\.pack")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW


def record_digest(data: bytes) -> bytes:
    """What a record's bytes must hash to when read back (16 bytes of BLAKE2b)."""
    return hashlib.blake2b(data, digest_size=16).digest()


class PackWriter:
    """Appends rendered bodies to a pack file of its own (one per process and build)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = f"bodies-{os.urandom(8).hex()}.pack"
        self._handle: IO[bytes] | None = None
        self._size = 0
        self._failed = False

    def store(self, html: str, outline: Outline) -> BodyRef | None:
        """The body's reference; None when the pack cannot be written (a full disk, a
        read-only cache): the caller then keeps the body in memory."""
        if self._failed:
            return None
        try:
            return self.append_raw(pickle.dumps((html, outline), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            self._failed = True
            return None

    def append_raw(self, data: bytes) -> BodyRef:
        if self._handle is None:
            # unbuffered: a reference is returned only once its bytes are in the file; a new
            # file only (O_EXCL, no symlink followed), so nothing else is ever written through
            fd = os.open(self.folder / self.name, _CREATE, 0o666)
            self._handle = open(fd, "wb", buffering=0)  # noqa: SIM115
        ref = (self.name, self._size, len(data), record_digest(data))
        view = memoryview(data)
        while view:
            count = self._handle.write(view)
            if not count:
                raise OSError(errno.EIO, "short write to the build cache")
            view = view[count:]
        self._size += len(data)
        return ref

    def flush(self) -> tuple[str, int]:
        """Make what was stored readable by other processes; (pack name, size)."""
        if self._handle is not None:
            self._handle.flush()
        return self.name, self._size

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class DamagedBody(Exception):
    """A body read back from a pack no longer hashes to the digest of its reference."""

    def __init__(self, pack: str, message: str) -> None:
        super().__init__(message)
        self.pack = pack


class PackReader:
    """Reads bodies back from the packs of one cache folder, each checked against its digest.

    Files are opened once (never through a symlink) and read with `pread`: no shared file
    offset, so forked render workers can read at the same time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fds: dict[str, int] = {}

    def key(self, name: str) -> PackKey | None:
        """The pack's `lstat` key; None unless it is a regular file with a pack's name."""
        if PACK_NAME.fullmatch(name) is None:
            return None
        try:
            info = os.lstat(self.folder / name)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)

    def raw(self, ref: BodyRef) -> bytes:
        """The bytes at `ref`, unchecked (OSError when the pack cannot be read)."""
        name, offset, length = ref[0], ref[1], ref[2]
        fd = self._fds.get(name)
        if fd is None:
            if PACK_NAME.fullmatch(name) is None:
                raise OSError(f"not a body pack: {name!r}")
            fd = os.open(self.folder / name, os.O_RDONLY | _NOFOLLOW)
            self._fds[name] = fd
        return os.pread(fd, length, offset)

    def intact(self, ref: object) -> bool:
        """Whether `ref` is a well-formed reference whose bytes hash to its digest."""
        if not (isinstance(ref, tuple) and len(ref) == 4 and isinstance(ref[3], bytes)):
            return False
        try:
            return record_digest(self.raw(ref)) == ref[3]
        except (OSError, TypeError, ValueError, OverflowError):
            return False

    def checked(self, ref: BodyRef) -> bytes:
        """The bytes at `ref`; DamagedBody unless they hash to its digest."""
        try:
            data = self.raw(ref)
        except OSError as error:
            raise self._damaged(ref, error.strerror or str(error)) from None
        if record_digest(data) != ref[3]:
            raise self._damaged(ref, "its bytes do not match their digest")
        return data

    def body(self, ref: BodyRef) -> tuple[str, Outline]:
        """The HTML and outline at `ref`; DamagedBody when its bytes do not match or load."""
        data = self.checked(ref)
        try:
            html, outline = safe_loads(data)
        except Exception as error:  # noqa: BLE001 - whatever is wrong, the bytes are not used
            raise self._damaged(ref, type(error).__name__) from None
        return html, outline

    def _damaged(self, ref: BodyRef, why: str) -> DamagedBody:
        return DamagedBody(
            ref[0],
            f"the build cache's copy of a rendered body is damaged ({ref[0]} at {ref[1]}: "
            f"{why}); run the build again: it renders that body afresh",
        )

    def close(self) -> None:
        for fd in self._fds.values():
            with contextlib.suppress(OSError):
                os.close(fd)
        self._fds = {}

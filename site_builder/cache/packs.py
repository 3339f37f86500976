"""Body packs: the rendered HTML and outline of each document, appended to `bodies-*.pack`.

Each process that renders documents appends to a pack of its own and hands back references
(pack name, offset, length); the build cache's index records them, and a later build reads a
body back only when a page needs it.
"""

from __future__ import annotations

import errno
import os
import pickle
import re
from pathlib import Path
from typing import IO

from ..markup.outline import Outline

BodyRef = tuple[str, int, int]  # pack file name, offset, length
PACK_NAME = re.compile(r"bodies-[0-9a-f]{16}\.pack")


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
            # unbuffered: a reference is returned only once its bytes are in the file
            self._handle = open(self.folder / self.name, "wb", buffering=0)  # noqa: SIM115
        ref = (self.name, self._size, len(data))
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

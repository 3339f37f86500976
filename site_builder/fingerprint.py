"""Hashes for caching: of plain data, and of this tool's own code."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

from .version import __version__

_PACKAGE = Path(__file__).resolve().parent


def digest(*parts: object) -> str:
    """A 128-bit hex hash of the `repr` of `parts` (deterministic for our plain data)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _files_fingerprint(folders: Iterable[Path], suffixes: tuple[str, ...] | None = None) -> str:
    entries: list[tuple[str, int, int]] = []
    for folder in folders:
        for base, _dirs, names in os.walk(folder):
            for name in names:
                if suffixes is not None and not name.endswith(suffixes):
                    continue
                path = os.path.join(base, name)
                try:
                    info = os.stat(path, follow_symlinks=False)
                except OSError:
                    continue
                entries.append((path, info.st_size, info.st_mtime_ns))
    entries.sort()
    return digest(entries)


_TOOL: list[str] = []


def tool_fingerprint() -> str:
    """The version and the code of this package (a changed module invalidates everything)."""
    if not _TOOL:
        _TOOL.append(digest(__version__, _files_fingerprint([_PACKAGE], (".py", ".js"))))
    return _TOOL[0]

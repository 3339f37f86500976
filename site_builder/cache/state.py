"""What the build cache's files hold (see `store`): `state.pickle` (`CacheState`, with the
`LastBuild` record), `documents.pickle` (`DocumentIndex`) and the frames appended to
`documents.journal` (`JournalFrame`).
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diagnostics.diagnostic import Diagnostic
from .safe_pickle import safe_loads

FORMAT = 1
INDEX_FILES = ("documents.pickle", "documents.journal")
# What tells a pack file as it was written from any other: inode, size, mtime and ctime (which
# no write, `touch` or copy can leave as it was). A pack whose key differs is verified whole.
PackKey = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class LastBuild:
    """The previous successful build: enough to answer an unchanged rebuild at once."""

    inputs: str
    report: bytes  # its diagnostics, pickled apart: only an unchanged rebuild unpickles them
    skipped: Any
    files: int
    next_change: Any  # the earliest future post date then left out (None: none)
    # the site files its posts showed (include=, measurements.json) and their stat facts
    shown: tuple[tuple[str, tuple[int, int, int]], ...] = ()

    @classmethod
    def of(
        cls,
        inputs: str,
        diagnostics: tuple[Diagnostic, ...],
        skipped: Any,
        files: int,
        next_change: Any,
        shown: tuple[tuple[str, tuple[int, int, int]], ...] = (),
    ) -> LastBuild:
        report = pickle.dumps(diagnostics, protocol=pickle.HIGHEST_PROTOCOL)
        return cls(inputs, report, skipped, files, next_change, shown)

    def shown_intact(self, root: Path) -> bool:
        """Whether every file its posts showed has the stat facts it had (a file included from
        outside examples/ is not in the inputs fingerprint)."""
        for path, key in self.shown:
            try:
                info = os.lstat(root / path)
            except OSError:
                return False
            if (info.st_size, info.st_mtime_ns, info.st_ino) != key:
                return False
        return True

    def diagnostics(self) -> tuple[Diagnostic, ...] | None:
        """The diagnostics of that build (None if its report is damaged)."""
        try:
            loaded = safe_loads(self.report)
        except Exception:  # noqa: BLE001 - a damaged report means a full build
            return None
        if not isinstance(loaded, tuple) or not all(isinstance(d, Diagnostic) for d in loaded):
            return None
        return loaded


@dataclass(slots=True)
class CacheState:
    """`state.pickle`: small, read by every build."""

    format: int = FORMAT
    root: str = ""
    output: Any = None  # staging.OutputState
    last_build: LastBuild | None = None


@dataclass(slots=True)
class DocumentIndex:
    """`documents.pickle`: per source path, what processing it gave (for this key)."""

    format: int = FORMAT
    key: str = ""
    documents: dict[str, Any] = field(default_factory=dict)
    packs: dict[str, int] = field(default_factory=dict)  # pack file name → size in use
    base: str = ""  # names this snapshot; journal frames apply to the base they name
    pack_keys: dict[str, PackKey] = field(default_factory=dict)  # each pack as last verified


@dataclass(frozen=True, slots=True)
class JournalFrame:
    """One build's changes to the document index, appended to `documents.journal`."""

    base: str
    changed: dict[str, Any]
    removed: tuple[str, ...]
    packs: dict[str, int]
    pack_keys: dict[str, PackKey] = field(default_factory=dict)

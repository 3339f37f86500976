"""The external-link cache: `<site>/.site-cache/external-links.json`, good results only.

A URL that answered well is trusted for `external_cache_hours`; failures are never cached, so a
fixed link is seen fixed on the next run. An answer that came through a local address (allowed
by `external_local`) is marked `local`, and not trusted once local addresses are refused.
The file is written atomically (temporary file, then rename) and is the only file
`build-site check --external` writes. A damaged file is ignored, and so is an older version:
version 1 was written before redirect hops were checked, version 2 read a page's ids with a
pattern that also took ids in comments and scripts and `<meta name>`.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

CACHE_DIR = ".site-cache"
CACHE_FILE = "external-links.json"
_VERSION = 3


@dataclass(frozen=True, slots=True)
class Entry:
    """A good answer: when it was checked, the final URL, a permanent redirect, the page ids,
    and whether some hop went to a local address."""

    checked: float
    status: int
    final_url: str
    moved_to: str | None = None
    ids: frozenset[str] | None = None
    local: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "checked": self.checked,
            "status": self.status,
            "final_url": self.final_url,
            "moved_to": self.moved_to,
            "ids": None if self.ids is None else sorted(self.ids),
            "local": self.local,
        }

    @staticmethod
    def from_json(data: object) -> Entry | None:
        if not isinstance(data, dict):
            return None
        checked, status, final = data.get("checked"), data.get("status"), data.get("final_url")
        moved, ids, local = data.get("moved_to"), data.get("ids"), data.get("local", True)
        if not isinstance(checked, int | float) or not isinstance(status, int):
            return None
        if not isinstance(final, str) or not (moved is None or isinstance(moved, str)):
            return None
        if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            return None
        if not isinstance(local, bool):
            return None
        found = None if ids is None else frozenset(ids)
        return Entry(float(checked), status, final, moved, found, local)


class LinkCache:
    """Entries by URL (without fragment), fresh for `hours` from `now` (seconds since epoch)."""

    def __init__(self, path: Path, hours: int, now: float) -> None:
        self.path = path
        self.max_age = hours * 3600.0
        self.now = now
        self.entries: dict[str, Entry] = {}

    @property
    def enabled(self) -> bool:
        return self.max_age > 0

    def load(self) -> None:
        if not self.enabled or self.path.is_symlink() or not self.path.is_file():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            return
        entries = data.get("entries")
        if not isinstance(entries, dict):
            return
        for url, raw in entries.items():
            entry = Entry.from_json(raw)
            if isinstance(url, str) and entry is not None and self.fresh(entry):
                self.entries[url] = entry

    def fresh(self, entry: Entry) -> bool:
        return 0 <= self.now - entry.checked < self.max_age

    def get(self, url: str) -> Entry | None:
        entry = self.entries.get(url)
        return entry if entry is not None and self.fresh(entry) else None

    def put(self, url: str, entry: Entry) -> None:
        self.entries[url] = entry

    def drop(self, url: str) -> None:
        self.entries.pop(url, None)

    def save(self) -> None:
        """Write the fresh entries atomically; refuses a symlinked cache folder or file."""
        if not self.enabled:
            return
        folder = self.path.parent
        if folder.is_symlink() or self.path.is_symlink():
            raise OSError(f"{folder.name}/{self.path.name} is a symlink; not writing through it")
        folder.mkdir(exist_ok=True)
        payload = {
            "version": _VERSION,
            "entries": {
                url: entry.to_json()
                for url, entry in sorted(self.entries.items())
                if self.fresh(entry)
            },
        }
        handle, temporary = tempfile.mkstemp(prefix=".external-links.", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(payload, stream, indent=1, ensure_ascii=False)
                stream.write("\n")
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

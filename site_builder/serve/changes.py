"""What changed between two published builds, and what open pages must do about it.

A build is fingerprinted as `{output file: digest}` (the published manifest). Comparing two
fingerprints gives a `Change`: the pages whose HTML changed (a page reloads only when its own
file changed), the stylesheets that changed (swapped in place without a reload), and whether a
script, image or font changed (every page reloads, as any page may use it). Feeds, sitemaps
and other files no page displays never reload anything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Fingerprint = Mapping[str, bytes]

_EMBEDDED = frozenset(
    {".js", ".mjs", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico"}
    | {".woff", ".woff2", ".ttf", ".otf", ".mp4", ".webm", ".mp3", ".ogg", ".wasm"}
)


@dataclass(frozen=True, slots=True)
class Change:
    """The visible difference between two builds. `pages` None means "assume every page"."""

    pages: frozenset[str] | None = frozenset()
    css: frozenset[str] = frozenset()
    assets: bool = False

    @property
    def kind(self) -> str:
        """`reload` (some page must reload), `css` (stylesheets only) or `none`."""
        if self.pages is None or self.pages or self.assets:
            return "reload"
        return "css" if self.css else "none"

    def union(self, other: Change) -> Change:
        pages = None if self.pages is None or other.pages is None else self.pages | other.pages
        return Change(pages, self.css | other.css, self.assets or other.assets)


EVERYTHING = Change(pages=None)
NOTHING = Change()


def changed_files(old: Fingerprint, new: Fingerprint) -> set[str]:
    """Output files added, removed or modified between two fingerprints."""
    return {rel for rel in old.keys() | new.keys() if old.get(rel) != new.get(rel)}


def classify(files: Iterable[str], base_path: str) -> Change:
    """The `Change` made by these changed output files, as URL paths under `base_path`."""
    pages: set[str] = set()
    css: set[str] = set()
    assets = False
    for rel in files:
        suffix = os.path.splitext(rel)[1].lower()
        url = base_path + rel
        if suffix in (".html", ".htm"):
            pages.add(url)
        elif suffix == ".css":
            css.add(url)
        elif suffix in _EMBEDDED:
            assets = True
    return Change(frozenset(pages), frozenset(css), assets)


def compare(old: Fingerprint | None, new: Fingerprint, old_base: str, new_base: str) -> Change:
    """The change from build `old` to build `new`; everything when `old` is unknown or moved."""
    if old is None or old_base != new_base:
        return EVERYTHING
    return classify(changed_files(old, new), new_base)

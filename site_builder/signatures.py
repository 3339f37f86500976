"""Page signatures: a short hash of everything a generated file is made from.

Two builds that give a page the same signature give it the same bytes, so an incremental build
reuses the published file instead of rendering it again. A signature is the page's kind and
key, the site-wide fingerprint (tool version and code, the whole config, every theme template,
the header navigation) and the "cards" of the posts it shows. A post's card covers its source
file (content hash), its URL, the display names of its tags and its place in a series; its page
adds its neighbours', series parts' and related posts' cards. Anything a template can read is
in one of these, which `tests/test_incremental.py` checks by comparing incremental builds with
cold ones file by file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from .fingerprint import digest, tool_fingerprint
from .model import Post, Site
from .themes import theme_dirs


def theme_fingerprint(dirs: Iterable[Path]) -> str:
    """Every template of the site's theme and the built-in one, by content."""
    hasher = hashlib.blake2b(digest_size=16)
    for folder in dirs:
        templates = folder / "templates"
        for path in sorted(templates.rglob("*")) if templates.is_dir() else ():
            if path.is_file() and not path.is_symlink():
                hasher.update(path.relative_to(folder).as_posix().encode())
                hasher.update(path.read_bytes())
    return hasher.hexdigest()


class Signatures:
    """Signatures for the pages of one assembled site."""

    def __init__(self, site: Site) -> None:
        self.site = site
        config = site.config
        nav = tuple((p.url, p.title) for p in site.pages)
        self.site_wide = digest(
            tool_fingerprint(),
            repr(config),
            theme_fingerprint(theme_dirs(config)),
            nav,
            bool(site.series),
        )
        self._cards: dict[str, str] = {}

    def card(self, post: Post) -> str:
        """What a list, a neighbour link or a feed entry shows of `post`."""
        found = self._cards.get(post.url)
        if found is None:
            place = self.site.series_place(post)
            where = (place.series.slug, place.number, place.total) if place else None
            found = digest(post.digest, post.url, tuple(t.name for t in post.tags), where)
            self._cards[post.url] = found
        return found

    def cards(self, posts: Iterable[Post]) -> str:
        return digest([self.card(p) for p in posts])

    def page(self, kind: str, key: str, *parts: object) -> str:
        return digest(self.site_wide, kind, key, parts)

    def post_page(self, post: Post, newer: Post | None, older: Post | None) -> str:
        place = self.site.series_place(post)
        series = self.cards(place.series.posts) if place else ""
        related = self.cards(self.site.related_to(post))
        neighbours = tuple(self.card(p) if p else "" for p in (newer, older))
        return self.page(post.kind, post.url, self.card(post), neighbours, series, related)

"""Page signatures: a short hash of everything a generated file is made from.

Two builds that give a page the same signature give it the same bytes, so an incremental build
reuses the published file instead of rendering it again. A signature is the page's kind and
key, the site-wide fingerprint (tool version and code, the whole config, every theme template,
the header navigation) and the "cards" of the posts it shows. A post's card covers its source
file (content hash), every field of the model's `Post` and its place in a series; its page adds
its neighbours', series parts' and related posts' cards. Anything a template can read is in one
of these: `tests/render/test_signatures.py` edits each field and holds every page to "same
signature, same bytes", and `tests/pipeline/test_incremental.py` compares incremental builds with
cold ones file by file.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from pathlib import Path

from ..config.themes import theme_dirs
from ..content.model import Post, Series, SeriesPlace, Site
from ..fingerprint import digest, tool_fingerprint


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


# A post's fields that a template can show on any page: all but its body, whose summary is added
# where lists show it, and the file's hash, added where the whole post shows. Derived from the
# model, so a new field is in every card (`tests/render/test_signatures.py` holds pages to it).
_SHOWN = tuple(f.name for f in dataclasses.fields(Post) if f.name not in {"body", "digest"})


class Signatures:
    """Signatures for the pages of one assembled site.

    Three views of a post, from the most to the least of it: its `card` (everything, the
    content hash included: its own page, feeds), its `summary_card` (what list pages show: the
    front matter and the summary, "read more" and reading time) and its `link_card` (what a
    link to it can show: every field of the post and its series place, not the body). An edit
    of a post's body below its summary thus leaves the lists it appears on alone, and one of
    its body alone leaves the pages linking to it alone.
    """

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
        self._link: dict[str, str] = {}  # by post URL
        self._summary: dict[str, str] = {}
        self._full: dict[str, str] = {}
        self._tags: dict[str, str] = {}
        self._series: dict[str, str] = {}
        self._tag_posts = {tag.slug: tag.posts for tag in site.tags}

    def _place(self, post: Post) -> tuple[str, int, int] | None:
        place = self.site.series_place(post)
        return (place.series.slug, place.number, place.total) if place else None

    def link_card(self, post: Post) -> str:
        card = self._link.get(post.url)
        if card is None:
            card = self._link[post.url] = digest(
                [getattr(post, name) for name in _SHOWN], self._place(post)
            )
        return card

    def summary_card(self, post: Post) -> str:
        card = self._summary.get(post.url)
        if card is None:
            card = self._summary[post.url] = digest(
                self.link_card(post),
                post.body.facts.summary_key(),  # summary HTML, "read more", reading time
            )
        return card

    def card(self, post: Post) -> str:
        card = self._full.get(post.url)
        if card is None:
            # two fixed-length hashes side by side: no need to hash them again
            card = self._full[post.url] = f"{self.summary_card(post)}:{post.digest}"
        return card

    # The list forms below look the memo up inline: they run for every post of every list.

    def cards(self, posts: Iterable[Post]) -> str:
        full, card = self._full, self.card
        return digest([full.get(p.url) or card(p) for p in posts])

    def summaries(self, posts: Iterable[Post]) -> str:
        summary, card = self._summary, self.summary_card
        return digest([summary.get(p.url) or card(p) for p in posts])

    def links(self, posts: Iterable[Post]) -> str:
        link, card = self._link, self.link_card
        return digest([link.get(p.url) or card(p) for p in posts])

    def tag_members(self, slug: str) -> str:
        """Who carries a tag, newest first: what related posts are worked out from."""
        members = self._tags.get(slug)
        if members is None:
            posts = self._tag_posts.get(slug)
            members = self._tags[slug] = self.links(posts) if posts is not None else ""
        return members

    def series_members(self, series: Series) -> str:
        """A series' parts in order, worked out once (every part's page shows them all)."""
        members = self._series.get(series.slug)
        if members is None:
            members = self._series[series.slug] = self.links(series.posts)
        return members

    def page(self, kind: str, key: str, *parts: object) -> str:
        return digest(self.site_wide, kind, key, parts)

    def post_page(
        self, post: Post, newer: Post | None, older: Post | None, place: SeriesPlace | None
    ) -> str:
        series = self.series_members(place.series) if place else ""
        related = [self.tag_members(t.slug) for t in post.tags]
        neighbours = tuple(self.link_card(p) if p else "" for p in (newer, older))
        return self.page(post.kind, post.url, self.card(post), neighbours, series, related)

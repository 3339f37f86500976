"""The site model: frozen records for posts, pages, tags, series and the whole site.

Everything here is plain data built in phase 1 by `library.assemble`; rendering reads it and
never changes it. URLs are site-relative paths that start and end with '/' (feeds end in
`.xml` / `.json`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..config.schema import SiteConfig
from ..markup.body import Body
from ..markup.outline import Heading, Outline
from ..markup.toc import TOC_LEVELS, TocEntry, nest, numbers_itself
from .front_matter.located import Located
from .sources import StaticFile
from .urls import ATOM, series_url, tag_url

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag as a post links to it."""

    name: str
    slug: str

    @property
    def url(self) -> str:
        return tag_url(self.slug)


@dataclass(frozen=True, slots=True)
class Post:
    """One published post or page."""

    source: str
    kind: str
    slug: str
    url: str
    title: str
    date: dt.datetime | None
    body: Body
    digest: str = ""
    updated: dt.datetime | None = None
    description: str | None = None
    tags: tuple[TagRef, ...] = ()
    draft: bool = False
    series: str | None = None
    series_order: int | None = None
    canonical_url: str | None = None
    cover_image: str | None = None
    authors: tuple[str, ...] = ()
    aliases: tuple[Located, ...] = ()  # old URLs, each served by a redirect page
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def html(self) -> str:
        return self.body.html

    @property
    def outline(self) -> Outline:
        return self.body.outline

    @property
    def summary_html(self) -> str:
        return self.body.facts.summary_html

    @property
    def has_more(self) -> bool:
        return self.body.facts.has_more

    @property
    def word_count(self) -> int:
        return self.body.facts.word_count

    @property
    def reading_minutes(self) -> int:
        return self.body.facts.reading_minutes

    @property
    def anchors(self) -> frozenset[str]:
        """The heading ids of this page (without loading its HTML)."""
        return self.body.facts.anchors

    @property
    def last_modified(self) -> dt.datetime | None:
        return self.updated or self.date

    @property
    def toc(self) -> tuple[Heading, ...]:
        """The headings the table of contents lists (`##` to `####`), in order."""
        return tuple(h for h in self.outline.headings if h.level in TOC_LEVELS)

    @property
    def toc_tree(self) -> tuple[TocEntry, ...]:
        """The table of contents nested by level (`###` under `##`); see `markup.toc`."""
        return nest(self.toc)

    @property
    def toc_numbered(self) -> bool:
        """Whether the post numbers its own headings, so the contents should not."""
        return numbers_itself(self.toc_tree)


@dataclass(frozen=True, slots=True)
class Tag:
    """A folded tag: one slug, the display name, and its posts newest first."""

    name: str
    slug: str
    posts: tuple[Post, ...]

    @property
    def url(self) -> str:
        return tag_url(self.slug)

    @property
    def feed_url(self) -> str:
        return ATOM.url(self.url)


@dataclass(frozen=True, slots=True)
class Series:
    """Posts sharing a `series:` name, in reading order (part 1 first)."""

    name: str
    slug: str
    posts: tuple[Post, ...]

    @property
    def url(self) -> str:
        return series_url(self.slug)

    @property
    def feed_url(self) -> str:
        return ATOM.url(self.url)

    @property
    def updated(self) -> dt.datetime | None:
        return max((p.last_modified for p in self.posts if p.last_modified), default=None)


@dataclass(frozen=True, slots=True)
class SeriesPlace:
    """Where one post stands in its series: part `number` of `total`, and its neighbours."""

    series: Series
    number: int
    previous: Post | None
    next: Post | None

    @property
    def total(self) -> int:
        return len(self.series.posts)

    @property
    def box_parts(self) -> tuple[tuple[int, Post] | None, ...]:
        """The parts a series box lists, as (part number, post), None marking a gap.

        A series of up to `BOX_ALL` parts is listed whole. A longer one lists its first and
        last parts and those within `BOX_AROUND` of this one, so that each part's page stays
        small however long the series grows (listing every part on every part's page makes the
        output grow with the square of the series' length).
        """
        posts = self.series.posts
        if len(posts) <= BOX_ALL:
            return tuple(enumerate(posts, start=1))
        wanted = {1, len(posts), *range(self.number - BOX_AROUND, self.number + BOX_AROUND + 1)}
        listed: list[tuple[int, Post] | None] = []
        for number in sorted(n for n in wanted if 1 <= n <= len(posts)):
            if listed and listed[-1] is not None and listed[-1][0] != number - 1:
                listed.append(None)
            listed.append((number, posts[number - 1]))
        return tuple(listed)


BOX_ALL = 12  # a series box lists every part of a series this long or shorter
BOX_AROUND = 3  # of a longer one, the parts this close to the current one (and the ends)


@dataclass(frozen=True, slots=True)
class Year:
    """Posts of one calendar year (in the site timezone), newest first, for the archive."""

    year: int
    posts: tuple[Post, ...]


@dataclass(frozen=True, slots=True)
class Site:
    """The whole site, ready to render."""

    config: SiteConfig
    posts: tuple[Post, ...]
    pages: tuple[Post, ...]
    tags: tuple[Tag, ...]
    static_files: tuple[StaticFile, ...]
    build_time: dt.datetime
    series: tuple[Series, ...] = ()
    places: Mapping[str, SeriesPlace] = field(default_factory=dict)
    related: Callable[[Post], tuple[Post, ...]] | None = None

    @property
    def updated(self) -> dt.datetime:
        """The newest post (or page) date: feeds' `updated`, never the build time."""
        for group in (self.posts, self.pages):
            dates = [p.last_modified for p in group if p.last_modified is not None]
            if dates:
                return max(dates)
        return EPOCH

    def series_place(self, post: Post) -> SeriesPlace | None:
        """The series `post` belongs to and its place in it, or None."""
        return self.places.get(post.url)

    def related_to(self, post: Post) -> tuple[Post, ...]:
        return self.related(post) if self.related is not None else ()

    @property
    def years(self) -> tuple[Year, ...]:
        """Posts grouped by year, newest year first (the archive page)."""
        groups: dict[int, list[Post]] = {}
        for post in self.posts:
            if post.date is not None:
                groups.setdefault(post.date.year, []).append(post)
        return tuple(Year(year, tuple(groups[year])) for year in sorted(groups, reverse=True))


@dataclass(frozen=True, slots=True)
class Selection:
    drafts: bool = False
    future: bool = False
    now: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    drafts: int = 0
    future: int = 0

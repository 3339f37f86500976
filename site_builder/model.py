"""The site model: frozen records for posts, pages, tags and the whole site.

Everything here is plain data built in phase 1 by `library.assemble`; rendering reads it and
never changes it. URLs are site-relative paths that start and end with '/'.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from .config import SiteConfig
from .outline import Outline
from .sources import StaticFile


@dataclass(frozen=True, slots=True)
class TagRef:
    """A tag as a post links to it."""

    name: str
    slug: str

    @property
    def url(self) -> str:
        return f"/tags/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Post:
    """One published post or page."""

    source: str
    kind: str
    slug: str
    url: str
    title: str
    date: dt.datetime | None
    html: str
    summary_html: str
    outline: Outline
    updated: dt.datetime | None = None
    description: str | None = None
    tags: tuple[TagRef, ...] = ()
    draft: bool = False
    series: str | None = None
    series_order: int | None = None
    canonical_url: str | None = None
    cover_image: str | None = None
    word_count: int = 0
    reading_minutes: int = 1
    has_more: bool = False
    extra: Mapping[str, object] = field(default_factory=dict)

    @property
    def last_modified(self) -> dt.datetime | None:
        return self.updated or self.date

    @property
    def toc(self) -> tuple[object, ...]:
        return tuple(h for h in self.outline.headings if h.level in (2, 3))


@dataclass(frozen=True, slots=True)
class Tag:
    """A folded tag: one slug, the display name, and its posts newest first."""

    name: str
    slug: str
    posts: tuple[Post, ...]

    @property
    def url(self) -> str:
        return f"/tags/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Site:
    """The whole site, ready to render."""

    config: SiteConfig
    posts: tuple[Post, ...]
    pages: tuple[Post, ...]
    tags: tuple[Tag, ...]
    static_files: tuple[StaticFile, ...]
    build_time: dt.datetime

    @property
    def updated(self) -> dt.datetime:
        dates = [p.last_modified for p in self.posts if p.last_modified is not None]
        return max(dates, default=self.build_time)

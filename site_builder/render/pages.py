"""The HTML pages of a site: which exist, their URLs, templates, context and head meta.

Home (paginated), posts, standalone pages, the tag index and tag pages (paginated), the series
index and one page per series, the archive by year, the search page (unless
`[search] enabled = false`) and the 404 page: one function per kind of page, each yielding
`PageJob`s, so the caller decides when pages are made and how failures are reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..content.model import Post, Site
from ..content.urls import pager_url
from . import feeds, seo
from .renderer import Lazy, PageJob, Renderer
from .seo import FeedLink
from .signatures import Signatures


@dataclass(frozen=True, slots=True)
class Paginator:
    """One page of a paginated list."""

    items: tuple[Post, ...]
    number: int
    total: int
    base_url: str

    def url_for(self, number: int) -> str:
        return pager_url(self.base_url, number)

    @property
    def url(self) -> str:
        return self.url_for(self.number)

    @property
    def prev_url(self) -> str | None:
        return self.url_for(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_for(self.number + 1) if self.number < self.total else None


def paginate(items: Sequence[Post], per_page: int, base_url: str) -> list[Paginator]:
    total = max(1, math.ceil(len(items) / per_page))
    return [
        Paginator(tuple(items[(n - 1) * per_page : n * per_page]), n, total, base_url)
        for n in range(1, total + 1)
    ]


def html_pages(site: Site, r: Renderer, sig: Signatures) -> Iterator[PageJob]:
    """Every HTML page of the site as a `PageJob`."""
    pages = _Pages(site, r, sig)
    for kind in (_home, _posts, _standalone, _tags, _series, _archive, _search, _not_found):
        yield from kind(pages)


@dataclass(frozen=True, slots=True)
class _Pages:
    """What every kind of page is made with: the site, its renderer and its signatures."""

    site: Site
    r: Renderer
    sig: Signatures

    @property
    def site_feeds(self) -> list[FeedLink]:
        """The feeds every page advertises."""
        return self.r.site_feeds

    def meta(
        self,
        heading: str,
        description: str,
        url: str,
        own_feeds: Sequence[FeedLink] = (),
        robots: str | None = None,
        json_ld: dict[str, Any] | None = None,
    ) -> Callable[[], seo.PageMeta]:
        """A list page's metadata, made only if the page is rendered."""
        return partial(
            seo.list_meta,
            self.site,
            heading,
            description,
            url,
            self.r.abs_url,
            [*self.site_feeds, *own_feeds],
            robots=robots,
            json_ld=json_ld,
        )


def _home(p: _Pages) -> Iterator[PageJob]:
    site, config = p.site, p.site.config
    for pager in paginate(site.posts, config.posts_per_page, "/"):
        heading = config.title if pager.number == 1 else f"Posts, page {pager.number}"
        json_ld = seo.website(site, p.r.abs_url) if pager.number == 1 else None
        home = p.meta(heading, config.description, pager.url, json_ld=json_ld)
        yield PageJob(
            pager.url,
            p.sig.page("index", pager.url, pager.total, p.sig.summaries(pager.items)),
            partial(p.r.page, "index.html", pager.url, home, paginator=pager),
        )


def _posts(p: _Pages) -> Iterator[PageJob]:
    site, posts = p.site, p.site.posts
    for index, post in enumerate(posts):
        newer = posts[index - 1] if index > 0 else None
        older = posts[index + 1] if index + 1 < len(posts) else None
        place = site.series_place(post)
        links = p.site_feeds
        if place is not None:
            series = place.series
            links = [*links, *feeds.own_links(site, "series", series.url, series.name)]
        post_meta = partial(seo.post_meta, site, post, p.r.abs_url, links, place)
        yield PageJob(
            post.url,
            p.sig.post_page(post, newer, older, place),
            partial(
                p.r.page,
                "post.html",
                post.url,
                post_meta,
                post=post,
                newer=newer,
                older=older,
                place=place,
                related=Lazy(partial(site.related_to, post)),
            ),
        )


def _standalone(p: _Pages) -> Iterator[PageJob]:
    for page in p.site.pages:
        page_meta = partial(seo.post_meta, p.site, page, p.r.abs_url, p.site_feeds)
        yield PageJob(
            page.url,
            p.sig.post_page(page, None, None, None),
            partial(p.r.page, "page.html", page.url, page_meta, post=page),
        )


def _tags(p: _Pages) -> Iterator[PageJob]:
    site, title = p.site, p.site.config.title
    tags_meta = p.meta("Tags", f"All tags on {title}", "/tags/")
    counts = [(t.name, t.slug, len(t.posts)) for t in site.tags]
    yield PageJob(
        "/tags/",
        p.sig.page("tags", "/tags/", counts),
        partial(p.r.page, "tags.html", "/tags/", tags_meta, tags=site.tags),
    )
    for tag in site.tags:
        own = feeds.own_links(site, "tag", tag.url, tag.name)
        for pager in paginate(tag.posts, site.config.posts_per_page, tag.url):
            heading = tag.name if pager.number == 1 else f"{tag.name} (page {pager.number})"
            description = f"Posts tagged {tag.name} on {title}"
            tag_meta = p.meta(heading, description, pager.url, own)
            signature = p.sig.page(
                "tag",
                pager.url,
                tag.name,
                len(tag.posts),
                pager.total,
                p.sig.summaries(pager.items),
            )
            make = partial(
                p.r.page, "tag.html", pager.url, tag_meta, tag=tag, paginator=pager, own_feeds=own
            )
            yield PageJob(pager.url, signature, make)


def _series(p: _Pages) -> Iterator[PageJob]:
    site, title = p.site, p.site.config.title
    if site.series:
        index_meta = p.meta("Series", f"Every series on {title}", "/series/")
        members = [(x.name, p.sig.series_members(x)) for x in site.series]
        yield PageJob(
            "/series/",
            p.sig.page("series-index", "/series/", members),
            partial(p.r.page, "series_index.html", "/series/", index_meta, all_series=site.series),
        )
    for series in site.series:
        parts = len(series.posts)
        own = feeds.own_links(site, "series", series.url, series.name)
        series_meta = p.meta(
            series.name,
            f"{series.name}: a series in {parts} part{'s' if parts != 1 else ''} on {title}",
            series.url,
            own,
            json_ld=seo.series_data(series, p.r.abs_url),
        )
        yield PageJob(
            series.url,
            p.sig.page("series", series.url, series.name, p.sig.summaries(series.posts)),
            partial(p.r.page, "series.html", series.url, series_meta, series=series, own_feeds=own),
        )


def _archive(p: _Pages) -> Iterator[PageJob]:
    title = p.site.config.title
    archive_meta = p.meta("Archive", f"Every post on {title}, by year", "/archive/")
    yield PageJob(
        "/archive/",
        p.sig.page("archive", "/archive/", p.sig.links(p.site.posts)),
        partial(p.r.page, "archive.html", "/archive/", archive_meta, years=p.site.years),
    )


def _search(p: _Pages) -> Iterator[PageJob]:
    if p.site.config.search.enabled:
        title = p.site.config.title
        search_meta = p.meta("Search", f"Search the posts of {title}", "/search/", robots="noindex")
        yield PageJob(
            "/search/",
            p.sig.page("search", "/search/"),
            partial(p.r.page, "search.html", "/search/", search_meta),
        )


def _not_found(p: _Pages) -> Iterator[PageJob]:
    lost = p.meta("Page not found", "", "/404.html", robots="noindex")
    yield PageJob(
        "/404.html",
        p.sig.page("404", "/404.html"),
        partial(p.r.page, "404.html", "/404.html", lost),
    )

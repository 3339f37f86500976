"""The HTML pages of a site: which exist, their URLs, templates, context and head meta.

Home (paginated), posts, standalone pages, the tag index and tag pages (paginated), the series
index and one page per series, the archive by year, the search page (unless
`[search] enabled = false`) and the 404 page. Each page is yielded as `(url, make)` so the
caller decides how failures are reported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from ..content.model import Post, Site
from . import feeds, seo
from .seo import FeedLink
from .signatures import Signatures

if TYPE_CHECKING:
    from .site_files import Renderer


@dataclass(frozen=True, slots=True)
class Lazy:
    """A page context value made only when the page is rendered."""

    make: Callable[[], object]


@dataclass(frozen=True, slots=True)
class PageJob:
    """One generated file: its URL, its signature (see `signatures`), and how to make it."""

    url: str
    signature: str
    make: Callable[[], bytes]
    # Jobs of one group share work memoised in-process (the feeds share each post's entry):
    # the parallel renderer gives a group to a single worker, so none of it is done twice.
    group: str = ""


@dataclass(frozen=True, slots=True)
class Paginator:
    """One page of a paginated list."""

    items: tuple[Post, ...]
    number: int
    total: int
    base_url: str

    def url_for(self, number: int) -> str:
        return self.base_url if number == 1 else f"{self.base_url}page/{number}/"

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
    config = site.config
    title = config.title
    site_feeds: list[FeedLink] = [feeds.site_feed(site).link]
    if config.feeds.json_feed:
        site_feeds.append(feeds.json_feed_link(site))
    per_page = config.posts_per_page

    def meta(
        heading: str,
        description: str,
        url: str,
        *extra: FeedLink,
        robots: str | None = None,
        json_ld: dict[str, Any] | None = None,
    ) -> Callable[[], seo.PageMeta]:
        """The page's metadata, made only if the page is rendered."""
        links = [*site_feeds, *extra]
        return partial(
            seo.list_meta,
            site,
            heading,
            description,
            url,
            r.abs_url,
            links,
            robots=robots,
            json_ld=json_ld,
        )

    for pager in paginate(site.posts, per_page, "/"):
        heading = title if pager.number == 1 else f"Posts, page {pager.number}"
        home = meta(
            heading,
            config.description,
            pager.url,
            json_ld=seo.website(site, r.abs_url) if pager.number == 1 else None,
        )
        yield PageJob(
            pager.url,
            sig.page("index", pager.url, pager.total, sig.summaries(pager.items)),
            partial(r.page, "index.html", pager.url, home, paginator=pager),
        )
    yield from _posts(site, r, site_feeds, sig)
    for page in site.pages:
        page_meta = partial(seo.post_meta, site, page, r.abs_url, site_feeds)
        yield PageJob(
            page.url,
            sig.post_page(page, None, None, None),
            partial(r.page, "page.html", page.url, page_meta, post=page),
        )
    tags_meta = meta("Tags", f"All tags on {title}", "/tags/")
    counts = [(t.name, t.slug, len(t.posts)) for t in site.tags]
    yield PageJob(
        "/tags/",
        sig.page("tags", "/tags/", counts),
        partial(r.page, "tags.html", "/tags/", tags_meta, tags=site.tags),
    )
    for tag in site.tags:
        own = [feeds.Feed(tag.feed_url, f"{title}: {tag.name}", tag.url, ()).link]
        for pager in paginate(tag.posts, per_page, tag.url):
            heading = tag.name if pager.number == 1 else f"{tag.name} (page {pager.number})"
            tag_meta = meta(
                heading,
                f"Posts tagged {tag.name} on {title}",
                pager.url,
                *(own if config.feeds.tag_feeds else ()),
            )
            yield PageJob(
                pager.url,
                sig.page(
                    "tag",
                    pager.url,
                    tag.name,
                    len(tag.posts),
                    pager.total,
                    sig.summaries(pager.items),
                ),
                partial(r.page, "tag.html", pager.url, tag_meta, tag=tag, paginator=pager),
            )
    if site.series:
        index_meta = meta("Series", f"Every series on {title}", "/series/")
        yield PageJob(
            "/series/",
            sig.page(
                "series-index", "/series/", [(x.name, sig.series_members(x)) for x in site.series]
            ),
            partial(r.page, "series_index.html", "/series/", index_meta, all_series=site.series),
        )
    for series in site.series:
        parts = len(series.posts)
        own = [feeds.Feed(series.feed_url, f"{title}: {series.name}", series.url, ()).link]
        series_meta = meta(
            series.name,
            f"{series.name}: a series in {parts} part{'s' if parts != 1 else ''} on {title}",
            series.url,
            *(own if config.feeds.tag_feeds else ()),
            json_ld=seo.series_data(series, r.abs_url),
        )
        yield PageJob(
            series.url,
            sig.page("series", series.url, series.name, sig.summaries(series.posts)),
            partial(r.page, "series.html", series.url, series_meta, series=series),
        )
    archive_meta = meta("Archive", f"Every post on {title}, by year", "/archive/")
    yield PageJob(
        "/archive/",
        sig.page("archive", "/archive/", sig.links(site.posts)),
        partial(r.page, "archive.html", "/archive/", archive_meta, years=site.years),
    )
    if config.search.enabled:
        search_meta = meta("Search", f"Search the posts of {title}", "/search/", robots="noindex")
        yield PageJob(
            "/search/",
            sig.page("search", "/search/"),
            partial(r.page, "search.html", "/search/", search_meta),
        )
    lost = meta("Page not found", "", "/404.html", robots="noindex")
    yield PageJob(
        "/404.html", sig.page("404", "/404.html"), partial(r.page, "404.html", "/404.html", lost)
    )


def _posts(
    site: Site, r: Renderer, site_feeds: list[FeedLink], sig: Signatures
) -> Iterator[PageJob]:
    posts = site.posts
    title = site.config.title
    for index, post in enumerate(posts):
        newer = posts[index - 1] if index > 0 else None
        older = posts[index + 1] if index + 1 < len(posts) else None
        place = site.series_place(post)
        links = list(site_feeds)
        if place is not None and site.config.feeds.tag_feeds:
            series = place.series
            links.append(feeds.Feed(series.feed_url, f"{title}: {series.name}", "", ()).link)
        post_meta = partial(seo.post_meta, site, post, r.abs_url, links, place)
        yield PageJob(
            post.url,
            sig.post_page(post, newer, older, place),
            partial(
                r.page,
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

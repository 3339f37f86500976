"""The feeds of a site, as data: one `Feed` per page that has one, in every enabled format.

Which pages have feeds, and what each feed is called and where it lives, comes from the formats
in `content.urls` (`FEED_FORMATS`): the site's home (Atom, and JSON Feed unless `[feeds]
json_feed = false`), each tag and each series (Atom, unless `tag_feeds = false`). The writers
of the formats are `atom` and `json_feed`; what they share (each post's feed HTML with absolute
URLs, made once per build; XML-safe text; dates) is here. `updated` is the newest post date in
the feed (never the build time), so two builds give the same bytes.

What an entry carries depends on the feed's kind (`FeedsConfig.full_for`): the site's feeds the
whole post (`[feeds] full_content`), tag and series feeds the summary (the text above
`<!-- more -->`, else the description, else the first paragraph) unless `tag_full_content` or
`series_full_content` says otherwise. A tag feed repeats posts the site feed already carries in
full; with summaries, the 61 tag feeds of a 1,000-post site shrink from 37.2 MB to 1.0 MB.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..content.model import Post, Site
from ..content.urls import FEED_FORMATS, FeedFormat
from ..markup.html_rewrite import drop_permalinks, rewrite
from .seo import AbsUrl, FeedLink

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed: its format, where it lives, what it is called, the page it mirrors, its posts,
    and whether its entries carry whole posts (`full`) or their summaries."""

    format: FeedFormat
    url: str
    title: str
    page_url: str
    posts: tuple[Post, ...]
    full: bool
    subtitle: str = ""

    @property
    def link(self) -> FeedLink:
        """The feed as pages advertise it (`<link rel="alternate">`)."""
        fmt = self.format
        return FeedLink(self.title + fmt.title_suffix, self.url, fmt.media_type, fmt.label)


def feeds_of(
    site: Site, kind: str, page_url: str, subject: str | None, posts: tuple[Post, ...]
) -> list[Feed]:
    """The feeds of one page of `kind` (home, tag, series), in every format that it has."""
    config = site.config
    subtitle = config.description if kind == "home" else ""
    full = config.feeds.full_for(kind)
    return [
        Feed(
            fmt,
            fmt.url(page_url),
            fmt.title(config.title, subject),
            page_url,
            posts,
            full=full,
            subtitle=subtitle,
        )
        for fmt in FEED_FORMATS
        if fmt.for_kind(kind, config.feeds)
    ]


def site_feeds(site: Site) -> list[Feed]:
    return feeds_of(site, "home", "/", None, site.posts)


def all_feeds(site: Site) -> list[Feed]:
    """Every feed of the site: the home's, then each tag's, then each series' (newest first)."""
    found = site_feeds(site)
    for tag in site.tags:
        found += feeds_of(site, "tag", tag.url, tag.name, tag.posts)
    for series in site.series:
        newest_first = tuple(sorted(series.posts, key=_newest_first))
        found += feeds_of(site, "series", series.url, series.name, newest_first)
    return sorted(found, key=lambda feed: FEED_FORMATS.index(feed.format))


def own_links(site: Site, kind: str, page_url: str, subject: str) -> list[FeedLink]:
    """The feeds of a tag or series page, as that page and its posts advertise them."""
    return [feed.link for feed in feeds_of(site, kind, page_url, subject, ())]


def links(
    site: Site, kind: str = "home", page_url: str = "/", subject: str | None = None
) -> list[FeedLink]:
    """The feeds a page advertises: the site's, then those of its tag or series, if any."""
    own = own_links(site, kind, page_url, subject) if subject is not None else []
    return [*(feed.link for feed in site_feeds(site)), *own]


class Contents:
    """Each post's feed HTML, made once per build and shared by every feed it appears in."""

    def __init__(self, abs_url: AbsUrl) -> None:
        self.abs_url = abs_url
        self._full: dict[str, str] = {}
        self._summary: dict[str, str] = {}
        # by (post URL, whole post?): its serialised Atom <entry>, one per kind of entry
        self.atom_entries: dict[tuple[str, bool], str] = {}

    def full(self, post: Post) -> str:
        if post.url not in self._full:
            self._full[post.url] = clean(content_html(post, self.abs_url))
        return self._full[post.url]

    def summary(self, post: Post) -> str:
        if post.url not in self._summary:
            self._summary[post.url] = clean(summary_html(post, self.abs_url))
        return self._summary[post.url]


def content_html(post: Post, abs_url: AbsUrl) -> str:
    """The whole post as HTML for a feed reader: absolute URLs, no heading permalinks."""
    return _absolute_urls(drop_permalinks(post.html), post, abs_url)


def summary_html(post: Post, abs_url: AbsUrl) -> str:
    """The summary as HTML for a feed reader (see the module docstring for which one)."""
    if post.has_more or not post.description:
        html = drop_permalinks(post.summary_html)
    else:
        html = f"<p>{escape(post.description, quote=False)}</p>"
    return _absolute_urls(html, post, abs_url)


def _absolute_urls(html: str, post: Post, abs_url: AbsUrl) -> str:
    base = abs_url(post.url)
    return rewrite(html, lambda value: urllib.parse.urljoin(base, value))


def updated(site: Site, posts: Sequence[Post]) -> dt.datetime:
    dates = [p.last_modified for p in posts if p.last_modified is not None]
    return max(dates) if dates else site.updated


def _newest_first(post: Post) -> tuple[float, str]:
    return (-(post.date.timestamp() if post.date else 0.0), post.source)


def clean(text: str) -> str:
    """`text` without the characters XML 1.0 does not allow (JSON gets the same text)."""
    return _NOT_XML.sub("", text)

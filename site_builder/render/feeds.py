"""Feeds: Atom for the site, each tag and each series; JSON Feed 1.1 for the site.

Pure: posts in, bytes out. XML is built with `xml.etree` (which escapes text and attributes)
after characters XML 1.0 forbids are removed. Every URL is absolute: entry links, and the links
and images inside the content, which are resolved against the post's own address. `updated` is
the newest post date in the feed (never the build time), so two builds give the same bytes.
With `[feeds] full_content = false`, entries carry the summary (the text above
`<!-- more -->`, else the description, else the first paragraph) instead of the whole post.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from ..content.model import Post, Site
from ..markup.html_rewrite import drop_permalinks, rewrite
from ..version import __version__
from .seo import FeedLink, absolute

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_SLOT = "x-entry-"
_SLOT_RE = re.compile(r"<x-entry-([0-9]+) />")

AbsUrl = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Feed:
    """One feed: where it lives, what it is called, the HTML page it mirrors, its posts."""

    url: str
    title: str
    page_url: str
    posts: tuple[Post, ...]
    subtitle: str = ""

    @property
    def link(self) -> FeedLink:
        return FeedLink(self.title, self.url, ATOM_TYPE)


def site_feed(site: Site) -> Feed:
    return Feed("/atom.xml", site.config.title, "/", site.posts, site.config.description)


def json_feed_link(site: Site) -> FeedLink:
    return FeedLink(f"{site.config.title} (JSON Feed)", "/feed.json", JSON_FEED_TYPE)


def all_feeds(site: Site) -> list[Feed]:
    """The site feed, then (unless `[feeds] tag_feeds = false`) one per tag and per series."""
    feeds = [site_feed(site)]
    if site.config.feeds.tag_feeds:
        title = site.config.title
        for tag in site.tags:
            feeds.append(Feed(tag.feed_url, f"{title}: {tag.name}", tag.url, tag.posts))
        for series in site.series:
            newest_first = tuple(sorted(series.posts, key=_newest_first))
            feeds.append(Feed(series.feed_url, f"{title}: {series.name}", series.url, newest_first))
    return feeds


class Contents:
    """Each post's feed HTML, made once per build and shared by every feed it appears in."""

    def __init__(self, abs_url: AbsUrl) -> None:
        self.abs_url = abs_url
        self._full: dict[str, str] = {}
        self._summary: dict[str, str] = {}
        self._entries: dict[str, str] = {}

    def entry_xml(self, site: Site, post: Post) -> str:
        """The post's serialised `<entry>`, indented as a child of `<feed>` (without the tail):
        the same in every feed the post is in, so it is built and escaped once."""
        if post.url not in self._entries:
            entry = _entry(site, post, self.abs_url, self)
            ET.indent(entry, space=" ", level=1)
            self._entries[post.url] = ET.tostring(entry, encoding="unicode")
        return self._entries[post.url]

    def full(self, post: Post) -> str:
        if post.url not in self._full:
            self._full[post.url] = _clean(content_html(post, self.abs_url))
        return self._full[post.url]

    def summary(self, post: Post) -> str:
        if post.url not in self._summary:
            self._summary[post.url] = _clean(summary_html(post, self.abs_url))
        return self._summary[post.url]


def atom(site: Site, feed: Feed, abs_url: AbsUrl, contents: Contents | None = None) -> bytes:
    """The Atom 1.0 document of `feed`."""
    contents = contents or Contents(abs_url)
    config = site.config
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    _link(root, abs_url(feed.url), "self", ATOM_TYPE)
    _link(root, abs_url(feed.page_url), "alternate", "text/html")
    _text(root, "id", abs_url(feed.url))
    _text(root, "updated", _iso(_updated(site, feed.posts)))
    author = ET.SubElement(root, "author")
    _text(author, "name", config.author or config.title)
    generator = ET.SubElement(root, "generator", {"version": __version__})
    generator.text = "site_builder"
    entries = [contents.entry_xml(site, post) for post in feed.posts[: config.feeds.limit]]
    for number in range(len(entries)):  # placeholders, replaced by the serialised entries
        ET.SubElement(root, f"{_SLOT}{number}")
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    # Escaped text cannot contain "<", so the only "<x-entry-N />" are the placeholders.
    body = _SLOT_RE.sub(lambda m: entries[int(m.group(1))], body)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def json_feed(site: Site, abs_url: AbsUrl, contents: Contents | None = None) -> bytes:
    """The site's JSON Feed 1.1 document."""
    contents = contents or Contents(abs_url)
    config = site.config
    data: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": config.title,
        "home_page_url": abs_url("/"),
        "feed_url": abs_url("/feed.json"),
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
    }
    if config.description:
        data["description"] = config.description
    items: list[dict[str, object]] = []
    for post in site.posts[: config.feeds.limit]:
        url = abs_url(post.url)
        item: dict[str, object] = {"id": url, "url": url, "title": _clean(post.title)}
        if post.canonical_url and post.canonical_url != url:
            item["external_url"] = post.canonical_url
        if config.feeds.full_content:
            item["content_html"] = contents.full(post)
        else:
            item["content_html"] = contents.summary(post)
        if post.description:
            item["summary"] = _clean(post.description)
        if post.cover_image:
            item["image"] = absolute(post.cover_image, post.url, abs_url)
        if post.date:
            item["date_published"] = _iso(post.date)
        if post.last_modified:
            item["date_modified"] = _iso(post.last_modified)
        if post.tags:
            item["tags"] = [tag.name for tag in post.tags]
        items.append(item)
    data["items"] = items
    # '<', '>' and '&' as \u escapes: the same JSON, and no raw markup for a careless reader.
    raw = json.dumps(data, ensure_ascii=False, indent=2)
    text = re.sub("[<>&]", lambda m: f"\\u{ord(m.group(0)):04x}", raw)
    return (text + "\n").encode("utf-8")


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


def _entry(site: Site, post: Post, abs_url: AbsUrl, contents: Contents) -> ET.Element:
    url = abs_url(post.url)
    entry = ET.Element("entry")
    _text(entry, "title", post.title)
    _link(entry, url, "alternate", "text/html")
    if post.canonical_url and post.canonical_url != url:
        _link(entry, post.canonical_url, "related", "text/html")
    _text(entry, "id", url)
    if post.date:
        _text(entry, "published", _iso(post.date))
    _text(entry, "updated", _iso(post.last_modified or site.updated))
    for tag in post.tags:
        ET.SubElement(
            entry,
            "category",
            {"term": _clean(tag.name), "scheme": abs_url("/tags/"), "label": _clean(tag.name)},
        )
    if site.config.feeds.full_content:
        if post.description:
            _text(entry, "summary", post.description)
        _text(entry, "content", contents.full(post), type="html", clean=False)
    else:
        _text(entry, "summary", contents.summary(post), type="html", clean=False)
    if post.cover_image:
        image = absolute(post.cover_image, post.url, abs_url)
        _link(entry, image, "enclosure", _image_type(image))
    return entry


def _absolute_urls(html: str, post: Post, abs_url: AbsUrl) -> str:
    base = abs_url(post.url)
    return rewrite(html, lambda value: urllib.parse.urljoin(base, value))


def _updated(site: Site, posts: Sequence[Post]) -> dt.datetime:
    dates = [p.last_modified for p in posts if p.last_modified is not None]
    return max(dates) if dates else site.updated


def _newest_first(post: Post) -> tuple[float, str]:
    return (-(post.date.timestamp() if post.date else 0.0), post.source)


def _text(
    parent: ET.Element, name: str, value: str, *, clean: bool = True, **attributes: str
) -> ET.Element:
    """A child element holding `value` (`clean=False`: `value` is already `_clean`)."""
    element = ET.SubElement(parent, name, attributes)
    element.text = _clean(value) if clean else value
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    attributes = {"rel": rel, "type": kind, "href": _clean(href)}
    if not kind:
        del attributes["type"]
    ET.SubElement(parent, "link", attributes)


def _clean(text: str) -> str:
    """`text` without the characters XML 1.0 does not allow (JSON gets the same text)."""
    return _NOT_XML.sub("", text)


def _iso(value: dt.datetime) -> str:
    return value.isoformat(timespec="seconds")


def _image_type(url: str) -> str:
    path = urllib.parse.urlsplit(url).path.lower()
    for suffix, kind in (
        (".png", "image/png"),
        (".jpg", "image/jpeg"),
        (".jpeg", "image/jpeg"),
        (".gif", "image/gif"),
        (".webp", "image/webp"),
        (".avif", "image/avif"),
        (".svg", "image/svg+xml"),
    ):
        if path.endswith(suffix):
            return kind
    return ""

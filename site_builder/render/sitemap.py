"""`sitemap.xml` (sitemaps.org 0.9, with `lastmod`) and the `robots.txt` that points at it.

Pure. The sitemap lists the pages a search engine should index: the home page, every post and
page, the tag, series and archive pages (first pages of lists only). Posts whose
`canonical_url` points at another site are left out, as their canonical copy lives there;
the search and 404 pages and drafts (built with `--drafts`) are `noindex` and left out too.
`lastmod` is the newest date of what the page shows, so the file changes only with content.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from ..content.model import Post, Site
from .seo import AbsUrl, iso

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def entries(site: Site, abs_url: AbsUrl) -> list[tuple[str, dt.datetime | None]]:
    """`(absolute URL, lastmod)` for every page in the sitemap, in a stable order."""
    found: list[tuple[str, dt.datetime | None]] = [(abs_url("/"), _newest(site.posts))]
    for post in (*site.posts, *site.pages):
        own = abs_url(post.url)
        if post.draft or (post.canonical_url and post.canonical_url != own):
            continue
        found.append((own, post.last_modified))
    if site.posts:
        found.append((abs_url("/archive/"), _newest(site.posts)))
    if site.tags:
        found.append((abs_url("/tags/"), _newest(site.posts)))
    found.extend((abs_url(tag.url), _newest(tag.posts)) for tag in site.tags)
    if site.series:
        found.append((abs_url("/series/"), _newest(p for s in site.series for p in s.posts)))
    found.extend((abs_url(series.url), series.updated) for series in site.series)
    return found


def sitemap(site: Site, abs_url: AbsUrl) -> bytes:
    """The sitemap.xml document."""
    root = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    for location, modified in entries(site, abs_url):
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = location
        if modified is not None:
            lastmod = ET.SubElement(url, "lastmod")
            lastmod.text = iso(modified)
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def robots(abs_url: AbsUrl) -> bytes:
    """robots.txt: every crawler may read everything; the sitemap's address.

    Pages that should stay out of search results (search, 404, drafts) say so with
    `<meta name="robots" content="noindex">`, which a crawler can only see if it may fetch them.
    """
    return f"User-agent: *\nAllow: /\n\nSitemap: {abs_url('/sitemap.xml')}\n".encode()


def _newest(posts: Iterable[Post]) -> dt.datetime | None:
    return max((p.last_modified for p in posts if p.last_modified is not None), default=None)

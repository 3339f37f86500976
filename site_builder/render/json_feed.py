"""The JSON Feed 1.1 writer: one `Feed` to bytes (the same entries as the Atom feed).

`content_html` is the whole post in a feed that carries whole posts (`Feed.full`), else the
summary (JSON Feed requires a content field); `summary` is the post's description.
"""

from __future__ import annotations

import json
import re

from ..content.model import Site
from .feeds import Contents, Feed, clean
from .seo import AbsUrl, absolute, iso

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def json_feed(site: Site, feed: Feed, abs_url: AbsUrl, contents: Contents | None = None) -> bytes:
    """The JSON Feed 1.1 document of `feed`."""
    contents = contents or Contents(abs_url)
    config = site.config
    data: dict[str, object] = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": abs_url(feed.page_url),
        "feed_url": abs_url(feed.url),
        "language": config.language,
        "authors": [{"name": config.author or config.title}],
    }
    if feed.subtitle:
        data["description"] = feed.subtitle
    items: list[dict[str, object]] = []
    for post in feed.posts[: config.feeds.limit]:
        url = abs_url(post.url)
        item: dict[str, object] = {"id": url, "url": url, "title": clean(post.title)}
        if post.canonical_url and post.canonical_url != url:
            item["external_url"] = post.canonical_url
        if feed.full:
            item["content_html"] = contents.full(post)
        else:
            item["content_html"] = contents.summary(post)
        if post.description:
            item["summary"] = clean(post.description)
        if post.cover_image:
            item["image"] = absolute(post.cover_image, post.url, abs_url)
        if post.date:
            item["date_published"] = iso(post.date)
        if post.last_modified:
            item["date_modified"] = iso(post.last_modified)
        if post.tags:
            item["tags"] = [tag.name for tag in post.tags]
        items.append(item)
    data["items"] = items
    # '<', '>' and '&' as \u escapes: the same JSON, and no raw markup for a careless reader.
    raw = json.dumps(data, ensure_ascii=False, indent=2)
    text = re.sub("[<>&]", lambda m: f"\\u{ord(m.group(0)):04x}", raw)
    return (text + "\n").encode("utf-8")

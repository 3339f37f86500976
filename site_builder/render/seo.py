"""What a page tells search engines and link previews: title, description, canonical URL,
robots, Open Graph and Twitter card meta, feed links and JSON-LD.

Pure data for `base.html` to print. A post's `canonical_url` (a cross-post's original home)
wins over its own address. `cover_image` (else `[social] image`) is the share image, made
absolute against the page. JSON-LD is escaped for a `<script>` element: `<`, `>`, `&`, U+2028
and U+2029 become `\\u` escapes, so no title or tag can end the script.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..content.model import Post, Series, SeriesPlace, Site

AbsUrl = Callable[[str], str]  # a site path to an absolute URL (`Renderer.abs_url`)
DESCRIPTION_LENGTH = 160
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@dataclass(frozen=True, slots=True)
class FeedLink:
    """A feed advertised in `<head>` (`<link rel="alternate">`) and in the footer."""

    title: str
    url: str
    type: str
    label: str = ""  # what a link to it says on a page ("Atom feed")


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Everything `<head>` says about one page."""

    title: str
    description: str
    canonical: str
    robots: str | None
    properties: tuple[tuple[str, str], ...]
    names: tuple[tuple[str, str], ...]
    json_ld: Markup
    feeds: tuple[FeedLink, ...]


def json_script(data: object) -> Markup:
    """`data` as JSON that is safe inside `<script type="application/ld+json">`."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    escaped = re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)
    return Markup(escaped)  # noqa: S704 - no '<', '>' or '&' is left to end the script


def plain_text(html: str) -> str:
    """The text of an HTML fragment, entities decoded and whitespace collapsed."""
    return Markup(html).striptags()  # noqa: S704 - only read for its text, never output


def shorten(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with '…' when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


def describe(post: Post) -> str:
    """A post's meta description: its `description`, else the start of its summary."""
    if post.description:
        return shorten(post.description)
    return shorten(plain_text(post.summary_html))


def absolute(reference: str, page_url: str, abs_url: AbsUrl) -> str:
    """`reference` (a URL, a site path or a path relative to `page_url`) as an absolute URL."""
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", reference):
        return reference
    return urllib.parse.urljoin(abs_url(page_url), reference)


def share_image(site: Site, post: Post | None, page_url: str, abs_url: AbsUrl) -> str | None:
    if post is not None and post.cover_image:
        return absolute(post.cover_image, page_url, abs_url)
    if site.config.social.image:
        return absolute(site.config.social.image, "/", abs_url)
    return None


def post_meta(
    site: Site,
    post: Post,
    abs_url: AbsUrl,
    feeds: Sequence[FeedLink],
    place: SeriesPlace | None = None,
) -> PageMeta:
    """Head meta for a post or a standalone page."""
    config = site.config
    canonical = post.canonical_url or abs_url(post.url)
    description = describe(post)
    image = share_image(site, post, post.url, abs_url)
    article = post.kind == "post"
    properties: list[tuple[str, str]] = [
        ("og:type", "article" if article else "website"),
        ("og:title", post.title),
        ("og:description", description),
        ("og:url", canonical),
        ("og:site_name", config.title),
    ]
    properties.extend(_locale(config.language))
    if image:
        properties.append(("og:image", image))
    if article and post.date:
        properties.append(("article:published_time", iso(post.date)))
    if article and post.last_modified:
        properties.append(("article:modified_time", iso(post.last_modified)))
    if article:
        properties.extend(("article:tag", tag.name) for tag in post.tags)
    data: dict[str, Any] | None = None
    if article:
        data = blog_posting(site, post, abs_url, canonical, description, image, place)
    return PageMeta(
        title=f"{post.title} · {config.title}",
        description=description,
        canonical=canonical,
        robots="noindex" if post.draft else None,
        properties=tuple(properties),
        names=_twitter(site, post.title, description, image),
        json_ld=json_script(data) if data else Markup(""),
        feeds=tuple(feeds),
    )


def list_meta(
    site: Site,
    title: str,
    description: str,
    url: str,
    abs_url: AbsUrl,
    feeds: Sequence[FeedLink],
    *,
    robots: str | None = None,
    json_ld: dict[str, Any] | None = None,
) -> PageMeta:
    """Head meta for the home page, lists, the archive, search and 404."""
    config = site.config
    description = shorten(description or config.description or config.title)
    image = share_image(site, None, url, abs_url)
    properties: list[tuple[str, str]] = [
        ("og:type", "website"),
        ("og:title", title),
        ("og:description", description),
        ("og:url", abs_url(url)),
        ("og:site_name", config.title),
    ]
    properties.extend(_locale(config.language))
    if image:
        properties.append(("og:image", image))
    full_title = title if title == config.title else f"{title} · {config.title}"
    return PageMeta(
        title=full_title,
        description=description,
        canonical=abs_url(url),
        robots=robots,
        properties=tuple(properties),
        names=_twitter(site, title, description, image),
        json_ld=json_script(json_ld) if json_ld else Markup(""),
        feeds=tuple(feeds),
    )


def blog_posting(
    site: Site,
    post: Post,
    abs_url: AbsUrl,
    canonical: str,
    description: str,
    image: str | None,
    place: SeriesPlace | None,
) -> dict[str, Any]:
    """schema.org `BlogPosting` for one post."""
    config = site.config
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": shorten(post.title, 110),
        "description": description,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "inLanguage": config.language,
        "wordCount": post.word_count,
    }
    if post.date:
        data["datePublished"] = iso(post.date)
    if post.last_modified:
        data["dateModified"] = iso(post.last_modified)
    if post.tags:
        data["keywords"] = [tag.name for tag in post.tags]
    if config.author:
        data["author"] = {"@type": "Person", "name": config.author}
    data["publisher"] = {"@type": "Organization", "name": config.title, "url": abs_url("/")}
    if image:
        data["image"] = [image]
    if place is not None:
        data["isPartOf"] = {
            "@type": "CreativeWorkSeries",
            "name": place.series.name,
            "url": abs_url(place.series.url),
        }
        data["position"] = place.number
    return data


def website(site: Site, abs_url: AbsUrl) -> dict[str, Any]:
    """schema.org `WebSite` for the home page, with a SearchAction when search is on."""
    config = site.config
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": config.title,
        "url": abs_url("/"),
        "inLanguage": config.language,
    }
    if config.description:
        data["description"] = config.description
    if config.search.enabled:
        data["potentialAction"] = {
            "@type": "SearchAction",
            "target": abs_url("/search/") + "?q={search_term_string}",
            "query-input": "required name=search_term_string",
        }
    return data


def series_data(series: Series, abs_url: AbsUrl) -> dict[str, Any]:
    """schema.org `CreativeWorkSeries` listing the parts in order."""
    return {
        "@context": "https://schema.org",
        "@type": "CreativeWorkSeries",
        "name": series.name,
        "url": abs_url(series.url),
        "hasPart": [
            {
                "@type": "BlogPosting",
                "headline": shorten(post.title, 110),
                "url": post.canonical_url or abs_url(post.url),
                "position": number,
            }
            for number, post in enumerate(series.posts, start=1)
        ],
    }


def _twitter(
    site: Site, title: str, description: str, image: str | None
) -> tuple[tuple[str, str], ...]:
    names: list[tuple[str, str]] = [
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", title),
        ("twitter:description", description),
    ]
    handle = site.config.social.twitter
    if handle:
        names.append(("twitter:site", handle if handle.startswith("@") else "@" + handle))
    if image:
        names.append(("twitter:image", image))
    return tuple(names)


def _locale(language: str) -> list[tuple[str, str]]:
    """`og:locale` from a language tag with a region (`en-CA` → `en_CA`)."""
    match = re.fullmatch(r"([a-zA-Z]{2,3})-([a-zA-Z]{2})", language)
    if match is None:
        return []
    return [("og:locale", f"{match.group(1).lower()}_{match.group(2).upper()}")]


def iso(value: dt.datetime) -> str:
    """A date as feeds, the sitemap and page meta write it (ISO 8601, to the second)."""
    return value.isoformat(timespec="seconds")

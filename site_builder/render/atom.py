"""The Atom 1.0 writer: one `Feed` to bytes.

XML is built with `xml.etree` (which escapes text and attributes) after the characters XML 1.0
forbids are removed. Every URL is absolute: entry links, and the links and images inside the
content, which are resolved against the post's own address. A post's `<entry>` is serialised
once per build for each form it takes (whole post, summary) and placed in every feed that uses
that form. A summary entry keeps everything but the content: its links, dates, categories and
enclosure, and the summary as `<summary type="html">`.
"""

from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET

from ..content.model import Post, Site
from ..version import __version__
from .feeds import Contents, Feed, clean, updated
from .seo import AbsUrl, absolute, iso

ATOM_NS = "http://www.w3.org/2005/Atom"

_SLOT = "x-entry-"
_SLOT_RE = re.compile(r"<x-entry-([0-9]+) />")
_clean_text = clean


def atom(site: Site, feed: Feed, abs_url: AbsUrl, contents: Contents | None = None) -> bytes:
    """The Atom 1.0 document of `feed`."""
    contents = contents or Contents(abs_url)
    config = site.config
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    _link(root, abs_url(feed.url), "self", feed.format.media_type)
    _link(root, abs_url(feed.page_url), "alternate", "text/html")
    _text(root, "id", abs_url(feed.url))
    _text(root, "updated", iso(updated(site, feed.posts)))
    author = ET.SubElement(root, "author")
    _text(author, "name", config.author or config.title)
    generator = ET.SubElement(root, "generator", {"version": __version__})
    generator.text = "site_builder"
    entries = [
        _entry_xml(site, post, abs_url, contents, feed.full)
        for post in feed.posts[: config.feeds.limit]
    ]
    for number in range(len(entries)):  # placeholders, replaced by the serialised entries
        ET.SubElement(root, f"{_SLOT}{number}")
    ET.indent(root, space=" ")
    body = ET.tostring(root, encoding="unicode")
    # Escaped text cannot contain "<", so the only "<x-entry-N />" are the placeholders.
    body = _SLOT_RE.sub(lambda m: entries[int(m.group(1))], body)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _entry_xml(site: Site, post: Post, abs_url: AbsUrl, contents: Contents, full: bool) -> str:
    """The post's serialised `<entry>`, indented as a child of `<feed>` (without the tail):
    the same in every feed that carries the post in the same form (`full`: the whole post,
    else its summary), so each form is built and escaped once."""
    key = (post.url, full)
    made = contents.atom_entries.get(key)
    if made is None:
        entry = _entry(site, post, abs_url, contents, full)
        ET.indent(entry, space=" ", level=1)
        made = contents.atom_entries[key] = ET.tostring(entry, encoding="unicode")
    return made


def _entry(site: Site, post: Post, abs_url: AbsUrl, contents: Contents, full: bool) -> ET.Element:
    url = abs_url(post.url)
    entry = ET.Element("entry")
    _text(entry, "title", post.title)
    _link(entry, url, "alternate", "text/html")
    if post.canonical_url and post.canonical_url != url:
        _link(entry, post.canonical_url, "related", "text/html")
    _text(entry, "id", url)
    if post.date:
        _text(entry, "published", iso(post.date))
    _text(entry, "updated", iso(post.last_modified or site.updated))
    for tag in post.tags:
        ET.SubElement(
            entry,
            "category",
            {
                "term": _clean_text(tag.name),
                "scheme": abs_url("/tags/"),
                "label": _clean_text(tag.name),
            },
        )
    if full:
        if post.description:
            _text(entry, "summary", post.description)
        _text(entry, "content", contents.full(post), type="html", clean=False)
    else:
        _text(entry, "summary", contents.summary(post), type="html", clean=False)
    if post.cover_image:
        image = absolute(post.cover_image, post.url, abs_url)
        _link(entry, image, "enclosure", _image_type(image))
    return entry


def _text(
    parent: ET.Element, name: str, value: str, *, clean: bool = True, **attributes: str
) -> ET.Element:
    """A child element holding `value` (`clean=False`: `value` is already `_clean`)."""
    element = ET.SubElement(parent, name, attributes)
    element.text = _clean_text(value) if clean else value
    return element


def _link(parent: ET.Element, href: str, rel: str, kind: str) -> None:
    attributes = {"rel": rel, "type": kind, "href": _clean_text(href)}
    if not kind:
        del attributes["type"]
    ET.SubElement(parent, "link", attributes)


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

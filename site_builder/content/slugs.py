"""Slugs: the rules that turn tags, file names and headings into URL path segments."""

from __future__ import annotations

import functools
import re
import unicodedata

from .urls import FEED_FORMATS

POST_SLUG_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
RESERVED_SLUGS = frozenset(
    {
        "index",
        "page",
        "tags",
        "static",
        "series",
        "feed",
        "feeds",
        "search",
        "archive",
        "posts",
        "pagefind",
        "404",
        "__reload",
        # the files the site publishes at its root: a page slugged so would be a folder
        *(feed.file_name for feed in FEED_FORMATS),
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "index.html",
    }
)
_NON_WORD = re.compile(r"[^\w]+|_+")


@functools.lru_cache(maxsize=4096)  # a site has few distinct tags, each met on many posts
def tag_slug(name: str) -> str:
    """NFC, casefold, then runs of anything but letters and digits become one '-'."""
    folded = unicodedata.normalize("NFC", name).casefold()
    return _NON_WORD.sub("-", folded).strip("-")


def tag_key(name: str) -> str:
    """How a tag is displayed when compared: NFC and surrounding space removed."""
    return unicodedata.normalize("NFC", name).strip()


def file_slug(stem: str) -> str:
    """A post slug from a file name: accents dropped, lower case, other runs become '-'."""
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def near_duplicate_key(name: str) -> str:
    """A looser fold for near-duplicate tags: 'Node.js', 'NodeJS' and 'node-js' agree."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())

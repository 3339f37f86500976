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


_DATE_PREFIX_RE = re.compile(r"^\d{4}-\d{2}-\d{2}-(?=.)")


def source_slug(stem: str) -> str:
    """A post slug from its file name, without the `YYYY-MM-DD-` date a Jekyll or Docusaurus
    post's name starts with (`2016-03-07-slim-images.md` → `slim-images`), as Jekyll does."""
    return file_slug(_DATE_PREFIX_RE.sub("", stem, count=1))


def near_duplicate_key(name: str) -> str:
    """A looser fold for near-duplicate tags: 'Node.js', 'NodeJS' and 'node-js' agree."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", name).casefold())


# The longest URL path segment (a folder of output/) a slug, tag or series may make, in UTF-8
# bytes: file systems refuse names over 255 bytes (some, such as eCryptfs, at 143 for what they
# store), and the site's own names go beside it; 200 leaves room and no real slug comes near.
MAX_SEGMENT_BYTES = 200


def segment_overflow(segment: str) -> int | None:
    """The length in bytes of a URL path segment over `MAX_SEGMENT_BYTES`, else None."""
    if len(segment) * 4 <= MAX_SEGMENT_BYTES:  # no need to encode what cannot be too long
        return None
    size = len(segment.encode("utf-8", "surrogatepass"))
    return size if size > MAX_SEGMENT_BYTES else None


def shortened(slug: str, limit: int = MAX_SEGMENT_BYTES) -> str:
    """An ASCII slug cut to at most `limit` characters, at a '-' where there is one."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    head = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else cut
    return head.strip("-")

"""The site's URL space: where each kind of page and feed lives, and the base path in front.

One home for each URL rule, read by the model (a post's, tag's or series' URL), by render
(pages, feeds, head links) and by the link checks (which must know every URL without
rendering). URLs are site-relative paths that start with '/' and end with '/' (pages) or a
file name (feeds and data files); `with_base` puts the base path of `base_url` in front.

Feeds are described as data, as Hugo describes its output formats: a `FeedFormat` names the
media type, the file name under the page it mirrors, the title suffix and the kinds of page
that have one; a new format is one value in `FEED_FORMATS` (and its writer in `render.feeds`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.schema import FeedsConfig


def document_url(kind: str, slug: str) -> str:
    """A post at `/posts/<slug>/`, a standalone page at `/<slug>/`."""
    return f"/posts/{slug}/" if kind == "post" else f"/{slug}/"


def tag_url(slug: str) -> str:
    return f"/tags/{slug}/"


def series_url(slug: str) -> str:
    return f"/series/{slug}/"


def pager_url(first: str, number: int) -> str:
    """Page `number` of a paginated list whose first page is `first` (`/tags/x/page/2/`)."""
    return first if number == 1 else f"{first}page/{number}/"


def with_base(base_path: str, path: str) -> str:
    """A site-relative URL with the base path in front (`/tags/` → `/blog/tags/`); absolute
    URLs, fragments and mail links are left as they are."""
    if "://" in path or path.startswith(("#", "mailto:")):
        return path
    return base_path + path.lstrip("/")


@dataclass(frozen=True, slots=True)
class FeedFormat:
    """One output format of feeds: what a page's feed of this format is called and where it is."""

    name: str
    media_type: str
    file_name: str  # under the URL of the page the feed mirrors
    title_suffix: str  # where pages advertise it, to tell formats apart in a feed reader
    label: str  # what a link to it says on a page ("Atom feed")
    always: frozenset[str]  # the kinds of page (home, tag, series) that always have one
    switched: frozenset[str]  # the kinds that have one while the `[feeds]` setting `switch` is on
    switch: str

    def for_kind(self, kind: str, feeds: FeedsConfig) -> bool:
        """Whether a page of `kind` has a feed of this format, under the site's settings."""
        return kind in self.always or (kind in self.switched and bool(getattr(feeds, self.switch)))

    def url(self, page_url: str) -> str:
        return page_url + self.file_name

    def title(self, site_title: str, subject: str | None = None) -> str:
        """The site's title, or `site: subject` for a tag's or series' feed."""
        return f"{site_title}: {subject}" if subject is not None else site_title


ATOM = FeedFormat(
    name="atom",
    media_type="application/atom+xml",
    file_name="atom.xml",
    title_suffix="",
    label="Atom feed",
    always=frozenset({"home"}),
    switched=frozenset({"tag", "series"}),
    switch="tag_feeds",
)
JSON_FEED = FeedFormat(
    name="jsonfeed",
    media_type="application/feed+json",
    file_name="feed.json",
    title_suffix=" (JSON Feed)",
    label="JSON Feed",
    always=frozenset(),
    switched=frozenset({"home"}),
    switch="json_feed",
)
FEED_FORMATS = (ATOM, JSON_FEED)

"""The site's URL space for link checks: what a link resolves to, built once per run.

Every lookup is a dict or set probe, so checking a link costs the same on a 5-post site and a
5,000-post one. Generated pages the model does not list (what the renderer adds) are asked of
the renderer once, lazily, only when a link is not found among posts, pages, tags and files.
"""

from __future__ import annotations

import math
import posixpath
import re
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.library import Document
from ..content.model import Post, Site
from ..content.slugs import source_slug
from ..content.urls import document_url, pager_url, with_base
from .nearest import Nearest

_SOURCE_SUFFIXES = (".md", ".markdown")
_FOOTNOTE_ID = re.compile(r"fn\d+|fnref\d+(?::\d+)?")


@dataclass(frozen=True, slots=True)
class Target:
    """Where an internal link goes.

    `kind`: page, route, file, source (a .md file), missing, outside, unpublished.
    """

    kind: str
    path: str
    fragment: str | None = None
    post: Post | None = None
    document: Document | None = None


class Routes:
    """Lookups over one assembled site (published posts and pages, tags, static files)."""

    def __init__(self, site: Site, documents: Sequence[Document]) -> None:
        self.site = site
        self.base = site.config.base_path
        self.pages: dict[str, Post] = {p.url: p for p in (*site.posts, *site.pages)}
        self.by_source: dict[str, Document] = {d.source: d for d in documents}
        self.posts_by_source: dict[str, Post] = {p.source: p for p in self.pages.values()}
        self.routes: set[str] = {"/", "/tags/", "/404.html", "/static/pygments.css"}
        per_page = max(1, site.config.posts_per_page)
        self._paginated("/", len(site.posts), per_page)
        for tag in site.tags:
            self._paginated(tag.url, len(tag.posts), per_page)
        for series in getattr(site, "series", ()):
            self.routes.add(series.url)
        self.files: set[str] = {"/" + f.url_path for f in site.static_files}
        self.unpublished: dict[str, Document] = {}
        for document in documents:
            if document.source not in self.posts_by_source:
                self.unpublished.setdefault(would_be_url(document), document)
        self._generated: frozenset[str] | None = None
        self._names: _Names | None = None

    def _paginated(self, url: str, count: int, per_page: int) -> None:
        self.routes.add(url)
        for number in range(2, math.ceil(count / per_page) + 1):
            self.routes.add(pager_url(url, number))

    def resolve(self, href: str, page: Post) -> Target:
        """The target of a scheme-less `href` written on `page`."""
        raw, _, fragment_part = href.partition("#")
        fragment = urllib.parse.unquote(fragment_part) if "#" in href else None
        raw = raw.partition("?")[0]
        path = urllib.parse.unquote(raw)
        if not path:
            return Target("page", page.url, fragment, post=page)
        if path.lower().endswith(_SOURCE_SUFFIXES):
            return self._source(path, page, fragment)
        if not path.startswith("/"):
            here = self.base + page.url.lstrip("/")
            joined = posixpath.normpath(posixpath.join(here, path)).lstrip("/")
            trailing = path.endswith(("/", "/.", "/..")) or path in (".", "..")
            path = "/" + joined + ("/" if trailing and joined else "")
        if not path.startswith(self.base):
            inside = self.lookup(path)
            return Target("outside", path, fragment, inside.post)
        target = self.lookup("/" + path[len(self.base) :])
        return Target(target.kind, target.path, fragment, target.post, target.document)

    def lookup(self, path: str) -> Target:
        """A site path (`/posts/x/`, `/img/a.png`) as a target."""
        candidates = [path]
        if path.endswith("/index.html"):
            candidates.append(path[: -len("index.html")])
        elif not path.endswith("/"):
            candidates.append(path + "/")
        for candidate in candidates:
            if candidate in self.pages:
                return Target("page", candidate, post=self.pages[candidate])
            if candidate in self.routes:
                return Target("route", candidate)
        if path in self.files:
            return Target("file", path)
        for candidate in candidates:
            if candidate in self.unpublished:
                return Target("unpublished", candidate, document=self.unpublished[candidate])
        if any(c in self.generated() for c in (path, *candidates)):
            return Target("route", path)
        return Target("missing", path)

    def _source(self, path: str, page: Post, fragment: str | None) -> Target:
        if path.startswith("/"):
            source = path.lstrip("/")
        else:
            source = posixpath.normpath(posixpath.join(posixpath.dirname(page.source), path))
        document = self.by_source.get(source)
        post = self.posts_by_source.get(source)
        if document is None:
            # `other.md` next to the post, or `posts/other.md` from the site root
            for prefix in ("content/", "content/posts/", "content/pages/"):
                document = self.by_source.get(prefix + path.lstrip("./"))
                if document is not None:
                    post = self.posts_by_source.get(document.source)
                    break
        kind = "source" if document is not None else "missing"
        return Target(kind, path, fragment, post, document)

    def generated(self) -> frozenset[str]:
        """URLs the renderer adds (feeds, archive, search, theme files): listed once, lazily."""
        if self._generated is None:
            self._generated = frozenset(_renderer_urls(self.site))
        return self._generated

    def names(self) -> _Names:
        """The indexes behind "did you mean": built once, when a link is first not found."""
        if self._names is None:
            self._names = _Names(self)
        return self._names

    def page_with_slug(self, slug: str) -> str | None:
        """The URL of the first post or page whose slug is `slug`."""
        return self.names().by_slug.get(slug)

    def file_named(self, name: str) -> str | None:
        """The first static file (in path order) whose file name is `name`."""
        return self.names().by_file_name.get(name)

    def nearest_page(self, path: str) -> str | None:
        return self.names().pages.closest(path, cutoff=0.75)

    def nearest_tag(self, slug: str) -> str | None:
        return self.names().tags.closest(slug)

    def anchors(self, post: Post) -> frozenset[str]:
        return post.anchors

    @staticmethod
    def is_footnote_id(fragment: str) -> bool:
        return _FOOTNOTE_ID.fullmatch(fragment) is not None

    def site_url(self, path: str) -> str:
        """A site path as the author should write it (with the base path)."""
        return with_base(self.base, path)


class _Names:
    """What suggestions look names up in: slugs, file names, and the nearest-name indexes."""

    def __init__(self, routes: Routes) -> None:
        self.by_slug: dict[str, str] = {}
        for url, post in routes.pages.items():
            self.by_slug.setdefault(post.slug, url)
        self.by_file_name: dict[str, str] = {}
        for file in sorted(routes.files):
            self.by_file_name.setdefault(posixpath.basename(file), file)
        self.pages = Nearest(routes.pages)
        self.tags = Nearest(tag.slug for tag in routes.site.tags)


def would_be_url(document: Document) -> str:
    """The URL `document` gets once published (drafts and future posts included)."""
    fm = document.front_matter
    slug = urllib.parse.unquote(fm.slug.value) if fm.slug else source_slug(document.stem)
    return document_url(document.kind, slug)


def _renderer_urls(site: Site) -> set[str]:
    """Every URL the renderer would produce, without rendering (its page list is lazy)."""
    from ..render.site_files import planned_urls

    try:
        return planned_urls(site)
    except Exception:  # noqa: BLE001 - a broken theme is reported by rendering itself
        return set()

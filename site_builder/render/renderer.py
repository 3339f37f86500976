"""The renderer of one build: URLs with the base path, list summaries, and one page through its
template; and `PageJob`, one generated file with its signature and the way to make it."""

from __future__ import annotations

import contextlib
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

import jinja2
from markupsafe import Markup

from ..content.bundles import is_bundle_index
from ..content.model import Post, Site
from ..content.urls import with_base
from ..markup.html_rewrite import drop_permalinks, rewrite
from ..markup.outline import SCHEME_RE
from . import feeds
from .seo import PageMeta
from .summaries import cut_summary
from .templates import make_environment


@dataclass(frozen=True, slots=True)
class Lazy:
    """A page context value made only when the page is rendered."""

    make: Callable[[], object]


@dataclass(frozen=True, slots=True)
class PageJob:
    """One generated file: its URL, its signature (see `signatures`), and how to make it."""

    url: str
    signature: str
    make: Callable[[], bytes]
    # Jobs of one group share work memoised in-process (the feeds share each post's entry):
    # the parallel renderer gives a group to a single worker, so none of it is done twice.
    group: str = ""


class Renderer:
    """Renders pages of one site with one Jinja environment."""

    def __init__(self, site: Site) -> None:
        self.site = site
        config = site.config
        self.config = config
        split = urllib.parse.urlsplit(config.base_url)
        self.origin = f"{split.scheme}://{split.netloc}"
        self._base_path = config.base_path  # url() runs for every link of every page
        self.env = make_environment(config, self.url, self.abs_url)
        self._summaries: dict[str, Markup] = {}
        self._templates: dict[str, jinja2.Template] = {}  # by name: loaded once per build
        self.env.globals["summary"] = self.summary
        self.env.globals["series_place"] = site.series_place
        self.site_feeds = feeds.links(site)  # the feeds every page offers
        self.env.globals["site_feeds"] = self.site_feeds

    def url(self, path: str) -> str:
        """A site-relative URL with the base path in front (`/tags/` → `/blog/tags/`)."""
        return with_base(self._base_path, path)

    def abs_url(self, path: str) -> str:
        """An absolute URL: the scheme and host of `base_url`, then `url(path)`."""
        if "://" in path:
            return path
        return self.origin + self.url(path)

    def summary(self, post: Post) -> Markup:
        """A post's summary for list pages: `#` links lead to the post, no ids, no permalinks.

        The text above `<!-- more -->` when there is one, else the description, else the
        first paragraph, cut to `SUMMARY_WORDS` words on a word boundary (`summaries`). A page
        bundle's relative links and images (its own files) are made to start at the post's URL.
        """
        cached = self._summaries.get(post.url)
        if cached is not None:
            return cached
        if post.has_more or not post.description:
            html = drop_permalinks(post.summary_html)
        else:
            html = f"<p>{escape(post.description, quote=False)}</p>"
        html, _ = cut_summary(html)
        target = self.url(post.url)
        bundle = is_bundle_index(post.source)

        def resolve(href: str) -> str:
            if href.startswith("#"):
                return target + href
            if bundle and _is_relative(href):  # the files beside a bundle's page
                return urllib.parse.urljoin(target, href)
            return href

        html = rewrite(html, resolve, drop_ids=True)
        made = Markup(html)  # noqa: S704 - our own rendered Markdown, only attributes changed
        self._summaries[post.url] = made
        return made

    def load_templates(self) -> int:
        """Load every template of the theme now, as `page` would on first use, and say how many
        loaded; one that fails to load is left for `page` to report. Done before render workers
        fork, so they inherit the templates rather than each compiling them again."""
        for name in self.env.list_templates():
            if name not in self._templates:
                with contextlib.suppress(Exception):  # reported when a page uses it
                    self._templates[name] = self.env.get_template(name)
        return len(self._templates)

    def page(
        self, template: str, url: str, meta: PageMeta | Callable[[], PageMeta], **context: Any
    ) -> bytes:
        """One page. `meta` may be given as a function, and any context value as a `Lazy`:
        they are made only when the page is rendered (planning a build renders nothing)."""
        if callable(meta):
            meta = meta()
        for key, value in context.items():
            if isinstance(value, Lazy):
                context[key] = value.make()
        context.setdefault("page_url", url)
        loaded = self._templates.get(template)
        if loaded is None:
            loaded = self._templates[template] = self.env.get_template(template)
        html = loaded.render(site=self.site, config=self.config, meta=meta, **context)
        return html.encode("utf-8")


def _is_relative(href: str) -> bool:
    """A path relative to the page (`a.png`, `img/a.png`, `../x/`), not `/x`, `//host`,
    `?q`, or a URL with a scheme."""
    return bool(href) and href[0] not in "/?" and SCHEME_RE.match(href) is None

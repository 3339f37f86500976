"""Render the site model to files in memory: `{output path: bytes}`; no writes.

`render_site` is the entry point and is pure: the same site gives the same bytes. HTML pages
come from `pages` (one Jinja template each); feeds, the sitemap and robots.txt from `feeds`
and `sitemap`; the code highlighting stylesheet from `codestyle`; the theme's and the site's
static files are listed as copies for publish.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import feeds, sitemap
from .codestyle import stylesheet
from .diagnostics import Diagnostic, Severity
from .htmlrewrite import drop_permalinks, rewrite
from .model import Post, Site
from .pages import Paginator, html_pages, paginate
from .seo import PageMeta
from .sources import walk
from .templates import make_environment, template_diagnostic, theme_dirs

__all__ = ["Paginator", "Rendered", "Renderer", "output_path", "paginate", "render_site"]


@dataclass(frozen=True, slots=True)
class Rendered:
    files: dict[str, bytes]
    copies: dict[str, Path]
    diagnostics: list[Diagnostic]


def output_path(url: str) -> str:
    """The file under the output root that serves `url` (`/a/` → `a/index.html`)."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


class Renderer:
    """Renders pages of one site with one Jinja environment."""

    def __init__(self, site: Site) -> None:
        self.site = site
        config = site.config
        self.config = config
        split = urllib.parse.urlsplit(config.base_url)
        self.origin = f"{split.scheme}://{split.netloc}"
        self.env = make_environment(config, self.url, self.abs_url)
        self._summaries: dict[str, Markup] = {}
        self.env.globals["summary"] = self.summary
        self.env.globals["series_place"] = site.series_place

    def url(self, path: str) -> str:
        """A site-relative URL with the base path in front (`/tags/` → `/blog/tags/`)."""
        if "://" in path or path.startswith(("#", "mailto:")):
            return path
        return self.config.base_path + path.lstrip("/")

    def abs_url(self, path: str) -> str:
        """An absolute URL: the scheme and host of `base_url`, then `url(path)`."""
        if "://" in path:
            return path
        return self.origin + self.url(path)

    def summary(self, post: Post) -> Markup:
        """A post's summary for list pages: `#` links lead to the post, no ids, no permalinks.

        The text above `<!-- more -->` when there is one, else the description, else the
        first paragraph.
        """
        cached = self._summaries.get(post.url)
        if cached is not None:
            return cached
        if post.has_more or not post.description:
            html = drop_permalinks(post.summary_html)
        else:
            html = f"<p>{escape(post.description, quote=False)}</p>"
        target = self.url(post.url)
        html = rewrite(
            html, lambda href: target + href if href.startswith("#") else href, drop_ids=True
        )
        made = Markup(html)  # noqa: S704 - our own rendered Markdown, only attributes changed
        self._summaries[post.url] = made
        return made

    def page(self, template: str, url: str, meta: PageMeta, **context: Any) -> bytes:
        context.setdefault("page_url", url)
        html = self.env.get_template(template).render(
            site=self.site, config=self.config, meta=meta, **context
        )
        return html.encode("utf-8")


def render_site(site: Site) -> Rendered:
    """Every output file of the site; template errors become TPL001 diagnostics."""
    files: dict[str, bytes] = {}
    problems: list[Diagnostic] = []
    try:
        renderer = Renderer(site)
    except jinja2.TemplateError as error:  # pragma: no cover - environment creation is static
        return Rendered({}, {}, [template_diagnostic(site.config, error)])
    seen: set[tuple[str, int, str]] = set()
    for url, make in html_pages(site, renderer):
        try:
            files[output_path(url)] = make()
        except Exception as error:  # noqa: BLE001 - every template failure becomes a diagnostic
            diagnostic = template_diagnostic(site.config, error)
            key = (diagnostic.path, diagnostic.line, diagnostic.message)
            if key not in seen:
                seen.add(key)
                problems.append(diagnostic)
    for url, make_file in _data_files(site, renderer):
        files[output_path(url)] = make_file()
    copies = _static_copies(site, problems)
    if "robots.txt" in copies:
        del files["robots.txt"]  # the site's own robots.txt wins
    for path in list(copies):
        if path in files:
            problems.append(
                Diagnostic(
                    copies[path].relative_to(site.config.root).as_posix()
                    if copies[path].is_relative_to(site.config.root)
                    else path,
                    1,
                    1,
                    Severity.ERROR,
                    "URL001",
                    f"/{path} is also generated by the site",
                    hint="rename or remove the static file",
                )
            )
            del copies[path]
    return Rendered(files, copies, problems)


def _pages(site: Site, r: Renderer) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Every generated URL with its maker, pages and data files (used by link checks)."""
    yield from html_pages(site, r)
    yield from _data_files(site, r)


def _data_files(site: Site, r: Renderer) -> list[tuple[str, Callable[[], bytes]]]:
    """Feeds, sitemap, robots.txt and the highlighting stylesheet."""
    config = site.config
    made: list[tuple[str, Callable[[], bytes]]] = [
        (
            "/static/pygments.css",
            lambda: stylesheet(config.markdown.light_style, config.markdown.dark_style).encode(),
        ),
        ("/sitemap.xml", lambda: sitemap.sitemap(site, r.abs_url)),
        ("/robots.txt", lambda: sitemap.robots(r.abs_url)),
    ]
    contents = feeds.Contents(r.abs_url)
    for feed in feeds.all_feeds(site):
        made.append((feed.url, partial(feeds.atom, site, feed, r.abs_url, contents)))
    if config.feeds.json_feed:
        made.append(("/feed.json", partial(feeds.json_feed, site, r.abs_url, contents)))
    return made


def _static_copies(site: Site, problems: list[Diagnostic]) -> dict[str, Path]:
    """Theme static files under /static/ (site theme wins), then the site's content/static/."""
    copies: dict[str, Path] = {}
    root = site.config.root
    for theme in reversed(theme_dirs(site.config)):
        static = theme / "static"
        base = root if theme.resolve().is_relative_to(root) else theme
        found: list[Diagnostic] = []
        for path, _info in walk(base, static, found):
            copies["static/" + path.relative_to(static).as_posix()] = path
        problems.extend(found if base == root else [])
    for item in site.static_files:
        copies[item.url_path] = item.abs_path
    return copies

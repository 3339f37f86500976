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

from ..config.themes import theme_dirs
from ..content.model import Post, Site
from ..content.sources import walk
from ..diagnostics.diagnostic import Diagnostic, Severity
from ..fingerprint import digest
from ..markup.html_rewrite import drop_permalinks, rewrite
from . import feeds, sitemap
from .pages import Lazy, PageJob, Paginator, html_pages, paginate
from .seo import PageMeta
from .signatures import Signatures
from .templates import make_environment, template_diagnostic

__all__ = [
    "Copy",
    "Paginator",
    "Plan",
    "Rendered",
    "Renderer",
    "output_path",
    "paginate",
    "plan_site",
    "render_site",
]


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
        self._base_path = config.base_path  # url() runs for every link of every page
        self.env = make_environment(config, self.url, self.abs_url)
        self._summaries: dict[str, Markup] = {}
        self._templates: dict[str, jinja2.Template] = {}  # by name: loaded once per build
        self.env.globals["summary"] = self.summary
        self.env.globals["series_place"] = site.series_place

    def url(self, path: str) -> str:
        """A site-relative URL with the base path in front (`/tags/` → `/blog/tags/`)."""
        if "://" in path or path.startswith(("#", "mailto:")):
            return path
        return self._base_path + path.lstrip("/")

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


@dataclass(frozen=True, slots=True)
class Copy:
    """A file published as it is (theme and site static files)."""

    source: Path
    signature: str


@dataclass(frozen=True, slots=True)
class Plan:
    """Every file of the site: generated ones (`jobs`, made on demand) and copies."""

    renderer: Renderer | None
    jobs: list[PageJob]
    copies: dict[str, Copy]
    diagnostics: list[Diagnostic]


def plan_site(site: Site) -> Plan:
    """What the site consists of, with a signature for every file; nothing rendered yet."""
    problems: list[Diagnostic] = []
    try:
        renderer = Renderer(site)
    except jinja2.TemplateError as error:  # pragma: no cover - environment creation is static
        return Plan(None, [], {}, [template_diagnostic(site.config, error)])
    sig = Signatures(site)
    jobs = [*html_pages(site, renderer, sig), *_data_files(site, renderer, sig)]
    copies = _static_copies(site, problems)
    if "robots.txt" in copies:
        jobs = [job for job in jobs if job.url != "/robots.txt"]  # the site's own robots.txt wins
    generated = {output_path(job.url) for job in jobs}
    for path in list(copies):
        if path in generated:
            source = copies[path].source
            root = site.config.root
            problems.append(
                Diagnostic(
                    source.relative_to(root).as_posix() if source.is_relative_to(root) else path,
                    1,
                    1,
                    Severity.ERROR,
                    "URL001",
                    f"/{path} is also generated by the site",
                    hint="rename or remove the static file",
                )
            )
            del copies[path]
    return Plan(renderer, jobs, copies, problems)


class TemplateErrors:
    """Collects TPL001 diagnostics, one per template problem however many pages hit it."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.found: list[Diagnostic] = []
        self._seen: set[tuple[str, int, str]] = set()

    def add(self, error: Exception) -> None:
        diagnostic = template_diagnostic(self.site.config, error)
        key = (diagnostic.path, diagnostic.line, diagnostic.message)
        if key not in self._seen:
            self._seen.add(key)
            self.found.append(diagnostic)


def render_site(site: Site) -> Rendered:
    """Every output file of the site in memory; template errors become TPL001 diagnostics."""
    plan = plan_site(site)
    files: dict[str, bytes] = {}
    errors = TemplateErrors(site)
    for job in plan.jobs:
        try:
            files[output_path(job.url)] = job.make()
        except Exception as error:  # noqa: BLE001 - every template failure becomes a diagnostic
            errors.add(error)
    copies = {path: copy.source for path, copy in plan.copies.items()}
    return Rendered(files, copies, [*errors.found, *plan.diagnostics])


def _pages(site: Site, r: Renderer) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """Every generated URL with its maker, pages and data files (used by link checks)."""
    sig = Signatures(site)
    for job in (*html_pages(site, r, sig), *_data_files(site, r, sig)):
        yield job.url, job.make


def _stylesheet(light: str, dark: str) -> bytes:
    from ..markup.highlight_css import stylesheet  # Pygments: only when the stylesheet is rendered

    return stylesheet(light, dark).encode()


def _data_files(site: Site, r: Renderer, sig: Signatures) -> list[PageJob]:
    """Feeds, sitemap, robots.txt and the highlighting stylesheet."""
    config = site.config
    markdown = config.markdown
    made: list[PageJob] = [
        PageJob(
            "/static/pygments.css",
            sig.page("css", "/static/pygments.css"),
            lambda: _stylesheet(markdown.light_style, markdown.dark_style),
        ),
        PageJob(
            "/sitemap.xml",
            sig.page(
                "sitemap",
                "/sitemap.xml",
                sig.links(site.posts),
                sig.links(site.pages),
                [(t.slug, sig.tag_members(t.slug)) for t in site.tags],
                [(s.slug, sig.links(s.posts)) for s in site.series],
            ),
            lambda: sitemap.sitemap(site, r.abs_url),
        ),
        PageJob(
            "/robots.txt", sig.page("robots", "/robots.txt"), lambda: sitemap.robots(r.abs_url)
        ),
    ]
    contents = feeds.Contents(r.abs_url)
    limit = config.feeds.limit
    updated = site.updated
    for feed in feeds.all_feeds(site):
        made.append(
            PageJob(
                feed.url,
                sig.page("feed", feed.url, feed.title, sig.cards(feed.posts[:limit]), updated),
                partial(feeds.atom, site, feed, r.abs_url, contents),
                group="feeds",
            )
        )
    if config.feeds.json_feed:
        made.append(
            PageJob(
                "/feed.json",
                sig.page("json-feed", "/feed.json", sig.cards(site.posts[:limit]), updated),
                partial(feeds.json_feed, site, r.abs_url, contents),
                group="feeds",
            )
        )
    return made


def _static_copies(site: Site, problems: list[Diagnostic]) -> dict[str, Copy]:
    """Theme static files under /static/ (site theme wins), then the site's content/static/."""
    copies: dict[str, Copy] = {}
    root = site.config.root
    for theme in reversed(theme_dirs(site.config)):
        static = theme / "static"
        base = root if theme.resolve().is_relative_to(root) else theme
        found: list[Diagnostic] = []
        for path, info in walk(base, static, found):
            signature = digest("copy", str(path), info.st_size, info.st_mtime_ns)
            copies["static/" + path.relative_to(static).as_posix()] = Copy(path, signature)
        problems.extend(found if base == root else [])
    for item in site.static_files:
        signature = digest("copy", str(item.abs_path), item.size, item.mtime_ns)
        copies[item.url_path] = Copy(item.abs_path, signature)
    return copies

"""Redirect pages: one small HTML file at each old URL a post lists under `aliases:` (Hugo) or
`redirect_from:` (Jekyll), sending readers and crawlers to the post, as Hugo writes them.

Each page has a `<meta http-equiv="refresh">` to the post, a `<link rel="canonical">` to it, a
plain link for a browser that does not follow the refresh, and `noindex`; it is in no sitemap,
feed or list. An alias whose file is another generated page, a static file or another alias is
URL001 at the alias's line (the URL is never written twice). Everything written into the page
is escaped, though an alias is a plain path (`content.front_matter.redirects`) and the target
is the post's own URL.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from html import escape

from ..content.model import Site
from ..diagnostics.diagnostic import Diagnostic, Severity
from .renderer import PageJob
from .signatures import Signatures


def redirect_page(title: str, target: str) -> bytes:
    """The page at an old URL: `target` is the absolute URL of the post."""
    href = escape(target, quote=True)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title, quote=False)}</title>\n"
        f'<link rel="canonical" href="{href}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{href}">{escape(title, quote=False)}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()


def redirect_jobs(
    site: Site,
    abs_url: Callable[[str], str],
    sig: Signatures,
    taken: Collection[str],
    output_path: Callable[[str], str],
    problems: list[Diagnostic],
) -> list[PageJob]:
    """A job per alias of every published post and page; URL001 for an alias whose output file
    is already `taken` (compared without case, as file systems may) or another alias's."""
    used = {path.casefold() for path in taken}
    owners: dict[str, str] = {}
    jobs: list[PageJob] = []
    for post in (*site.posts, *site.pages):
        for alias in post.aliases:
            path = output_path(alias.value).casefold()
            clash = _clash(path, used, owners)
            if clash is not None:
                problems.append(
                    Diagnostic(
                        post.source,
                        alias.line,
                        alias.column,
                        Severity.ERROR,
                        "URL001",
                        f"alias {alias.value} is {clash}",
                        hint="remove the alias, or give it the old URL it had",
                    )
                )
                continue
            owners[path] = f"{post.source}:{alias.line}"
            target = abs_url(post.url)
            jobs.append(
                PageJob(
                    alias.value,
                    sig.page("redirect", alias.value, target, post.title),
                    partial(redirect_page, post.title, target),
                )
            )
    return jobs


def _clash(path: str, used: set[str], owners: dict[str, str]) -> str | None:
    if path in used:
        return "also a page or file of the site"
    if path in owners:
        return f"also an alias at {owners[path]}"
    return None

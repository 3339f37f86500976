"""Content checks: what a careful editor would flag before a post goes out.

`run_checks` runs in every build and in `build-site check`, after the site is assembled: links
and anchors (`links`, `link_text`), unfinished writing (`writing`, `structure`), front matter
quality (`front_matter`) and tag lint (`tags`). External links are checked only on request
(`build-site check --external`, see `external`). Each code is listed in `codes.CODES`; every
diagnostic carries a one-line hint; `[checks] levels` in site.toml re-levels them (`levels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..config.schema import SiteConfig
from ..content.library import Document
from ..content.model import Site
from ..diagnostics.diagnostic import Diagnostic
from ..diagnostics.levels import apply_levels
from .codes import CODES
from .context import Checked, Context, DocumentContext, checked_documents
from .front_matter import check_duplicate_titles, check_front_matter, check_published_with_errors
from .link_text import check_link_texts
from .links import check_link_forms, check_links
from .routes import Routes
from .structure import check_structure
from .tags import check_tags
from .writing import check_writing

__all__ = [
    "CODES",
    "apply_levels",
    "checked_sources",
    "run_document_checks",
    "run_site_checks",
]


def run_document_checks(config: SiteConfig, document: Document, text: str) -> list[Diagnostic]:
    """The checks that read one document only (pure; run and cached with the document).

    Link forms and texts, section structure, unfinished writing, title and description. The
    result is not re-levelled: the build applies `[checks] levels` to every diagnostic at the
    end.
    """
    ctx = DocumentContext(config, [Checked(document, text.split("\n"))])
    check_link_forms(ctx)
    check_link_texts(ctx)
    check_structure(ctx)
    check_writing(ctx)
    check_front_matter(ctx)
    return ctx.found


def run_site_checks(
    config: SiteConfig,
    site: Site,
    documents: Sequence[Document],
    prior: Iterable[Diagnostic],
    texts: Mapping[str, str],
) -> list[Diagnostic]:
    """The checks across documents, already re-levelled: links and anchors, shared titles,
    tags, and FMQ005 (a published post with errors, from `prior` and these findings).

    `documents` are all parsed sources (drafts too: a link to a draft is reported as such),
    `texts` the decoded source of each path.
    """
    routes = Routes(site, documents)
    ctx = Context(config, checked_documents(site, documents, texts), site=site, routes=routes)
    check_links(ctx)
    check_duplicate_titles(ctx)
    check_tags(ctx)
    levels = config.checks.levels
    ctx.found = apply_levels(ctx.found, levels)
    found = list(ctx.found)
    published = check_published_with_errors(ctx, [*apply_levels(prior, levels), *found])
    return found + apply_levels(published, levels)


def checked_sources(site: Site) -> frozenset[str]:
    """The sources whose document checks count in this build (drafts only with --drafts)."""
    return frozenset(p.source for p in (*site.posts, *site.pages))

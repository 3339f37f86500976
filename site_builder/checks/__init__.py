"""Content checks: what a careful editor would flag before a post goes out.

`run_checks` runs in every build and in `build-site check`, after the site is assembled: links
and anchors (`links`, `link_text`), unfinished writing (`writing`, `structure`), front matter
quality (`front_matter`) and tag lint (`tags`). External links are checked only on request
(`build-site check --external`, see `external`). Each code is listed in `codes.CODES`; every
diagnostic carries a one-line hint; `[checks] levels` in site.toml re-levels them (`levels`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ..config import SiteConfig
from ..diagnostics import Diagnostic
from ..library import Document
from ..model import Site
from .codes import CODES
from .context import Context, checked_documents
from .front_matter import check_front_matter, check_published_with_errors
from .levels import apply_levels
from .link_text import check_link_texts
from .links import check_links
from .routes import Routes
from .structure import check_structure
from .tags import check_tags
from .writing import check_writing

__all__ = ["CODES", "apply_levels", "run_checks"]


def run_checks(
    config: SiteConfig,
    site: Site,
    documents: Sequence[Document],
    prior: Iterable[Diagnostic],
    texts: Mapping[str, str],
) -> list[Diagnostic]:
    """The content diagnostics of the posts and pages in `site`, already re-levelled.

    `documents` are all parsed sources (drafts too: a link to a draft is reported as such),
    `prior` the diagnostics found before (for FMQ005), `texts` the decoded source of each path.
    """
    routes = Routes(site, documents)
    ctx = Context(config, site, routes, checked_documents(site, documents, texts))
    check_links(ctx)
    check_link_texts(ctx)
    check_structure(ctx)
    check_writing(ctx)
    check_front_matter(ctx)
    check_tags(ctx)
    levels = config.checks.levels
    ctx.found = apply_levels(ctx.found, levels)
    found = list(ctx.found)
    published = check_published_with_errors(ctx, [*apply_levels(prior, levels), *found])
    return found + apply_levels(published, levels)

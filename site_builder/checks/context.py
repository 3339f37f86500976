"""What every check reads: the config, the site, its URL space, the documents being checked.

`Context.emit` is the one way a check reports: the code's default severity comes from the
catalogue, and every diagnostic carries a one-line hint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..config import ChecksConfig, SiteConfig
from ..diagnostics import Diagnostic
from ..library import Document
from ..model import Post, Site
from .codes import CODES
from .positions import Span
from .prose import prose_lines
from .routes import Routes


@dataclass(frozen=True, slots=True)
class Checked:
    """One published post or page: its parsed document, its site record, its file's lines."""

    document: Document
    post: Post
    lines: Sequence[str]

    @property
    def source(self) -> str:
        return self.document.source


@dataclass(slots=True)
class Context:
    config: SiteConfig
    site: Site
    routes: Routes
    items: list[Checked]
    found: list[Diagnostic] = field(default_factory=list)
    _prose: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def checks(self) -> ChecksConfig:
        return self.config.checks

    def prose(self, item: Checked) -> list[tuple[int, str]]:
        """The masked prose lines of `item` (see `prose`), computed once per document."""
        if item.source not in self._prose:
            allow_html = self.config.markdown.allow_html
            self._prose[item.source] = prose_lines(
                item.lines, item.post.outline, allow_html=allow_html
            )
        return self._prose[item.source]

    def emit(self, code: str, path: str, span: Span, message: str, hint: str) -> None:
        """Report `code` at `span` of `path` with its catalogue severity."""
        self.found.append(
            Diagnostic(
                path,
                span.line,
                span.column,
                CODES[code].severity,
                code,
                message,
                end_line=span.line,
                end_column=max(span.column, span.end_column),
                hint=hint,
            )
        )


def checked_documents(
    site: Site, documents: Sequence[Document], texts: Mapping[str, str]
) -> list[Checked]:
    """The documents of this build (drafts only with --drafts), in source order."""
    by_source = {p.source: p for p in (*site.posts, *site.pages)}
    items = [
        Checked(d, by_source[d.source], texts.get(d.source, "").split("\n"))
        for d in documents
        if d.source in by_source
    ]
    items.sort(key=lambda item: item.source)
    return items

"""What every check reads: the config, the documents being checked, and the site's URL space.

`DocumentContext` is all a document-local check may read (so those checks run with the
document, in the build's worker processes, and are cached with it); `Context` adds the
assembled site and its routes for the checks that look across documents. `emit` is the one
way a check reports: the code's default severity comes from the catalogue, and every
diagnostic carries a one-line hint.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

from ..config.schema import ChecksConfig, SiteConfig
from ..content.library import Document
from ..content.model import Post, Site
from ..diagnostics.diagnostic import Diagnostic
from ..markup.outline import Outline
from .codes import diagnostic
from .positions import Span
from .prose import prose_lines
from .routes import Routes


class LazyLines(Sequence[str]):
    """A source file's lines, split from `texts` only when a check first reads them."""

    __slots__ = ("_lines", "_source", "_texts")

    def __init__(self, texts: Mapping[str, str], source: str) -> None:
        self._texts = texts
        self._source = source
        self._lines: list[str] | None = None

    def _all(self) -> list[str]:
        if self._lines is None:
            self._lines = self._texts.get(self._source, "").split("\n")
        return self._lines

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...

    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


@dataclass(frozen=True, slots=True)
class Checked:
    """One post or page: its parsed document, its file's lines, its site record (when known)."""

    document: Document
    lines: Sequence[str]
    record: Post | None = None

    @property
    def source(self) -> str:
        return self.document.source

    @property
    def outline(self) -> Outline:
        return self.document.body.outline

    @property
    def post(self) -> Post:
        """The published record; only site checks (which build items from the site) use it."""
        assert self.record is not None, "a document check must not need the site"
        return self.record


@dataclass(slots=True)
class DocumentContext:
    """What a document-local check reads: the config and the documents."""

    config: SiteConfig
    items: list[Checked]
    found: list[Diagnostic] = field(default_factory=list)
    _prose: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    @property
    def checks(self) -> ChecksConfig:
        return self.config.checks

    def prose(self, item: Checked) -> list[tuple[int, str]]:
        """The masked prose lines of `item` (see `prose`), computed once per document."""
        if item.source not in self._prose:
            allow_html = self.config.markdown.html_mode != "text"  # tags are markup, not prose
            self._prose[item.source] = prose_lines(item.lines, item.outline, allow_html=allow_html)
        return self._prose[item.source]

    def emit(self, code: str, path: str, span: Span, message: str, hint: str) -> None:
        """Report `code` at `span` of `path` with its catalogue severity."""
        self.found.append(diagnostic(code, path, span, message, hint))


@dataclass(slots=True)
class Context(DocumentContext):
    """A site check's view: the documents, plus the assembled site and its routes."""

    site: Site = field(kw_only=True)
    routes: Routes = field(kw_only=True)


def checked_documents(
    site: Site, documents: Sequence[Document], texts: Mapping[str, str]
) -> list[Checked]:
    """The documents of this build (drafts only with --drafts), in source order."""
    by_source = {p.source: p for p in (*site.posts, *site.pages)}
    items = [
        Checked(d, LazyLines(texts, d.source), by_source[d.source])
        for d in documents
        if d.source in by_source
    ]
    items.sort(key=lambda item: item.source)
    return items

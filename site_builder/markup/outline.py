"""The outline of a rendered Markdown body: what content checks and templates need to know.

Positions are 1-based lines and columns in the .md file (not in the body), so diagnostics built
from an outline point where the author is looking.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import compact_pickle

SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@compact_pickle
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    id: str
    line: int
    column: int


@compact_pickle
@dataclass(frozen=True, slots=True)
class Link:
    """A link or image as written; `href` is the destination after Markdown unescaping."""

    href: str
    text: str
    line: int
    column: int
    is_image: bool = False
    title: str = ""

    @property
    def routed(self) -> bool:
        """Whether where this link goes depends on the site: a relative or root-relative URL
        (not empty, not `#` alone, no scheme, not `//host`). Only these need the site's routes."""
        href = self.href.strip()
        return href not in ("", "#") and not href.startswith("//") and SCHEME_RE.match(href) is None


@compact_pickle
@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced or indented code block.

    `line` is the opening fence, `body_line` the first line of code.
    """

    language: str
    info: str
    code: str
    line: int
    body_line: int
    column: int
    closed: bool = True
    fenced: bool = True


@compact_pickle
@dataclass(frozen=True, slots=True)
class Block:
    """A block-level element (`paragraph`, `heading`, `list_item`, `fence`, ...) and its text."""

    kind: str
    line: int
    end_line: int
    text: str
    level: int = 0


@compact_pickle
@dataclass(frozen=True, slots=True)
class Outline:
    headings: tuple[Heading, ...] = ()
    links: tuple[Link, ...] = ()
    code_blocks: tuple[CodeBlock, ...] = ()
    blocks: tuple[Block, ...] = ()

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(h.id for h in self.headings)

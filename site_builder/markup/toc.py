"""The table of contents of a post: its headings nested by level, and whether they number
themselves.

`nest` makes the tree: each heading goes under the nearest heading before it of a higher rank
(a smaller level), so `###` nests under `##`, a `####` straight under a `##` nests one level
(never an empty item in between), and a heading with none above it is at the top. Read in
order, the tree gives back exactly the headings it was made of.

`numbers_itself` says when a post numbers its own headings (`## 1. Install`, `## 2) Build`,
`## 1.2 Layers`): the theme then shows its contents without numbers of its own, not "1. 1.".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .outline import Heading

TOC_LEVELS = (2, 3, 4)  # the heading levels the contents list
# A heading that carries its own number: `1.`, `2)`, `1.2`, `3 ` at its start.
NUMBERED_RE = re.compile(r"\d+(?:\.\d+)*[.)]?\s")


@dataclass(frozen=True, slots=True)
class TocEntry:
    """One heading of the contents and the headings nested under it."""

    heading: Heading
    children: tuple[TocEntry, ...] = ()

    # the template reads an entry as it read a heading
    @property
    def level(self) -> int:
        return self.heading.level

    @property
    def text(self) -> str:
        return self.heading.text

    @property
    def id(self) -> str:
        return self.heading.id


def nest(headings: Sequence[Heading]) -> tuple[TocEntry, ...]:
    """`headings` as a tree: each under the nearest one before it of a smaller level."""
    top: list[TocEntry] = []
    # the open path from the top: (level, the entry's heading, its children so far)
    path: list[tuple[int, Heading, list[TocEntry]]] = []

    def close(depth: int) -> None:
        while len(path) > depth:
            _level, heading, children = path.pop()
            entry = TocEntry(heading, tuple(children))
            (path[-1][2] if path else top).append(entry)

    for heading in headings:
        depth = len(path)
        while depth and path[depth - 1][0] >= heading.level:
            depth -= 1
        close(depth)
        path.append((heading.level, heading, []))
    close(0)
    return tuple(top)


def walk(entries: Sequence[TocEntry]) -> Iterator[TocEntry]:
    """Every entry of the tree, in document order."""
    for entry in entries:
        yield entry
        yield from walk(entry.children)


def numbers_itself(entries: Sequence[TocEntry]) -> bool:
    """Whether the post numbers its own headings: at least two of the top entries, and at
    least half of them, start with a number (`1.`, `2)`, `1.2`, `3 `)."""
    numbered = sum(1 for entry in entries if NUMBERED_RE.match(entry.text.lstrip()))
    return numbered >= 2 and numbered * 2 >= len(entries)

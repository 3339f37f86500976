"""A title from the body: the first `# H1` line outside code, for a source whose front matter
does not give one (a GitHub README, an Obsidian note, a Docusaurus post without `title:`).

The H1 line is blanked in the body handed on (its line kept, so every later line number holds),
so the title is not shown twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_H1_RE = re.compile(r" {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*")
_FENCE_RE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ID_RE = re.compile(r"[ \t]*\{#[^}]*\}$")


@dataclass(frozen=True, slots=True)
class BodyTitle:
    """The title of an H1 line, the line (1-based, within the body) and the body without it."""

    title: str
    line: int
    body: str


def body_title(body: str) -> BodyTitle | None:
    """The first ATX `# H1` outside fenced code, or None."""
    lines = body.split("\n")
    fence: str | None = None
    for number, line in enumerate(lines):
        opening = _FENCE_RE.match(line)
        if fence is not None:
            closing = opening is not None and opening.group(1)[0] == fence[0]
            if closing and opening is not None and len(opening.group(1)) >= len(fence):
                fence = None if not line[opening.end() :].strip() else fence
            continue
        if opening is not None:
            fence = opening.group(1)
            continue
        if line.startswith("    ") or line.startswith("\t"):
            continue
        match = _H1_RE.fullmatch(line)
        if match is not None:
            title = _ID_RE.sub("", match.group(1)).strip()
            if title:
                rest = [*lines[:number], "", *lines[number + 1 :]]
                return BodyTitle(title, number + 1, "\n".join(rest))
    return None

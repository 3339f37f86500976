"""The title heading: a body's first `# H1` that repeats the page's title is not shown twice.

Posts written for GitHub, MkDocs, Jekyll or Obsidian often open with `# Their title`, which the
theme already shows from the front matter. When the first heading of a body is an H1 at the
top level (not in a list or quote) and says the same as the title, it is removed before the
body is rendered: not on the page, not in the outline or the contents, and no diagnostic. "The
same" is compared as readers see it: Markdown inline formatting stripped, whitespace collapsed,
case folded (`# Using *docker* build` repeats the title "Using Docker build"). A first H1 that
says something else stays. Heading ids are given before the removal, so the ids of the other
headings are what GitHub gives them.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markdown_it.token import Token

_TEXT = ("text", "code_inline")
_BREAKS = ("softbreak", "hardbreak")


def drop_title_heading(md: MarkdownIt, tokens: list[Token], title: str) -> bool:
    """Remove the first heading of `tokens` if it is a top-level H1 equal to `title`."""
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        if token.tag != "h1" or token.level != 0 or index + 2 >= len(tokens):
            return False
        if normalised(tokens[index + 1].children or ()) != normalised_title(md, title):
            return False
        del tokens[index : index + 3]  # heading_open, inline, heading_close
        return True
    return False


def normalised_title(md: MarkdownIt, title: str) -> str:
    """`title` as `normalised` sees a heading: parsed as inline Markdown."""
    children: list[Token] = []
    for token in md.parseInline(title, {}):
        children.extend(token.children or ())
    return normalised(children)


def normalised(children: list[Token] | tuple[Token, ...]) -> str:
    """The text of inline tokens as readers see it: no formatting, spaces collapsed, case
    folded."""
    parts = [
        " " if child.type in _BREAKS else child.content
        for child in children
        if child.type in _TEXT or child.type in _BREAKS
    ]
    text = unicodedata.normalize("NFC", "".join(parts))
    return " ".join(text.split()).casefold()

"""The body's lines as the accelerator reads them, and markdown-it-py's block token.

The port's tree gives byte offsets; markdown-it-py's tokens give line maps and the text of each
inline token with its container's markers and indentation taken off. `Source` holds the bytes
and line starts, `Context` what encloses a block (quotes, the list item's content column, where
the enclosing quote ends), `text_of_lines` the inline text markdown-it-py would give.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from .accelerator_inline import Attributes, Declined, Nesting, Node


class Source:
    """The body as bytes (the tree's offsets are byte offsets) with its line starts."""

    def __init__(self, body: str) -> None:
        self.data = body.encode()
        self.starts = [0]
        find = self.data.find
        position = find(b"\n")
        while position >= 0:
            self.starts.append(position + 1)
            position = find(b"\n", position + 1)
        # markdown-it-py's line count: a last line is one only if it holds something
        self.line_max = len(self.starts) - (1 if self.data.endswith(b"\n") or not self.data else 0)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def line(self, number: int) -> bytes:
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.data)
        return self.data[self.starts[number] : end]

    def span(self, node: Node) -> tuple[int, int]:
        """The first line of `node` and the line after its last."""
        if node.srcmap is None:
            raise Declined(node.name)
        start, end = node.srcmap
        return self.line_of(start), self.line_of(max(start, end - 1)) + 1


@dataclass(frozen=True, slots=True)
class Context:
    level: int
    quotes: int  # blockquotes around the block
    indent: int  # content column of the innermost list item, 0 outside lists
    cap: int  # the line where the enclosing quote (or the body) ends


def block_token(
    kind: str,
    tag: str,
    nesting: Nesting,
    level: int,
    lines: list[int] | None,
    *,
    content: str = "",
    markup: str = "",
    info: str = "",
    attrs: Attributes | None = None,
    hidden: bool = False,
) -> Token:
    """A block token, its fields given in Token's order (keywords cost a third more)."""
    meta: dict[Any, Any] = {}
    head = (kind, tag, nesting, attrs or {}, lines, level, None)
    return Token(*head, content, markup, info, meta, True, hidden)


def text_of_lines(source: Source, start: int, first: int, last: int, context: Context) -> str:
    """The text markdown-it-py gives the inline token of the lines [first, last): the first
    from `start`, the others without their container's markers and indentation."""
    head = source.line(first)[start - source.starts[first] :]
    if last - first == 1:
        return head.decode().strip()
    if context.quotes and context.indent:
        raise Declined("multi-line text in a list in a quote")
    parts = [head]
    for number in range(first + 1, last):
        line = source.line(number)
        if context.quotes:
            line = unquoted(line, context.quotes)
        elif context.indent:
            spaces = len(line) - len(line.lstrip(b" "))
            line = line[min(spaces, context.indent) :]
        parts.append(line)
    return b"\n".join(parts).decode().strip()


def unquoted(line: bytes, depth: int) -> bytes:
    """`line` without `depth` quote markers; a lazy line (no marker) is kept whole."""
    rest = line
    for count in range(depth):
        stripped = rest.lstrip(b" ")
        if len(rest) - len(stripped) > 3 or not stripped.startswith(b">"):
            if count == 0:
                return line
            raise Declined("lazy line in a nested quote")
        rest = stripped[2:] if stripped[1:2] == b" " else stripped[1:]
    return rest


def is_blank(source: Source, line: int, context: Context) -> bool:
    text = source.line(line)
    if context.quotes:
        text = unquoted(text, context.quotes)
    return not text.strip(b" ")


def next_content_line(source: Source, line: int, context: Context) -> int:
    """The first line from `line` holding more than quote markers (markdown-it-py's blocks
    take the blank lines after them), at most where the enclosing quote ends."""
    while line < context.cap and is_blank(source, line, context):
        line += 1
    return line

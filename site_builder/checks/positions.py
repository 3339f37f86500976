"""Source positions the outline does not carry: link destinations and front matter values.

Both are found by reading the .md file's own lines from a known starting point (the link's `[`,
the front matter key), so diagnostics can put the caret under the exact characters to change.
Columns are 1-based and count characters; spans are inclusive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..content.front_matter.record import FrontMatter
from ..markup.outline import Link


@dataclass(frozen=True, slots=True)
class Span:
    line: int
    column: int
    end_column: int


def link_span(lines: Sequence[str], link: Link) -> Span:
    """The whole link as written when it fits on its line, else its first character."""
    line = _line(lines, link.line)
    start = link.column - 1
    if start >= len(line):
        return Span(link.line, link.column, link.column)
    end = _closing(line, start)
    return Span(link.line, link.column, (end if end is not None else start) + 1)


def text_span(lines: Sequence[str], link: Link) -> Span:
    """The link text between the brackets (`@humphd` in `[@humphd](...)`)."""
    line = _line(lines, link.line)
    start = link.column - 1 + (2 if link.is_image else 1)
    close = _bracket_end(line, start - 1)
    if close is None or close <= start:
        return Span(link.line, link.column, link.column)
    return Span(link.line, start + 1, close)


def destination_span(lines: Sequence[str], link: Link) -> Span:
    """The destination inside `(...)` (or `<...>` of an autolink); the link itself if unknown."""
    line = _line(lines, link.line)
    start = link.column - 1
    if line[start : start + 1] == "<":
        close = line.find(">", start)
        if close > start + 1:
            return Span(link.line, start + 2, close)
        return Span(link.line, link.column, link.column)
    bracket = start + 1 if line[start : start + 2] == "![" else start
    closing = _bracket_end(line, bracket)
    if closing is None or line[closing + 1 : closing + 2] != "(":
        return Span(link.line, link.column, link.column)
    index = closing + 2
    while index < len(line) and line[index] in " \t":
        index += 1
    if line[index : index + 1] == "<":
        end = line.find(">", index)
        if end < 0:
            return Span(link.line, index + 1, index + 1)
        return Span(link.line, index + 1, end + 1)
    depth = 0
    end = index
    while end < len(line):
        char = line[end]
        if char == "\\":
            end += 2
            continue
        if char in " \t":
            break
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        end += 1
    if end == index:
        # empty destination: point at the parentheses themselves
        return Span(link.line, index, min(index + 1, len(line)))
    return Span(link.line, index + 1, end)


_KEY_VALUE_RE = re.compile(r"\s*(?:\"[^\"]*\"|'[^']*'|[^:#]+?)\s*:[ \t]*")


def value_span(lines: Sequence[str], key_line: int, key_column: int) -> Span:
    """Where the value of the front matter key at (`key_line`, `key_column`) is written."""
    line = _line(lines, key_line)
    match = _KEY_VALUE_RE.match(line, key_column - 1)
    if match is None:
        return Span(key_line, key_column, max(key_column, len(line.rstrip())))
    rest = line[match.end() :].rstrip()
    if rest and rest[0] not in "|>":
        quoted = 1 if len(rest) > 2 and rest[0] in "\"'" and rest[-1] == rest[0] else 0
        return Span(key_line, match.end() + 1 + quoted, match.end() + len(rest) - quoted)
    for number in range(key_line + 1, min(len(lines), key_line + 50) + 1):
        text = _line(lines, number)
        if text.strip():
            indent = len(text) - len(text.lstrip())
            return Span(number, indent + 1, len(text.rstrip()))
    return Span(key_line, key_column, max(key_column, len(line.rstrip())))


def line_end(lines: Sequence[str], number: int, column: int = 1) -> Span:
    """From `column` to the last non-blank character of line `number`."""
    return Span(number, column, max(column, len(_line(lines, number).rstrip())))


def _line(lines: Sequence[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _bracket_end(line: str, start: int) -> int | None:
    """Index of the `]` that closes the `[` at `start` (backslash escapes and nesting honoured)."""
    if line[start : start + 1] != "[":
        return None
    depth = 0
    index = start
    while index < len(line):
        char = line[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            count = len(line) - index - len(line[index:].lstrip("`"))
            close = line.find("`" * count, index + count)
            index = close + count if close >= 0 else index + count
            continue
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None


def _closing(line: str, start: int) -> int | None:
    """Index of the last character of the link that starts at `start`."""
    if line[start : start + 1] == "<":
        end = line.find(">", start)
        return end if end >= 0 else None
    bracket = start + 1 if line[start : start + 2] == "![" else start
    close = _bracket_end(line, bracket)
    if close is None:
        return None
    if line[close + 1 : close + 2] == "(":
        depth = 0
        for index in range(close + 1, len(line)):
            if line[index] == "(":
                depth += 1
            elif line[index] == ")":
                depth -= 1
                if depth == 0:
                    return index
        return None
    if line[close + 1 : close + 2] == "[":
        end = line.find("]", close + 2)
        return end if end >= 0 else close
    return close


def front_matter_spans(lines: Sequence[str], fm: FrontMatter) -> dict[str, tuple[int, int, int]]:
    """The value span of every front matter key (see `value_span`)."""
    spans: dict[str, tuple[int, int, int]] = {}
    for key, (line, column) in fm.key_positions.items():
        span = value_span(lines, line, column)
        spans[key] = (span.line, span.column, span.end_column)
    return spans


def key_value_span(lines: Sequence[str], fm: FrontMatter, key: str) -> Span:
    """Where the value of `key` is written (the opening `---` line when the key is absent)."""
    known = fm.value_spans.get(key)
    if known is not None:
        return Span(*known)
    line, column = fm.key_positions.get(key, (fm.opening_line, 1))
    return value_span(lines, line, column)

"""Prose: the lines of a document a reader sees as text, with code, URLs and markup blanked out.

Writing checks (placeholders, misspellings, units, dangling link texts) search these lines, so
nothing inside code spans, code blocks, link destinations, autolinks, bare URLs or raw HTML tags
is ever flagged. Blanked characters become spaces, so columns stay those of the .md file. Each
pattern runs only when a cheap substring test says it can match.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..markup.outline import Outline

_PROSE_BLOCKS = ("paragraph", "heading", "table")
_CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*>|<[^<>\s@]+@[^<>\s]+>")
_DESTINATION = re.compile(
    r"\]\((<[^>\n]*>|(?:[^()\s\\]|\\.|\([^()\s]*\))*)"
    r"((?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*)\)"
)
_BARE_URL = re.compile(r"\b(?:https?|ftp)://[^\s<>]+|\bwww\.[^\s<>]+\.[^\s<>]+")
_HTML = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)
# (a substring without which the pattern cannot match, the pattern)
_MASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("`", _CODE_SPAN),
    ("<", _AUTOLINK),
    ("://", _BARE_URL),
    ("www.", _BARE_URL),
)


def _spaces(text: str) -> str:
    return " " * len(text) if "\n" not in text else re.sub(r"[^\n]", " ", text)


def blank(text: str, pattern: re.Pattern[str]) -> str:
    """`text` with every match of `pattern` replaced by spaces (newlines kept)."""
    return pattern.sub(lambda m: _spaces(m.group(0)), text)


def _blank_destinations(text: str) -> str:
    def keep_brackets(match: re.Match[str]) -> str:
        inner = match.group(0)[2:-1]
        return "](" + _spaces(inner) + ")"

    return _DESTINATION.sub(keep_brackets, text)


def mask(text: str, *, allow_html: bool = False) -> str:
    """`text` with code spans, link destinations, URLs (and HTML tags if allowed) blanked."""
    for needle, pattern in _MASKS:
        if needle in text:
            text = blank(text, pattern)
    if "](" in text:
        text = _blank_destinations(text)
    if allow_html and "<" in text:
        text = blank(text, _HTML)
    return text


def prose_lines(
    lines: Sequence[str], outline: Outline, *, allow_html: bool = False
) -> list[tuple[int, str]]:
    """(line number, masked text) for every line of a paragraph, heading or table."""
    seen: set[int] = set()
    found: list[tuple[int, str]] = []
    for block in outline.blocks:
        if block.kind not in _PROSE_BLOCKS or block.line in seen:
            continue
        first, last = block.line, max(block.line, block.end_line)
        text = mask("\n".join(lines[first - 1 : last]), allow_html=allow_html)
        for number, masked in enumerate(text.split("\n"), start=first):
            if number not in seen:
                seen.add(number)
                found.append((number, masked))
    return found

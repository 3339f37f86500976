"""Unfinished structure: empty sections, a trailing empty heading, empty list items, and link
texts that were never given a target.

TXT002 a heading whose section (up to the next heading of the same or a higher level) has fewer
than `section_min_words` words and no code, table, image or HTML; TXT003 the last heading of a
post with nothing under it; TXT004 an empty list item; TXT005 `[text][ref]` without a definition
or `[text] (url)` with a space, both shown to readers as literal brackets.
"""

from __future__ import annotations

import re

from ..markup.outline import Block
from .context import Checked, DocumentContext
from .positions import Span, line_end

_WORD_RE = re.compile(r"[^\W_](?:[\w'’.-]*\w)?")
_DESTINATION_RE = re.compile(r"\]\([^)]*\)")
_SUBSTANTIAL = ("fence", "table", "html_block")
_SPACED_HINT_RE = re.compile(r"\][ \t]+\(")
_MARKER_RE = re.compile(r"\s*(?:>\s*)*([-*+]|\d{1,9}[.)])")
_TASK_RE = re.compile(r"\[[ xX]\]\s*")
_FULL_REF_RE = re.compile(r"(!?)\[([^\[\]\n^][^\[\]\n]*)\]\[((?:[^\[\]\n^][^\[\]\n]*)?)\]")
_SPACED_RE = re.compile(
    r"(!?)\[([^\[\]\n^][^\[\]\n]*)\][ \t]+\((?:https?://|/|\.{1,2}/|#)[^)\s]*\)"
)


def check_structure(ctx: DocumentContext) -> None:
    minimum = ctx.checks.section_min_words
    for item in ctx.items:
        _sections(ctx, item, minimum)
        _empty_items(ctx, item)
        _dangling_texts(ctx, item)


def _words(block: Block, enough: int) -> list[str]:
    """The first `enough` words of a block (link destinations left out)."""
    text = _DESTINATION_RE.sub("]", block.text) if "](" in block.text else block.text
    found: list[str] = []
    for match in _WORD_RE.finditer(text):
        found.append(match.group(0))
        if len(found) >= enough:
            break
    return found


def _sections(ctx: DocumentContext, item: Checked, minimum: int) -> None:
    outline = item.outline
    blocks = sorted(outline.blocks, key=lambda b: (b.line, b.kind != "heading"))
    images = {link.line for link in outline.links if link.is_image}
    heading_indexes = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    flagged: set[int] = set()
    for position in reversed(range(len(heading_indexes))):
        index = heading_indexes[position]
        heading = blocks[index]
        end = len(blocks)
        for later in heading_indexes[position + 1 :]:
            if blocks[later].level <= heading.level:
                end = later
                break
        content = blocks[index + 1 : end]
        subheadings = [i for i in range(index + 1, end) if blocks[i].kind == "heading"]
        if any(i in flagged for i in subheadings):
            continue
        substantial = any(b.kind in _SUBSTANTIAL for b in content) or any(
            b.kind == "paragraph" and b.line in images for b in content
        )
        if substantial:
            continue
        enough = max(1, minimum)
        words: list[str] = []
        for block in content:
            if block.kind == "paragraph" and len(words) < enough:
                words.extend(_words(block, enough - len(words)))
        if len(words) >= enough:
            continue
        if not content and index == heading_indexes[-1]:
            ctx.emit(
                "TXT003",
                item.source,
                line_end(item.lines, heading.line),
                f"the post ends with the heading '{heading.text}' and nothing under it",
                "write the section, or remove the heading",
            )
        elif subheadings and words:
            continue
        else:
            flagged.add(index)
            if not words:
                message = f"section '{heading.text}' is empty"
            else:
                said = " ".join(words)
                noun = "word" if len(words) == 1 else "words"
                message = (
                    f"section '{heading.text}' has almost no text ({len(words)} {noun}: '{said}')"
                )
            ctx.emit(
                "TXT002",
                item.source,
                line_end(item.lines, heading.line),
                message,
                "finish the section, or merge it into the one before",
            )


def _empty_items(ctx: DocumentContext, item: Checked) -> None:
    for block in item.outline.blocks:
        if block.kind != "list_item" or _TASK_RE.sub("", block.text.strip(), count=1).strip():
            continue
        line = item.lines[block.line - 1] if 0 < block.line <= len(item.lines) else ""
        marker = _MARKER_RE.match(line)
        column = marker.start(1) + 1 if marker else 1
        width = len(marker.group(1)) if marker else 1
        ctx.emit(
            "TXT004",
            item.source,
            Span(block.line, column, column + width - 1),
            "empty list item",
            "write the item, or remove the line",
        )


def _dangling_texts(ctx: DocumentContext, item: Checked) -> None:
    raw = "\n".join(item.lines)
    if "][" not in raw and _SPACED_HINT_RE.search(raw) is None:
        return
    starts = {(link.line, link.column) for link in item.outline.links}
    for number, text in ctx.prose(item):
        raw = item.lines[number - 1] if number <= len(item.lines) else text
        if "][" not in text and "] " not in raw and "]\t" not in raw:
            continue
        for pattern, spaced in ((_FULL_REF_RE, False), (_SPACED_RE, True)):
            # the destination of `[text] (url)` is blanked as a URL, so match the raw line
            for match in pattern.finditer(raw if spaced else text):
                column = match.start() + 1
                if text[match.start() : match.start() + 1] not in ("[", "!"):
                    continue
                if (number, column) in starts or (number, column + 1) in starts:
                    continue
                label = match.group(2)
                if spaced:
                    shown = match.group(0)
                    message = f"'[{label}]' is followed by a space, so '{shown}' shows as text"
                    hint = "remove the space between ']' and '('"
                else:
                    ref = match.group(3) or label
                    message = f"link text '[{label}]' has no target: no definition '[{ref}]: URL'"
                    hint = f"add a line '[{ref}]: https://...' at the end of the post"
                ctx.emit(
                    "TXT005",
                    item.source,
                    Span(number, column, match.end()),
                    message,
                    hint,
                )

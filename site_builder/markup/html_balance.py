"""The `safe` HTML mode over a whole token tree: keep allowed tags, balanced; show the rest as text.

markdown-it gives raw HTML in pieces: an `html_block` (some lines, several tags and text) or an
`html_inline` (one tag) among the inline tokens of a paragraph. `Balancer.run` walks the tokens
with one frame per Markdown block (and per link or emphasis inside a paragraph). Each start tag
is judged by `html_policy.judge`; a kept element stays open in its frame until its end tag comes
in the same frame, and whatever is still open when the frame ends (or when an outer end tag
comes) is closed there, so the page stays well formed whatever the writer typed. Text between
tags is escaped; a tag shown as text is the writer's own characters, escaped.

Diagnostics, one per element: MD020 for an element shown as text (its end tag follows
silently), MD021 for each attribute dropped and for each element closed for the writer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.token import Token

from ..diagnostics.diagnostic import Diagnostic, Severity
from .html_policy import ALLOWED, BLOCK_ONLY, PARENT, VOID, clean_text, dropped_reason, judge
from .outline import Link

COMMENT_RE = re.compile(r"<!---?>|<!--(?:[^-]|-[^-]|--[^>])*-->")
MORE_RE = re.compile(r"<!--\s*more\s*-->")
_SLOT = re.compile("\0([0-9]+)\0")
_END_NAME = re.compile(r"</([A-Za-z][A-Za-z0-9-]*)")
_SRC = re.compile(r"""\ssrc\s*=\s*["']?""", re.IGNORECASE)
_FLOW = frozenset({"details", "figure"})  # may hold a paragraph
_WHERE = {
    "paragraph_close": "paragraph",
    "list_item_close": "list item",
    "blockquote_close": "quote",
    "td_close": "table cell",
    "th_close": "table cell",
    "heading_close": "heading",
    "link_close": "link",
    "em_close": "emphasis",
    "strong_close": "emphasis",
    "s_close": "strikethrough",
    "footnote_close": "footnote",
    "admonition_close": "admonition",
}


def pieces(html: str) -> Iterator[tuple[bool, str]]:
    """(is a tag, text) for each tag, comment or run of text in `html`, in order."""
    position = text_start = 0
    while (start := html.find("<", position)) >= 0:
        match = HTML_TAG_RE.match(html, start)
        if match is None:
            position = start + 1
            continue
        if start > text_start:
            yield False, html[text_start:start]
        yield True, match.group(0)
        position = text_start = match.end()
    if text_start < len(html):
        yield False, html[text_start:]


@dataclass(slots=True)
class _Open:
    name: str
    line: int  # in the file, 1-based
    column: int
    slot: int = -1  # a <details>: where a missing <summary> goes (see `_fill_slots`)


class _Locator:
    """Finds each tag in the body lines, in order, from the first line of its token."""

    def __init__(self, lines: Sequence[str], line: int, last: int) -> None:
        self.lines, self.line, self.column, self.last = lines, line, 0, min(last, len(lines))

    def find(self, text: str) -> tuple[int, int]:
        needle = text.split("\n", 1)[0]
        line, column = self.line, self.column
        while line < self.last:
            position = self.lines[line].find(needle, column)
            if position >= 0:
                self.line, self.column = line, position + len(needle)
                return line, position
            line, column = line + 1, 0
        return self.line, self.column


class Balancer:
    """One post body's raw HTML, made safe (see the module docstring)."""

    def __init__(self, env: MutableMapping[str, Any], lines: Sequence[str], offset: int) -> None:
        self.path = str(env.get("path", ""))
        self.diagnostics: list[Diagnostic] = env.get("diagnostics", [])
        self.lines, self.offset = lines, offset
        self.escaped: Counter[str] = Counter()  # start tags shown as text: their end tags too
        self.closed: Counter[str] = Counter()  # elements closed for the writer: a late end tag
        self.more_seen = False
        self.details: list[_Open] = []  # each kept <details>, by slot
        self.titled: set[int] = set()  # the slots of those with a <summary>

    def run(self, tokens: list[Token]) -> list[Token]:
        out: list[Token] = []
        frames: list[list[_Open]] = [[]]
        for token in tokens:
            if token.nesting == 1:
                frames.append([])
            elif token.nesting == -1:
                closing = self._close_frame(frames.pop(), _WHERE.get(token.type, "block"))
                if closing:
                    out.append(_html("html_block", closing, token.level + 1))
            elif token.type == "html_block":
                if self._is_more(token):
                    out.append(token)
                    continue
                token.content = self._block(token, frames[-1])
                if not token.content.strip():
                    continue
            elif token.type == "inline" and token.children:
                token.children = self._inline(token)
            out.append(token)
        closing = self._close_frame(frames[0], "post")
        if closing:
            out.append(_html("html_block", closing, 0))
        return self._fill_slots(out) if self.details else out

    def _fill_slots(self, tokens: list[Token]) -> list[Token]:
        """A `<details>` needs a `<summary>`: each that has none gets "Details" (what browsers
        show), so the page stays valid HTML."""

        def fill(match: re.Match[str]) -> str:
            return "" if int(match.group(1)) in self.titled else "<summary>Details</summary>"

        for slot, opened in enumerate(self.details):
            if slot not in self.titled:
                message = "'<details>' has no <summary>: titled \"Details\""
                hint = "start it with <summary>A title</summary>"
                self._report_at("MD021", opened.line, opened.column, message, hint)
        for token in tokens:
            for piece in (token, *(token.children or ())):
                if piece.type in ("html_block", "html_inline") and "\0" in piece.content:
                    piece.content = _SLOT.sub(fill, piece.content)
        return tokens

    def _is_more(self, token: Token) -> bool:
        """The first top-level `<!-- more -->` block is left for the summary cut."""
        if self.more_seen or token.level != 0 or not MORE_RE.fullmatch(token.content.strip()):
            return False
        self.more_seen = True
        return True

    def _block(self, token: Token, frame: list[_Open]) -> str:
        first, last = token.map or (0, len(self.lines))
        locator = _Locator(self.lines, first, last + 1)
        parts: list[str] = []
        links: list[Link] = []
        kept = False
        for is_tag, text in pieces(token.content):
            if not is_tag:
                parts.append(clean_text(text))
                continue
            html, as_text = self._tag(text, frame, locator, block=True, links=links)
            parts.append(escape(text, quote=False) if as_text else html)
            kept = kept or bool(html)
        if links:
            token.meta["html_links"] = links
        html = "".join(parts).strip("\n")
        if kept or not html.strip() or (frame and frame[-1].name not in _FLOW):
            return html and html + "\n"
        return f"<p>{html}</p>\n"  # all of it shown as text: a paragraph, as in text mode

    def _inline(self, token: Token) -> list[Token]:
        first, last = token.map or (0, len(self.lines))
        locator = _Locator(self.lines, first, last + 1)
        frames: list[list[_Open]] = [[]]
        children: list[Token] = []
        links: list[Link] = []
        for child in token.children or ():
            if child.nesting == 1:
                frames.append([])
            elif child.nesting == -1:
                closing = self._close_frame(frames.pop(), _WHERE.get(child.type, "element"))
                if closing:
                    children.append(_html("html_inline", closing, child.level))
            elif child.type == "html_inline":
                html, as_text = self._tag(child.content, frames[-1], locator, False, links)
                if as_text:
                    child.type = "text"
                elif not html:
                    continue
                else:
                    child.content = html
            children.append(child)
        closing = self._close_frame(frames[0], "paragraph")
        if closing:
            children.append(_html("html_inline", closing, token.level))
        if links:
            token.meta["html_links"] = links
        return children

    def _tag(
        self, text: str, frame: list[_Open], locator: _Locator, block: bool, links: list[Link]
    ) -> tuple[str, bool]:
        """The HTML to write for one tag, and whether it is shown as text instead."""
        if COMMENT_RE.fullmatch(text):
            return "", False
        line, column = locator.find(text)
        if text.startswith("</"):
            return self._end(text, frame, line, column)
        if text.startswith(("<!", "<?")):
            shown = text[:20] + ("…" if len(text) > 20 else "")
            why = "declarations, CDATA and processing instructions do not belong in a post"
            self._report("MD020", line, column, f"'{shown}' is shown as text: {why}")
            return "", True
        verdict = judge(text)
        reason = verdict.reason
        if verdict.html is not None and not block and verdict.name in BLOCK_ONLY:
            reason = f"start <{verdict.name}> on a line of its own, outside a paragraph"
        parent = PARENT.get(verdict.name)
        if verdict.html is not None and parent and (not frame or frame[-1].name != parent):
            reason = f"<{verdict.name}> belongs directly inside <{parent}>"
        if verdict.html is None or reason:
            self.escaped[verdict.name] += 1
            self._report("MD020", line, column, f"'{verdict.shown}' is shown as text: {reason}")
            return "", True
        for attribute in verdict.dropped:
            message = f"'{attribute}' is dropped from <{verdict.name}>: "
            self._report("MD021", line, column, message + dropped_reason(verdict.name, attribute))
        for src, alt, title in verdict.links:
            src_at = _SRC.search(self.lines[line]) if line < len(self.lines) else None
            at = src_at.end() if src_at and src_at.start() >= column else column
            links.append(Link(src, alt, line + self.offset + 1, at + 1, True, title))
        if verdict.name == "summary":
            self.titled.add(frame[-1].slot)
        if verdict.name in VOID:
            return verdict.html, False
        if text[:-1].rstrip().endswith("/"):  # <kbd/>: written as an empty element
            return f"{verdict.html}</{verdict.name}>", False
        opened = _Open(verdict.name, line + self.offset + 1, column + 1)
        frame.append(opened)
        if verdict.name != "details":
            return verdict.html, False
        opened.slot = len(self.details)
        self.details.append(opened)
        return f"{verdict.html}\0{opened.slot}\0", False  # NUL: markdown-it replaced every one

    def _end(self, text: str, frame: list[_Open], line: int, column: int) -> tuple[str, bool]:
        found = _END_NAME.match(text)
        name = found.group(1).lower() if found else ""
        if name in VOID:
            return "", False  # </br>, </img>: there is nothing to close
        names = [open_.name for open_ in frame]
        if name in ALLOWED and name in names:
            index = len(names) - 1 - names[::-1].index(name)
            closes = [self._closed(open_, f"before </{name}>") for open_ in frame[index + 1 :]]
            del frame[index:]
            return "".join(reversed(closes)) + f"</{name}>", False
        for counter in (self.escaped, self.closed):
            if counter[name] > 0:
                counter[name] -= 1
                return "", True
        reason = (
            f"it closes no open <{name}> in this block"
            if name in ALLOWED
            else judge(f"<{name}>").reason
        )
        self._report("MD020", line, column, f"'</{name}>' is shown as text: {reason}")
        return "", True

    def _close_frame(self, frame: list[_Open], where: str) -> str:
        return "".join(self._closed(o, f"at the end of its {where}") for o in reversed(frame))

    def _closed(self, open_: _Open, where: str) -> str:
        self.closed[open_.name] += 1
        message = f"'<{open_.name}>' is never closed: closed {where}"
        hint = f"write </{open_.name}> where it should end, in the same block"
        self._report_at("MD021", open_.line, open_.column, message, hint)
        return f"</{open_.name}>"

    def _report(self, code: str, line: int, column: int, message: str) -> None:
        self._report_at(code, line + self.offset + 1, column + 1, message)

    def _report_at(
        self, code: str, line: int, column: int, message: str, hint: str | None = None
    ) -> None:
        """Report at a 1-based line and column of the file."""
        self.diagnostics.append(
            Diagnostic(self.path, line, column, Severity.WARNING, code, message, hint=hint)
        )


def _html(kind: str, content: str, level: int) -> Token:
    token = Token(kind, "", 0)
    token.content = content + ("\n" if kind == "html_block" else "")
    token.level = level
    return token

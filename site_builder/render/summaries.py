"""Summaries cut to a readable length for list pages: the first `limit` words of a summary's
HTML, cut on a word boundary and never inside a tag (the elements still open are closed).

The input is our own rendered Markdown (balanced, escaped text); the cut keeps its markup as it
is and ends the last text with "…".
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

SUMMARY_WORDS = 60
VOID = frozenset({"br", "img", "hr", "wbr", "input", "source", "col", "area", "meta", "link"})
_WORD = re.compile(r"\S+")


class _Cutter(HTMLParser):
    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.limit = limit
        self.words = 0
        self.out: list[str] = []
        self.open: list[str] = []
        self.cut = False
        self.mark: tuple[int, list[str]] = (0, [])  # the output and open elements after the
        # last text that had words

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.cut:
            return
        self.out.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.cut:
            self.out.append(self.get_starttag_text() or f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if self.cut or tag in VOID:
            return
        self.out.append(f"</{tag}>")
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.cut:
            return
        words = list(_WORD.finditer(data))
        room = self.limit - self.words
        if len(words) <= room:
            self.words += len(words)
            self.out.append(escape(data, quote=False))
            if words:
                self.mark = (len(self.out), list(self.open))
            return
        self.cut = True
        if room == 0:  # the words ran out at the end of the last text: the ellipsis goes there
            size, still_open = self.mark
            del self.out[size:]
            self.open = still_open
            self.out.append("…")
            return
        keep = words[room - 1]
        self.out.append(escape(data[: keep.end()], quote=False) + "…")
        self.words = self.limit


def cut_summary(html: str, limit: int = SUMMARY_WORDS) -> tuple[str, bool]:
    """The first `limit` words of `html` with its open elements closed, and whether words were
    left out."""
    cutter = _Cutter(limit)
    cutter.feed(html)
    cutter.close()
    if not cutter.cut:
        return html, False
    closing = "".join(f"</{tag}>" for tag in reversed(cutter.open))
    return "".join(cutter.out) + closing, True

"""Link texts against their targets, within one post.

LNK008 (info): one URL linked with texts that share no word, which usually means one of the two
URLs was pasted by mistake. LNK009: a link text that is an @handle naming another account than
the URL (`[@humphd](twitter.com/@humpd)`). LNK011 (info): one link text used for different
targets ("here", "docs"), which reads as the same destination.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..markup.outline import SCHEME_RE, Link
from .context import Checked, DocumentContext
from .hosts import text_handle, url_handle
from .positions import link_span, text_span

_WORD_RE = re.compile(r"[^\W_]{4,}")
_COMMON = frozenset(
    {"this", "that", "with", "from", "your", "here", "there", "about", "more", "what", "when"}
)


def check_link_texts(ctx: DocumentContext) -> None:
    for item in ctx.items:
        by_url: dict[str, list[Link]] = defaultdict(list)
        by_text: dict[str, list[Link]] = defaultdict(list)
        for link in item.outline.links:
            href = link.href.strip()
            if not href or href == "#" or link.is_image:
                continue
            _handle(ctx, item, link, href)
            text = " ".join(link.text.split())
            if not text or text == href or SCHEME_RE.match(text):
                continue
            by_url[_url_key(href)].append(link)
            by_text[text.casefold()].append(link)
        for links in by_url.values():
            _same_url(ctx, item, links)
        for links in by_text.values():
            _same_text(ctx, item, links)


def _url_key(href: str) -> str:
    return href.rstrip("/") or "/"


def _handle(ctx: DocumentContext, item: Checked, link: Link, href: str) -> None:
    written = text_handle(link.text)
    if written is None:
        return
    if not SCHEME_RE.match(href) and not re.match(r"[\w.-]+\.[a-z]{2,}/", href, re.I):
        return
    named = url_handle(href)
    if named is None or named.casefold() == written.casefold():
        return
    ctx.emit(
        "LNK009",
        item.source,
        text_span(item.lines, link),
        f"link text '@{written}' names another account than its URL does ('@{named}')",
        "one of them is misspelled: make the text and the URL name the same account",
    )


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD_RE.findall(text)} - _COMMON


def _related(a: str, b: str) -> bool:
    fa, fb = a.casefold(), b.casefold()
    return fa in fb or fb in fa or bool(_words(a) & _words(b))


def _same_url(ctx: DocumentContext, item: Checked, links: list[Link]) -> None:
    first = links[0]
    for link in links[1:]:
        url = link.href.casefold()
        if _related(first.text, link.text) or any(w in url for w in _words(link.text)):
            continue
        ctx.emit(
            "LNK008",
            item.source,
            link_span(item.lines, link),
            f"'{link.text}' links to the same URL as '{first.text}' (line {first.line}), "
            "with a text that shares no word with it",
            "check that this URL is the one meant here, or use matching texts for one destination",
        )


def _same_text(ctx: DocumentContext, item: Checked, links: list[Link]) -> None:
    first = links[0]
    for link in links[1:]:
        if _url_key(link.href.strip()) == _url_key(first.href.strip()):
            continue
        ctx.emit(
            "LNK011",
            item.source,
            link_span(item.lines, link),
            f"link text '{link.text}' is also used for {first.href} (line {first.line}), "
            f"but here it goes to {link.href}",
            "give each link a text that says where it leads",
        )

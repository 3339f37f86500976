"""Rewriting URLs and ids inside rendered post HTML, for feeds and list summaries.

A post's HTML is written to live at the post's own URL. Moved elsewhere, some of it breaks:
in a feed reader, relative links need the site's absolute URLs; on a list page, `#fragment`
links must point back to the post, and element ids (headings, footnotes) would repeat from one
summary to the next. Only start tags are touched; text, comments and code are copied as they
are. Attribute values are unescaped before rewriting and escaped again after.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape, unescape

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})  # lists of `URL [descriptor]`
_TOKEN_RE = re.compile(
    r"<!--.*?-->"  # comments: left alone
    r"|<!\[CDATA\[.*?\]\]>"
    # Only start tags that have an attribute we may change; the many <span class=...> of
    # highlighted code are skipped inside the regex engine, the plain `<span class="x">` of
    # the highlighter before the look-ahead scans their attributes.
    r'|<(?!span class="[^"<>]*">)'
    r"(?P<tag>[A-Za-z][A-Za-z0-9-]*)(?=[^<>]*\s(?i:href|src|srcset|imagesrcset|poster|cite|id)\s*=)"
    r"(?P<attrs>(?:\s+[^\s\"'>/=]+"
    r"(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*(?P<close>/?)>",
    re.DOTALL,
)
_ATTR_RE = re.compile(
    r"(?P<name>[^\s\"'>/=]+)(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?"
)
_PERMALINK_RE = re.compile(
    r"<a class=\"anchor\" href=\"[^\"]*\" aria-label=\"[^\"]*\"(?: data-pagefind-ignore)?>#</a>"
)


def rewrite(html: str, resolve: Callable[[str], str], *, drop_ids: bool = False) -> str:
    """`html` with every URL attribute passed through `resolve`, and ids removed if asked."""

    def start_tag(match: re.Match[str]) -> str:
        tag = match.group("tag")
        if tag is None:
            return match.group(0)
        attrs = match.group("attrs") or ""
        changed = False
        parts: list[str] = []
        for attr in _ATTR_RE.finditer(attrs):
            name = attr.group("name")
            raw = attr.group("dq")
            if raw is None:
                raw = attr.group("sq")
            if raw is None:
                raw = attr.group("bare")
            lowered = name.lower()
            if drop_ids and lowered == "id":
                changed = True
                continue
            if raw is not None and (lowered in URL_ATTRIBUTES or lowered in SRCSET_ATTRIBUTES):
                value = unescape(raw)
                new = (
                    resolve(value) if lowered in URL_ATTRIBUTES else rewrite_srcset(value, resolve)
                )
                if new != value:
                    changed = True
                    parts.append(f' {name}="{escape(new, quote=True)}"')
                    continue
            parts.append(" " + attr.group(0))
        if not changed:
            return match.group(0)
        close = " /" if match.group("close") else ""
        return f"<{tag}{''.join(parts)}{close}>"

    return _TOKEN_RE.sub(start_tag, html)


def rewrite_srcset(value: str, resolve: Callable[[str], str]) -> str:
    """A `srcset` with each candidate's URL passed through `resolve`, its descriptor kept.

    Read as the HTML standard's srcset parser reads it: a URL is a run of non-space characters
    (trailing commas end the candidate), then a descriptor up to the next comma outside
    parentheses."""
    candidates: list[str] = []
    position, size = 0, len(value)
    while position < size:
        while position < size and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < size and not value[position].isspace():
            position += 1
        url = value[start:position]
        if not url:
            break
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            start, depth = position, 0
            while position < size and (value[position] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[position], 0)
                position += 1
            descriptor = value[start:position].strip()
        candidates.append(f"{resolve(url)} {descriptor}" if descriptor else resolve(url))
    return ", ".join(candidates)


def drop_permalinks(html: str) -> str:
    """Remove the `#` permalink anchors our Markdown renderer puts in headings."""
    return _PERMALINK_RE.sub("", html)

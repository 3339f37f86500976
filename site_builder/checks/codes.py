"""The catalogue of content-check codes: default severity and a one-line description of each.

Codes are stable: a code is never reused for another check. `build-site check` and the README
table are generated from this one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics.diagnostic import Diagnostic, Severity
from .positions import Span


@dataclass(frozen=True, slots=True)
class Code:
    code: str
    severity: Severity
    summary: str


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, Code] = {
    c.code: c
    for c in (
        Code("LNK001", _E, "internal link to a post, page, tag or file that is not in the site"),
        Code("LNK002", _E, "#fragment that matches no heading id on the target page"),
        Code("LNK003", _W, "link with an empty target: [text](), [text](#), [text](<>)"),
        Code("LNK004", _W, "bare domain without a scheme (twitter.com/x): a broken relative link"),
        Code("LNK005", _I, "http:// link to a public host, where https:// is usual"),
        Code("LNK006", _E, "link to a Markdown source file (other.md) instead of its URL"),
        Code("LNK007", _W, "image without alt text"),
        Code("LNK008", _I, "one URL linked with unrelated texts in the same post"),
        Code("LNK009", _W, "@handle in the link text differs from the @handle in the URL"),
        Code("LNK010", _W, "link with no text: [](url)"),
        Code("LNK011", _I, "one link text used for different targets in the same post"),
        Code("TXT001", _W, "placeholder left in the text: ____, TODO, TBD, XXX, lorem ipsum"),
        Code("TXT002", _W, "heading whose section has no or almost no text"),
        Code("TXT003", _W, "post ends with a heading that has nothing under it"),
        Code("TXT004", _W, "empty list item"),
        Code("TXT005", _W, "link text with no target: [text][undefined], [text] (url)"),
        Code("TXT006", _W, "misspelled technical name (Debain, Kubernets, ...)"),
        Code("TXT007", _I, "size unit in lower case (140mb): mb is millibits; write MB"),
        Code("FMQ001", _W, "post without a description"),
        Code("FMQ002", _W, "description too long for search results (description_max)"),
        Code("FMQ003", _W, "description too short to be useful (description_min)"),
        Code("FMQ004", _W, "title too long for search results and tabs (title_max)"),
        Code("FMQ005", _W, "post that says published: true but has error-level problems"),
        Code("FMQ006", _I, "description copied word for word from the post's text"),
        Code("FMQ007", _W, "two posts with the same title"),
        Code("TAG101", _W, "near-duplicate tags that make different tag pages (Node.js, NodeJS)"),
        Code("TAG102", _I, "tag used by one post only (once the site has enough posts)"),
        Code("TAG103", _W, "tag not in the allowed_tags list"),
        Code("TAG104", _W, "more tags than max_tags (4 on dev.to)"),
        Code("EXT001", _W, "external link answers with an error status (404, 410, 5xx, ...)"),
        Code("EXT002", _W, "external link cannot be reached (DNS, refused, timeout, TLS)"),
        Code("EXT003", _I, "external link redirects permanently: link the new address"),
        Code("EXT004", _W, "external #fragment matches no id on the target page"),
        Code("EXT005", _I, "external site refuses automated checks (401, 403, 429)"),
        Code("EXT006", _W, "the external-link cache file cannot be written"),
    )
}


def diagnostic(code: str, path: str, span: Span, message: str, hint: str) -> Diagnostic:
    """A content-check diagnostic: the code's catalogue severity, the span, a one-line hint."""
    return Diagnostic(
        path,
        span.line,
        span.column,
        CODES[code].severity,
        code,
        message,
        end_line=span.line,
        end_column=max(span.column, span.end_column),
        hint=hint,
    )

"""The HTML of the shortcode tokens: embeds, figures, details, and what is shown as text.

A figure alone in its paragraph is a `<figure>` (the paragraph is hidden by `shortcode_pass`);
within a sentence it is a `<span class="figure">`, so the HTML stays valid. A `details` marker
with no partner is shown as its text, like any tag the site does not render.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from markdown_it.token import Token

from .embeds import Card, Video, card_html, unsupported_html, video_html
from .shortcode_catalog import Details


def _shortcode(tokens: Sequence[Token], idx: int) -> str:
    meta = tokens[idx].meta
    resolved = meta["resolved"]
    if resolved.kind == "video" and isinstance(resolved.data, Video):
        return video_html(resolved.data)
    if resolved.kind == "card" and isinstance(resolved.data, Card):
        return card_html(resolved.data, meta.get("href", ""))
    if resolved.kind == "comment":
        return ""
    return unsupported_html(meta.get("literal", ""))


def _figure_open(tokens: Sequence[Token], idx: int) -> str:
    meta = tokens[idx].meta
    element = '<figure class="figure">' if meta.get("block") else '<span class="figure">'
    link = meta.get("link")
    return element + (f'<a href="{escape(link)}">' if link else "")


def _image_end(tokens: Sequence[Token], idx: int) -> str:
    return "</a>" if tokens[idx].meta.get("link") else ""


def _caption_open(tokens: Sequence[Token], idx: int) -> str:
    return "<figcaption>" if tokens[idx].meta.get("block") else '<span class="figcaption">'


def _caption_close(tokens: Sequence[Token], idx: int) -> str:
    return "</figcaption>" if tokens[idx].meta.get("block") else "</span>"


def _figure_close(tokens: Sequence[Token], idx: int) -> str:
    return "</figure>\n" if tokens[idx].meta.get("block") else "</span>"


def _details_open(tokens: Sequence[Token], idx: int) -> str:
    meta = tokens[idx].meta
    if not meta.get("paired"):
        return f"<p>{unsupported_html(meta.get('literal', ''))}</p>\n"
    details = meta["resolved"].data
    opened = " open" if isinstance(details, Details) and details.open else ""
    return f'<details class="details"{opened}>\n<summary>'


def _summary_close(tokens: Sequence[Token], idx: int) -> str:
    return "</summary>\n" if tokens[idx].meta.get("paired") else ""


def _details_close(tokens: Sequence[Token], idx: int) -> str:
    meta = tokens[idx].meta
    if not meta.get("paired"):
        return f"<p>{unsupported_html(meta.get('literal', ''))}</p>\n"
    return "</details>\n"


def _nothing(tokens: Sequence[Token], idx: int) -> str:
    return ""


RENDERERS: dict[str, Callable[[Sequence[Token], int], str]] = {
    "shortcode": _shortcode,
    "shortcode_figure_open": _figure_open,
    "shortcode_figure_image_end": _image_end,
    "shortcode_figcaption_open": _caption_open,
    "shortcode_figcaption_close": _caption_close,
    "shortcode_figure_close": _figure_close,
    "shortcode_details_open": _details_open,
    "shortcode_summary_close": _summary_close,
    "shortcode_details_close": _details_close,
    "shortcode_block": _nothing,
}

"""The inline nodes of markdown-it-pyrs's tree as the child tokens markdown-it-py makes.

Emphasis, strong (with the emptied delimiter text markdown-it-py leaves beside it), strike-
through, code spans, links, images, autolinks, breaks and text, adjacent text joined as its
`text_join` leaves it. Anything else, or a URL or image label the two engines treat apart,
raises `Declined`, and the body is parsed by markdown-it-py instead (`accelerator`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any, Literal, Protocol

from markdown_it.token import Token

# A URL with a percent-encoded non-ASCII byte: markdown-it-py punycodes hosts, the port does not.
_ENCODED_NON_ASCII = re.compile(r"%[C-Fc-f][0-9A-Fa-f]")
# `<` before what may open a tag, a comment, a declaration or an instruction: the engines'
# HTML recognisers differ at the edges (`<!a\>`), and ours turns HTML into text or keeps it.
_MAYBE_HTML = re.compile(r"<[A-Za-z/?!]")
_MAX_LEVEL = 50  # inline nesting past this is left to markdown-it-py (and Python's stack)


Nesting = Literal[-1, 0, 1]
Attributes = dict[str, str | int | float]


class Node(Protocol):
    """What this package reads of a markdown-it-pyrs node."""

    name: str
    children: Sequence[Node]
    meta: dict[str, Any]
    srcmap: tuple[int, int] | None


class Declined(Exception):
    """The body holds something the port may not parse as markdown-it-py does."""


def is_inline(name: str) -> bool:
    """Whether a node of this kind is inline (a tight list item holds them directly)."""
    return name == "text" or name == "text_special" or name in _HANDLERS


def inline_tokens(nodes: Sequence[Node], source: bytes) -> list[Token]:
    out: list[Token] = []
    _inline(nodes, source, out, 0)
    return out


def _inline(nodes: Sequence[Node], source: bytes, out: list[Token], level: int) -> None:
    """Append the tokens of `nodes`; adjacent text joins into one token, as markdown-it-py's
    `text_join` leaves it (keeping the markup and info of an entity or escape that starts it)."""
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            meta = node.meta
            if "<" in meta["content"] and _MAYBE_HTML.search(meta["content"]):
                raise Declined("text markdown-it-py may read as HTML")
            if out and out[-1].type == "text":
                out[-1].content += meta["content"]
            elif name == "text":
                out.append(_token("text", "", 0, level, content=meta["content"]))
            else:
                markup, info = meta.get("markup", ""), meta.get("info", "")
                out.append(_token("text", "", 0, level, meta["content"], markup, info))
        else:
            handler = _HANDLERS.get(name)
            if handler is None:
                raise Declined(name)
            handler(node, source, out, level)


def _text(out: list[Token], content: str, level: int) -> None:
    if out and out[-1].type == "text":
        out[-1].content += content
    else:
        out.append(_token("text", "", 0, level, content=content))


def _break(kind: str) -> Callable[[Node, bytes, list[Token], int], None]:
    def handler(node: Node, source: bytes, out: list[Token], level: int) -> None:
        out.append(_token(kind, "br", 0, level))

    return handler


def _pair(
    kind: str, tag: str, markup: Callable[[Node], str], strong: bool = False
) -> Callable[[Node, bytes, list[Token], int], None]:
    def handler(node: Node, source: bytes, out: list[Token], level: int) -> None:
        if level > _MAX_LEVEL:
            raise Declined("nesting")
        written = markup(node)
        if strong:  # markdown-it-py empties the outer delimiter of `**` into a text token
            _text(out, "", level)
        out.append(_token(f"{kind}_open", tag, 1, level, markup=written))
        _inline(node.children, source, out, level + 1)
        out.append(_token(f"{kind}_close", tag, -1, level, markup=written))
        if strong:
            _text(out, "", level)

    return handler


def _code_inline(node: Node, source: bytes, out: list[Token], level: int) -> None:
    content = "".join(child.meta["content"] for child in node.children)
    if not content.strip():  # the engines trim a blank code span differently
        raise Declined("blank code span")
    markup = node.meta["marker"] * node.meta["marker_len"]
    out.append(_token("code_inline", "code", 0, level, content, markup))


def _checked_url(url: str) -> str:
    if _ENCODED_NON_ASCII.search(url):
        raise Declined("url")
    return url


def _link(node: Node, source: bytes, out: list[Token], level: int) -> None:
    if level > _MAX_LEVEL:
        raise Declined("nesting")
    attrs: Attributes = {"href": _checked_url(node.meta["url"])}
    if node.meta.get("title"):
        attrs["title"] = node.meta["title"]
    out.append(_token("link_open", "a", 1, level, attrs=attrs))
    _inline(node.children, source, out, level + 1)
    out.append(_token("link_close", "a", -1, level))


def _autolink(node: Node, source: bytes, out: list[Token], level: int) -> None:
    url = _checked_url(node.meta["url"])
    (label,) = node.children
    text = label.meta["content"]
    if "%" in text or not text.isascii():  # markdown-it-py decodes the shown text
        raise Declined("autolink")
    out.append(_token("link_open", "a", 1, level, "", "autolink", "auto", attrs={"href": url}))
    out.append(_token("text", "", 0, level + 1, text))
    out.append(_token("link_close", "a", -1, level, "", "autolink", "auto"))


def _image(node: Node, source: bytes, out: list[Token], level: int) -> None:
    if node.srcmap is None:
        raise Declined("image")
    start, end = node.srcmap
    written = source[start + 2 : end]
    close = written.find(b"]")
    label = written[:close]
    if close < 0 or any(mark in label for mark in (b"[", b"`", b"\\", b"<")):
        raise Declined("image label")
    attrs: Attributes = {"src": _checked_url(node.meta["url"]), "alt": ""}
    if node.meta.get("title"):
        attrs["title"] = node.meta["title"]
    children: list[Token] = []
    _inline(node.children, source, children, 0)
    out.append(_token("image", "img", 0, level, label.decode(), attrs=attrs, children=children))


_HANDLERS: dict[str, Callable[[Node, bytes, list[Token], int], None]] = {
    "softbreak": _break("softbreak"),
    "hardbreak": _break("hardbreak"),
    "em": _pair("em", "em", lambda node: node.meta["marker"]),
    "strong": _pair("strong", "strong", lambda node: node.meta["marker"] * 2, strong=True),
    "strikethrough": _pair("s", "s", lambda node: "~~"),
    "code_inline": _code_inline,
    "link": _link,
    "image": _image,
    "autolink": _autolink,
}


def _token(
    kind: str,
    tag: str,
    nesting: Nesting,
    level: int,
    content: str = "",
    markup: str = "",
    info: str = "",
    *,
    attrs: Attributes | None = None,
    children: list[Token] | None = None,
) -> Token:
    """An inline token, its fields given in Token's order (keywords cost a third more)."""
    return Token(kind, tag, nesting, attrs or {}, None, level, children, content, markup, info, {})

"""markdown-it-pyrs's block nodes as markdown-it-py's block tokens (maps, texts, markup).

Paragraphs, headings (ATX and setext), fences, indented code, rules, quotes, lists (with the
hidden paragraphs of tight items), tables and link reference definitions (no token). Each case
the two engines may end or read differently raises `Declined` (see `accelerator`).
"""

from __future__ import annotations

from collections.abc import Sequence

from markdown_it.token import Token

from .accelerator_inline import Attributes, Declined, Node, inline_tokens, is_inline
from .accelerator_text import (
    Context,
    Source,
    block_token,
    is_blank,
    next_content_line,
    text_of_lines,
    unquoted,
)

_MAX_LEVEL = 30  # below `nesting.MAX_DEPTH`, whose guard takes over deeper blocks
_ALIGN = {"left": "text-align:left", "right": "text-align:right", "center": "text-align:center"}


def blocks(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    for child in node.children:
        handler = _BLOCKS.get(child.name)
        if handler is None:
            raise Declined(child.name)
        handler(child, source, context, out)


def _paragraph(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    first, last = source.span(node)
    start = node.srcmap[0]  # type: ignore[index]  # span() has checked it
    _text_block(node.children, first, last, start, source, context, out, hidden=False)


def _text_block(
    nodes: Sequence[Node],
    first: int,
    last: int,
    start: int,
    source: Source,
    context: Context,
    out: list[Token],
    hidden: bool,
) -> None:
    lines = [first, last]
    level = context.level
    content = text_of_lines(source, start, first, last, context)
    if content.startswith("[") and "]:" in content:
        raise Declined("text that may be a link reference definition")  # `[1]:\\`
    out.append(block_token("paragraph_open", "p", 1, level, lines, hidden=hidden))
    out.append(_inline(content, nodes, source, list(lines), level + 1))
    out.append(block_token("paragraph_close", "p", -1, level, None, hidden=hidden))


def _inline(content: str, nodes: object, source: Source, lines: list[int], level: int) -> Token:
    token = block_token("inline", "", 0, level, lines, content=content)
    token.children = inline_tokens(nodes, source.data)  # type: ignore[arg-type]
    return token


def _heading(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    first, _last = source.span(node)
    level = int(node.meta["level"])
    start = node.srcmap[0]  # type: ignore[index]
    text = source.line(first)[start - source.starts[first] + level :]  # after the `#`s
    end = len(text.rstrip(b" "))
    closing = len(text[:end].rstrip(b"#"))
    if closing > 0 and text[closing - 1 : closing] == b" ":  # a closing `##`, or `## ##`
        end = closing
    content = text[:end].decode().strip()
    lines = [first, first + 1]
    tag = f"h{level}"
    out.append(block_token("heading_open", tag, 1, context.level, lines, markup="#" * level))
    out.append(_inline(content, node.children, source, list(lines), context.level + 1))
    out.append(block_token("heading_close", tag, -1, context.level, None, markup="#" * level))


def _lheading(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    first, last = source.span(node)
    level = int(node.meta["level"])
    marker = str(node.meta["marker"])
    content = text_of_lines(source, node.srcmap[0], first, last - 1, context)  # type: ignore[index]
    tag = f"h{level}"
    out.append(block_token("heading_open", tag, 1, context.level, [first, last], markup=marker))
    out.append(_inline(content, node.children, source, [first, last - 1], context.level + 1))
    out.append(block_token("heading_close", tag, -1, context.level, None, markup=marker))


def _fence(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    first, last = source.span(node)
    meta = node.meta
    markup = str(meta["marker"]) * int(meta["marker_len"])
    line = source.line(last - 1)
    if context.quotes:
        line = unquoted(line, context.quotes)
    closing = line.lstrip(b" ")
    indent = len(line) - len(closing) - context.indent  # a closer is indented 0 to 3 columns
    closing = closing.rstrip(b" ")
    if (
        last - first < 2
        or not 0 <= indent <= 3
        or not closing.startswith(markup.encode())
        or closing.strip(markup[0].encode())
    ):
        raise Declined("unclosed fence")
    out.append(
        block_token(
            "fence", "code", 0, context.level, [first, last],
            content=str(meta["content"]), markup=markup, info=str(meta["info"]),
        )
    )  # fmt: skip


def _code_block(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    lines = list(source.span(node))
    content = str(node.meta["content"])
    out.append(block_token("code_block", "code", 0, context.level, lines, content=content))


def _hr(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    first, _last = source.span(node)
    markup = str(node.meta["marker"]) * (int(node.meta["marker_len"]) + 1)  # as markdown-it-py
    out.append(block_token("hr", "hr", 0, context.level, [first, first + 1], markup=markup))


def _definition(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    """A link reference definition makes no token."""


def _blockquote(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    _check_depth(context)
    first, last = source.span(node)
    depth = context.quotes + 1
    for number in range(first, last):
        line = source.line(number)
        if unquoted(line, depth) is line:
            raise Declined("a lazy line in a quote")  # the engines end quotes apart there
    if not node.children or not unquoted(source.line(last - 1), depth).strip(b" "):
        raise Declined("a quote ending with an empty line")
    level = context.level
    out.append(block_token("blockquote_open", "blockquote", 1, level, [first, last], markup=">"))
    inner = Context(level + 1, context.quotes + 1, context.indent, last)
    blocks(node, source, inner, out)
    out.append(block_token("blockquote_close", "blockquote", -1, level, None, markup=">"))


def _check_depth(context: Context) -> None:
    if context.level > _MAX_LEVEL:
        raise Declined("nesting")  # `nesting`'s guard takes over past its limit


def _list(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    _check_depth(context)
    ordered = node.name == "ordered_list"
    kind, tag = ("ordered_list", "ol") if ordered else ("bullet_list", "ul")
    marker = str(node.meta["marker"])
    attrs: Attributes = {}
    if ordered and int(node.meta["start"]) != 1:
        attrs["start"] = int(node.meta["start"])
    items = node.children
    ends = [source.span(item)[0] for item in items[1:]]
    ends.append(next_content_line(source, source.span(items[-1])[1], context))
    first = source.span(node)[0]
    level = context.level
    out.append(
        block_token(f"{kind}_open", tag, 1, level, [first, ends[-1]], markup=marker, attrs=attrs)
    )
    for item, end in zip(items, ends, strict=True):
        inner = Context(level + 1, context.quotes, context.indent, context.cap)
        _item(item, end, marker, ordered, source, inner, out)
    out.append(block_token(f"{kind}_close", tag, -1, level, None, markup=marker))


def _item(
    item: Node,
    end: int,
    marker: str,
    ordered: bool,
    source: Source,
    context: Context,
    out: list[Token],
) -> None:
    first, last = source.span(item)
    start = item.srcmap[0]  # type: ignore[index]
    line = source.line(first)
    column = start - source.starts[first]
    written = line[column:]
    width = written.find(marker.encode()) + 1 if ordered else 1
    info = written[: width - 1].decode() if ordered else ""
    after = written[width:]
    spaces = len(after) - len(after.lstrip(b" "))
    if not after.strip(b" "):
        raise Declined("list item opening with a blank line")
    if context.quotes:
        column = 0  # columns inside a quote are only needed for multi-line text (declined)
    indent = column + width + (1 if spaces > 4 else spaces)
    level = context.level
    out.append(
        block_token("list_item_open", "li", 1, level, [first, end], markup=marker, info=info)
    )
    inner = Context(level + 1, context.quotes, indent, context.cap)
    run: list[Node] = []
    text_start = start + width + spaces  # where text the item holds directly begins
    for child in item.children:
        if is_inline(child.name):
            run.append(child)
            continue
        first_line = source.line_of(text_start)
        if run:
            last_line = source.span(child)[0]  # a tight item's text is a hidden paragraph
            _text_block(run, first_line, last_line, text_start, source, inner, out, hidden=True)
            run = []
        handler = _BLOCKS.get(child.name)
        if handler is None or child.name == "list_item":
            raise Declined(child.name)
        handler(child, source, inner, out)
        text_start = _text_start(source, source.span(child)[1], context)
    if run:  # its text runs to the first blank line (the item's span may take one more)
        first_line = source.line_of(text_start)
        end_line = _blank_line_after(source, first_line, last, inner)
        _text_block(run, first_line, end_line, text_start, source, inner, out, hidden=True)
    out.append(block_token("list_item_close", "li", -1, level, None, markup=marker))


def _text_start(source: Source, line: int, context: Context) -> int:
    """Where the text on `line` (after a block inside an item) begins."""
    if context.quotes or line >= len(source.starts):
        raise Declined("text after a block in an item")
    text = source.line(line)
    return source.starts[line] + len(text) - len(text.lstrip(b" "))


def _blank_line_after(source: Source, first: int, last: int, context: Context) -> int:
    line = first + 1
    while line < last and not is_blank(source, line, context):
        line += 1
    return line


def _table(node: Node, source: Source, context: Context, out: list[Token]) -> None:
    if context.level:
        raise Declined("a table in a list or quote")  # where the engines' tables end differs
    first, last = source.span(node)
    if b"\\" in source.data[source.starts[first] : node.srcmap[1]]:  # type: ignore[index]
        raise Declined("escape in a table")
    if first > 0 and source.line(first - 1).strip(b" "):
        raise Declined("a table right under other text")  # a lazy line to markdown-it-py
    if any(b"|" not in source.line(number) for number in range(first, last)):
        raise Declined("a table line without a pipe")  # the engines' tables differ there
    level = context.level
    styles = [_ALIGN.get(str(align)) for align in node.meta["alignments"]]
    out.append(block_token("table_open", "table", 1, level, [first, last]))
    for part in node.children:
        head = part.name == "thead"
        rows = part.children
        lines = [first, first + 1] if head else [first + 2, last]
        section = "thead" if head else "tbody"
        out.append(block_token(f"{section}_open", section, 1, level + 1, lines))
        for row in rows:
            row_line = source.span(row)[0]
            row_lines = [row_line, row_line + 1]
            out.append(block_token("tr_open", "tr", 1, level + 2, row_lines))
            cell_tag = "th" if head else "td"
            if len(row.children) != len(styles):
                raise Declined("row width")
            for cell, style in zip(row.children, styles, strict=True):
                attrs: Attributes | None = {"style": style} if style else None
                out.append(
                    block_token(f"{cell_tag}_open", cell_tag, 1, level + 3, None, attrs=attrs)
                )
                content = _cell_text(cell, source)
                out.append(_inline(content, cell.children, source, list(row_lines), level + 4))
                out.append(block_token(f"{cell_tag}_close", cell_tag, -1, level + 3, None))
            out.append(block_token("tr_close", "tr", -1, level + 2, None))
        out.append(block_token(f"{section}_close", section, -1, level + 1, None))
    out.append(block_token("table_close", "table", -1, level, None))


def _cell_text(cell: Node, source: Source) -> str:
    if cell.srcmap is None:
        return ""
    start, end = cell.srcmap
    return source.data[start:end].decode().strip()


_BLOCKS = {
    "paragraph": _paragraph,
    "heading": _heading,
    "lheading": _lheading,
    "fence": _fence,
    "code_block": _code_block,
    "hr": _hr,
    "definition": _definition,
    "blockquote": _blockquote,
    "bullet_list": _list,
    "ordered_list": _list,
    "table": _table,
}

"""A post's tags as written in front matter: a YAML list of strings, or one comma-separated
string (dev.to style), each tag with its own line and column (FM008 for what is not a tag)."""

from __future__ import annotations

from collections.abc import Callable

from yaml.nodes import Node, ScalarNode, SequenceNode

from .located import Located


def type_name(value: object) -> str:
    """A value's type as YAML calls it, for messages (`bool`, `int`, `null`, `list`, ...)."""
    return {bool: "bool", int: "int", float: "float", type(None): "null"}.get(
        type(value), type(value).__name__
    )


Reporter = Callable[..., None]


def parse_tags(
    value: object,
    node: Node | None,
    pos: Callable[[Node], tuple[int, int]],
    report: Reporter,
) -> tuple[Located, ...]:
    """Tags as written: a YAML list of strings, or one comma-separated string (dev.to style)."""
    if node is None or value is None:
        return ()
    found: list[Located] = []
    if isinstance(node, SequenceNode) and isinstance(value, list):
        for item_node, item in zip(node.value, value, strict=True):
            if not isinstance(item, str):
                raw = getattr(item_node, "value", "")
                shown = type_name(item)
                if isinstance(item, bool | int | float):
                    shown += f" {item!r}"
                report(
                    item_node,
                    "FM008",
                    f'tag must be a string; got {shown} (quote it: "{raw}")'
                    if isinstance(raw, str)
                    else f"tag must be a string; got {shown}",
                )
                continue
            line, column = pos(item_node)
            if not item.strip():
                report(item_node, "FM008", "tag must not be empty")
                continue
            found.append(Located(item.strip(), line, column))
        return tuple(found)
    if isinstance(value, str) and isinstance(node, ScalarNode):
        line, column = pos(node)
        quote = 1 if node.style in ("'", '"') else 0
        offset = 0
        for piece in value.split(","):
            stripped = piece.strip()
            if stripped:
                lead = len(piece) - len(piece.lstrip())
                found.append(Located(stripped, line, column + quote + offset + lead))
            offset += len(piece) + 1
        return tuple(found)
    report(
        node,
        "FM008",
        f"'tags' must be a list of strings or a comma-separated string; got {type_name(value)}",
    )
    return ()

"""`dump()`: BuildKit's `Node.Dump()` of a parse result.

One `(instruction flags args…)` line per instruction: the keyword lower-cased, the raw flags as
Go's `%q` of a string slice, every argument through `strconv.Quote` (`gotext.go_quote`), an
ONBUILD trigger nested in parentheses; heredoc bodies, comments and directives are not dumped.
"""

from __future__ import annotations

from .gotext import go_lower, go_quote, go_quote_list, go_trim_space
from .nodes import Node, ParseResult


def dump_node(node: Node) -> str:
    parts = [go_lower(node.keyword)]
    if node.flags:
        parts.append(go_quote_list(flag.value for flag in node.flags))
    if node.sub is not None:
        parts.append("(" + dump_node(node.sub) + ")")
    parts.extend(go_quote(arg.value) for arg in node.args)
    return go_trim_space(" ".join(parts))


def dump(result: ParseResult) -> str:
    """The `result` file BuildKit's parser tests compare against."""
    body = "".join("(" + dump_node(child) + ")\n" for child in result.root.children)
    return go_trim_space(body) + "\n"

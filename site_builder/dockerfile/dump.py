"""`dump()`: BuildKit's `Node.Dump()` of a parse result, and Go's `strconv.Quote` (`go_quote`).

One `(instruction flags args…)` line per instruction: the keyword lower-cased, the raw flags as
Go's `%q` of a string slice, every argument through `strconv.Quote`, an ONBUILD trigger nested
in parentheses; heredoc bodies, comments and directives are not dumped. `go_quote` is also what
BuildKit's `%q` messages use. It differs from `json.dumps`: `\x00` not `\u0000`, printable
non-ASCII kept as is, non-printables as `\u00a0`, bytes that are not UTF-8 as `\xff`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .gotext import go_lower, go_trim_space
from .nodes import Node, ParseResult

_PLAIN = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*\Z")
_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def _is_print(ch: str) -> bool:
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def _raw_bytes(ch: str) -> bytes:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid UTF-8 (surrogateescape)
        return bytes([code - 0xDC00])
    return ch.encode("utf-8", "surrogatepass")


def go_quote(s: str) -> str:
    """strconv.Quote: `"` + escapes for `"`, `\\`, controls and non-printables + `"`."""
    if _PLAIN.match(s):
        return '"' + s + '"'
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            out.extend(f"\\x{b:02x}" for b in _raw_bytes(ch))
        elif ch < " " or ch == "\x7f":
            out.append(f"\\x{ord(ch):02x}")
        elif _is_print(ch):
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_quote_list(items: Iterable[str]) -> str:
    """fmt's `%q` of a []string: `["a" "b"]`."""
    return "[" + " ".join(go_quote(item) for item in items) + "]"


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

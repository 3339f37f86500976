"""Text no page can carry: lone UTF-16 surrogates in front matter strings.

JSON-to-YAML exporters write an emoji as a JSON-style escaped pair (`"\\uD83D\\uDE00"`); YAML
reads each escape as its own code point, so Python holds two surrogates, which UTF-8 cannot
encode. Every scalar of the front matter (keys and values, however nested) is repaired here,
once, before any key is read: a high surrogate followed by a low one is joined into the
character it encodes; a surrogate left alone is FM010 at its line.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_SURROGATE_RE = re.compile("[\ud800-\udfff]")

Report = Callable[[Node, str, str], None]


def joined(text: str) -> str:
    """`text` with each valid surrogate pair joined into its character (lone ones are kept)."""
    if _SURROGATE_RE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def repair_scalars(node: Node, report: Report) -> None:
    """Join the surrogate pairs of every scalar under `node` in place; FM010 for a lone one.

    The tree is at most `yaml_loader.MAX_DEPTH` deep and has no aliases, so a plain walk ends.
    """
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ScalarNode):
            if isinstance(current.value, str) and _SURROGATE_RE.search(current.value):
                current.value = joined(current.value)
                lone = _SURROGATE_RE.search(current.value)
                if lone is not None:
                    report(current, "FM010", _message(ord(lone.group())))
                    # the build stops at the error; nothing after it may carry the surrogate
                    current.value = _SURROGATE_RE.sub("\ufffd", current.value)
        elif isinstance(current, SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, MappingNode):
            for key, value in reversed(current.value):
                stack.extend((value, key))


def _message(code: int) -> str:
    half = "first" if code < 0xDC00 else "second"
    return (
        f"text holds \\u{code:04X} alone, the {half} half of a UTF-16 surrogate pair, which no"
        " page can carry; write the character itself, or both halves of its escape"
    )

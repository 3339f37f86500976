"""`{{< image-size "slim" >}}` in prose: the measured size of an example, from measurements.json.

A small inline rule of its own, registered before markdown-it's `text` rule (and before any
generic shortcode handling), so the sentence's number is the measured one:
"the image weighs {{< image-size "slim" >}}" reads "the image weighs 4.19MB". A name with no
measurement is EXA005 at its line and column, and the shortcode is shown as written, in
`<code>`, never dropped in silence. Inside code spans it is left alone (the backtick rule
takes the span first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..diagnostics.diagnostic import Diagnostic
from .example_blocks import unknown_example
from .measurements import MEASUREMENTS_NAME, Measurements
from .sizes import size_html

RULE = "image_size"
_SHORTCODE_RE = re.compile(r"\{\{<\s*image-size\s+(?:\"([^\"\n]*)\"|([\w.-]+))\s*/?>\}\}")


def image_size_plugin(md: MarkdownIt, measurements: Measurements) -> None:
    """Add the `image_size` inline rule (before `text`) and its renderer."""
    md.inline.ruler.before("text", RULE, _rule)

    def render(tokens: Sequence[Token], idx: int, _options: Any, env: Any) -> str:
        token = tokens[idx]
        measurement = measurements.get(str(token.meta["name"]))
        if measurement is None:
            return f'<code class="image-size unknown">{escape(token.content)}</code>'
        return size_html(measurement.size)

    md.add_render_rule(RULE, lambda _r, *args: render(*args))


def _rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{<", state.pos):
        return False
    match = _SHORTCODE_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push(RULE, "", 0)
        token.content = match.group(0)
        token.meta = {"name": match.group(1) or match.group(2) or "", "pos": state.pos}
    state.pos = match.end()
    return True


def image_size_problems(
    tokens: Sequence[Token],
    measurements: Measurements,
    path: str,
    lines: Sequence[str],
    offset: int,
) -> tuple[list[Diagnostic], bool]:
    """EXA005 for each `image-size` of an unknown example; and whether any was used."""
    problems: list[Diagnostic] = []
    used = False
    for token in tokens:
        if token.type != "inline" or not token.children or token.map is None:
            continue
        for child in token.children:
            if child.type != RULE:
                continue
            used = True
            name = str(child.meta["name"])
            if measurements.get(name) is not None:
                continue
            row = token.map[0] + token.content[: int(child.meta["pos"])].count("\n")
            text = lines[row] if row < len(lines) else ""
            column = text.find(child.content) + 1 or 1
            problems.append(unknown_example(path, row + offset + 1, column, name))
    return problems, used


def lock_input(measurements: Measurements) -> tuple[tuple[str, tuple[int, int, int]], ...]:
    """The lock file as an input of a post that cites a size (nothing when there is none)."""
    return ((MEASUREMENTS_NAME, measurements.stat),) if measurements.stat else ()

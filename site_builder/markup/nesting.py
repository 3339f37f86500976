"""Nesting past what any post needs: reported where it starts, and kept as text, never dropped.

markdown-it stops parsing silently at `maxNesting` (20 levels in its commonmark preset: ten
nested list items): the text past it, and in a list everything after the list, vanishes from
the page. Here `maxNesting` is raised above `MAX_DEPTH`, and a block rule that runs first takes
over past `MAX_DEPTH`: it reports MD004 at the first line too deep, and shows each paragraph of
the deeper lines as plain text (their markers included), so nothing the writer typed is lost.
Python's own recursion stays bounded, since the block parser recurses once per level.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from ..diagnostics.diagnostic import Diagnostic, Severity

# Block levels (a list and its item are two): 40 is twenty nested list items, or forty quotes.
MAX_DEPTH = 40


def nesting_plugin(md: MarkdownIt) -> None:
    """Guard block nesting at `MAX_DEPTH` (and let markdown-it's own limit never bite first)."""
    md.options["maxNesting"] = MAX_DEPTH + 20
    md.block.ruler.before(md.block.ruler.get_all_rules()[0], "nesting_guard", _guard)


def _guard(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.level <= MAX_DEPTH:
        return False
    if silent:
        return True
    line = start
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        line += 1
    _report(state.env, start)
    text = "\n".join(
        state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]] for n in range(start, line)
    )
    token = state.push("paragraph_open", "p", 1)
    token.map = [start, line]
    token = state.push("inline", "", 0)
    token.content = text
    token.map = [start, line]
    token.children = []
    state.push("paragraph_close", "p", -1)
    state.line = line
    return True


def _report(env: MutableMapping[str, Any], line: int) -> None:
    """MD004 once per body, at the first line that is too deep (`env` is the one
    `MarkdownRenderer.render` parses with: path, line offset, diagnostics)."""
    if env.get("nesting_reported"):
        return
    env["nesting_reported"] = True
    env["diagnostics"].append(
        Diagnostic(
            env["path"],
            env["offset"] + line + 1,
            1,
            Severity.ERROR,
            "MD004",
            f"lists and quotes nested deeper than {MAX_DEPTH} levels: shown as plain text "
            "from here",
            hint="flatten the list or the quote; no reader follows that many levels",
        )
    )

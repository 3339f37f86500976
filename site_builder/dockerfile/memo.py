"""The memo: instructions and whole snippets that were already checked are not checked again.

Blog posts repeat themselves: the same `WORKDIR /app`, `RUN npm ci` or base image appears in
many posts, whole Dockerfiles recur across a series, and `serve` rebuilds the same posts over
and over. The parser keeps each parsed instruction by its text (and escape character) and
re-anchors a copy to the new lines; `check_dockerfile` keeps each snippet's diagnostics by its
text; the highlighting lexer keeps what each line lexes to, by the line and the lexer's state
before it. All are bounded and can be switched off (the benchmark measures with and without).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from ..diagnostics.diagnostic import Diagnostic
from .nodes import LineMap, Node, NodeParts, Token, placed

_new = tuple.__new__

Findings = tuple[tuple[Diagnostic, ...], tuple[str, ...]]  # diagnostics without path, stage names


class _Switch:
    enabled = True


MEMO = _Switch()
NODES: dict[tuple[str, str], Node] = {}
NODES_SIZE = 20_000


def remember(key: tuple[str, str], node: Node) -> None:
    if MEMO.enabled:
        if len(NODES) >= NODES_SIZE:
            NODES.clear()
        NODES[key] = node


def recall(key: tuple[str, str]) -> Node | None:
    """A remembered instruction with the same text, still anchored where it was first parsed
    (`anchored` gives its parts at the new place); or None."""
    return NODES.get(key) if MEMO.enabled else None


def anchored(node: Node, where: LineMap) -> NodeParts:
    """A remembered instruction's flags, args, rest, ONBUILD trigger and keyword line, with
    positions from `where`: the parser makes the new node from them in one go."""
    rest = node.rest
    return (
        _retoken(node.flags, where) if node.flags else (),
        _retoken(node.args, where) if node.args else (),
        _new(Token, (rest.value, rest.start, rest.end, where)),
        None if node.sub is None else _rebind(node.sub, where),
        where.pos(node.keyword_at)[0],
    )


SNIPPETS: dict[tuple[str, bool], Findings] = {}
SNIPPETS_SIZE = 4096


def remember_snippet(text: str, hints: bool, findings: Findings) -> None:
    if MEMO.enabled:
        if len(SNIPPETS) >= SNIPPETS_SIZE:
            SNIPPETS.clear()
        SNIPPETS[(text, hints)] = findings


def recall_snippet(text: str, hints: bool) -> Findings | None:
    return SNIPPETS.get((text, hints)) if MEMO.enabled else None


# The same lines recur across a blog's Dockerfiles (161 distinct lines in the bench corpus's
# 1,993 blocks): (the lexer's state before a line, the line) -> (its tokens, the state after).
LINES: dict[tuple[Hashable, str], tuple[Any, Any]] = {}
LINES_SIZE = 50_000


def remember_line(key: tuple[Hashable, str], lexed: tuple[Any, Any]) -> None:
    if MEMO.enabled:
        if len(LINES) >= LINES_SIZE:
            LINES.clear()
        LINES[key] = lexed


def recall_line(key: tuple[Hashable, str]) -> tuple[Any, Any] | None:
    return LINES.get(key) if MEMO.enabled else None


def use_memo(enabled: bool = True) -> None:
    """Turn the memo on or off; either way, forget everything remembered so far."""
    MEMO.enabled = enabled
    NODES.clear()
    SNIPPETS.clear()
    LINES.clear()


def _retoken(tokens: tuple[Token, ...], where: LineMap) -> tuple[Token, ...]:
    # tuple.__new__ makes the same Token as Token(...) without the NamedTuple's Python-level
    # __new__: this runs for every token of every remembered instruction.
    return tuple([_new(Token, (t.value, t.start, t.end, where)) for t in tokens])


def _rebind(node: Node, where: LineMap) -> Node:
    """The same instruction text parsed at another place: positions from `where`."""
    last = max(node.rest.end, node.keyword_at + len(node.keyword), node.keyword_at + 1) - 1
    end_line, end_column = where.pos(last)
    return placed(node, anchored(node, where), where, end_line, end_column, node.original)

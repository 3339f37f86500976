"""ONBUILD triggers of a local parent stage, read again where a child stage (`FROM parent`) starts.

BuildKit keeps each `ONBUILD` of a stage as text (the instruction with `ONBUILD` taken off, its
heredoc bodies after it), and when a stage that the build reaches is `FROM` that stage, parses
each text as a Dockerfile of its own (escape `\\`), checks it as an instruction, and dispatches
it at the start of the child, before the child's own instructions (`initOnBuildTriggers`). Every
error and build check of a trigger is reported at the child's `FROM` line. Only stages the
target (the last stage) reaches through `FROM`, `COPY --from` and mounts run triggers; a
trigger's own `COPY --from=stage` makes that stage reachable too. A grandchild runs only its
parent's own ONBUILDs.

`read_triggers` gives each trigger as a `Trigger` whose positions all sit on the child's FROM,
so the dispatch walk and the build checks handle it as any other instruction.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ..diagnostics.diagnostic import Diagnostic, Severity
from .codes import CODES, diag
from .instructions import Instruction, Stage, check_instruction
from .memo import anchored
from .nodes import LineMap, Node, Span, placed
from .parser import parse

_ONBUILD = re.compile(r"(?i)^[\t\n\f\r ]*ONBUILD[\t\n\f\r ]*")  # Go's \s: no \v, ASCII only
_SHOWN = 60  # characters of a trigger quoted in a hint


class Trigger(NamedTuple):
    """One ONBUILD of the parent, as the child runs it."""

    instruction: Instruction | None  # None: refused (the error is in `error`)
    error: Diagnostic | None
    at: Span  # the child's FROM keyword: where BuildKit reports everything about it
    text: str  # the trigger as BuildKit keeps it


def expression(onbuild: Node) -> str:
    """BuildKit's `OnbuildCommand.Expression`: the instruction without `ONBUILD`, then each
    heredoc body followed by its delimiter."""
    text = _ONBUILD.sub("", onbuild.original, count=1)
    for heredoc in onbuild.heredocs:
        text += "\n" + heredoc.content + heredoc.name
    return text


def hint(trigger: Trigger, code: str) -> str:
    shown = trigger.text.split("\n", 1)[0]
    if len(shown) > _SHOWN:
        shown = shown[: _SHOWN - 1] + "…"
    fix = CODES[code].fix if code in CODES else ""
    where = f"from the parent stage's `ONBUILD {shown}`, run where this stage starts"
    return f"{where}; {fix}" if fix else where


def _pinned(node: Node, at: Span, size: int) -> Node:
    """The node with every position on `at` (its line and first column)."""
    where = LineMap(tuple(range(size)), (at.line,) * size, (at.column,) * size)
    made = placed(node, anchored(node, where), where, at.line, at.column, node.original)
    heredocs = tuple(h._replace(marker=at, body_line=at.line) for h in node.heredocs)
    return made._replace(heredocs=heredocs)


def read_trigger(onbuild: Node, at: Span) -> Trigger:
    """Parse and check one ONBUILD's trigger as BuildKit does in the child stage."""
    text = expression(onbuild)
    result = parse(text)
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    partial = Trigger(None, None, at, text)
    if errors:
        first = errors[0]
        return partial._replace(
            error=diag(first.code, first.message, at, hint=hint(partial, first.code))
        )
    if len(result.root.children) != 1:
        # Cannot happen: the text is one logical line and its own heredoc bodies.
        return partial
    node = _pinned(result.root.children[0], at, len(text) + 2)
    instruction, error = check_instruction(node)
    if error is not None:
        error = diag(error.code, error.message, at, hint=hint(partial, error.code))
    return partial._replace(instruction=instruction, error=error)


def read_triggers(parent: Stage, child: Stage) -> list[Trigger]:
    """The parent's ONBUILDs, in order, as the child runs them."""
    at = child.node.keyword_span
    return [
        read_trigger(instruction.node, at)
        for instruction in parent.instructions
        if instruction.ok and instruction.kind == "onbuild"
    ]


def reachable(target: int, edges: list[set[int]]) -> set[int]:
    """The stages `target` needs (itself included), following FROM and --from edges."""
    seen = {target}
    todo = [target]
    while todo:
        for nxt in edges[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen

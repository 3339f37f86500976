"""Hints for values that do not mean what they look like: DH016 and DH017.

DH016: a ` # comment` after the value of USER, WORKDIR, ENV, ARG, EXPOSE or LABEL. Dockerfile
comments only start a line; BuildKit keeps the rest in the value (`USER root # admin` runs as
the user `root # admin`). DH017: `COPY --from=<name>` or `RUN --mount=…,from=<name>` where the
name is no stage but close to one (difflib ratio >= 0.75): BuildKit pulls an image of that
name instead. A name with `/`, `:` or `.` is plainly an image and never hinted.
"""

from __future__ import annotations

import difflib

from ..diagnostics.diagnostic import Diagnostic
from .codes import diag
from .gotext import go_lower, go_quote
from .instructions import Program
from .mounts import parse_time_from
from .nodes import Node, Span

COMMENTED = frozenset({"user", "workdir", "env", "arg", "expose", "label"})
STAGE_CUTOFF = 0.75


def _comment_start(text: str) -> int:
    """Offset of the first `#` outside quotes that follows a space or tab, or -1."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and i > 0 and text[i - 1] in " \t":
            return i
    return -1


def _comment_hint(node: Node, kind: str) -> Diagnostic | None:
    if node.json or not node.rest.value:
        return None
    text = node.rest.value
    at = _comment_start(text)
    if at < 0:
        return None
    keyword = kind.upper()
    comment = text[at:].rstrip()
    message = (
        f"{go_quote(comment)} is part of the {keyword} arguments, not a comment: a Dockerfile "
        f"comment only starts a line"
    )
    return diag("DH016", message, node.rest_span(at, at + len(comment)))


def _stage_hint(name: str, stages: list[str], span: Span, flag: str) -> Diagnostic | None:
    lowered = go_lower(name)
    if not name or lowered in stages or any(c in name for c in "/:.$") or name.isdigit():
        return None
    match = difflib.get_close_matches(lowered, stages, n=1, cutoff=STAGE_CUTOFF)
    if not match:
        return None
    message = (
        f"{flag}{name} is not a stage of this Dockerfile, so it is pulled as an image "
        f"(did you mean {match[0]}?)"
    )
    return diag("DH017", message, span)


def value_hints(program: Program) -> list[Diagnostic]:
    """DH016 and DH017 over every instruction of every stage."""
    out: list[Diagnostic] = []
    stages = [stage.name for stage in program.stages if stage.name]
    for stage in program.stages:
        for instruction in stage.instructions:
            kind = instruction.kind
            if kind in COMMENTED and (found := _comment_hint(instruction.node, kind)):
                out.append(found)
            if not stages or not instruction.ok:
                continue
            flag = instruction.flag("from") if kind == "copy" else None
            if flag is not None and (
                found := _stage_hint(flag.value, stages, flag.token.span, "--from=")
            ):
                out.append(found)
            for mount in instruction.flag_values("mount") if kind == "run" else ():
                name = parse_time_from(mount.value)
                if found := _stage_hint(name, stages, mount.token.span, "from="):
                    out.append(found)
    return out

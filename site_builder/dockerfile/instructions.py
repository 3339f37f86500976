"""The instruction layer: BuildKit's `instructions.Parse`, argument and flag rules of table (a).

It turns parser nodes into stages of checked instructions: unknown instructions (with a "did you
mean"), argument counts, flags, stage names, ONBUILD and HEALTHCHECK rules, SHELL's JSON form,
`RUN --network/--security/--device/--mount`, and "nothing but ARG before the first FROM".
BuildKit stops at the first error; here each instruction gets at most one error (BuildKit's
first for it) and the walk goes on, the failing instruction marked `ok=False`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ..diagnostics.diagnostic import Diagnostic
from .codes import diag
from .flags import FLAG_SPECS, UNCHECKED, Flag, FlagError, parse_flags
from .gotext import (
    go_lower,
    go_quote,
    go_trim_space,
    go_upper,
    parse_duration,
    parse_int,
    with_suggestion,
)
from .heredocs import parse_heredoc_word
from .mounts import parse_time_error
from .nodes import Node, Span
from .shellwords import ShellError

_new = tuple.__new__  # a NamedTuple without its Python-level __new__ (see memo._retoken)

INSTRUCTIONS = (
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
)  # fmt: skip
_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*\Z")
_EXACTLY_ONE = frozenset({"maintainer", "workdir", "user", "stopsignal"})
_AT_LEAST_ONE = frozenset({"expose", "volume"})
_DURATIONS = ("interval", "timeout", "start-period", "start-interval")


class _Fail(Exception):
    def __init__(self, code: str, message: str, span: Span) -> None:
        super().__init__(message)
        self.diagnostic = diag(code, message, span)


class Instruction(NamedTuple):
    node: Node
    flags: tuple[Flag, ...] = ()
    ok: bool = True

    @property
    def kind(self) -> str:
        return self.node.kind

    def flag(self, name: str) -> Flag | None:
        """The last `--name` flag (most instructions have none, so this is usually free)."""
        for flag in reversed(self.flags):
            if flag.name == name:
                return flag
        return None

    def flag_values(self, name: str) -> list[Flag]:
        return [f for f in self.flags if f.name == name]


class Stage(NamedTuple):
    number: int
    instruction: Instruction  # the FROM
    name: str  # lower-cased stage name, "" when unnamed
    instructions: tuple[Instruction, ...] = ()

    @property
    def node(self) -> Node:
        return self.instruction.node

    @property
    def base(self) -> str:
        args = self.node.args
        return args[0].value if self.instruction.ok and args else ""


@dataclass(frozen=True, slots=True)
class Program:
    meta_args: tuple[Instruction, ...]
    stages: tuple[Stage, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    no_stage_errors: bool = False  # an instruction was refused for coming before FROM


def _flags(node: Node, kind: str) -> tuple[Flag, ...]:
    try:
        return parse_flags(node.flags, FLAG_SPECS.get(kind, {}))
    except FlagError as exc:
        raise _Fail(exc.code, exc.message, exc.token.span) from None


def _kvps(node: Node, name: str) -> None:
    args = node.args
    if not args:
        raise _Fail("DF015", f"{name} requires at least one argument", node.keyword_span)
    for j in range(0, len(args) - 2, 3):
        if not args[j].value:
            raise _Fail("DF018", f"{name} names can not be blank", args[j].span)


def _healthcheck(node: Node) -> tuple[Flag, ...]:
    args = node.args
    if not args:
        raise _Fail("DF015", "HEALTHCHECK requires at least one argument", node.keyword_span)
    typ = go_upper(args[0].value)
    if typ == "NONE":
        if len(args) > 1:
            raise _Fail(
                "DF026", "HEALTHCHECK NONE takes no arguments", args[1].span.to(args[-1].span)
            )
        return ()
    flags = _flags(node, "healthcheck")
    if typ == "CMD":
        if len(args) == 1:
            raise _Fail("DF027", "Missing command after HEALTHCHECK CMD", args[0].span)
    else:
        raise _Fail("DF025", f"Unknown type {go_quote(typ)} in HEALTHCHECK (try CMD)", args[0].span)
    by_name = {f.name: f for f in flags}
    for name in _DURATIONS:
        flag = by_name.get(name)
        if flag is None or not flag.value:
            continue
        nanos, err = parse_duration(flag.value)
        if nanos is None:
            raise _Fail("DF028", err, flag.token.span)
        if nanos != 0 and nanos < 1_000_000:
            raise _Fail(
                "DF028", f"Interval {go_quote(name)} cannot be less than 1ms", flag.token.span
            )
    retries = by_name.get("retries")
    if retries is not None and retries.value:
        value, err = parse_int(retries.value, 32)
        if value is None:
            raise _Fail("DF029", err, retries.token.span)
        if value < 0:
            raise _Fail("DF029", f"--retries cannot be negative ({value})", retries.token.span)
    return flags


def _run(node: Node) -> tuple[Flag, ...]:
    flags = _flags(node, "run")
    for flag in flags:
        if flag.name == "mount":
            problem = parse_time_error(flag.value)
            if problem is not None:
                code = "DF035" if problem.startswith("'from'") else "DF034"
                raise _Fail(code, problem, flag.token.span)
    for flag in flags:
        if flag.name == "network" and flag.value not in ("default", "none", "host"):
            raise _Fail("DF032", f"invalid network mode {go_quote(flag.value)}", flag.token.span)
    for flag in flags:
        if flag.name == "security" and flag.value not in ("sandbox", "insecure"):
            raise _Fail("DF033", f"security {go_quote(flag.value)} is not valid", flag.token.span)
    for flag in flags:
        if flag.name == "device":
            raise _Fail(
                "DF042",
                "device feature is only supported in Dockerfile frontend 1.14.0-labs or later",
                flag.token.span,
            )
    return flags


def _copy(node: Node, kind: str) -> tuple[Flag, ...]:
    name = kind.upper()
    args = node.args
    if len(args) < 2:
        span = args[0].span if args else node.keyword_span
        raise _Fail(
            "DF016",
            f"{name} requires at least two arguments, but only one was provided. Destination "
            f"could not be determined",
            span,
        )
    flags = _flags(node, kind)
    try:
        heredoc_dest = parse_heredoc_word(args[-1].value)
    except ShellError:
        heredoc_dest = None
    if heredoc_dest is not None:
        raise _Fail("DF017", f"{name} cannot accept a heredoc as a destination", args[-1].span)
    return flags


def _from(node: Node) -> tuple[Flag, ...]:
    args = node.args
    if len(args) == 3 and go_lower(args[1].value) == "as":
        if not _STAGE_NAME.match(go_lower(args[2].value)):
            raise _Fail(
                "DF013",
                f"invalid name for build stage: {go_quote(args[2].value)}, "
                "name can't start with a number or contain symbols",
                args[2].span,
            )
    elif len(args) != 1:
        span = args[1].span.to(args[-1].span) if len(args) > 1 else node.keyword_span
        raise _Fail("DF012", "FROM requires either one or three arguments", span)
    return _flags(node, "from")


def check_node(node: Node) -> tuple[Flag, ...]:
    """The flags of a valid instruction; raises _Fail with its first error."""
    kind, args = node.kind, node.args
    if kind in ("env", "label"):
        _flags(node, kind)
        _kvps(node, kind.upper())
        return ()
    if kind in _EXACTLY_ONE:
        if len(args) != 1:
            raise _Fail("DF014", f"{kind.upper()} requires exactly one argument", node.keyword_span)
        return () if kind in UNCHECKED else _flags(node, kind)
    if kind in ("add", "copy"):
        return _copy(node, kind)
    if kind == "from":
        return _from(node)
    if kind == "onbuild":
        if node.sub is None:
            raise _Fail("DF015", "ONBUILD requires at least one argument", node.keyword_span)
        _flags(node, kind)
        trigger = go_upper(go_trim_space(node.sub.keyword))
        if trigger == "ONBUILD":
            raise _Fail(
                "DF023",
                "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                node.sub.keyword_span,
            )
        if trigger in ("MAINTAINER", "FROM"):
            raise _Fail(
                "DF024", f"{trigger} isn't allowed as an ONBUILD trigger", node.sub.keyword_span
            )
        return ()
    if kind == "run":
        return _run(node)
    if kind in ("cmd", "entrypoint"):
        return _flags(node, kind)
    if kind == "healthcheck":
        return _healthcheck(node)
    if kind in _AT_LEAST_ONE:
        if not args:
            raise _Fail(
                "DF015", f"{kind.upper()} requires at least one argument", node.keyword_span
            )
        flags = _flags(node, kind)
        for arg in args if kind == "volume" else ():
            if not go_trim_space(arg.value):
                raise _Fail("DF030", "VOLUME specified can not be an empty string", arg.span)
        return flags
    if kind == "arg":
        if not args:
            raise _Fail("DF015", "ARG requires at least one argument", node.keyword_span)
        for arg in args:
            if arg.value.startswith("="):
                raise _Fail("DF018", "ARG names can not be blank", arg.span)
        return ()
    if kind == "shell":
        flags = _flags(node, kind)
        if not args:
            raise _Fail("DF015", "SHELL requires at least one argument", node.keyword_span)
        if not node.json:
            raise _Fail("DF031", "SHELL requires the arguments to be in JSON form", node.rest.span)
        return flags
    message = with_suggestion(
        f"unknown instruction: {node.keyword}", node.keyword, INSTRUCTIONS, case_sensitive=False
    )
    raise _Fail("DF001", message, node.keyword_span)


def check_instruction(node: Node) -> tuple[Instruction | None, Diagnostic | None]:
    """One instruction checked on its own: the instruction, or its first error."""
    if not node.valid:
        return None, None
    try:
        return Instruction(node, check_node(node), True), None
    except _Fail as exc:
        return None, exc.diagnostic


def build_program(children: tuple[Node, ...]) -> Program:
    """Group the instructions into stages and apply the instruction-layer rules."""
    diagnostics: list[Diagnostic] = []
    meta: list[Instruction] = []
    stages: list[tuple[Instruction, list[Instruction]]] = []
    refused = False
    for node in children:
        if not node.valid:
            instruction = Instruction(node, (), False)
        else:
            try:
                instruction = _new(Instruction, (node, check_node(node), True))
            except _Fail as exc:
                diagnostics.append(exc.diagnostic)
                instruction = Instruction(node, (), False)
        if node.kind == "from":
            stages.append((instruction, []))
        elif stages:
            stages[-1][1].append(instruction)
        elif node.kind == "arg":
            meta.append(instruction)
        elif instruction.ok:
            refused = True
            message = "no build stage in current context"
            diagnostics.append(diag("DF011", message, node.keyword_span))
    built = []
    for i, (first, rest) in enumerate(stages):
        args = first.node.args
        name = go_lower(args[2].value) if first.ok and len(args) == 3 else ""
        built.append(Stage(i, first, name, tuple(rest)))
    return Program(tuple(meta), tuple(built), tuple(diagnostics), refused)

"""Dispatching one instruction of a stage: BuildKit's `dispatch()` switch, statically.

For each instruction kind it expands the words BuildKit expands (ENV/LABEL keys and values,
COPY/ADD flags, sources, destination and expandable heredocs, WORKDIR, USER, VOLUME,
STOPSIGNAL, ARG defaults, EXPOSE ports, RUN mount options), updates the stage's variables,
and reports the dispatch-time errors (copying or mounting from a later stage, bad ports,
signals, modes, checksums and mount options). Undefined variables are collected for the
UndefinedVar check.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol
from urllib.parse import parse_qs, urlsplit

from .gotext import go_lower, go_quote, parse_bool
from .heredocs import parse_heredoc_word
from .instructions import Instruction
from .mounts import MountError, csv_fields, parse_mount
from .nodes import Span, Token
from .shell import Lexer
from .shellwords import Expansion, ShellError
from .values import checksum_error, chmod_error, port_error, signal_error

_new = tuple.__new__  # a NamedTuple without its Python-level __new__ (see memo._retoken)


class Abort(Exception):
    """The instruction failed at dispatch; BuildKit would stop here."""


@dataclass(slots=True)
class StageState:
    env: dict[str, str | None]
    declared: set[str]
    workdir_set: bool = False
    shell_set: bool = False
    workdir: str | None = "/"  # None: not known (the base image's own is taken to be /)
    bare: set[str] = field(default_factory=set)  # ARGs without a value: empty in `docker build`


class Step(NamedTuple):
    """One dispatched instruction and what the checks need from the walk."""

    stage: int
    instruction: Instruction
    undefined: tuple[str, ...] = ()
    scope: tuple[str, ...] = ()  # variable names in scope, for "did you mean"
    shell_set: bool = False
    first_workdir: bool = False
    values: tuple[str, ...] = ()  # WORKDIR path / EXPOSE words / ENV and ARG keys, when known


class Walker(Protocol):
    lexer: Lexer
    sources: dict[int, tuple[int, Token]]
    cycle: bool
    meta_env: dict[str, str | None]
    meta_defaults: dict[str, str | None] | None
    labels: dict[int, str]

    def error(self, code: str, message: str, span: Span) -> None: ...

    def expand_error(self, exc: ShellError, span: Span) -> None: ...

    def expand(
        self,
        word: str,
        token: Token,
        state: StageState,
        undefined: set[str],
        words: bool = False,
        raw: bool = False,
    ) -> Expansion: ...


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _is_git(source: str) -> bool:
    return (
        source.startswith("git@")
        or source.startswith("git://")
        or (_is_url(source) and ".git" in source)
    )


class _Runner:
    def __init__(
        self, walk: Walker, index: int, instruction: Instruction, state: StageState
    ) -> None:
        self.walk, self.index, self.instruction, self.state = walk, index, instruction, state
        self.node = instruction.node
        self.undefined: set[str] = set()
        self.values: list[str] = []

    def ex(self, token: Token, value: str | None = None) -> Expansion:
        word = token.value if value is None else value
        return self.walk.expand(word, token, self.state, self.undefined)

    def bare(self, word: str, expansion: Expansion) -> str | None:
        """`word` as a bare `docker build` sees it (ARGs without a value are empty there)."""
        if not expansion.uncertain:
            return expansion.result
        env = {**self.state.env, **dict.fromkeys(self.state.bare, "")}
        try:
            again = self.walk.lexer.process(word, env)
        except ShellError:
            return None
        return None if again.uncertain else again.result

    def fail(self, code: str, message: str, span: Span) -> None:
        self.walk.error(code, message, span)
        raise Abort

    def env_like(self) -> None:
        args, pairs = self.node.args, []
        for j in range(0, len(args) - 2, 3):
            pairs.append((self.ex(args[j]), self.ex(args[j + 1]), args[j]))
        for key, value, token in pairs:
            name = token.value if key.uncertain else key.result
            self.values.append(name)
            if self.instruction.kind == "env":
                self.state.env[name] = None if value.uncertain else value.result
                self.state.bare.discard(name)

    def arg(self) -> None:
        for token in self.node.args:
            key, sep, default = token.value.partition("=")
            self.values.append(key)
            # the default is expanded before the ARG exists: `ARG X=${X:-d}` uses an undefined X
            value = self.ex(token, default) if sep else None
            self.state.declared.add(key)
            self.state.bare.discard(key)
            if value is not None:
                self.state.env[key] = None if value.uncertain else value.result
                continue
            self.state.env[key] = self.walk.meta_env.get(key)
            defaults = self.walk.meta_defaults
            if key not in self.walk.meta_env or (defaults is not None and defaults[key] == ""):
                self.state.bare.add(key)

    def copy(self) -> None:
        kind, args = self.instruction.kind, self.node.args
        for name in ("chown", "chmod", "checksum"):
            flag = self.instruction.flag(name)
            if flag is not None:
                self.ex(flag.token, flag.value)
        sources: list[str] = []
        for token in args[:-1]:
            try:
                heredoc = parse_heredoc_word(token.value)
            except ShellError:
                heredoc = None
            if heredoc is None:
                expansion = self.ex(token)
                sources.append(expansion.result if not expansion.uncertain else "")
            elif heredoc.expand:
                self._heredoc_content(heredoc.name, token)
        self.ex(args[-1])
        source = self.walk.sources.get(id(self.instruction))
        if source is not None and source[0] > self.index and not self.walk.cycle:
            flag = self.instruction.flag("from")
            value = flag.value if flag else ""
            current = go_quote(self.walk.labels.get(self.index, ""))
            message = (
                f"cannot copy from stage {go_quote(value)}, "
                f"it needs to be defined before current stage {current}"
            )
            self.fail("DF043", message, source[1].span)
        self._copy_values(kind, sources)

    def _heredoc_content(self, name: str, token: Token) -> None:
        """An unquoted COPY/ADD heredoc delimiter: BuildKit expands the body (quotes kept)."""
        for heredoc in self.node.heredocs:
            if heredoc.name == name:
                self.walk.expand(heredoc.content, token, self.state, self.undefined, raw=True)
                return

    def _copy_values(self, kind: str, sources: list[str]) -> None:
        chmod = self.instruction.flag("chmod")
        if chmod is not None and "$" not in chmod.value and (problem := chmod_error(chmod.value)):
            self.fail("DF047", problem, chmod.token.span)
        checksum = self.instruction.flag("checksum")
        if kind == "add" and checksum is not None and checksum.value and "$" not in checksum.value:
            if len(self.node.args) != 2:
                self.fail(
                    "DF048", "checksum can't be specified for multiple sources", checksum.token.span
                )
            if sources and sources[0] and not _is_url(sources[0]) and not _is_git(sources[0]):
                self.fail(
                    "DF048",
                    "checksum can't be specified for non-HTTP(S) sources",
                    checksum.token.span,
                )
            git = bool(sources and _is_git(sources[0]))
            if not git and (problem := checksum_error(checksum.value)):
                self.fail("DF048", problem, checksum.token.span)
        keep = self.instruction.flag("keep-git-dir")
        if kind == "add" and keep is not None and sources and _is_git(sources[0]):
            query = parse_qs(urlsplit(sources[0]).query).get("keep-git-dir")
            wanted = parse_bool(query[-1]) if query else None
            if wanted is not None and wanted != (parse_bool(keep.value) is not False):
                self.fail("DF048", "inconsistent keep-git-dir configuration", keep.token.span)
        if kind == "copy" and self.instruction.flag("from") is None:
            for token, source in zip(self.node.args[:-1], sources, strict=False):
                if _is_git(source):
                    self.fail("DF048", "source can't be a git ref for COPY", token.span)
                if _is_url(source):
                    self.fail("DF048", "source can't be a URL for COPY", token.span)

    def expose(self) -> None:
        words: list[str] = []
        certain = True
        for token in self.node.args:
            expansion = self.walk.expand(token.value, token, self.state, set(), True)
            certain &= not expansion.uncertain
            words.extend(expansion.words)
        if not certain:
            return
        self.values.extend(words)
        for token_word in words:
            problem = port_error(token_word)
            if problem is not None:
                self.fail("DF046", problem, self.node.rest.span)

    def run(self) -> None:
        for flag in self.instruction.flag_values("mount"):
            token = flag.token

            def expand(word: str, token: Token = token) -> str:
                return self.ex(token, word).result

            try:
                mount = parse_mount(flag.value, expand)
            except MountError as exc:
                self.fail("DF034", exc.message, flag.token.span)
                return
            if mount.type == "ssh" and mount.source:
                self.fail("DF034", "ssh does not support source", flag.token.span)
            if mount.type in ("bind", "cache", "tmpfs"):
                self._mount_target(flag.value, flag.token)
            source = self.walk.sources.get(id(flag))
            if source is not None and source[0] > self.index and not self.walk.cycle:
                self.fail(
                    "DF043",
                    f"cannot mount from stage {go_quote(mount.from_)} to {go_quote(mount.target)}, "
                    "stage needs to be defined before current command",
                    flag.token.span,
                )

    def _mount_target(self, value: str, token: Token) -> None:
        """BuildKit joins the target to the WORKDIR; a mount over / is refused."""
        target: str | None = ""
        for field_ in csv_fields(value):
            key, sep, word = field_.partition("=")
            if sep and go_lower(key) in ("target", "dst", "destination"):
                target = self.bare(word, self.ex(token, word))
        if target is None or (not target.startswith("/") and self.state.workdir is None):
            return
        full = posixpath.normpath(posixpath.join("/", self.state.workdir or "/", target))
        if full in ("/", "//"):
            self.fail("DF034", 'invalid mount target "/"', token.span)

    def simple(self) -> None:
        kind = self.instruction.kind
        for token in self.node.args:
            expansion = self.ex(token)
            value = self.bare(token.value, expansion)
            if kind == "workdir":
                if not expansion.uncertain:
                    self.values.append(expansion.result)
                self._workdir(value)
            if kind == "volume" and value == "":
                self.fail("DF030", "VOLUME specified can not be an empty string", token.span)
            if (
                kind == "stopsignal"
                and not expansion.uncertain
                and (problem := signal_error(expansion.result))
            ):
                self.fail("DF049", problem, token.span)

    def _workdir(self, value: str | None) -> None:
        state = self.state
        if value is None or (not value.startswith("/") and state.workdir is None):
            state.workdir = None
        else:
            state.workdir = posixpath.normpath(posixpath.join("/", state.workdir or "/", value))


_INERT = frozenset({"cmd", "entrypoint", "healthcheck", "onbuild", "maintainer"})


def run_step(walk: Walker, index: int, instruction: Instruction, state: StageState) -> Step:
    """Dispatch one instruction; raises Abort after reporting a dispatch error."""
    kind = instruction.kind
    shell_set, first_workdir = state.shell_set, False
    if kind in _INERT or (kind == "run" and not instruction.flags):
        # nothing to expand or resolve; tuple.__new__ as in memo._retoken (defaults spelled out)
        return _new(Step, (index, instruction, (), (), shell_set, False, ()))
    runner = _Runner(walk, index, instruction, state)
    if kind in ("env", "label"):
        runner.env_like()
    elif kind == "arg":
        runner.arg()
    elif kind in ("copy", "add"):
        runner.copy()
    elif kind == "expose":
        runner.expose()
    elif kind == "run":
        runner.run()
    elif kind in ("workdir", "user", "volume", "stopsignal"):
        runner.simple()
        if kind == "workdir":
            first_workdir, state.workdir_set = not state.workdir_set, True
    elif kind == "shell":
        state.shell_set = True
    undefined = tuple(sorted(runner.undefined))
    return Step(
        index,
        instruction,
        undefined,
        tuple(dict.fromkeys([*walk.meta_env, *state.env])) if undefined else (),
        shell_set,
        first_workdir,
        tuple(runner.values),
    )

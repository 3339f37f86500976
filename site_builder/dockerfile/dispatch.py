"""The dispatch layer: what `dockerfile2llb` refuses after parsing (D01–D08 and the value errors).

It resolves global ARGs and each FROM (blank or invalid base names), the stage graph
(`COPY --from` / `RUN --mount from=` by name or index, cycles, copying from a stage that comes
later) and walks every stage with BuildKit's variable expansion (quotes, `${}` syntax,
`${x:?msg}`, EXPOSE ports, STOPSIGNAL, `--chmod`, ADD `--checksum`, mount options). The walk
also records what the build checks need: undefined variables, expanded paths and ports.
Values BuildKit cannot know here (build arguments without default, the base image's ENV) are
"unknown": they never cause an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..diagnostics.diagnostic import Diagnostic
from .codes import diag
from .gotext import atoi, go_lower, go_quote, with_suggestion
from .instructions import Instruction, Program, Stage
from .mounts import parse_time_from
from .nodes import Span, Token
from .onbuild import Trigger, hint, reachable, read_triggers
from .shell import PLACEHOLDER, Lexer
from .shellwords import Expansion, ExpansionTooLong, ShellError
from .steps import Abort, StageState, Step, run_step
from .values import platform_error, reference_error

PLATFORM_ARGS = (
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
)  # fmt: skip
_PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY")
PREDEFINED = frozenset(
    [
        *PLATFORM_ARGS,
        *("BUILDOSVERSION", "TARGETOSVERSION", "TARGETSTAGE", "SOURCE_DATE_EPOCH"),
        *_PROXIES,
        *(name.lower() for name in _PROXIES),
        *("BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"),
    ]
)
# Defined in a stage without ARG (the platform ARGs are only in scope in FROM until declared).
IN_EVERY_STAGE = PREDEFINED - frozenset(PLATFORM_ARGS)
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class FromInfo(NamedTuple):
    stage: Stage
    label: str  # BuildKit's stageName: the name, or stage-N
    base: Expansion | None = None
    base_stage: int | None = None
    platform: Expansion | None = None


@dataclass(frozen=True, slots=True)
class Dispatch:
    diagnostics: tuple[Diagnostic, ...]
    froms: tuple[FromInfo, ...]
    steps: tuple[Step, ...]
    meta_keys: tuple[str, ...]
    meta_defaults: dict[str, str | None] | None = None  # None: the defaults do not expand
    triggers: tuple[Trigger, ...] = ()  # ONBUILD triggers run in a child stage


class _Walk:
    def __init__(self, program: Program, escape: str) -> None:
        self.program = program
        self.lexer = Lexer(escape)
        self.raw_lexer = Lexer("\\", skip_quotes=True)
        self.diagnostics: list[Diagnostic] = []
        self.steps: list[Step] = []
        self.meta_env: dict[str, str | None] = dict.fromkeys(PLATFORM_ARGS)
        self.meta_defaults: dict[str, str | None] | None = dict.fromkeys(PLATFORM_ARGS)
        # id(COPY instruction or --mount flag) -> (the stage it uses, the flag's token)
        self.sources: dict[int, tuple[int, Token]] = {}
        self.cycle = False
        self.labels: dict[int, str] = {}
        self.triggers: dict[int, list[Trigger]] = {}  # stage -> the triggers it runs first
        self.trigger: Trigger | None = None  # the trigger being dispatched

    def error(self, code: str, message: str, span: Span) -> None:
        if self.trigger is None:
            self.diagnostics.append(diag(code, message, span))
        else:  # BuildKit reports a trigger's errors at the child's FROM
            at = self.trigger.at
            self.diagnostics.append(diag(code, message, at, hint=hint(self.trigger, code)))

    def expand_error(self, exc: ShellError, span: Span) -> None:
        too_long = isinstance(exc, ExpansionTooLong)
        self.error("DF051" if too_long else "DF040" if exc.unset else "DF039", exc.message, span)

    def run(self) -> Dispatch:
        self.meta()
        froms = self.froms()
        self.labels = {i: info.label for i, info in enumerate(froms)}
        by_name = {info.stage.name: i for i, info in enumerate(froms) if info.stage.name}
        deps = self.dependencies(by_name)
        self.find_cycle(deps, froms)
        self.read_onbuilds(froms, deps, by_name)
        states: list[StageState] = []
        for i, info in enumerate(froms):
            states.append(self.walk_stage(i, info, states))
        return Dispatch(
            tuple(self.diagnostics),
            tuple(froms),
            tuple(self.steps),
            tuple(self.meta_env),
            self.meta_defaults,
            tuple(t for stage in sorted(self.triggers) for t in self.triggers[stage]),
        )

    def meta(self) -> None:
        for instruction in self.program.meta_args:
            if not instruction.ok:
                continue
            for token in instruction.node.args:
                key, sep, value = token.value.partition("=")
                if not sep:
                    self.meta_env[key] = None
                    if self.meta_defaults is not None:
                        self.meta_defaults[key] = ""
                    continue
                try:
                    expansion = self.lexer.process(value, self.meta_env)
                    self.meta_env[key] = None if expansion.uncertain else expansion.result
                    if self.meta_defaults is not None:
                        self.meta_defaults[key] = self.lexer.process(
                            value, self.meta_defaults
                        ).result
                except ShellError as exc:
                    self.expand_error(exc, token.span)
                    self.meta_env[key] = None
                    self.meta_defaults = None

    def froms(self) -> list[FromInfo]:
        infos: list[FromInfo] = []
        names: dict[str, int] = {}
        for stage in self.program.stages:
            label = stage.name or f"stage-{stage.number}"
            base = platform = None
            base_stage = None
            if stage.instruction.ok:
                token = stage.node.args[0]
                base = self.from_word(token.value, token.span)
                value = self.as_built(base, token.value, token.span)
                if value is not None:
                    base_stage = names.get(value)
                    if not value:
                        self.error(
                            "DF036", f"base name ({token.value}) should not be blank", token.span
                        )
                    elif base_stage is None and value != "scratch":
                        problem = reference_error(value)
                        if problem is not None:
                            message = f"failed to parse stage name {go_quote(value)}: {problem}"
                            self.error("DF045", message, token.span)
                flag = stage.instruction.flag("platform")
                if flag is not None:
                    platform = self.from_word(flag.value, flag.token.span, "platform")
                    self.check_platform(platform, flag.value, flag.token.span)
            infos.append(FromInfo(stage, label, base, base_stage, platform))
            if stage.name:
                names[stage.name] = stage.number
        return infos

    def from_word(self, word: str, span: Span, flag: str = "") -> Expansion | None:
        """A FROM word expanded with the global ARGs (None: reported as unexpandable)."""
        try:
            return self.lexer.process(word, self.meta_env)
        except ShellError as exc:
            if flag:
                message = f"failed to process arguments for {flag} : {exc.message}"
                self.error("DF039", message, span)
            else:
                self.expand_error(exc, span)
            return None

    def as_built(self, expansion: Expansion | None, word: str, span: Span) -> str | None:
        """The word as a bare `docker build` sees it: an ARG without a default is empty there
        (no --build-arg), so `FROM $IMG` fails; None when the value is truly unknown (a platform
        ARG) or the word already failed."""
        if expansion is None:
            return None
        if not expansion.uncertain:
            return expansion.result
        if self.meta_defaults is None:
            return None
        try:
            built = self.lexer.process(word, self.meta_defaults)
        except ShellError as exc:  # `${X:?msg}` of an ARG without a default
            self.expand_error(exc, span)
            return None
        return None if built.uncertain else built.result

    def check_platform(self, platform: Expansion | None, word: str, span: Span) -> None:
        value = self.as_built(platform, word, span)
        if value is None:
            return
        if not value:
            names = [k for k in self.meta_defaults or () if k not in PLATFORM_ARGS]
            name = word.replace("$", "").replace("{", "").replace("}", "")
            message = f"empty platform value from expression {word}"
            self.error("DF052", with_suggestion(message, name, names, case_sensitive=True), span)
        elif problem := platform_error(value):
            self.error("DF052", problem, span)

    def dependencies(self, by_name: dict[str, int]) -> list[list[tuple[int, Token]]]:
        deps: list[list[tuple[int, Token]]] = [[] for _ in self.program.stages]
        for stage in self.program.stages:
            for instruction in stage.instructions:
                if instruction.ok and instruction.kind in ("copy", "run"):
                    deps[stage.number] += self.sources_of(instruction, by_name)
        return deps

    def read_onbuilds(
        self, froms: list[FromInfo], deps: list[list[tuple[int, Token]]], by_name: dict[str, int]
    ) -> None:
        """The ONBUILD triggers each reachable child of a local stage runs, and the stages
        their own --from / mount from= make reachable (BuildKit resolves again until none)."""
        if not froms:
            return
        edges = [{target for target, _ in stage_deps} for stage_deps in deps]
        for i, info in enumerate(froms):
            if info.base_stage is not None:
                edges[i].add(info.base_stage)
        read: set[int] = set()
        while True:
            reach = reachable(len(froms) - 1, edges)
            new = [i for i in sorted(reach - read) if froms[i].base_stage is not None]
            if not new:
                return
            for i in new:
                read.add(i)
                parent = self.program.stages[froms[i].base_stage or 0]
                triggers = read_triggers(parent, froms[i].stage)
                if triggers:
                    self.triggers[i] = triggers
                for trigger in triggers:
                    if trigger.error is not None:
                        self.diagnostics.append(trigger.error)
                    if trigger.instruction is not None:
                        self.trigger = trigger
                        edges[i].update(t for t, _ in self.sources_of(trigger.instruction, by_name))
                        self.trigger = None

    def sources_of(
        self, instruction: Instruction, by_name: dict[str, int]
    ) -> list[tuple[int, Token]]:
        """The stages one instruction copies or mounts from, with the flag (kept in `sources`)."""
        found: list[tuple[int, Token]] = []
        flag = instruction.flag("from") if instruction.kind == "copy" else None
        if flag is not None and flag.value:
            target = self._copy_source(flag.value, flag.token, by_name)
            if target is not None:
                found.append((target, flag.token))
                self.sources[id(instruction)] = (target, flag.token)
        for mount in instruction.flag_values("mount") if instruction.kind == "run" else ():
            target = by_name.get(go_lower(parse_time_from(mount.value) or "scratch"))
            if target is not None:
                found.append((target, mount.token))
                self.sources[id(mount)] = (target, mount.token)
        return found

    def _copy_source(self, value: str, token: Token, by_name: dict[str, int]) -> int | None:
        dollar = value.find("$")
        if dollar != -1 and dollar != len(value) - 1:
            self.error(
                "DF037",
                "variable expansion is not supported for --from, define a new stage with "
                "FROM using ARG "
                "from global scope as a workaround",
                token.span,
            )
            return None
        index = atoi(value)
        if index is None:
            found = by_name.get(go_lower(value))
            if found is None and dollar == -1 and (problem := reference_error(value)):
                message = f"failed to parse stage name {go_quote(value)}: {problem}"
                self.error("DF045", message, token.span)
            return found
        if 0 <= index < len(self.program.stages):
            return index
        self.error("DF044", f"invalid stage index {index}", token.span)
        return None

    def find_cycle(self, deps: list[list[tuple[int, Token]]], froms: list[FromInfo]) -> None:
        visited: set[int] = set()
        for start in range(len(deps)):
            if start in visited:
                continue
            visited.add(start)
            on_path = {start}
            stack: list[tuple[int, int, Token | None]] = [(start, 0, None)]
            while stack:
                node, position, via = stack[-1]
                if position >= len(deps[node]):
                    on_path.discard(node)
                    stack.pop()
                    continue
                stack[-1] = (node, position + 1, via)
                target, token = deps[node][position]
                if target in on_path:
                    first = stack[1][2] if len(stack) > 1 and stack[1][2] is not None else token
                    self.error(
                        "DF038",
                        f"circular dependency detected on stage: {froms[start].label}",
                        first.span,
                    )
                    self.cycle = True
                    return
                if target not in visited:
                    visited.add(target)
                    on_path.add(target)
                    stack.append((target, 0, token))

    def walk_stage(self, index: int, info: FromInfo, states: list[StageState]) -> StageState:
        if info.base_stage is not None:
            parent = states[info.base_stage]
            state = StageState(
                dict(parent.env),
                set(parent.declared),
                parent.workdir_set,
                parent.shell_set,
                parent.workdir,
                set(parent.bare),
            )
        else:
            state = StageState({"PATH": DEFAULT_PATH}, set())
        for trigger in self.triggers.get(index, ()):
            if trigger.instruction is not None:
                self.trigger = trigger
                try:
                    self.steps.append(run_step(self, index, trigger.instruction, state))
                except Abort:
                    pass
                finally:
                    self.trigger = None
        for instruction in info.stage.instructions:
            if instruction.ok:
                try:
                    self.steps.append(run_step(self, index, instruction, state))
                except Abort:  # reported; BuildKit would stop this build here
                    continue
        return state

    def expand(
        self,
        word: str,
        token: Token,
        state: StageState,
        undefined: set[str],
        words: bool = False,
        raw: bool = False,
    ) -> Expansion:
        """Expand like BuildKit (`raw`: the `\\`-escaped, quote-keeping lexer of heredoc bodies)."""
        lexer = self.raw_lexer if raw else self.lexer
        try:
            expansion = lexer.process(word, state.env, words=words)
        except ExpansionTooLong as exc:
            self.expand_error(exc, token.span)
            return Expansion(PLACEHOLDER, (PLACEHOLDER,), frozenset(), frozenset(), True)
        except ShellError as exc:
            self.expand_error(exc, token.span)
            raise Abort from None
        if expansion.unmatched:
            undefined.update(expansion.unmatched - state.declared - IN_EVERY_STAGE)
        return expansion


def dispatch(program: Program, escape: str) -> Dispatch:
    """Run the dispatch-layer rules over a checked program."""
    return _Walk(program, escape).run()

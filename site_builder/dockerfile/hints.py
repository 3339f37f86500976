"""The blog's own size and cache hints (`DH…`), with the matching hadolint id in each message.

Stage-aware, so good Dockerfiles stay clean: cleanup hints only concern stages whose layers end
up in the final image (the last stage and the stages it is built `FROM`); a compiler in an
earlier build stage is fine; `FROM build AS test`, `FROM scratch` and `FROM ${BASE}` are not
"untagged images". Also the non-error syntax hints: invalid JSON that became shell form, a
directive the parser ignored, `<<EOF` in CMD/ENTRYPOINT, several COPY sources into a path
without a trailing `/`.
"""

from __future__ import annotations

import re

from ..diagnostics.diagnostic import Diagnostic
from .codes import diag
from .directives import KNOWN_DIRECTIVES, match_directive
from .dispatch import Dispatch
from .gotext import go_trim_left_space
from .heredocs import heredocs_in_line, parse_heredoc_word
from .instructions import Instruction, Program, Stage
from .nodes import Node, ParseResult, Span
from .run_hints import RunCommand, build_tools, run_commands, size_hints
from .runscan import python_pip, subcommand
from .value_hints import value_hints
from .values import reference_error

_JSONISH = re.compile(r"\[\s*(?:[\"']|\])")
_EXEC_FORM = frozenset({"run", "cmd", "entrypoint", "add", "copy", "volume", "healthcheck"})
_ARCHIVE = re.compile(r"\.(?:tar|tgz|tbz2?|txz|tzst|gz|bz2|xz|zst|zip)\Z", re.I)
_INSTALLERS = {
    "npm": ("ci", "install", "i"),
    "yarn": ("install", ""),
    "pnpm": ("install", "i"),
    "pipenv": ("install", "sync"),
    "poetry": ("install",),
    "uv": ("sync",),
    "bundle": ("install", ""),
    "composer": ("install",),
    "go": ("mod",),
    "dotnet": ("restore",),
    "cargo": ("fetch",),
}


def _final_chain(dispatched: Dispatch) -> set[int]:
    """The last stage and the stages it is built FROM: their layers are the image."""
    chain: set[int] = set()
    index: int | None = len(dispatched.froms) - 1 if dispatched.froms else None
    while index is not None and index not in chain:
        chain.add(index)
        index = dispatched.froms[index].base_stage
    return chain


def _stage_env(stage: Stage) -> dict[str, str | None]:
    env: dict[str, str | None] = {}
    for instruction in stage.instructions:
        node = instruction.node
        if instruction.ok and node.kind == "env":
            for j in range(0, len(node.args) - 2, 3):
                env[node.args[j].value] = node.args[j + 1].value.strip("\"'")
    return env


def _installs(runs: list[RunCommand]) -> bool:
    for run in runs:
        command, sub = run.command, subcommand(run.command)
        pip = python_pip(command)
        if pip is not None and subcommand(pip) == "install":
            return True
        if sub in _INSTALLERS.get(command.name, ()):
            return sub != "mod" or "download" in command.args
    return False


def _whole_context(instruction: Instruction) -> bool:
    node = instruction.node
    if (
        not instruction.ok
        or instruction.kind not in ("copy", "add")
        or instruction.flag("from") is not None
    ):
        return False
    return any(arg.value in (".", "./") for arg in node.args[:-1])


def _stage_hints(stage: Stage, final: bool, single: bool) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    env = _stage_env(stage)
    previous: Instruction | None = None
    context_copy: Instruction | None = None
    installed_before = False
    tools: list[tuple[str, Span, Node]] = []
    for instruction in stage.instructions:
        node = instruction.node
        runs = run_commands(node) if instruction.ok and node.kind == "run" else []
        if runs:
            for hint in size_hints(node, runs, final=final, env=env):
                out.append(diag(hint.code, hint.message, hint.span))
            if final and _same_run(previous, instruction):
                message = (
                    "Consecutive RUN instructions (DL3059) each add a layer; joining them with "
                    "`&&` makes one layer and lets the cleanup in the same step shrink the image"
                )
                out.append(diag("DH006", message, node.keyword_span))
            if single:
                tools += [(name, span, node) for name, span in build_tools(runs, env)]
        if runs and _installs(runs):
            if context_copy is not None and not installed_before:
                message = (
                    "COPY of the whole build context before the dependency install "
                    "invalidates the install's "
                    "cache on every source change; copy the manifests first, install, then "
                    "copy the rest"
                )
                out.append(diag("DH008", message, context_copy.node.span))
            installed_before = True
        if context_copy is None and _whole_context(instruction):
            context_copy = instruction
        if instruction.ok and node.kind == "add":
            out += _add_hint(instruction)
        if instruction.ok and node.kind in ("add", "copy"):
            out += _dest_hint(node)
        previous = instruction
    if tools:
        names = ", ".join(dict.fromkeys(name for name, _, _ in tools))
        _, span, node = tools[0]
        message = (
            f"This single-stage image keeps {names}, needed only to build; build in a "
            f"separate stage and "
            "COPY just the results into a slim final stage"
        )
        out.append(
            diag(
                "DH009",
                message,
                Span(
                    node.keyword_span.line, node.keyword_span.column, span.end_line, span.end_column
                ),
            )
        )
    return out


def _same_run(previous: Instruction | None, current: Instruction) -> bool:
    if previous is None or previous.kind != "run" or not previous.ok:
        return False
    return [f.value for f in previous.node.flags] == [f.value for f in current.node.flags]


def _add_hint(instruction: Instruction) -> list[Diagnostic]:
    node = instruction.node
    if any(instruction.flag(name) for name in ("checksum", "keep-git-dir", "unpack")):
        return []
    sources = node.args[:-1]
    for arg in sources:
        value = arg.value
        if value.startswith(("http://", "https://", "git@", "git://")) or _ARCHIVE.search(value):
            continue
        if parse_heredoc_word(value) is None and "$" not in value:
            message = (
                "ADD of a local file or folder (DL3020): COPY does only that, while ADD's "
                "archive and URL "
                "handling make the layer's content and cache less predictable"
            )
            return [diag("DH007", message, node.keyword_span)]
    return []


def _dest_hint(node: Node) -> list[Diagnostic]:
    if len(node.args) < 3:
        return []
    dest = node.args[-1]
    if dest.value.endswith("/") or dest.value in (".", "..") or "$" in dest.value:
        return []
    message = (
        f"{node.keyword} with several sources (DL3021) must copy into a directory written "
        f"with a trailing `/`, "
        "as the Dockerfile reference requires; without it the result depends on whether the "
        "path exists"
    )
    return [diag("DH015", message, dest.span)]


def _base_hints(dispatched: Dispatch) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for info in dispatched.froms:
        node, base = info.stage.node, info.base
        if (
            not info.stage.instruction.ok
            or base is None
            or base.uncertain
            or info.base_stage is not None
        ):
            continue
        raw = node.args[0].value
        if "$" in raw or base.result == "scratch" or "@" in base.result:
            continue
        if reference_error(base.result) is not None:
            continue
        last = base.result.rsplit("/", 1)[-1]
        if ":" not in last:
            message = (
                f"Base image `{base.result}` has no tag (DL3006), so each build pulls "
                f"whatever `latest` is that "
                "day; pin a tag for reproducible builds and reliable layer-cache reuse"
            )
            out.append(diag("DH010", message, node.args[0].span))
        elif last.endswith(":latest"):
            message = (
                f"Base image `{base.result}` (DL3007) moves under you; pin a version tag so "
                f"rebuilds reuse "
                "the cache and stay reproducible"
            )
            out.append(diag("DH011", message, node.args[0].span))
    return out


def _syntax_hints(result: ParseResult) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for node in result.root.children:
        target = node.sub if node.sub is not None else node
        if not node.valid:
            continue
        text = target.rest.value
        if target.kind == "healthcheck":
            text = text.partition(" ")[2].lstrip() if len(target.args) > 1 else ""
        if target.kind in _EXEC_FORM and not target.json and _JSONISH.match(text):
            message = (
                "This looks like a JSON array but is not valid JSON (strings need double quotes), "
                "so it runs as a shell command string instead"
            )
            out.append(diag("DH012", message, target.rest.span))
        if (
            target.kind in ("cmd", "entrypoint")
            and not target.json
            and "<<" in text
            and heredocs_in_line(text)
        ):
            message = (
                f"Heredocs are not supported in {target.keyword}: `<<` is passed on as text "
                f"and the lines "
                "after it are read as new instructions"
            )
            out.append(diag("DH014", message, target.rest.span))
    return out


def _directive_hints(result: ParseResult, used_check_lines: set[int]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    directive_lines = result.directive_lines | used_check_lines
    for comment in result.comments:
        if comment.line in directive_lines:
            continue
        raw = go_trim_left_space(result.lines[comment.line - 1])[1:]
        found = match_directive(go_trim_left_space(raw))
        if found is None or found[0].lower() not in KNOWN_DIRECTIVES:
            continue
        name = found[0].lower()
        message = (
            f"Parser directive `# {name}=` is ignored here: directives count only at the very "
            f"top of the file, "
            "before any other comment, blank line or instruction"
        )
        out.append(
            diag("DH013", message, Span(comment.line, comment.column, comment.line, comment.column))
        )
    return out


def run_hints(
    result: ParseResult, program: Program, dispatched: Dispatch, used_check_lines: set[int]
) -> list[Diagnostic]:
    """Every DH hint for one Dockerfile."""
    chain = _final_chain(dispatched)
    single = len(program.stages) == 1 and dispatched.froms[0].base is not None
    if (
        single
        and dispatched.froms[0].base is not None
        and dispatched.froms[0].base.result == "scratch"
    ):
        single = False
    out = (
        _syntax_hints(result) + _directive_hints(result, used_check_lines) + _base_hints(dispatched)
    )
    for stage in program.stages:
        out += _stage_hints(stage, stage.number in chain, single)
    return out + value_hints(program)

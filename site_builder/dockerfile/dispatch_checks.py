"""Build checks that need the dispatch walk: expanded FROMs and the state of each stage.

UndefinedArgInFrom, RedundantTargetPlatform, FromPlatformFlagConstDisallowed and
InvalidDefaultArgInFrom look at each FROM as expanded with the global ARGs; UndefinedVar,
JSONArgsRecommended, MultipleInstructionsDisallowed, WorkdirRelativePath,
SecretsUsedInArgOrEnv, ExposeProtoCasing and ExposeInvalidFormat at each dispatched step.
Each returns findings; `checks.run_checks` applies `# check=` and severities.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .dispatch import Dispatch
from .gotext import go_lower, go_quote, suggest
from .instructions import Program
from .nodes import Node, Span
from .shell import PLACEHOLDER, Lexer
from .shellwords import ShellError
from .values import parse_platform, port_protocol, reference_error, split_port

_SECRET = re.compile(
    r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)"
)
_ALLOWED = re.compile(r"(?i)(?:_|^)(?:public|file|version)(?:_|$)")
_STAGED = ("cmd", "entrypoint", "healthcheck")


class Finding(NamedTuple):
    rule: str
    message: str
    span: Span
    node: Node | None = None
    hint: str | None = None


def from_checks(program: Program, dispatched: Dispatch, escape: str) -> list[Finding]:
    found: list[Finding] = []
    keys = dispatched.meta_keys
    for info in dispatched.froms:
        node = info.stage.node
        flag = info.stage.instruction.flag("platform")
        for expansion, span in (
            (info.base, node.args[0].span if node.args else node.span),
            (info.platform, flag.token.span if flag else node.span),
        ):
            for name in sorted(expansion.unmatched) if expansion else ():
                match = suggest(name, keys, case_sensitive=True)
                message = f"FROM argument '{name}' is not declared" + (
                    f" (did you mean {match}?)" if match else ""
                )
                found.append(Finding("UndefinedArgInFrom", message, span, node))
        platform = info.platform
        if flag is not None and platform is not None:
            if (
                platform.matched == {"TARGETPLATFORM"}
                and not platform.unmatched
                and platform.result == PLACEHOLDER
            ):
                message = (
                    f"Setting platform to predefined {flag.value} in FROM is redundant as this is "
                    f"the default behavior"
                )
                found.append(Finding("RedundantTargetPlatform", message, flag.token.span, node))
            if not platform.matched and not platform.unmatched:
                parsed = parse_platform(platform.result)
                name = info.stage.name
                if parsed is not None and parsed.os not in name and parsed.architecture not in name:
                    message = (
                        f"FROM --platform flag should not use constant value "
                        f"{go_quote(platform.result)}"
                    )
                    found.append(
                        Finding("FromPlatformFlagConstDisallowed", message, flag.token.span, node)
                    )
    defaults = dispatched.meta_defaults
    lexer = Lexer(escape)
    for stage in program.stages if defaults is not None else ():
        if not stage.instruction.ok or "$" not in stage.base:
            continue
        try:
            expansion = lexer.process(stage.base, defaults or {})
        except ShellError:
            break
        if not expansion.uncertain and reference_error(expansion.result) is not None:
            message = (
                f"Default value for ARG {stage.base} results in empty or invalid base image name"
            )
            found.append(
                Finding("InvalidDefaultArgInFrom", message, stage.node.args[0].span, stage.node)
            )
    return found


def step_checks(dispatched: Dispatch) -> list[Finding]:
    found: list[Finding] = []
    trackers: dict[tuple[int, str], Node] = {}
    meta = set(dispatched.meta_keys)
    for step in dispatched.steps:
        node, kind = step.instruction.node, step.instruction.kind
        for name in step.undefined:
            match = suggest(name, step.scope, case_sensitive=True)
            message = f"Usage of undefined variable '${name}'" + (
                f" (did you mean ${match}?)" if match else ""
            )
            hint = (
                f"add `ARG {name}` in this stage: ARGs declared before FROM are not visible here"
                if name in meta
                else None
            )
            found.append(Finding("UndefinedVar", message, _var_span(node, name), node, hint))
        if kind in ("cmd", "entrypoint") and not node.json and not step.shell_set:
            message = (
                f"JSON arguments recommended for {node.keyword} to prevent unintended behavior "
                f"related to OS signals"
            )
            found.append(Finding("JSONArgsRecommended", message, node.rest.span, node))
        if kind in _STAGED:
            previous = trackers.get((step.stage, kind))
            if previous is not None:
                message = (
                    f"Multiple {node.keyword} instructions should not be used in the same stage "
                    f"because only the last one will be used"
                )
                found.append(
                    Finding(
                        "MultipleInstructionsDisallowed", message, previous.keyword_span, previous
                    )
                )
            trackers[(step.stage, kind)] = node
        if (
            kind == "workdir"
            and step.first_workdir
            and step.values
            and not step.values[0].startswith("/")
        ):
            message = (
                f"Relative workdir {go_quote(step.values[0])} can have unexpected results if the "
                f"base image changes"
            )
            found.append(Finding("WorkdirRelativePath", message, node.rest.span, node))
        if kind in ("env", "arg"):
            for key in step.values:
                if _SECRET.search(key) and not _ALLOWED.search(key):
                    message = (
                        f"Do not use ARG or ENV instructions for sensitive data ({kind.upper()} "
                        f"{go_quote(key)})"
                    )
                    found.append(Finding("SecretsUsedInArgOrEnv", message, node.rest.span, node))
        if kind == "expose":
            for word in step.values:
                protocol = port_protocol(word)
                if protocol != go_lower(protocol):
                    message = f"Defined protocol '{word}' in EXPOSE instruction should be lowercase"
                    found.append(Finding("ExposeProtoCasing", message, node.rest.span, node))
                ip, host, _ = split_port(word)
                if ip or host:
                    message = (
                        f"EXPOSE instruction should not define an IP address or host-port "
                        f"mapping, found '{word}'"
                    )
                    found.append(Finding("ExposeInvalidFormat", message, node.rest.span, node))
    return found


def _var_span(node: Node, name: str) -> Span:
    rest = node.rest
    if rest.span.line == rest.span.end_line:
        for needle in ("${" + name, "$" + name):
            at = rest.value.find(needle)
            if at >= 0:
                column = rest.span.column + at
                return Span(
                    rest.span.line,
                    column,
                    rest.span.line,
                    column + len(needle) - (needle[1] == "{"),
                )
    return rest.span

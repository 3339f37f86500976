"""BuildKit's build checks (`linter/ruleset.go`) under their own names, honouring `# check=`.

Every static rule of table (b) is here with BuildKit's message; CopyIgnoredFile and
InvalidBaseImagePlatform are skipped (they need the build context or a registry). They are
warnings, errors under `# check=error=true`; UndefinedVar stays info because the base image's
environment is unknown. `# check=skip=A,B` applies file-wide at the top of the file, and to a
single instruction when it is written in the comment block right above that instruction.
"""

from __future__ import annotations

import contextlib

from ..diagnostics.diagnostic import Diagnostic, Severity
from .codes import EXPERIMENTAL_CHECKS, diag
from .directives import CheckConfig, CheckOptionError, match_directive, parse_check_options
from .dispatch import Dispatch
from .dispatch_checks import Finding, from_checks, step_checks
from .gotext import go_lower, go_quote, go_trim_left_space, go_upper
from .instructions import INSTRUCTIONS, Program
from .nodes import Node, ParseResult, Span
from .onbuild import Trigger, hint


def instruction_configs(result: ParseResult) -> tuple[dict[int, CheckConfig], set[int]]:
    """Per-instruction `# check=…` comments (keyed by the instruction's line) and their lines."""
    configs: dict[int, CheckConfig] = {}
    used: set[int] = set()
    if not any("check" in c.text.lower() for c in result.comments):
        return configs, used
    by_line = {c.line: c for c in result.comments}
    for node in result.root.children:
        line = node.line - 1
        while line in by_line:
            raw = go_trim_left_space(result.lines[line - 1])[1:]
            found = match_directive(go_trim_left_space(raw))
            if found is not None and found[0].lower() == "check":
                used.add(line)
                with contextlib.suppress(CheckOptionError):
                    configs[node.line] = parse_check_options(found[1])
                break
            line -= 1
    return configs, used


def _casing(program: Program) -> list[Finding]:
    nodes = [s.node for s in program.stages] + [
        i.node for s in program.stages for i in s.instructions
    ]
    nodes = [n for n in nodes if n.valid and n.kind in _KNOWN]
    # kind is the keyword lower-cased: a keyword equal to it is all lower case
    lower = sum(1 for n in nodes if n.keyword == n.kind)
    upper = sum(1 for n in nodes if n.keyword != n.kind and n.keyword == go_upper(n.keyword))
    majority_lower = lower > upper
    found = []
    for node in sorted(nodes, key=lambda n: n.line):
        if majority_lower and node.keyword != node.kind:
            casing = "lowercase"
        elif not majority_lower and go_upper(node.keyword) != node.keyword:
            casing = "uppercase"
        else:
            continue
        message = (
            f"Command '{node.keyword}' should match the case of the command majority ({casing})"
        )
        found.append(Finding("ConsistentInstructionCasing", message, node.keyword_span, node))
    return found


_KNOWN = frozenset(name.lower() for name in INSTRUCTIONS)


def _from_rules(program: Program) -> list[Finding]:
    found: list[Finding] = []
    seen: set[str] = set()
    for stage in program.stages:
        node = stage.node
        args = node.args
        if len(args) == 3 and args[2].value != go_lower(args[2].value):
            found.append(
                Finding(
                    "StageNameCasing",
                    f"Stage name '{args[2].value}' should be lowercase",
                    args[2].span,
                    node,
                )
            )
        is_lower, is_upper = (
            node.keyword == go_lower(node.keyword),
            node.keyword == go_upper(node.keyword),
        )
        if len(args) >= 3 and (is_lower or is_upper):
            expected = go_lower(args[1].value) if is_lower else go_upper(args[1].value)
            if args[1].value != expected:
                message = f"'{args[1].value}' and '{node.keyword}' keywords' casing do not match"
                found.append(Finding("FromAsCasing", message, args[1].span, node))
        if not stage.name or not stage.instruction.ok:
            continue
        span = args[2].span
        if stage.name in ("context", "scratch"):
            message = (
                f"Stage name should not use the same name as reserved stage {go_quote(stage.name)}"
            )
            found.append(Finding("ReservedStageName", message, span, node))
        if stage.name in seen:
            message = f"Duplicate stage name {go_quote(stage.name)}, stage names should be unique"
            found.append(Finding("DuplicateStageName", message, span, node))
        seen.add(stage.name)
    return found


def _nodes(result: ParseResult) -> list[Finding]:
    found = []
    for node in result.root.children:
        if node.empty_continuations:
            blank, last = node.empty_continuations[0], node.end_line  # BuildKit's line: the last
            hint = f"remove the empty line {blank} or put a comment on it"
            span = Span(last, 1, last, 1)
            found.append(
                Finding("NoEmptyContinuation", "Empty continuation line", span, node, hint)
            )
        if node.valid and node.kind == "maintainer":
            message = "Maintainer instruction is deprecated in favor of using label"
            found.append(Finding("MaintainerDeprecated", message, node.keyword_span, node))
        found += _legacy(node)
    return found


def _legacy(node: Node) -> list[Finding]:
    if (
        node.valid
        and node.kind in ("env", "label")
        and any(arg.value == "" for arg in node.args[2::3])  # `ENV key value`
    ):
        kw = node.keyword
        message = f'"{kw} key=value" should be used instead of legacy "{kw} key value" format'
        return [Finding("LegacyKeyValueFormat", message, node.rest.span, node)]
    return []


def _definition(program: Program) -> list[Finding]:
    found = []
    for instruction in [*program.meta_args, *(i for s in program.stages for i in s.instructions)]:
        node = instruction.node
        if instruction.ok and node.kind == "arg":
            keys = [arg.value.partition("=")[0] for arg in node.args]
            found += _description("ARG", keys, node)
    for stage in program.stages:
        if stage.name and stage.instruction.ok:
            found += _description("FROM", [stage.name], stage.node)
    return found


def _description(instruction: str, keys: list[str], node: Node) -> list[Finding]:
    if not node.comments or not keys or node.comments[-1].text.split(" ")[0] in keys:
        return []
    example = keys[0] if len(keys) == 1 else "<arg_key>"
    message = f"Comment for {instruction} should follow the format: `# {example} <description>`"
    return [Finding("InvalidDefinitionDescription", message, node.keyword_span, node)]


def run_checks(
    result: ParseResult,
    program: Program,
    dispatched: Dispatch,
    config: CheckConfig,
    local: dict[int, CheckConfig],
) -> list[Diagnostic]:
    """Every enabled build check, as diagnostics."""
    findings = (
        _nodes(result)
        + _from_rules(program)
        + _casing(program)
        + from_checks(program, dispatched, result.escape)
    )
    triggers: dict[int, Trigger] = {}
    for trigger in dispatched.triggers:
        if trigger.instruction is not None:
            triggers[id(trigger.instruction.node)] = trigger
            findings += _legacy(trigger.instruction.node)
    findings += step_checks(dispatched)
    if config.experimental_all or "InvalidDefinitionDescription" in config.experimental:
        findings += _definition(program)
    out = []
    for finding in findings:
        experimental = finding.rule in EXPERIMENTAL_CHECKS
        extra = local.get(finding.node.line) if finding.node is not None else None
        if not config.enabled(finding.rule, experimental=experimental):
            continue
        if extra is not None and not extra.enabled(finding.rule, experimental=experimental):
            continue
        severity = Severity.INFO if finding.rule == "UndefinedVar" else Severity.WARNING
        if severity is Severity.WARNING and (config.error or (extra is not None and extra.error)):
            severity = Severity.ERROR
        span, node, fix = finding.span, finding.node, finding.hint
        if node is not None and span.line != node.line and finding.rule != "NoEmptyContinuation":
            span = node.keyword_span  # BuildKit reports a check at the instruction's first line
        placed = triggers.get(id(node)) if triggers else None
        if placed is not None:  # an ONBUILD trigger: at the child's FROM, as BuildKit
            span, fix = placed.at, fix or hint(placed, finding.rule)
        out.append(diag(finding.rule, finding.message, span, severity=severity, hint=fix))
    return out

"""`check_dockerfile()`: every layer of the checker over one Dockerfile text, as one report.

Parser (P), instruction (I) and dispatch (D) errors, BuildKit's build checks and the size
hints, with the `# check=` options applied (file-wide, or to the instruction right below the
comment; `skip=` also accepts our `DH…` codes), sorted by position. Lines and columns are
relative to the text given; the caller moves them into the Markdown file with `shifted()`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..diagnostics.diagnostic import Diagnostic, Severity, by_position
from .checks import instruction_configs, run_checks
from .codes import diag
from .directives import CheckConfig, CheckOptionError, find_check_directive, parse_check_options
from .dispatch import dispatch
from .hints import run_hints
from .instructions import build_program
from .memo import recall_snippet, remember_snippet
from .nodes import ParseResult, Span
from .parser import parse


@dataclass(frozen=True, slots=True)
class DockerfileReport:
    """What the checker found in one Dockerfile."""

    diagnostics: tuple[Diagnostic, ...]  # all layers, sorted by position
    stages: tuple[str, ...]  # stage names in order ("" for an unnamed stage)

    @property
    def ok(self) -> bool:
        """No error-severity diagnostic: BuildKit would build it."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def hint_count(self) -> int:
        """Diagnostics that do not fail the build (build checks and hints)."""
        return sum(1 for d in self.diagnostics if d.severity is not Severity.ERROR)


_DEFAULT_CONFIG = CheckConfig()  # frozen: one shared instance for the files without `# check=`


def _config(result: ParseResult, found: list[Diagnostic]) -> CheckConfig:
    directive = find_check_directive(result.lines)
    if directive is None:
        return _DEFAULT_CONFIG
    try:
        return parse_check_options(directive.value)
    except CheckOptionError as exc:
        span = Span(
            directive.line,
            directive.column,
            directive.line,
            directive.column + len(directive.value) - 1,
        )
        found.append(diag("DF010", exc.message, span))
        return CheckConfig()


def _skip_hints(
    result: ParseResult, hints: list[Diagnostic], config: CheckConfig, local: dict[int, CheckConfig]
) -> list[Diagnostic]:
    """`# check=skip=DH006` works for our hints too, file-wide or per instruction."""
    by_line: dict[int, CheckConfig] = {}
    for node in result.root.children:
        extra = local.get(node.line)
        if extra is not None:
            for line in range(node.line, node.end_line + 1):
                by_line[line] = extra
    kept = []
    for hint in hints:
        extra = by_line.get(hint.line)
        if config.enabled(hint.code) and (extra is None or extra.enabled(hint.code)):
            kept.append(hint)
    return kept


def _with_path(d: Diagnostic, path: str) -> Diagnostic:
    return Diagnostic(
        path, d.line, d.column, d.severity, d.code, d.message, d.end_line, d.end_column, d.hint
    )


def check_dockerfile(
    text: str, *, path: str = "Dockerfile", hints: bool = True
) -> DockerfileReport:
    """Check one Dockerfile; never raises. `hints=False` leaves out the DH size hints."""
    found = recall_snippet(text, hints)
    if found is None:
        found = _check(text, hints)
        remember_snippet(text, hints, found)
    diagnostics, stages = found
    if path:
        diagnostics = tuple(_with_path(d, path) for d in diagnostics)
    return DockerfileReport(diagnostics, stages)


def _check(text: str, hints: bool) -> tuple[tuple[Diagnostic, ...], tuple[str, ...]]:
    result = parse(text)
    program = build_program(result.root.children)
    found: list[Diagnostic] = [*result.diagnostics, *program.diagnostics]
    config = _config(result, found)
    dispatched = dispatch(program, result.escape)
    found += dispatched.diagnostics
    if not program.stages and result.root.children and not found:
        first = result.root.children[0].keyword_span
        found.append(diag("DF041", "dockerfile contains no stages to build", first))
    local, used_lines = instruction_configs(result)
    found += run_checks(result, program, dispatched, config, local)
    if hints:
        found += _skip_hints(
            result, run_hints(result, program, dispatched, used_lines), config, local
        )
    unique = tuple(sorted(set(found), key=by_position))
    return unique, tuple(stage.name for stage in program.stages)

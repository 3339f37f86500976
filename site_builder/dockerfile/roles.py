"""`check_block()`: one Dockerfile as a tutorial shows it: whole, a fragment, or split in parts.

A tutorial's Dockerfile is not always a whole file. `check_block(parts)` checks the texts given
(one, or the parts of a file shown block by block) as one Dockerfile, in order, so the first
part's `# escape=` applies to the rest and an earlier part's stage names are stages, and
gives each part its own diagnostics, at lines relative to that part. Its role:

- `dockerfile`: it has a FROM (or its first instruction is a misspelt FROM). Errors that only
  follow from an unknown instruction before the first FROM (`DF011` for every later line,
  `DF041`) are left out: the unknown instruction is the one mistake.
- `fragment`: no FROM, a few lines of a larger file. It is checked inside a stand-in stage, so
  instruction syntax, flags, mounts and the per-instruction hints apply, but the rules that
  need the whole stage or file (`STAGE_RULES`) do not.

Placeholders (`placeholders.py`) are replaced by same-length stand-ins first, and what is
found on a stand-in itself (`FROM %%IMAGE%%` has no tag) is left out: never an error.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ..diagnostics.diagnostic import Diagnostic, Severity
from .api import check_dockerfile
from .parser import parse
from .placeholders import DEFAULT_PLACEHOLDERS, Placeholders, neutralise

Ranges = tuple[tuple[int, int], ...]

# What a fragment cannot be judged on: rules about the stage or file as a whole.
STAGE_RULES = frozenset(
    {
        "DF002",  # no instructions (a fragment of comments and `...` lines)
        "DF011",  # no build stage
        "DF038",  # stages that copy from each other
        "DF040",  # ${VAR:?} of a variable an earlier line may set
        "DF041",  # no stage to build
        "DF043",  # COPY --from a later stage
        "DF044",  # COPY --from a stage index
        "UndefinedVar",
        "UndefinedArgInFrom",
        "InvalidDefaultArgInFrom",
        "WorkdirRelativePath",
        "MultipleInstructionsDisallowed",
        "DH008",  # context copied before the install: the manifests may be copied above
        "DH009",  # single-stage image
    }
)
_FOLLOW_FROM_UNKNOWN = frozenset({"DF011", "DF041"})


@dataclass(frozen=True, slots=True)
class BlockReport:
    """What `check_block` found: the role, and per part its diagnostics and placeholders."""

    role: str  # "dockerfile" or "fragment"
    parts: tuple[tuple[Diagnostic, ...], ...]  # lines relative to each part
    placeholders: tuple[Ranges, ...]  # character ranges in each part's own text
    stages: tuple[str, ...] = ()
    escape: str = "\\"  # the first part's `# escape=`, which the later parts are read with
    # codes BuildKit would report that are left out as consequences or whole-stage rules: an
    # `expect-error` naming one (a fragment's old `expect-error="DF011"`) is still satisfied
    left_out: frozenset[str] = frozenset()

    @property
    def ok(self) -> bool:
        """No error in any part: BuildKit would build it (a fragment: its lines are valid)."""
        return not any(d.severity is Severity.ERROR for part in self.parts for d in part)


def check_block(
    parts: Sequence[str],
    *,
    hints: bool = True,
    placeholders: Placeholders = DEFAULT_PLACEHOLDERS,
) -> BlockReport:
    """Check `parts` as one Dockerfile (see the module docstring); never raises."""
    texts = [part if part.endswith("\n") or not part else part + "\n" for part in parts]
    found = tuple(placeholders.find(text) for text in texts)
    joined = "".join(neutralise(text, ranges) for text, ranges in zip(texts, found, strict=True))
    starts: list[int] = []
    line = 1
    for text in texts:
        starts.append(line)
        line += text.count("\n")
    report = check_dockerfile(joined, path="", hints=hints)
    diagnostics = list(report.diagnostics)
    role = "dockerfile"
    if report.stages or _misspelt_from(diagnostics):
        diagnostics = _without_consequences(diagnostics)
    else:
        role = "fragment"
        diagnostics = _check_fragment(joined, hints)
    split = _split(diagnostics, starts, line - 1)
    kept = tuple(
        _off_placeholders(part, text, ranges)
        for part, text, ranges in zip(split, texts, found, strict=True)
    )
    escape = parse(texts[0]).escape if len(texts) > 1 else "\\"
    reported = {d.code for part in kept for d in part}
    left_out = frozenset({d.code for d in report.diagnostics} - reported)
    return BlockReport(role, kept, found, report.stages, escape, left_out)


def _off_placeholders(
    part: tuple[Diagnostic, ...], text: str, ranges: Ranges
) -> tuple[Diagnostic, ...]:
    """The findings that do not start on a placeholder: those are about the stand-in, not the
    writer's text (`FROM %%IMAGE%%` has no tag; the reader will give it one)."""
    if not ranges or not part:
        return part
    line_starts = [0]
    line_starts.extend(i + 1 for i, char in enumerate(text) if char == "\n")
    range_starts = [a for a, _ in ranges]
    kept = []
    for d in part:
        offset = line_starts[min(d.line, len(line_starts)) - 1] + d.column - 1
        index = bisect_right(range_starts, offset) - 1
        if index < 0 or offset >= ranges[index][1]:
            kept.append(d)
    return tuple(kept)


def _misspelt_from(found: list[Diagnostic]) -> bool:
    """Whether the first instruction BuildKit refused, before any stage, is a misspelt FROM."""
    first = next((d for d in found if d.code in ("DF001", "DF011")), None)
    return first is not None and first.code == "DF001" and "did you mean FROM?" in first.message


def _without_consequences(found: list[Diagnostic]) -> list[Diagnostic]:
    unknown = [d.line for d in found if d.code == "DF001"]
    if not unknown:
        return found
    first = min(unknown)
    return [d for d in found if not (d.code in _FOLLOW_FROM_UNKNOWN and d.line >= first)]


def _check_fragment(text: str, hints: bool) -> list[Diagnostic]:
    """The fragment checked inside a stand-in stage: a FROM line put above its first
    instruction (below any parser directive), then taken out of every position again."""
    nodes = parse(text).root.children
    if not nodes:
        report = check_dockerfile(text, path="", hints=hints)
        return [d for d in report.diagnostics if d.code not in STAGE_RULES]
    at = nodes[0].line
    lower = sum(1 for node in nodes if node.keyword.islower())
    keyword = "from" if lower * 2 > len(nodes) else "FROM"
    lines = text.split("\n")
    lines.insert(at - 1, f"{keyword} scratch")
    report = check_dockerfile("\n".join(lines), path="", hints=hints)
    kept: list[Diagnostic] = []
    for d in report.diagnostics:
        if d.code in STAGE_RULES or d.line == at:
            continue
        kept.append(d.shifted("", -1) if d.line > at else d)
    return kept


def _split(
    found: list[Diagnostic], starts: list[int], last_line: int
) -> tuple[tuple[Diagnostic, ...], ...]:
    if len(starts) == 1:
        return (tuple(found),)
    parts: list[list[Diagnostic]] = [[] for _ in starts]
    for d in found:
        index = max(0, bisect_right(starts, d.line) - 1)
        offset = starts[index] - 1
        end = starts[index + 1] - 1 if index + 1 < len(starts) else max(last_line, d.line)
        moved = d.shifted("", -offset)
        if d.end_line is not None and d.end_line > end:  # a span into the next part: cut it
            moved = Diagnostic(
                "", moved.line, moved.column, d.severity, d.code, d.message, None, None, d.hint
            )
        parts[index].append(moved)
    return tuple(tuple(part) for part in parts)

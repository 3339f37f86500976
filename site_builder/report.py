"""Reporting diagnostics to people and programs: plain lines, JSON, and the summary line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from .diagnostics import Diagnostic, Severity


def summary(diagnostics: Sequence[Diagnostic]) -> str:
    """`3 errors, 7 warnings in 2 files` (or `no problems`)."""
    counts = {s: sum(1 for d in diagnostics if d.severity is s) for s in Severity}
    files = len({d.path for d in diagnostics if d.severity is not Severity.INFO})
    parts = []
    for severity, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning")):
        if counts[severity]:
            parts.append(f"{counts[severity]} {word}{'s' if counts[severity] != 1 else ''}")
    if not parts:
        return "no problems"
    return f"{', '.join(parts)} in {files} file{'s' if files != 1 else ''}"


def write_text(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    limit: int = 50,
    quiet: bool = False,
) -> None:
    """One `path:line:col: severity CODE: message` line each, at most `limit` per severity."""
    shown = {s: 0 for s in Severity}
    hidden = {s: 0 for s in Severity}
    for diagnostic in diagnostics:
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        if shown[diagnostic.severity] >= limit:
            hidden[diagnostic.severity] += 1
            continue
        shown[diagnostic.severity] += 1
        stream.write(diagnostic.format() + "\n")
    for severity, count in hidden.items():
        if count:
            stream.write(
                f"... and {count} more {severity} diagnostic{'s' if count != 1 else ''} "
                "(use 'build-site check --format json' for all)\n"
            )


def write_json(diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
    json.dump([d.to_json() for d in diagnostics], stream, indent=2, ensure_ascii=False)
    stream.write("\n")

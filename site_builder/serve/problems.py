"""The problems the preview's overlay lists: a build's errors and warnings with their excerpts.

`collect()` runs once per build in the preview (an output edge, like the terminal report): it
reads each reported file's lines through `diagnostics.report.SourceLines` and keeps the line and
caret that the terminal shows (`diagnostics.report.excerpt`), so the overlay never reads files
per request and the build's core never reads them at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..diagnostics.report import Excerpt, SourceLines, excerpt

EXCERPT_WIDTH = 100


@dataclass(frozen=True, slots=True)
class Problem:
    """One listed diagnostic and the source excerpt the terminal shows for it (if any)."""

    diagnostic: Diagnostic
    excerpt: Excerpt | None = None


@dataclass(frozen=True, slots=True)
class Problems:
    """What the overlay shows for one build: whether it passed, and its errors and warnings
    (errors first, then by position), each with its excerpt."""

    ok: bool
    items: tuple[Problem, ...]


def collect(diagnostics: Sequence[Diagnostic], ok: bool, root: Path | None = None) -> Problems:
    """The build's shown problems (no info), with the excerpts read from the files below
    `root` (None: no excerpts)."""
    shown = [d for d in diagnostics if d.severity is not Severity.INFO]
    shown.sort(key=lambda d: (-d.severity.rank, d.sort_key))
    sources = SourceLines(root)
    return Problems(
        ok, tuple(Problem(d, excerpt(d, sources.lines(d.path), EXCERPT_WIDTH)) for d in shown)
    )

"""One file's front matter being read: the record every key reader reports through.

It knows where the front matter starts in the .md file, so a reader places each problem at
the value's own line and column, and it collects the problems (never raises).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from yaml.nodes import Node

from ...diagnostics.diagnostic import Diagnostic, Severity


@dataclass(frozen=True, slots=True)
class Reading:
    """One file's front matter being read: where its YAML starts, and its problems."""

    path: str
    yaml_offset: int  # the file line of YAML line 0, minus 1
    tz: ZoneInfo
    problems: list[Diagnostic]

    def pos(self, node: Node) -> tuple[int, int]:
        """The line and column of `node` in the .md file."""
        return node.start_mark.line + self.yaml_offset + 1, node.start_mark.column + 1

    def report(
        self,
        node: Node,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
    ) -> None:
        self.report_at(*self.pos(node), code, message, severity, hint)

    def report_at(
        self,
        line: int,
        column: int,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
    ) -> None:
        self.problems.append(
            Diagnostic(self.path, line, column, severity, code, message, hint=hint)
        )

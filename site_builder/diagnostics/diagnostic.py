"""Diagnostics: the one record every problem becomes, and the collector that gathers them.

A diagnostic points into the user's file (`path:line:col`), never into a YAML block or a code
block: callers that find a problem inside an embedded block relocate it with `shifted()`.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from ..records import compact_pickle
from .printable import printable


class Severity(enum.Enum):
    """How bad a problem is; `error` fails the build, `warning` fails it under `--strict`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __str__(self) -> str:
        return self.value


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


@compact_pickle
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place. Lines and columns are 1-based; `end_*` are inclusive."""

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    end_line: int | None = None
    end_column: int | None = None
    hint: str | None = None
    # a problem of a post this build does not publish (a draft, a future post): reported,
    # but it fails no build, not even under --strict
    held_back: bool = False

    def format(self) -> str:
        """`path:line:col: severity CODE: message`, the form every tool and editor can jump to:
        always one line, with no control characters (`printable`), whatever the path holds."""
        line = f"{self.path}:{self.line}:{self.column}: {self.severity} {self.code}: {self.message}"
        return printable(line)

    def shifted(self, path: str, line_offset: int, column_offset: int = 0) -> Diagnostic:
        """This diagnostic relocated from an embedded block into the file that holds it."""
        return Diagnostic(  # not dataclasses.replace: this runs for every Dockerfile finding
            path,
            self.line + line_offset,
            self.column + column_offset,
            self.severity,
            self.code,
            self.message,
            None if self.end_line is None else self.end_line + line_offset,
            None if self.end_column is None else self.end_column + column_offset,
            self.hint,
        )

    def with_severity(self, severity: Severity) -> Diagnostic:
        return replace(self, severity=severity)

    def to_json(self) -> dict[str, object]:
        record: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line if self.end_line is not None else self.line,
            "end_column": self.end_column if self.end_column is not None else self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }
        if self.hint:
            record["hint"] = self.hint
        return record

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return by_position(self)


by_position: Callable[[Diagnostic], tuple[str, int, int, str, str]] = operator.attrgetter(
    "path", "line", "column", "code", "message"
)  # the report order, as a sort key (C-speed, for sites with thousands of hints)


class Collector:
    """Gathers every diagnostic of a run; phase 1 never stops at the first problem."""

    def __init__(self, diagnostics: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(diagnostics)
        self._sorted: tuple[int, list[Diagnostic]] = (-1, [])  # (item count, their order)

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self._items.extend(diagnostics)

    def emit(
        self,
        path: str,
        line: int,
        column: int,
        severity: Severity,
        code: str,
        message: str,
        *,
        hint: str | None = None,
    ) -> None:
        self._items.append(Diagnostic(path, line, column, severity, code, message, hint=hint))

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def sorted(self) -> list[Diagnostic]:
        """Stable order: by file, then position; duplicates dropped."""
        count, order = self._sorted
        if count != len(self._items):  # items are only ever added
            order = _unique(sorted(self._items, key=by_position))
            self._sorted = (len(self._items), order)
        return list(order)

    def count(self, severity: Severity) -> int:
        return sum(1 for d in self._items if d.severity is severity)

    def fails(self, *, strict: bool = False) -> bool:
        """Whether these diagnostics fail the run: any error, or any warning under `--strict`
        (not those of posts the build holds back, which are never errors)."""
        floor = Severity.WARNING.rank if strict else Severity.ERROR.rank
        return any(d.severity.rank >= floor and not d.held_back for d in self._items)


def _unique(ordered: list[Diagnostic]) -> list[Diagnostic]:
    """`ordered` (sorted by position) without repeats: only diagnostics with the same sort
    key are compared, so no diagnostic is hashed (thousands of them on a large site)."""
    kept: list[Diagnostic] = []
    last_key: tuple[str, int, int, str, str] | None = None
    same_key: list[Diagnostic] = []
    for diagnostic in ordered:
        key = by_position(diagnostic)
        if key != last_key:
            last_key, same_key = key, [diagnostic]
            kept.append(diagnostic)
        elif diagnostic not in same_key:
            same_key.append(diagnostic)
            kept.append(diagnostic)
    return kept

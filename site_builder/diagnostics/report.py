"""Reporting diagnostics to people and programs: the compiler-style report, plain lines, JSON,
and the one-line summary.

The report groups diagnostics per file and shows each with its source line and a caret under the
column, like a compiler. Colour is used only when asked for, or when the stream is a terminal and
`NO_COLOR` is unset. This is an output edge: it reads the reported files to show their lines
(`SourceLines`), and `excerpt()` gives the same line and caret to the preview's overlay.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from wcwidth import wcswidth, wcwidth

from .diagnostic import Diagnostic, Severity, by_position
from .printable import json_safe, printable

_MAX_SOURCE = 16 * 1024 * 1024
_CHUNK = 1 << 16
_WORDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def summary(diagnostics: Sequence[Diagnostic], *, include_info: bool = False) -> str:
    """`3 errors, 7 warnings in 2 posts` (with `include_info`: `..., 4 info`), or `no problems`."""
    shown = [d for d in diagnostics if include_info or d.severity is not Severity.INFO]
    if not shown:
        return "no problems"
    paths = {d.path for d in shown}
    noun = "post" if all(p.startswith("content/posts/") for p in paths) else "file"
    return f"{counts(shown)} in {len(paths)} {noun}{'s' if len(paths) != 1 else ''}"


def counts(diagnostics: Sequence[Diagnostic]) -> str:
    """`2 errors, 1 warning, 3 info` (severities that occur, most severe first)."""
    parts = []
    for severity in Severity:
        count = sum(1 for d in diagnostics if d.severity is severity)
        if count:
            plural = "s" if count != 1 and severity is not Severity.INFO else ""
            parts.append(f"{count} {_WORDS[severity]}{plural}")
    return ", ".join(parts)


def write_text(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    limit: int = 50,
    quiet: bool = False,
) -> None:
    """One `path:line:col: severity CODE: message` line each, at most `limit` per severity."""
    shown = dict.fromkeys(Severity, 0)
    hidden = dict.fromkeys(Severity, 0)
    for diagnostic in diagnostics:
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        if shown[diagnostic.severity] >= limit:
            hidden[diagnostic.severity] += 1
            continue
        shown[diagnostic.severity] += 1
        stream.write(diagnostic.format() + "\n")  # format() is printable
    _write_hidden(stream, hidden)


def to_json(diagnostic: Diagnostic) -> dict[str, object]:
    """The JSON record of one diagnostic; every key is always present."""
    return {
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "end_line": diagnostic.end_line if diagnostic.end_line is not None else diagnostic.line,
        "end_column": (
            diagnostic.end_column if diagnostic.end_column is not None else diagnostic.column
        ),
        "severity": diagnostic.severity.value,
        "code": diagnostic.code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def write_json(diagnostics: Sequence[Diagnostic], stream: TextIO) -> None:
    """A JSON list of diagnostics: path, line, column, end_line, end_column, severity, code,
    message, hint (null when there is none)."""
    encoded = json_safe(json.dumps([to_json(d) for d in diagnostics], indent=2, ensure_ascii=False))
    for start in range(0, len(encoded), _CHUNK):  # pieces: one huge write to a closed pipe
        stream.write(encoded[start : start + _CHUNK])  # can come back as a success
    stream.write("\n")


def use_color(stream: TextIO, mode: str = "auto") -> bool:
    """`always`, `never`, or `auto`: a terminal, `NO_COLOR` unset, and `TERM` not `dumb`."""
    if mode in ("always", "never"):
        return mode == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def terminal_width(stream: TextIO) -> int:
    """Room for a source line: the terminal's width when `stream` is one, else 100."""
    isatty = getattr(stream, "isatty", None)
    if isatty and isatty():
        return max(40, shutil.get_terminal_size((108, 24)).columns - 8)
    return 100


@dataclass(frozen=True, slots=True)
class Style:
    """ANSI styles of the report; all empty when colour is off."""

    on: bool

    def __call__(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.on and text else text

    def severity(self, severity: Severity, text: str) -> str:
        return self(text, {"error": "1;31", "warning": "1;33", "info": "1;36"}[severity.value])


def write_report(
    diagnostics: Sequence[Diagnostic],
    stream: TextIO,
    *,
    root: Path | None = None,
    color: bool = False,
    limit: int = 10**9,
    minimum: Severity = Severity.INFO,
    width: int = 100,
) -> None:
    """The grouped, compiler-style report: per file, each problem with its line and a caret.

    Files with errors come first (what stops the build is at the top), then the others; within
    a file the order is by position.
    """
    style = Style(color)
    sources = SourceLines(root)
    shown = dict.fromkeys(Severity, 0)
    hidden = dict.fromkeys(Severity, 0)
    groups: list[tuple[str, list[Diagnostic]]] = []
    failing = {d.path for d in diagnostics if d.severity is Severity.ERROR}
    wanted = [d for d in diagnostics if d.severity.rank >= minimum.rank]
    order = sorted(wanted, key=lambda d: (d.path not in failing, by_position(d)))
    for diagnostic in order:
        if shown[diagnostic.severity] >= limit:
            hidden[diagnostic.severity] += 1
            continue
        shown[diagnostic.severity] += 1
        if not groups or groups[-1][0] != diagnostic.path:
            groups.append((diagnostic.path, []))
        groups[-1][1].append(diagnostic)
    for path, items in groups:
        stream.write(style(f"{printable(path)}", "1;4") + f"  ({counts(items)})\n")
        for diagnostic in items:
            _write_one(stream, diagnostic, sources.lines(path), style, width)
            stream.write("\n")
    _write_hidden(stream, hidden)


def _write_one(
    stream: TextIO, d: Diagnostic, lines: list[str] | None, style: Style, width: int
) -> None:
    where = style(f"{printable(d.path)}:{d.line}:{d.column}:", "1")
    what = style.severity(d.severity, f"{d.severity} {d.code}:")
    stream.write(f"{where} {what} {style(printable(d.message), '1')}\n")
    gutter = " " * len(str(d.line))
    shown = excerpt(d, lines, width)
    if shown is not None:
        bar = style("|", "1;34")
        stream.write(f"{gutter} {bar}\n")
        stream.write(f"{style(str(d.line), '1;34')} {bar} {shown.text}\n")
        stream.write(f"{gutter} {bar} {style.severity(d.severity, shown.caret)}\n")
    if d.hint:
        hint = style("hint:", "1;32")
        stream.write(f"{gutter} {style('=', '1;34')} {hint} {printable(d.hint)}\n")


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The source line a diagnostic points at, as the report shows it: its number, its visible
    text (printable, tabs as 4 spaces, cut with `…` around the column when too wide) and the
    caret line (spaces, then `^` under the columns), both plain text."""

    line: int
    text: str
    caret: str


def excerpt(d: Diagnostic, lines: Sequence[str] | None, width: int = 100) -> Excerpt | None:
    """The excerpt of `d` from its file's `lines` (`SourceLines.lines`); None without a line."""
    if lines is None or not 0 < d.line <= len(lines):
        return None
    end = d.end_column if d.end_line in (None, d.line) and d.end_column else d.column
    text, caret = _snippet(lines[d.line - 1], d.column, max(end, d.column), width)
    return Excerpt(d.line, text, caret)


def _snippet(line: str, column: int, end_column: int, width: int) -> tuple[str, str]:
    """The visible part of `line` and the caret line under columns `column`..`end_column`."""
    if len(line) > 8 * width:  # a huge line (minified, binary): only the part near the column
        cut = max(0, min(column - 1, len(line)) - 4 * width)
        return _snippet(line[cut : cut + 8 * width], column - cut, end_column - cut, width)
    chars = [" " * 4 if c == "\t" else printable(c) for c in line.rstrip("\n")]
    start, stop = column - 1, end_column
    start = min(start, len(chars))
    stop = max(start + 1, min(stop, len(chars)))
    first, last = 0, len(chars)
    if _width(chars) > width:
        first = max(0, start - max(10, (width - (stop - start)) // 3))
        last = first
        while last < len(chars) and _width(chars[first : last + 1]) <= width - 2:
            last += 1
        if last < stop:
            stop = max(start + 1, last)
    prefix = "…" if first > 0 else ""
    suffix = "…" if last < len(chars) else ""
    text = prefix + "".join(chars[first:last]) + suffix
    lead = len(prefix) + _width(chars[first:start])
    marks = max(1, _width(chars[start:stop]))
    return text, " " * lead + "^" * marks


def _width(chars: Sequence[str]) -> int:
    """Columns a terminal gives the text: wide characters take 2, emoji sequences (skin tones,
    ZWJ families) 2, combining marks and zero-width characters 0 (wcwidth)."""
    text = "".join(chars)
    if text.isascii():
        return len(text)
    columns = wcswidth(text)
    return columns if columns >= 0 else sum(max(0, wcwidth(char)) for char in text)


def _write_hidden(stream: TextIO, hidden: dict[Severity, int]) -> None:
    for severity, count in hidden.items():
        if count:
            stream.write(
                f"... and {count} more {severity} diagnostic{'s' if count != 1 else ''} "
                "(use 'build-site check --format json' for all)\n"
            )


class SourceLines:
    """Lines of the reported files below `root`, read once each (absent, a symlink or huge:
    None, so no excerpt). Only output edges (the report, the preview) read through it."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.cache: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self.cache:
            self.cache[path] = self._read(path)
        return self.cache[path]

    def _read(self, path: str) -> list[str] | None:
        if self.root is None:
            return None
        file = self.root / path
        try:
            if not file.is_file() or file.is_symlink() or file.stat().st_size > _MAX_SOURCE:
                return None
            data = file.read_bytes()
        except OSError:
            return None
        text = data.decode("utf-8-sig", errors="replace")
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

"""Physical lines to logical instructions, exactly as BuildKit's `parser.Parse` reads them.

It owns: the UTF-8 BOM, the 65535-byte line limit, comment lines, the parser directives at the
top, the escape token, `\\` continuations (comment lines inside them are dropped, blank ones are
dropped and remembered for NoEmptyContinuation, `foo\\\\` does not continue, a continuation at
EOF is accepted) and heredoc bodies. Each logical line keeps a map from its offsets back to
(line, column) so later layers can point at the exact token.
"""

from __future__ import annotations

from typing import NamedTuple

from ..diagnostics.diagnostic import Diagnostic, Severity
from .directives import DirectiveError, DirectiveParser
from .gotext import go_bytes, go_trim_left_space, go_trim_space
from .nodes import Comment, LineMap, Span

MAX_LINE_BYTES = 65535
_new = tuple.__new__


def trim_continuation(line: str, escape: str) -> tuple[str, bool]:
    """(line without the trailing escape, ends here?): `([^\\\\])\\\\[ \\t]*$|^\\\\[ \\t]*$`."""
    stripped = line.rstrip(" \t")
    if stripped.endswith(escape) and (len(stripped) == 1 or stripped[-2] != escape):
        return stripped[:-1], False
    return line, True


class LogicalLine(NamedTuple):
    """One instruction's text with continuations joined, and where each piece came from."""

    text: str
    where: LineMap
    start_line: int
    end_line: int
    empty_lines: tuple[int, ...]
    comments: tuple[Comment, ...]

    def span(self, start: int, end: int) -> Span:
        return self.where.span(start, end)


class LineReader:
    """Reads a Dockerfile text line by line the way BuildKit's scanner loop does."""

    def __init__(self, text: str) -> None:
        parts = text.split("\n")
        self.final_newline = parts[-1] == ""
        if self.final_newline:
            parts.pop()
        self.bom = bool(parts) and parts[0].startswith("\ufeff")
        if self.bom:
            parts[0] = parts[0][1:]
        self.raw = parts
        self.index = 0
        self.escape = "\\"
        self.stopped = False
        self.directive_parser = DirectiveParser()
        self.diagnostics: list[Diagnostic] = []
        self.comments: list[Comment] = []
        self._block: list[Comment] = []

    def error(self, code: str, message: str, span: Span) -> None:
        self.diagnostics.append(
            Diagnostic(
                "",
                span.line,
                span.column,
                Severity.ERROR,
                code,
                message,
                span.end_line,
                span.end_column,
            )
        )

    def line_length(self, line: int) -> int:
        if 1 <= line <= len(self.raw):
            return len(self.raw[line - 1].rstrip("\r"))
        return 0

    def _take(self) -> str | None:
        if self.stopped or self.index >= len(self.raw):
            return None
        line = self.raw[self.index]
        if len(line) > MAX_LINE_BYTES // 4:
            size = len(go_bytes(line)) + (3 if self.bom and self.index == 0 else 0)
            if size > MAX_LINE_BYTES:
                self.stopped = True
                self.error(
                    "DF003",
                    f"dockerfile line greater than max allowed size of {MAX_LINE_BYTES}",
                    Span(self.index + 1, 1, self.index + 1, MAX_LINE_BYTES + 1),
                )
                return None
        self.index += 1
        return line

    def _comment(self, raw: str, indent: int, line: int) -> Comment:
        comment = Comment(line, indent + 1, go_trim_space(raw[1:]))
        self.comments.append(comment)
        return comment

    def next_logical(self) -> LogicalLine | None:
        """The next instruction's joined text, or None at the end (or after a fatal line)."""
        while True:
            raw = self._take()
            if raw is None:
                return None
            number = self.index
            content = raw.rstrip("\r")
            token = go_trim_left_space(content)
            indent = len(content) - len(token)
            is_comment = token.startswith("#")
            if is_comment:
                comment = self._comment(raw, indent, number)
                if comment.text:
                    self._block.append(comment)
                else:
                    self._block = []
            if not self.directive_parser.done:
                self._feed_directive(token, number, indent)
            first, done = trim_continuation("" if is_comment else token, self.escape)
            if done and not first:
                continue
            return self._continue(first, done, number, indent)

    def _feed_directive(self, token: str, number: int, indent: int) -> None:
        try:
            directive = self.directive_parser.feed(token, number, indent)
        except DirectiveError as exc:
            code = "DF004" if exc.message.startswith("only one") else "DF005"
            self.error(code, exc.message, Span(number, exc.column, number, exc.column))
            return
        if directive is not None and directive.name == "escape":
            self.escape = directive.value

    def _continue(self, first: str, done: bool, number: int, indent: int) -> LogicalLine:
        if done:  # one physical line, the common case (tuple.__new__: see memo._retoken)
            block, self._block = tuple(self._block), []
            where = _new(LineMap, ((0,), (number,), (indent + 1,)))
            return _new(LogicalLine, (first, where, number, number, (), block))
        pieces, offsets, lines, columns = [first], [0], [number], [indent + 1]
        total, end_line, empty = len(first), number, []
        while not done:
            raw = self._take()
            if raw is None:
                break
            end_line = self.index
            content = raw.rstrip("\r")
            token = go_trim_left_space(content)
            if token.startswith("#"):
                self._comment(raw, len(content) - len(token), end_line)
                continue
            if not token:
                empty.append(end_line)
                continue
            piece, done = trim_continuation(content, self.escape)
            pieces.append(piece)
            offsets.append(total)
            lines.append(end_line)
            columns.append(1)
            total += len(piece)
        block, self._block = tuple(self._block), []
        where = LineMap(tuple(offsets), tuple(lines), tuple(columns))
        return LogicalLine("".join(pieces), where, number, end_line, tuple(empty), block)

    def read_heredoc(self, name: str, chomp: bool) -> tuple[str, int, int, bool]:
        """(content, first body line, last line read, terminated?) for one heredoc body."""
        first, parts = self.index + 1, list[str]()
        while True:
            raw = self._take()
            if raw is None:
                return "".join(parts), first, max(self.index, first - 1), False
            candidate = raw.rstrip("\r")
            if chomp:
                candidate = candidate.lstrip("\t")
            if candidate == name:
                return "".join(parts), first, self.index, True
            newline = "\n" if (self.index < len(self.raw) or self.final_newline) else ""
            parts.append(raw + newline)

"""`parse()`: Dockerfile text to the BuildKit syntax tree, with positions; it never raises.

This is BuildKit's `parser.Parse` (`newNodeFromLine`, its dispatch table, heredoc attachment,
ONBUILD nesting) on top of `lexer.LineReader`. Where BuildKit stops at the first parse error,
we record it (rules P01–P08 of the spec), mark the instruction invalid and go on, so one pass
reports every problem.
"""

from __future__ import annotations

import re

from ..diagnostics.diagnostic import by_position
from .gotext import GO_SPACES, go_lower, go_trim_left_space, go_trim_space
from .heredocs import heredocs_in_line
from .lexer import LineReader, LogicalLine
from .line_parsers import (
    LineError,
    Piece,
    extract_flags,
    first_word,
    parse_json,
    parse_name_val,
    parse_words,
    split_whitespace,
)
from .memo import anchored, recall, remember
from .nodes import DirectiveInfo, Heredoc, Node, NodeParts, ParseResult, Root, Span, Token, placed
from .shellwords import ShellError

_RE_WS = re.compile(r"[\t\v\f\r ]+")
HEREDOC_KINDS = frozenset({"add", "copy", "run"})
_STYLE = {
    "add": "list",
    "arg": "words",
    "cmd": "json",
    "copy": "list",
    "entrypoint": "json",
    "env": "kv",
    "expose": "ws",
    "from": "ws",
    "healthcheck": "health",
    "label": "kv",
    "maintainer": "string",
    "onbuild": "sub",
    "run": "json",
    "shell": "json",
    "stopsignal": "string",
    "user": "string",
    "volume": "list",
    "workdir": "string",
}


class _Builder:
    def __init__(self, line: LogicalLine, escape: str) -> None:
        self.line = line
        self.escape = escape

    def tokens(self, pieces: list[Piece], base: int) -> tuple[Token, ...]:
        where = self.line.where
        return tuple(
            [Token(value, base + start, base + end, where) for value, start, end in pieces]
        )

    def node(self, lo: int, hi: int) -> Node:
        """newNodeFromLine for text[lo:hi]; raises LineError with offsets into the line."""
        text = self.line.text
        segment = text[lo:hi] if lo or hi != len(text) else text
        left = segment.lstrip(GO_SPACES)
        start = lo + len(segment) - len(left)
        trimmed = left.rstrip(GO_SPACES)
        m = _RE_WS.search(trimmed)
        keyword = trimmed[: m.start()] if m else trimmed
        flags: tuple[Token, ...] = ()
        args, args_start = "", start + len(trimmed)
        if m:
            raw_start = start + m.end()
            rest, offset, pieces = extract_flags(trimmed[m.end() :], self.escape)
            if pieces:
                flags = self.tokens(pieces, raw_start)
            stripped = rest.lstrip(GO_SPACES)
            args, args_start = (
                stripped.rstrip(GO_SPACES),
                raw_start + offset + len(rest) - len(stripped),
            )
        kind = keyword.lower() if keyword.isascii() else go_lower(keyword)
        values, is_json, sub = self.arguments(kind, args, args_start)
        where = self.line.where
        end_line, end_column = where.pos(
            max(args_start + len(args), start + len(keyword), start + 1) - 1
        )
        first_line = where.pos(start)[0]
        return Node(
            keyword,
            kind,
            start,
            flags,
            values,
            Token(args, args_start, args_start + len(args), where),
            is_json,
            end_line,
            end_column,
            segment,
            where,
            first_line,
            sub=sub,
        )

    def arguments(
        self, kind: str, args: str, base: int
    ) -> tuple[tuple[Token, ...], bool, Node | None]:
        style = _STYLE.get(kind)
        if style is None:  # parseIgnore: one empty argument
            return (Token("", base, base, self.line.where),), False, None
        if style == "sub":
            return (), False, (self.node(base, base + len(args)) if args else None)
        plain = style == "string" or (style in ("json", "list", "ws") and not args.startswith("["))
        if plain and (style in ("string", "json") or _RE_WS.search(args) is None):
            # one argument: the common shell form, a path, a single word
            token = Token(args, base, base + len(args), self.line.where)
            return ((token,) if args else ()), False, None
        try:
            pieces, is_json = self._pieces(style, kind, args)
        except LineError as exc:
            raise LineError(exc.code, exc.message, base + exc.start, base + exc.end) from None
        return self.tokens(pieces, base), is_json, None

    def _pieces(self, style: str, kind: str, args: str) -> tuple[list[Piece], bool]:
        if style == "kv":
            return parse_name_val(args, kind.upper(), self.escape), False
        if style == "words":
            return parse_words(args, self.escape), False
        if style == "ws":
            return split_whitespace(args), False
        if style == "string":
            return ([(args, 0, len(args))] if args else []), False
        if style == "health":
            typ, typ_end, command, offset = first_word(args)
            if typ_end == 0:
                return [], False
            pieces, is_json = self._pieces("json", kind, command)
            return [(typ, 0, typ_end)] + [
                (v, s + offset, e + offset) for v, s, e in pieces
            ], is_json
        elements = parse_json(args)
        if elements is not None:
            return elements, True
        if style == "list":
            return split_whitespace(args), False
        return ([(args, 0, len(args))] if args else []), False


def _marker_span(line: LogicalLine, raw: str, cursor: int) -> tuple[Span, int]:
    found = line.text.find(raw, cursor)
    if found < 0:
        found = line.text.find("<<", cursor)
    if found < 0:
        return line.span(0, len(line.text)), cursor
    end = found + max(len(raw), 2)
    return line.span(found, end), end


class _Parse:
    def __init__(self, text: str) -> None:
        self.reader = LineReader(text)
        self.diagnostics = self.reader.diagnostics
        self.children: list[Node] = []

    def error(self, code: str, message: str, span: Span) -> None:
        self.reader.error(code, message, span)

    def run(self) -> ParseResult:
        reader = self.reader
        while (line := reader.next_logical()) is not None:
            self.children.append(self.instruction(line))
        if not self.children:
            last = max(1, reader.index)
            self.error("DF002", "file with no instructions", Span(last, 1, last, 1))
        start = self.children[0].line if self.children else 0
        end = self.children[-1].span.end_line if self.children else 0
        directives = tuple(
            DirectiveInfo(d.name, d.value, d.line, d.column)
            for d in reader.directive_parser.directives
        )
        return ParseResult(
            Root(tuple(self.children), start, end),
            tuple(sorted(self.diagnostics, key=by_position)),
            directives,
            reader.escape,
            tuple(reader.comments),
            tuple(reader.raw),
            frozenset(reader.directive_parser.lines),
        )

    def instruction(self, line: LogicalLine) -> Node:
        key = (line.text, self.reader.escape)
        where = line.where
        try:
            node = recall(key)  # the same text, parsed before (at another place)
            if node is None:
                node = _Builder(line, self.reader.escape).node(0, len(line.text))
                remember(key, node)
                parts = _parts(node)
            else:
                parts = anchored(node, where)
            valid = True
        except LineError as exc:
            self.error(exc.code, exc.message, _from_start(line, line.span(exc.start, exc.end)))
            node = self._fallback(line)
            parts = _parts(node)
            valid = False
        sub = parts[3]
        end_line = line.end_line
        end_column = max(1, self.reader.line_length(end_line))
        made = placed(
            node,
            parts,
            where,
            end_line,
            end_column,
            line.text,
            line.comments,
            line.empty_lines,
            valid,
        )
        target = sub if node.kind == "onbuild" and sub is not None else made
        if valid and target.kind in HEREDOC_KINDS and not target.json and "<<" in line.text:
            heredocs, end_line, valid = self._heredocs(line, made)
            made = made._replace(
                end_line=end_line,
                end_column=max(1, self.reader.line_length(end_line)),
                heredocs=tuple(heredocs),
                valid=valid,
            )
        return made

    def _fallback(self, line: LogicalLine) -> Node:
        """The instruction as a bare keyword, when its arguments could not be parsed."""
        text = line.text
        trimmed = go_trim_space(text)
        start = len(text) - len(go_trim_left_space(text))
        m = _RE_WS.search(trimmed)
        keyword = trimmed[: m.start()] if m else trimmed
        rest = trimmed[m.end() :] if m else ""
        rest_start = start + (m.end() if m else len(trimmed))
        where = line.where
        rest_token = Token(rest, rest_start, rest_start + len(rest), where)
        end_line, end_column = where.pos(max(start, len(text) - 1))
        kind, first_line = go_lower(keyword), where.pos(start)[0]
        return Node(
            keyword,
            kind,
            start,
            (),
            (),
            rest_token,
            False,
            end_line,
            end_column,
            "",
            where,
            first_line,
        )

    def _heredocs(self, line: LogicalLine, node: Node) -> tuple[list[Heredoc], int, bool]:
        try:
            words = heredocs_in_line(line.text)
        except ShellError as exc:
            self.error("DF009", exc.message, _from_start(line, node.keyword_span))
            return [], line.end_line, False
        heredocs: list[Heredoc] = []
        end_line, cursor = line.end_line, 0
        for word in words:
            marker, cursor = _marker_span(line, word.raw, cursor)
            content, first, last, terminated = self.reader.read_heredoc(word.name, word.chomp)
            end_line = max(end_line, last)
            if not terminated:
                self.error("DF009", "unterminated heredoc", _from_start(line, marker))
                return heredocs, end_line, False
            heredocs.append(
                Heredoc(word.name, word.fd, word.expand, word.chomp, content, marker, first)
            )
        return heredocs, end_line, True


def _from_start(line: LogicalLine, span: Span) -> Span:
    """A parse error of an instruction, from the instruction's first line: BuildKit reports it
    there (the `RUN \\` line above a `<<EOF` on the next, or a lone `\\` line above `RUN`)."""
    if span.line <= line.start_line:
        return span
    return Span(line.start_line, 1, span.end_line, span.end_column)


def _parts(node: Node) -> NodeParts:
    return node.flags, node.args, node.rest, node.sub, node.line


def parse(text: str) -> ParseResult:
    """Parse a Dockerfile the way BuildKit does; problems are returned, never raised."""
    return _Parse(text).run()

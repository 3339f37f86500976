"""The Dockerfile syntax tree: BuildKit's `parser.Node`, with a source span on every token.

A `Node` is one instruction as BuildKit's parser sees it: the keyword as written, the raw
`--flag` words, the argument list in the shape `Node.Dump()` prints (shell form is one argument;
`ENV`/`LABEL` are key/value/separator triples), heredocs, and the nested instruction of an
`ONBUILD`. Lines and columns are 1-based and relative to the text that was parsed.

The per-token records are immutable NamedTuples rather than frozen dataclasses: a parse makes
dozens of them per instruction, and a frozen dataclass costs four times as much to create.
Token spans are computed on demand from offsets and the instruction's `LineMap`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import NamedTuple

from ..diagnostics.diagnostic import Diagnostic


class Span(NamedTuple):
    line: int
    column: int
    end_line: int
    end_column: int  # inclusive

    def to(self, other: Span) -> Span:
        return Span(self.line, self.column, other.end_line, other.end_column)


class LineMap(NamedTuple):
    """Offsets in an instruction's joined text back to (line, column) in the source."""

    offsets: tuple[int, ...]  # start offset of each piece in the joined text
    lines: tuple[int, ...]  # the physical line of each piece
    columns: tuple[int, ...]  # the 1-based column where each piece starts

    def pos(self, offset: int) -> tuple[int, int]:
        offsets = self.offsets
        if len(offsets) == 1:
            return self.lines[0], self.columns[0] + offset
        k = bisect_right(offsets, offset) - 1
        if k < 0:
            k = 0
        return self.lines[k], self.columns[k] + offset - offsets[k]

    def span(self, start: int, end: int) -> Span:
        """The span of text[start:end] (end exclusive)."""
        line, column = self.pos(start)
        if end <= start:
            return Span(line, column, line, column)
        end_line, end_column = self.pos(end - 1)
        return Span(line, column, end_line, end_column)


class Token(NamedTuple):
    value: str
    start: int  # offsets in the instruction's joined text, end exclusive
    end: int
    where: LineMap

    @property
    def span(self) -> Span:
        return self.where.span(self.start, self.end)


class Heredoc(NamedTuple):
    name: str
    fd: int
    expand: bool
    chomp: bool
    content: str  # body lines with their line endings, delimiter excluded
    marker: Span  # the `<<EOF` word
    body_line: int  # first line of the body


class Comment(NamedTuple):
    line: int
    column: int
    text: str  # the text after `#`, trimmed


class Node(NamedTuple):
    keyword: str  # as written: `RUN`, `run`, `Froom`
    kind: str  # lower-cased: `run`
    keyword_at: int  # offset of the keyword in the joined text
    flags: tuple[Token, ...]  # raw `--name=value` words, quotes and escapes removed
    args: tuple[Token, ...]  # the dumped arguments
    rest: Token  # the argument text after the flags (the shell-form command)
    json: bool
    end_line: int  # the last line of the instruction (heredoc bodies included)
    end_column: int
    original: str  # the whole instruction, continuations joined
    where: LineMap
    line: int  # the line of the keyword
    heredocs: tuple[Heredoc, ...] = ()
    sub: Node | None = None  # the trigger of an ONBUILD
    comments: tuple[Comment, ...] = ()  # the comment block right above
    empty_continuations: tuple[int, ...] = ()  # lines of blank continuation lines
    valid: bool = True  # False when the parser already reported an error for it

    @property
    def keyword_span(self) -> Span:
        return self.where.span(self.keyword_at, self.keyword_at + len(self.keyword))

    @property
    def span(self) -> Span:
        """From the keyword to the end of the instruction's last line."""
        line, column = self.where.pos(self.keyword_at)
        return Span(line, column, self.end_line, self.end_column)

    def rest_span(self, start: int, end: int) -> Span:
        """The source span of rest.value[start:end]."""
        return self.where.span(self.rest.start + start, self.rest.start + end)


# What placing an instruction's text at a position changes: its flags, args, rest, ONBUILD
# trigger (all holding the position map) and the line of its keyword.
NodeParts = tuple[tuple[Token, ...], tuple[Token, ...], Token, Node | None, int]


def placed(
    template: Node,
    parts: NodeParts,
    where: LineMap,
    end_line: int,
    end_column: int,
    original: str,
    comments: tuple[Comment, ...] = (),
    empty_continuations: tuple[int, ...] = (),
    valid: bool = True,
) -> Node:
    """`template`'s instruction (keyword, kind, JSON form) with `parts` and these positions.

    Built with tuple.__new__: the same Node as Node(...) without the NamedTuple's Python-level
    __new__, since this runs for every instruction the parser reads.
    """
    flags, args, rest, sub, line = parts
    return tuple.__new__(
        Node,
        (
            template.keyword,
            template.kind,
            template.keyword_at,
            flags,
            args,
            rest,
            template.json,
            end_line,
            end_column,
            original,
            where,
            line,
            (),
            sub,
            comments,
            empty_continuations,
            valid,
        ),
    )


class Root(NamedTuple):
    children: tuple[Node, ...]
    start_line: int
    end_line: int


class DirectiveInfo(NamedTuple):
    name: str
    value: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class ParseResult:
    """What `parse()` returns; it never raises, problems are in `diagnostics`."""

    root: Root
    diagnostics: tuple[Diagnostic, ...]
    directives: tuple[DirectiveInfo, ...]
    escape: str
    comments: tuple[Comment, ...] = ()
    lines: tuple[str, ...] = field(default=(), repr=False)
    directive_lines: frozenset[int] = frozenset()  # lines read as directives (refused ones too)

    @property
    def ok(self) -> bool:
        return not self.diagnostics

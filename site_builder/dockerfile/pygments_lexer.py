"""`DockerfileLexer`: Pygments' DockerLexer, taught heredocs, continuations and stage names.

Pygments' own lexer colours heredoc bodies as instructions, loses track after a `\\` or a
backtick (`# escape=``) continuation, and treats `AS build` / `--from=build` as plain text.
This one reads the file line by line the way BuildKit does: directives at the top, comments,
continuation lines (the escape character marked), heredoc bodies (shell-lexed for RUN, a
string for COPY/ADD) with their delimiters, flags, and stage names as labels. Shell-form
commands go through Pygments' BashLexer. Nothing is registered globally: import the class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import ClassVar

from pygments.lexers import BashLexer
from pygments.lexers.configs import DockerLexer
from pygments.token import (
    Comment,
    Error,
    Keyword,
    Name,
    Operator,
    Punctuation,
    String,
    Text,
    Whitespace,
    _TokenType,
)

from .directives import match_directive
from .heredocs import heredocs_in_line
from .instructions import INSTRUCTIONS
from .lexer import trim_continuation
from .memo import recall_line, remember_line

TokenItem = tuple[int, _TokenType, str]
_INSTRUCTIONS = frozenset(name.lower() for name in INSTRUCTIONS)
_SHELL_FORM = frozenset({"run", "cmd", "entrypoint", "shell", "healthcheck"})
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_WORD = re.compile(r"\s+|\S+")
_FLAG = re.compile(r"(--[A-Za-z][\w-]*)(?:(=)(\S*))?")
_KEYVAL = re.compile(r"([^\s=]+)(=)(\S*)")
_MARKER = re.compile(r"""[0-9]*<<-?(?:"[^"\s]+"|'[^'\s]+'|[A-Za-z_][\w.-]*)""")
_JSON_ITEM = re.compile(r'\s+|"(?:[^"\\]|\\.)*"?|[\[\],]|[^\s\[\],"]+')


class DockerfileLexer(DockerLexer):
    """Dockerfiles with heredocs, continuations and stage names highlighted readably."""

    name = "Dockerfile (BuildKit)"
    aliases: ClassVar[list[str]] = []
    filenames: ClassVar[list[str]] = []

    def get_tokens_unprocessed(
        self, text: str, stack: Iterable[str] = ("root",)
    ) -> Iterator[TokenItem]:
        del stack
        yield from _Scan(text).tokens()


# What the lexing of the next line depends on: the escape character, whether directives may
# still come, the open instruction and its joined text, the pending heredocs.
State = tuple[str, bool, str, str, tuple[tuple[str, bool, str], ...]]


class _Scan:
    def __init__(self, text: str) -> None:
        self.text = text
        self.escape = "\\"
        self.directives = True
        self.kind = ""  # the instruction a continuation line belongs to
        self.instruction = ""  # its joined text, for heredoc detection
        self.pending: list[tuple[str, bool, str]] = []  # heredocs: (name, chomp, kind)
        self._bash: BashLexer | None = None

    @property
    def bash(self) -> BashLexer:
        if self._bash is None:  # a block whose every line is remembered never needs one
            self._bash = BashLexer()
        return self._bash

    def tokens(self) -> Iterator[TokenItem]:
        """Line by line, each (state, line) lexed once per process (see `memo`)."""
        for m in _LINE.finditer(self.text):
            line = m.group()
            key = (self.state(), line)
            known = recall_line(key)
            if known is None:
                known = (tuple(self.line(0, line)), self.state())
                remember_line(key, known)
            else:
                self.restore(known[1])
            at = m.start()
            for offset, token, value in known[0]:
                yield at + offset, token, value

    def state(self) -> State:
        """All that the lexing of the next line depends on (the joined instruction text only
        while an instruction is open: a new one starts it afresh)."""
        instruction = self.instruction if self.kind else ""
        return (self.escape, self.directives, self.kind, instruction, tuple(self.pending))

    def restore(self, state: State) -> None:
        self.escape, self.directives, self.kind, self.instruction, pending = state
        self.pending = list(pending)

    def line(self, at: int, line: str) -> Iterator[TokenItem]:
        body = line.rstrip("\r\n")
        end = line[len(body) :]
        if self.pending:
            yield from self.heredoc_line(at, body)
        elif not body.strip():
            yield at, Whitespace, body
        elif body.lstrip().startswith("#"):
            yield from self.comment(at, body)
        else:
            yield from self.code(at, body)
        if end:
            yield at + len(body), Whitespace, end

    def heredoc_line(self, at: int, body: str) -> Iterator[TokenItem]:
        name, chomp, kind = self.pending[0]
        if (body.lstrip("\t") if chomp else body) == name:
            self.pending.pop(0)
            yield at, String.Delimiter, body
        elif kind == "run":
            yield from self.shell(at, body)
        else:
            yield at, String.Heredoc, body

    def comment(self, at: int, body: str) -> Iterator[TokenItem]:
        stripped = body.lstrip()
        found = (
            match_directive(stripped[1:].lstrip()) if self.directives and not self.kind else None
        )
        if found is not None and found[0].lower() in ("syntax", "escape", "check"):
            if found[0].lower() == "escape" and found[1] in ("\\", "`"):
                self.escape = found[1]
            yield at, Comment.Preproc, body
            return
        if not self.kind:
            self.directives = False
        yield at, Comment.Single, body

    def code(self, at: int, body: str) -> Iterator[TokenItem]:
        self.directives = False
        text, ends = trim_continuation(body, self.escape)
        start = 0
        if not self.kind:
            lead = len(text) - len(text.lstrip())
            if lead:
                yield at, Whitespace, text[:lead]
            word = _WORD.match(text, lead)
            keyword = word.group() if word else ""
            self.kind = keyword.lower()
            self.instruction = ""
            yield at + lead, Keyword if self.kind in _INSTRUCTIONS else Error, keyword
            start = lead + len(keyword)
        yield from self.arguments(at + start, text[start:])
        self.instruction += text[start:] + " "
        if len(text) < len(body):
            yield at + len(text), String.Escape, body[len(text) :]
        if ends:
            if self.kind in ("run", "copy", "add") and "<<" in self.instruction:
                for heredoc in heredocs_in_line(self.instruction):
                    self.pending.append((heredoc.name, heredoc.chomp, self.kind))
            self.kind = ""

    def arguments(self, at: int, text: str) -> Iterator[TokenItem]:
        position = 0
        for m in _WORD.finditer(text):
            word = m.group()
            if word.isspace():
                yield at + m.start(), Whitespace, word
                position = m.end()
                continue
            flag = _FLAG.fullmatch(word)
            if not word.startswith("--") or flag is None:
                break
            yield at + m.start(), Name.Attribute, flag.group(1)
            if flag.group(2):
                yield at + flag.start(2) + m.start(), Operator, "="
                kind = Name.Label if flag.group(1) == "--from" else String
                if flag.group(3):
                    yield at + flag.start(3) + m.start(), kind, flag.group(3)
            position = m.end()
        yield from self.rest(at + position, text[position:])

    def rest(self, at: int, text: str) -> Iterator[TokenItem]:
        if not text:
            return
        if self.kind in ("run", "copy", "add") and "<<" in text:
            position = 0
            for m in _MARKER.finditer(text):
                yield from self.plain_rest(at + position, text[position : m.start()])
                yield at + m.start(), String.Delimiter, m.group()
                position = m.end()
            yield from self.plain_rest(at + position, text[position:])
        else:
            yield from self.plain_rest(at, text)

    def plain_rest(self, at: int, text: str) -> Iterator[TokenItem]:
        if not text:
            return
        kind = self.kind
        if kind in _SHELL_FORM and text.lstrip().startswith("["):
            for m in _JSON_ITEM.finditer(text):
                value = m.group()
                token = (
                    Whitespace
                    if value.isspace()
                    else String.Double
                    if value.startswith('"')
                    else Punctuation
                )
                yield at + m.start(), token, value
        elif kind in _SHELL_FORM or kind == "onbuild":
            yield from self.shell(at, text)
        elif kind == "from":
            yield from self.from_args(at, text)
        elif kind in ("env", "label", "arg"):
            for m in _WORD.finditer(text):
                pair = _KEYVAL.fullmatch(m.group())
                if pair is None:
                    yield at + m.start(), Whitespace if m.group().isspace() else String, m.group()
                    continue
                yield at + m.start(), Name.Variable, pair.group(1)
                yield at + m.start() + pair.start(2), Operator, "="
                if pair.group(3):
                    yield at + m.start() + pair.start(3), String, pair.group(3)
        else:
            yield at, String, text

    def from_args(self, at: int, text: str) -> Iterator[TokenItem]:
        words = list(_WORD.finditer(text))
        solid = [m for m in words if not m.group().isspace()]
        for m in words:
            value = m.group()
            if value.isspace():
                token = Whitespace
            elif m is solid[0]:
                token = Name.Namespace
            elif len(solid) >= 2 and m is solid[1] and value.lower() == "as":
                token = Keyword
            elif len(solid) >= 3 and m is solid[2]:
                token = Name.Label
            else:
                token = Text
            yield at + m.start(), token, value

    def shell(self, at: int, text: str) -> Iterator[TokenItem]:
        for index, token, value in self.bash.get_tokens_unprocessed(text):
            yield at + index, token, value

r"""Heredoc words: which `<<EOF`-shaped words open a heredoc, as BuildKit decides it.

`heredocsFromLine` splits the whole instruction with the shell lexer in raw mode (quotes and
escapes kept, unset variables left as written) and `ParseHeredoc` matches each word against
`^(\d*)<<(-?)([^<]*)$`: an optional file descriptor, `-` to strip leading tabs from the body,
and a delimiter that may be quoted (a quoted delimiter turns expansion of the body off). A line
that does not lex has no heredocs. BuildKit uses `\` here whatever the escape directive says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .shell import Lexer
from .shellwords import ShellError

_HEREDOC = re.compile(r"([0-9]*)<<(-?)([^<]*)\Z")


@dataclass(frozen=True, slots=True)
class HeredocWord:
    name: str
    fd: int
    expand: bool
    chomp: bool
    raw: str


def parse_heredoc_word(word: str) -> HeredocWord | None:
    """ParseHeredoc: the heredoc a `<<EOF`-shaped word opens, or None. Raises ShellError."""
    m = _HEREDOC.match(word)
    if m is None or not m.group(3):
        return None
    rest = m.group(3)
    words = Lexer(skip_unset=True).process(rest, {}, words=True).words
    if len(words) != 1:
        return None
    raw_words = Lexer(skip_unset=True, raw_quotes=True).process(rest, {}, words=True).words
    if len(raw_words) != len(words):
        raise ShellError(f"internal lexing of heredoc produced inconsistent results: {rest}")
    name, raw_name = words[0], raw_words[0]
    expand = name.count("'") + name.count('"') == raw_name.count("'") + raw_name.count('"')
    return HeredocWord(name, int(m.group(1) or 0), expand, m.group(2) == "-", word)


def heredocs_in_line(line: str) -> list[HeredocWord]:
    """heredocsFromLine: the heredoc words of an instruction, in order."""
    try:
        lexer = Lexer(raw_quotes=True, raw_escapes=True, skip_unset=True)
        words = lexer.process(line, {}, words=True).words
    except ShellError:
        return []
    found = []
    for word in words:
        heredoc = parse_heredoc_word(word)
        if heredoc is not None:
            found.append(heredoc)
    return found

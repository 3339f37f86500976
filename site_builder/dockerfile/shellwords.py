r"""The word and pattern machinery of BuildKit's shell lexer.

How expanded text is cut into words (`ProcessWords`: unquoted spaces split, quoted text and
escaped characters never do), the error and result records of an expansion, and the wildcard
patterns of `${x#p}`, `${x%p}` and `${x/p/r}` (`convertShellPatternToRegex`: `*`, `?`, and `\`
escaping only `*`, `?` and `\`; a suffix match runs as a prefix match on the reversed text).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .gotext import GO_SPACES, is_go_space

# Linux refuses an environment string over MAX_ARG_STRLEN (32 pages: 131,072 bytes) with E2BIG,
# so no RUN can start beside a longer variable. Expansion stops there (BuildKit itself goes on).
MAX_EXPANSION = 131_072
_SPACE_RUNS = re.compile("[" + re.escape(GO_SPACES) + "]+")


class ShellError(Exception):
    def __init__(self, message: str, *, unset: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.unset = unset  # a `${x:?msg}` on an unset variable


class ExpansionTooLong(ShellError):
    """Expanding one word produced more than MAX_EXPANSION characters."""

    def __init__(self) -> None:
        super().__init__(
            f"expanding this word gives more than {MAX_EXPANSION:,} characters, more than Linux "
            f"lets a RUN command's environment hold (E2BIG); its value is unknown from here on"
        )


class Expansion(NamedTuple):
    result: str
    words: tuple[str, ...]
    matched: frozenset[str]
    unmatched: frozenset[str]
    uncertain: bool


class Words:
    __slots__ = ("buf", "in_word", "words")

    def __init__(self) -> None:
        self.buf: list[str] = []
        self.words: list[str] = []
        self.in_word = False

    def add_char(self, ch: str) -> None:
        if is_go_space(ch):
            if self.in_word and self.buf:
                self.words.append("".join(self.buf))
                self.buf = []
                self.in_word = False
        else:
            self.add_raw(ch)

    def add_raw(self, text: str) -> None:
        self.buf.append(text)
        self.in_word = True

    def add_string(self, text: str) -> None:
        """`add_char` for each character of `text`, a run of spaces at a time."""
        first, *rest = _SPACE_RUNS.split(text)
        if first:
            self.add_raw(first)
        for part in rest:
            if self.in_word and self.buf:
                self.words.append("".join(self.buf))
                self.buf = []
                self.in_word = False
            if part:
                self.add_raw(part)

    def result(self) -> list[str]:
        if "".join(self.buf):
            self.words.append("".join(self.buf))
            self.buf = []
            self.in_word = False
        return self.words


def _pattern(pattern: str, greedy: bool, anchored: bool) -> re.Pattern[str]:
    """convertShellPatternToRegex; raises ValueError with Go's message."""
    out = ["^"] if anchored else []
    i, n = 0, len(pattern)
    while i < n:
        tok = pattern[i]
        i += 1
        if tok == "*":
            out.append(".*" if greedy else ".*?")
        elif tok == "?":
            out.append(".")
        elif tok == "\\":
            if i < n and pattern[i] in "}/":
                continue
            if i >= n:
                raise ValueError("invalid escape '\\%!c(int32=-1)'")
            tok = pattern[i]
            i += 1
            if tok not in "*?\\":
                raise ValueError(f"invalid escape '\\{tok}'")
            out.append("\\" + tok)
        elif tok in "[]{}.+()|^$":
            out.append("\\" + tok)
        else:
            out.append(tok)
    return re.compile("".join(out))


def _reverse_pattern(pattern: str) -> str:
    chars, out, i = list(pattern), [""] * len(pattern), 0
    last = len(chars) - 1
    while i <= last:
        if chars[i] == "\\" and i != last:
            out[last - i - 1], out[last - i] = "\\", chars[i + 1]
            i += 2
        else:
            out[last - i] = chars[i]
            i += 1
    return "".join(out)


def wildcard(pattern: str, greedy: bool, anchored: bool) -> re.Pattern[str]:
    """The regular expression of a `${x#p}`-style pattern; raises ShellError like BuildKit."""
    try:
        return _pattern(pattern, greedy, anchored)
    except ValueError as exc:
        raise ShellError(f"invalid pattern ({pattern}) in substitution: {exc}") from None


def trim_prefix(pattern: str, value: str, greedy: bool) -> str:
    """`${x#p}` (shortest) and `${x##p}` (greedy)."""
    m = wildcard(pattern, greedy, True).search(value)
    return value[m.end() :] if m else value


def trim_suffix(pattern: str, value: str, greedy: bool) -> str:
    """`${x%p}` and `${x%%p}`: a prefix match on the reversed value and pattern."""
    return trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)[::-1]

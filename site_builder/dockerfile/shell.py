"""BuildKit's shell-word lexer (`frontend/dockerfile/shell/lex.go`): quotes, escapes, `$` expansion.

BuildKit runs it on the instructions it expands itself (FROM, ENV, COPY, WORKDIR, …) and, in a
raw mode, to find heredoc markers. It supports `$x`, `${x}`, `${x:-w}`, `${x-w}`, `${x:+w}`,
`${x+w}`, `${x:?msg}`, `${x?msg}`, `${x#p}`, `${x##p}`, `${x%p}`, `${x%%p}` and `${x/a/b}`,
`${x//a/b}`; anything else is an error with BuildKit's text. An environment value of `None`
means "set, value unknown" (a build argument without default, the base image's variables):
it expands to a placeholder and marks the result `uncertain`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .gotext import GO_SPACES, go_quote
from .shellwords import (
    MAX_EXPANSION,
    Expansion,
    ExpansionTooLong,
    ShellError,
    Words,
    trim_prefix,
    trim_suffix,
    wildcard,
)

PLACEHOLDER = "\x00"
_SPECIAL_PARAMS = "@*#?-$!0"
_GO_SPACE_SPLIT = re.compile("[" + re.escape(GO_SPACES) + "]+")
_SPECIAL = {"\\": re.compile(r"[$'\"\\]"), "`": re.compile(r"[$'\"`]")}
_NOTHING: frozenset[str] = frozenset()
# A `*` pattern costs up to len(value) ** (stars + 1) regex steps (backtracking). A Dockerfile may
# spend this many; past it, pattern results are unknown (tutorials spend a few thousand).
PATTERN_BUDGET = 20_000_000
_new = tuple.__new__


class Lexer:
    """One `shell.Lex` configured like the BuildKit call site it stands for."""

    def __init__(
        self,
        escape: str = "\\",
        *,
        raw_quotes: bool = False,
        raw_escapes: bool = False,
        skip_unset: bool = False,
        skip_quotes: bool = False,
    ) -> None:
        self.escape = escape
        self.raw_quotes = raw_quotes
        self.raw_escapes = raw_escapes
        self.skip_unset = skip_unset
        self.skip_quotes = skip_quotes
        self._s = ""
        self._i = 0
        self._env: Mapping[str, str | None] = {}
        self._matched: set[str] = set()
        self._unmatched: set[str] = set()
        self._uncertain = False
        self._expanded = 0
        self.pattern_budget = PATTERN_BUDGET

    def process(
        self, word: str, env: Mapping[str, str | None], *, words: bool = False
    ) -> Expansion:
        """Expand `word`; raises ShellError as `failed to process "<word>": <reason>`.

        The split `words` are only guaranteed when asked for (a plain word skips the lexer).
        """
        special = _SPECIAL.get(self.escape) or re.compile("[$'\"" + re.escape(self.escape) + "]")
        if special.search(word) is None and not word.startswith("\ufeff"):
            plain = tuple(w for w in _GO_SPACE_SPLIT.split(word) if w) if words else ()
            return _new(Expansion, (word, plain, _NOTHING, _NOTHING, False))  # see memo._retoken
        self._s, self._i, self._env = word, 1 if word.startswith("\ufeff") else 0, env
        self._matched, self._unmatched, self._uncertain = set(), set(), False
        self._expanded = 0
        saved = self.raw_escapes
        try:
            result, split = self._stop_on("", self.raw_escapes)
        except ExpansionTooLong:
            raise
        except ShellError as exc:
            raise ShellError(
                f"failed to process {go_quote(word)}: {exc.message}", unset=exc.unset
            ) from None
        finally:
            self.raw_escapes = saved
        return Expansion(
            result,
            tuple(split),
            frozenset(self._matched),
            frozenset(self._unmatched),
            self._uncertain,
        )

    def _get(self, name: str) -> tuple[str, bool]:
        if name in self._env:
            self._matched.add(name)
            value = self._env[name]
            if value is None:
                self._uncertain = True
                return PLACEHOLDER, True
            return value, True
        self._unmatched.add(name)
        return "", False

    def _stop_on(self, stop: str, raw_escapes: bool) -> tuple[str, list[str]]:
        saved, self.raw_escapes = self.raw_escapes, raw_escapes
        try:
            return self._stop_on_inner(stop)
        finally:
            self.raw_escapes = saved

    def _stop_on_inner(self, stop: str) -> tuple[str, list[str]]:
        s, n = self._s, len(self._s)
        result: list[str] = []
        words = Words()
        while self._i < n:
            ch = s[self._i]
            if stop and ch == stop:
                self._i += 1
                return "".join(result), words.result()
            if ch == "$":
                tmp = self._dollar()
                result.append(tmp)
                words.add_string(tmp)
                continue
            if not self.skip_quotes and ch in "'\"":
                tmp = self._single() if ch == "'" else self._double()
                result.append(tmp)
                words.add_raw(tmp)
                continue
            self._i += 1
            if ch == self.escape:
                if self.raw_escapes:
                    words.add_raw(ch)
                    result.append(ch)
                if self._i >= n:
                    break
                ch = s[self._i]
                self._i += 1
                words.add_raw(ch)
            else:
                words.add_char(ch)
            result.append(ch)
        if stop:
            raise ShellError(f"unexpected end of statement while looking for matching {stop}")
        return "".join(result), words.result()

    def _single(self) -> str:
        s, n = self._s, len(self._s)
        self._i += 1
        out = ["'"] if self.raw_quotes else []
        while True:
            if self._i >= n:
                raise ShellError(
                    "unexpected end of statement while looking for matching single-quote"
                )
            ch = s[self._i]
            self._i += 1
            if ch == "'":
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            out.append(ch)

    def _double(self) -> str:
        s, n = self._s, len(self._s)
        self._i += 1
        out = ['"'] if self.raw_quotes else []
        while True:
            if self._i >= n:
                raise ShellError(
                    "unexpected end of statement while looking for matching double-quote"
                )
            ch = s[self._i]
            if ch == '"':
                self._i += 1
                if self.raw_quotes:
                    out.append(ch)
                return "".join(out)
            if ch == "$":
                out.append(self._dollar())
                continue
            self._i += 1
            if ch == self.escape:
                if self.raw_escapes:
                    out.append(ch)
                if self._i >= n:
                    continue
                if s[self._i] in ('"', "$", self.escape):
                    ch = s[self._i]
                    self._i += 1
            out.append(ch)

    def _name(self) -> str:
        s, n, start = self._s, len(self._s), self._i
        if start < n and s[start].isdecimal():
            while self._i < n and s[self._i].isdecimal():
                self._i += 1
            return s[start : self._i]
        if start < n and s[start] in _SPECIAL_PARAMS:
            self._i += 1
            return s[start]
        while self._i < n and (s[self._i].isalpha() or s[self._i].isdecimal() or s[self._i] == "_"):
            self._i += 1
        return s[start : self._i]

    def _dollar(self) -> str:
        """One `$` expansion; every character expanded counts towards MAX_EXPANSION."""
        value = self._dollar_value()
        self._expanded += len(value)
        if self._expanded > MAX_EXPANSION:
            raise ExpansionTooLong
        return value

    def _unknown(self) -> str:
        self._uncertain = True
        return PLACEHOLDER

    def _affordable(self, pattern: str, value: str) -> bool:
        """Whether matching `pattern` against `value` fits what is left of the pattern budget."""
        stars = pattern.count("*")
        if not stars:
            return True
        cost = len(value) ** min(stars + 1, 4)
        if cost > self.pattern_budget:
            self.pattern_budget = 0
            return False
        self.pattern_budget -= cost
        return True

    def _dollar_value(self) -> str:
        s, n = self._s, len(self._s)
        self._i += 1
        if self._i >= n or s[self._i] != "{":
            name = self._name()
            if not name:
                return "$"
            value, found = self._get(name)
            return "$" + name if not found and self.skip_unset else value
        self._i += 1
        if self._i >= n:
            raise ShellError("syntax error: missing '}'")
        if s[self._i] in "{}:":
            raise ShellError("syntax error: bad substitution")
        name = self._name()
        if self._i >= n:
            raise ShellError("syntax error: missing '}'")
        ch = chs = s[self._i]
        self._i += 1
        if ch == "}":
            value, found = self._get(name)
            return "${" + name + "}" if not found and self.skip_unset else value
        null_is_unset = ch == ":"
        if null_is_unset:
            ch = s[self._i] if self._i < n else "\ufffd"
            self._i += 1 if self._i < n else 0
            chs += ch
        if null_is_unset or ch in "+-?#%":
            return self._modifier(name, ch, chs, null_is_unset)
        if ch == "/":
            return self._replace(name)
        raise ShellError(f"unsupported modifier ({chs}) in substitution")

    def _modifier(self, name: str, ch: str, chs: str, null_is_unset: bool) -> str:
        raw = ch in "#%"
        if null_is_unset and raw:
            raise ShellError(f"unsupported modifier ({chs}) in substitution")
        try:
            word, _ = self._stop_on("}", raw)
        except ShellError:
            if self._i >= len(self._s):
                raise ShellError("syntax error: missing '}'") from None
            raise
        value, found = self._get(name)
        if self.skip_unset and not found:
            return "${" + name + chs + word + "}"
        empty = not found or (null_is_unset and value == "")
        if ch == "-":
            return word if empty else value
        if ch == "+":
            return "" if empty else word
        if ch == "?":
            if not found:
                raise ShellError(f"{name}: {word or 'is not allowed to be unset'}", unset=True)
            if null_is_unset and value == "":
                raise ShellError(f"{name}: {word or 'is not allowed to be empty'}", unset=True)
            return value
        if ch in "#%":
            greedy = word.startswith(ch)
            if greedy:
                word = word[1:]
            if not self._affordable(word, value):
                return self._unknown()
            if ch == "#":
                return trim_prefix(word, value, greedy)
            return trim_suffix(word, value, greedy)
        raise ShellError(f"unsupported modifier ({chs}) in substitution")

    def _replace(self, name: str) -> str:
        n = len(self._s)
        replace_all = self._i < n and self._s[self._i] == "/"
        if replace_all:
            self._i += 1
        try:
            pattern, _ = self._stop_on("/", True)
        except ShellError:
            if self._i >= n:
                raise ShellError("syntax error: missing '/' in ${}") from None
            raise
        try:
            replacement, _ = self._stop_on("}", True)
        except ShellError:
            if self._i >= n:
                raise ShellError("syntax error: missing '}'") from None
            raise
        value, found = self._get(name)
        if self.skip_unset and not found:
            return "${" + name + "/" + pattern + "/" + replacement + "}"
        regex = wildcard(pattern, True, False)
        if not self._affordable(pattern, value):
            return self._unknown()
        pieces: list[str] = []
        size = last = 0
        for match in regex.finditer(value):
            pieces += value[last : match.start()], replacement
            size += match.start() - last + len(replacement)
            if size > MAX_EXPANSION:
                raise ExpansionTooLong
            last = match.end()
            if not replace_all:
                break
        pieces.append(value[last:])
        return "".join(pieces)

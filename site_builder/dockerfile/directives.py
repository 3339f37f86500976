"""Parser directives (`# syntax=`, `# escape=`, `# check=`) and the `check` option grammar.

BuildKit reads directives twice, with different quirks, and both are mirrored here:
the parser's own scan (lines left-trimmed, stops at the first non-directive line, a repeated key
is an error) and `ParseDirective("check")` (lines not trimmed, a leading `#!` shebang skipped).
`parse_check_options` is `linter.ParseLintOptions`: `skip=A,B|all;error=<bool>;experimental=…`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .gotext import go_quote, go_trim_left_space, go_trim_space, parse_bool, parse_bool_error

KNOWN_DIRECTIVES = frozenset({"syntax", "escape", "check"})
_KEY = re.compile(r"[a-zA-Z][a-zA-Z0-9]*")
_RE_SPACE = "\t\n\f\r "  # Go regexp's \s


class DirectiveError(Exception):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Directive:
    name: str  # lowercased key
    value: str
    line: int
    column: int  # 1-based column of the value


def match_directive(text: str) -> tuple[str, str, int] | None:
    """`key\\s*=\\s*(.+?)\\s*$` on the text after `#`: (key, value, value offset) or None."""
    m = _KEY.match(text)
    if m is None:
        return None
    i, n = m.end(), len(text)
    while i < n and text[i] in _RE_SPACE:
        i += 1
    if i >= n or text[i] != "=":
        return None
    rest = text[i + 1 :]
    if not rest:
        return None
    stripped = rest.lstrip(_RE_SPACE)
    if not stripped:  # the lazy (.+?) then takes the last blank
        return m.group(), rest[-1], n - 1
    return m.group(), stripped.rstrip(_RE_SPACE), n - len(stripped)


class DirectiveParser:
    """The parser's directive scan: fed every line (left-trimmed) until it is done."""

    def __init__(self) -> None:
        self.done = False
        self.seen: set[str] = set()
        self.directives: list[Directive] = []
        self.lines: set[int] = set()  # every line read as a directive, refused ones included

    def feed(self, token: str, line: int, indent: int) -> Directive | None:
        """Raises DirectiveError for a repeated key or a bad escape token."""
        if self.done:
            return None
        if not token.startswith("#"):
            self.done = True
            return None
        body = token[1:]
        trimmed = go_trim_left_space(body)
        found = match_directive(trimmed)
        if found is None or found[0].lower() not in KNOWN_DIRECTIVES:
            self.done = True
            return None
        key, value, offset = found
        name = key.lower()
        self.lines.add(line)
        column = indent + 1 + (len(body) - len(trimmed)) + offset + 1
        if name in self.seen:
            raise DirectiveError(f"only one {name} parser directive can be used", indent + 1)
        self.seen.add(name)
        if name == "escape" and value not in ("`", "\\"):
            raise DirectiveError(f"invalid escape token '{value}' does not match ` or \\", column)
        directive = Directive(name, value, line, column)
        self.directives.append(directive)
        return directive


def find_check_directive(lines: Sequence[str]) -> Directive | None:
    """`parser.ParseDirective("check", dt)`: no left trim, a first `#!` line skipped."""
    start = 1 if lines and lines[0].startswith("#!") else 0
    seen: set[str] = set()
    for index in range(start, len(lines)):
        line = lines[index]
        if line.endswith("\r"):
            line = line[:-1]
        if not line.startswith("#"):
            return None
        body = line[1:]
        trimmed = go_trim_left_space(body)
        found = match_directive(trimmed)
        if found is None or found[0].lower() not in KNOWN_DIRECTIVES:
            return None
        name = found[0].lower()
        if name in seen:
            return None
        seen.add(name)
        if name == "check":
            return Directive(
                name, found[1], index + 1, 1 + (len(body) - len(trimmed)) + found[2] + 1
            )
    return None


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """What `# check=` asks of the build checks."""

    skip_all: bool = False
    skip: frozenset[str] = frozenset()
    error: bool = False
    experimental_all: bool = False
    experimental: frozenset[str] = frozenset()

    def enabled(self, rule: str, *, experimental: bool = False) -> bool:
        if experimental:
            return self.experimental_all or rule in self.experimental
        return not (self.skip_all or rule in self.skip)


class CheckOptionError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _rule_list(value: str) -> tuple[bool, frozenset[str]]:
    value = go_trim_space(value)
    if value == "all":
        return True, frozenset()
    return False, frozenset(go_trim_space(rule) for rule in value.split(","))


def parse_check_options(text: str) -> CheckConfig:
    """linter.ParseLintOptions; raises CheckOptionError with BuildKit's full message."""
    text = go_trim_space(text)
    if not text:
        return CheckConfig()
    skip_all, skip, error, exp_all, exp = False, frozenset[str](), False, False, frozenset[str]()
    for part in text.split(";", 2):
        key, sep, value = part.partition("=")
        if not sep:
            raise CheckOptionError(
                f"failed to parse check options: invalid check option {go_quote(part)}"
            )
        key = go_trim_space(key)
        if key == "skip":
            skip_all, skip = _rule_list(value)
        elif key == "experimental":
            exp_all, exp = _rule_list(value)
        elif key == "error":
            flag = parse_bool(go_trim_space(value))
            if flag is None:
                raise CheckOptionError(
                    f"failed to parse check options: failed to parse check option "
                    f"{go_quote(part)}: " + parse_bool_error(go_trim_space(value))
                )
            error = flag
        else:
            raise CheckOptionError(
                f"failed to parse check options: invalid check option {go_quote(key)}"
            )
    return CheckConfig(skip_all, skip, error, exp_all, exp)

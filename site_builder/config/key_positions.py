"""Where each key of a TOML file is written: its full dotted path → (line, column), 1-based.

tomllib gives values, not positions, so a problem found in a value (a wrong type, an unknown
key) is placed by scanning the text again. Every way TOML spells a key is found: under a
`[table]` or `[[array.of.tables]]` header, as a dotted key (`markdown.allow_html = true`,
`"quoted.key" = 1`), and inside inline tables (`markdown = { allow_html = 1 }`), however
nested. Strings (multi-line ones too), arrays and comments are skipped, so text that looks
like a key inside them is never taken for one. The scan runs on text tomllib has accepted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Path = tuple[str, ...]
Position = tuple[int, int]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^\s,\]}#]*")
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def key_positions(text: str) -> dict[Path, Position]:
    """The position of the first character of every key, by full path (first spelling wins)."""
    return _Scanner(text).scan()


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.found: dict[Path, Position] = {}
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(self, offset: int) -> Position:
        low, high = 0, len(self.line_starts) - 1
        while low < high:  # the last line start at or before offset
            middle = (low + high + 1) // 2
            if self.line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1, offset - self.line_starts[low] + 1

    def scan(self) -> dict[Path, Position]:
        table: Path = ()
        size = len(self.text)
        while self.at < size:
            self.skip_blank(newlines=True)
            if self.at >= size:
                break
            if self.text[self.at] == "[":  # a header: its table is where its `[` is
                opening = self.position(self.at)
                self.at += 2 if self.text.startswith("[[", self.at) else 1
                seen = len(self.found)
                table = self.key_path(())
                if len(self.found) > seen:  # the header's own table is new here
                    self.found[table] = opening
                self.at = self.text.find("\n", self.at)
                self.at = size if self.at < 0 else self.at
                continue
            before = self.at
            self.key_value(table)
            self.skip_to_line_end()
            if self.at == before:  # not a key (tomllib accepted the text, so never expected)
                end = self.text.find("\n", self.at)
                self.at = size if end < 0 else end + 1
        return self.found

    def key_value(self, table: Path) -> None:
        """A `key = value` at the cursor, under `table`; inline tables are read recursively."""
        path = self.key_path(table)
        self.skip_blank()
        if self.at < len(self.text) and self.text[self.at] == "=":
            self.at += 1
        self.value(path)

    def key_path(self, table: Path) -> Path:
        """A dotted key at the cursor; each of its prefixes is recorded at its own start."""
        path = table
        while True:
            self.skip_blank()
            start = self.at
            part = self.key_part()
            if part is None:
                return path
            path = (*path, part)
            self.found.setdefault(path, self.position(start))
            self.skip_blank()
            if self.at < len(self.text) and self.text[self.at] == ".":
                self.at += 1
                continue
            if self.at < len(self.text) and self.text[self.at] == "]":
                self.at += 1
            return path

    def key_part(self) -> str | None:
        char = self.text[self.at : self.at + 1]
        if char in ('"', "'"):
            return self.string()
        match = _BARE.match(self.text, self.at)
        if not match:
            return None
        self.at = match.end()
        return match.group(0)

    def value(self, path: Path) -> None:
        self.skip_blank()
        char = self.text[self.at : self.at + 1]
        if char == "{":  # an inline table: its keys are keys under `path`
            self.items("}", lambda: self.key_value(path))
        elif char == "[":  # an array (an inline table in it records its keys under `path`)
            self.items("]", lambda: self.value(path))
        elif char in ('"', "'"):
            self.string()
        else:  # a number, date, boolean: up to the next delimiter
            match = _SCALAR.match(self.text, self.at)
            self.at = match.end() if match else self.at + 1

    def items(self, closer: str, item: Callable[[], None]) -> None:
        """The items of an inline table or array, from its opening bracket to `closer`."""
        self.at += 1
        while self.at < len(self.text):
            self.skip_blank(newlines=True)
            if self.text[self.at : self.at + 1] in (closer, ""):
                self.at += 1
                return
            if self.text[self.at] == ",":
                self.at += 1
                continue
            before = self.at
            item()
            if self.at == before:  # not an item (never in text tomllib accepted)
                self.at += 1

    def string(self) -> str:
        """A basic, literal or multi-line string at the cursor: its value (keys use the first
        two kinds only, so escapes matter only there)."""
        quote = self.text[self.at]
        if self.text.startswith(quote * 3, self.at):
            end = self.text.find(quote * 3, self.at + 3)
            end = len(self.text) if end < 0 else end
            while self.text.startswith(quote, end + 3):  # up to two quotes may close the value
                end += 1
            self.at = end + 3
            return ""
        position = self.at + 1
        while position < len(self.text) and self.text[position] not in (quote, "\n"):
            position += 2 if quote == '"' and self.text[position] == "\\" else 1
        raw = self.text[self.at + 1 : position]
        self.at = position + 1
        return _unescape(raw) if quote == '"' else raw

    def skip_blank(self, *, newlines: bool = False) -> None:
        text, size = self.text, len(self.text)
        while self.at < size:
            char = text[self.at]
            if char == "#":
                end = text.find("\n", self.at)
                self.at = size if end < 0 else end
            elif char in " \t\r" or (newlines and char == "\n"):
                self.at += 1
            else:
                return

    def skip_to_line_end(self) -> None:
        self.skip_blank()
        if self.at < len(self.text) and self.text[self.at] == "\n":
            self.at += 1


def _unescape(raw: str) -> str:
    def one(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] in "uU":
            return chr(int(escape[1:], 16))
        return _SIMPLE_ESCAPES.get(escape, escape)

    return _ESCAPE.sub(one, raw)

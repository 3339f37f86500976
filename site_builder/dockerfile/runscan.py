"""A small shell reader for RUN bodies: the simple commands and their words, with offsets.

Enough of POSIX shell for the size hints to ask "which programs run, with which arguments":
quotes, backslashes and line continuations, comments, `&&` `||` `;` `|` `&` and newlines between
commands, `( )` and `{ }` groups, `if`/`then`/`do` keywords, leading `VAR=value` assignments and
wrappers such as `sudo` or `env`. `$(…)` and backticks stay inside their word. It never fails.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_SEPARATORS = frozenset({"&&", "||", ";", "|", "&", "(", ")", ";;", "|&", "{", "}", "\n"})
_KEYWORDS = frozenset(
    {"if", "then", "else", "elif", "do", "while", "until", "!", "time", "fi", "done", "esac"}
)
_WRAPPERS = frozenset({"sudo", "env", "exec", "nohup", "command", "eatmydata", "nice"})
_COMPLEX = re.compile(r"['\"\\`#]|\$\(")
_SIMPLE_TOKEN = re.compile(r"&&|\|\||;;|\|&|[;|&()\n]|[^ \t\r\n;|&()]+")
_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\+?=")


class Word(NamedTuple):
    text: str  # quotes and escapes removed
    start: int
    end: int  # offsets in the scanned text, end exclusive


class Command(NamedTuple):
    words: tuple[Word, ...]

    @property
    def name(self) -> str:
        """The program's base name (`/usr/bin/apt-get` → `apt-get`)."""
        return self.words[0].text.rsplit("/", 1)[-1] if self.words else ""

    @property
    def args(self) -> tuple[str, ...]:
        return tuple(word.text for word in self.words[1:])

    def has(self, *options: str) -> bool:
        return any(arg == opt or arg.startswith(opt + "=") for arg in self.args for opt in options)

    def positional(self) -> list[Word]:
        """Arguments that are not options (and not an option's value for `-o`)."""
        out, skip = [], False
        for word in self.words[1:]:
            if skip:
                skip = False
            elif word.text in ("-o", "-t", "--option", "--target-release", "-c"):
                skip = True
            elif not word.text.startswith("-"):
                out.append(word)
        return out


def _scan_quoted(text: str, i: int, quote: str, buf: list[str]) -> int:
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == quote:
            return i + 1
        if quote == '"' and ch == "\\" and i + 1 < n and text[i + 1] in '"\\$`\n':
            if text[i + 1] != "\n":
                buf.append(text[i + 1])
            i += 2
            continue
        buf.append(ch)
        i += 1
    return n


def _scan_subst(text: str, i: int, buf: list[str]) -> int:
    """`$(` … `)` or backticks, kept whole inside the current word."""
    n, depth, closer = len(text), 0, "`" if text[i] == "`" else ")"
    start = i
    i += 1 if closer == "`" else 2
    while i < n:
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if closer == ")" and ch == "(":
            depth += 1
        elif ch == closer:
            if depth == 0:
                buf.append(text[start : i + 1])
                return i + 1
            depth -= 1
        i += 1
    buf.append(text[start:])
    return n


def tokens(text: str) -> list[Word]:
    """Words and separators of a shell text."""
    if _COMPLEX.search(text) is None:
        return [Word(m.group(), m.start(), m.end()) for m in _SIMPLE_TOKEN.finditer(text)]
    out: list[Word] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r":
            i += 1
            continue
        if ch == "\\" and i + 1 < n and text[i + 1] == "\n":
            i += 2
            continue
        if ch == "#":
            while i < n and text[i] != "\n":
                i += 1
            continue
        two = text[i : i + 2]
        if two in ("&&", "||", ";;", "|&"):
            out.append(Word(two, i, i + 2))
            i += 2
            continue
        if ch in ";|&()\n":
            out.append(Word(ch, i, i + 1))
            i += 1
            continue
        start, buf = i, []
        while i < n and text[i] not in " \t\r\n;|&()":
            ch = text[i]
            if ch == "\\":
                if i + 1 < n and text[i + 1] != "\n":
                    buf.append(text[i + 1])
                i += 2
            elif ch in "'\"":
                i = _scan_quoted(text, i + 1, ch, buf)
            elif ch == "`" or text.startswith("$(", i):
                i = _scan_subst(text, i, buf)
            else:
                buf.append(ch)
                i += 1
        out.append(Word("".join(buf), start, i))
    return out


def commands(text: str) -> list[Command]:
    """The simple commands of a shell text, wrappers and assignments stripped."""
    found: list[Command] = []
    current: list[Word] = []
    for word in [*tokens(text), Word("\n", len(text), len(text) + 1)]:
        if word.text in _SEPARATORS and (word.end - word.start) == len(word.text):
            while current and (
                current[0].text in _KEYWORDS
                or current[0].text in _WRAPPERS
                or _ASSIGNMENT.match(current[0].text)
            ):
                current.pop(0)
            if current:
                found.append(Command(tuple(current)))
            current = []
        else:
            current.append(word)
    return found


def python_pip(command: Command) -> Command | None:
    """`pip …`, `pip3 …`, `python -m pip …` as a pip command; None otherwise."""
    name = command.name
    if re.fullmatch(r"pip[0-9.]*", name):
        return command
    if re.fullmatch(r"python[0-9.]*", name):
        words = command.words
        for k in range(1, len(words) - 1):
            if words[k].text == "-m" and words[k + 1].text in ("pip", "pip3"):
                return Command(words[k + 1 :])
    return None


def subcommand(command: Command) -> str:
    """The first non-option argument (`apt-get -y install x` → `install`)."""
    positional = command.positional()
    return positional[0].text if positional else ""

"""A small shell reader for RUN bodies: the simple commands and their words, with offsets.

Enough of POSIX shell for the size hints to ask "which programs run, with which arguments":
quotes, backslashes and line continuations, comments, `&&` `||` `;` `|` `&` and newlines between
commands, `( )` and `{ }` groups, `if`/`then`/`do` keywords, leading `VAR=value` assignments and
wrappers such as `sudo` or `env`. `$(…)` and backticks stay inside their word. It never fails.
"""

from __future__ import annotations

import functools
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
_PIP = re.compile(r"pip[0-9.]*")
_PYTHON = re.compile(r"python[0-9.]*")


class Word(NamedTuple):
    text: str  # quotes and escapes removed
    start: int
    end: int  # offsets in the scanned text, end exclusive


class Command(NamedTuple):
    """One simple command. Made once per distinct RUN text (`commands` is memoised), so the
    facts the hints ask about again and again are worked out here, once."""

    words: tuple[Word, ...]
    name: str  # the program's base name (`/usr/bin/apt-get` → `apt-get`)
    args: tuple[str, ...]
    operands: tuple[Word, ...]  # arguments that are not options (nor `-o`'s value)

    @classmethod
    def of(cls, words: tuple[Word, ...]) -> Command:
        name = words[0].text.rsplit("/", 1)[-1] if words else ""
        operands: list[Word] = []
        skip = False
        for word in words[1:]:
            if skip:
                skip = False
            elif word.text in ("-o", "-t", "--option", "--target-release", "-c"):
                skip = True
            elif not word.text.startswith("-"):
                operands.append(word)
        return cls(words, name, tuple(word.text for word in words[1:]), tuple(operands))

    def has(self, *options: str) -> bool:
        return any(arg == opt or arg.startswith(opt + "=") for arg in self.args for opt in options)

    def positional(self) -> list[Word]:
        """Arguments that are not options (and not an option's value for `-o`)."""
        return list(self.operands)


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


@functools.lru_cache(maxsize=4096)
def commands(text: str) -> tuple[Command, ...]:
    """The simple commands of a shell text, wrappers and assignments stripped.

    Memoised: a pure function of the text (offsets are relative to it), and the same RUN
    lines recur from one Dockerfile of a post series to the next.
    """
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
                found.append(Command.of(tuple(current)))
            current = []
        else:
            current.append(word)
    return tuple(found)


def python_pip(command: Command) -> Command | None:
    """`pip …`, `pip3 …`, `python -m pip …` as a pip command; None otherwise."""
    name = command.name
    if _PIP.fullmatch(name):
        return command
    if _PYTHON.fullmatch(name):
        words = command.words
        for k in range(1, len(words) - 1):
            if words[k].text == "-m" and words[k + 1].text in ("pip", "pip3"):
                return Command.of(words[k + 1 :])
    return None


def subcommand(command: Command) -> str:
    """The first non-option argument (`apt-get -y install x` → `install`)."""
    operands = command.operands
    return operands[0].text if operands else ""

"""Placeholders in tutorial Dockerfiles: the parts the writer means the reader to fill in.

    FROM cgr.dev/ORG/python:<version>        ORG and <version>
    FROM %%IMAGE%%  /  FROM {{IMAGE}}        template markers
    ...  /  # ...  /  …                      a line that stands for lines left out

`find_placeholders(text)` gives their character ranges (for the highlighter, which marks them)
and `neutralise(text, ranges)` the text the checker sees: each placeholder replaced by a valid
token of the same length (`x`s; digits for a port), each left-out line by a comment, so every
line and column stays where the writer put it and a placeholder is never an error. A site adds
its own patterns (`[dockerfile] placeholders` in site.toml, validated when it is loaded).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

# (the text a match needs, the pattern): a pattern runs only on text holding its trigger. Every
# pattern runs in time linear in the line: no nested quantifiers over one character class.
_BUILTIN: tuple[tuple[str, str], ...] = (
    # <version>, <your-image>, <your image name>: not `<<EOF` (a heredoc), not `a<b>`
    ("<", r"(?<![<\w])<[A-Za-z][A-Za-z0-9_.]*(?:[ -][A-Za-z0-9_.]+){0,6}>"),
    # ALL-CAPS path segments: cgr.dev/ORG/python, YOUR_REGISTRY/app (not $VAR/, not ${X}/)
    ("/", r"(?<![\w$%{}.:-])[A-Z][A-Z0-9_]*[A-Z0-9](?=/)"),
    # YOUR_IMAGE, YOUR_TOKEN
    ("YOUR_", r"(?<![\w$%{])YOUR_[A-Z0-9_]+\b"),
    ("%%", r"%%[A-Za-z0-9_.-]+%%"),
    ("{{", r"\{\{ ?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)* ?\}\}"),  # not Go's {{.State}}
)
# a line that only says "something is left out here"
_ELLIPSIS_LINE = re.compile(r"^[ \t]*(?:#[ \t]*)?(?:\.\.\.|\u2026|\[\.\.\.\])[ \t]*$", re.MULTILINE)
_PORT_WORD = re.compile(r"port", re.IGNORECASE)


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be a placeholder pattern, or None (site.toml is checked at load)."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        return f"'{pattern}' is not a valid regular expression ({exc})"
    if compiled.search("") is not None:
        return f"'{pattern}' matches empty text"
    return None


@dataclass(frozen=True, slots=True)
class Placeholders:
    """The compiled placeholder patterns of a site: the built-in ones and the site's own."""

    inline: tuple[tuple[str, re.Pattern[str]], ...]  # (trigger text, pattern)

    def find(self, text: str) -> tuple[tuple[int, int], ...]:
        """The (start, end) character ranges of the placeholders in `text`, in order, disjoint."""
        if not text:
            return ()
        found: list[tuple[int, int]] = []
        if "..." in text or "\u2026" in text:
            for match in _ELLIPSIS_LINE.finditer(text):
                start, end = match.span()
                line = text[start:end]
                if line.strip():
                    found.append((start + len(line) - len(line.lstrip()), end))
        for trigger, pattern in self.inline:
            if trigger in text:
                found.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
        if not found:
            return ()
        found.sort(key=lambda span: (span[0], -span[1]))
        ranges = [found[0]]
        for start, end in found[1:]:
            if start >= ranges[-1][1]:  # overlapping matches: the first (and longest) wins
                ranges.append((start, end))
        return tuple(ranges)


@functools.lru_cache(maxsize=32)
def compile_placeholders(extra: tuple[str, ...] = ()) -> Placeholders:
    """The built-in patterns plus a site's own (validated at config load; bad ones skipped)."""
    usable = [("", p) for p in extra if pattern_problem(p) is None]
    return Placeholders(tuple((t, re.compile(p)) for t, p in (*_BUILTIN, *usable)))


DEFAULT_PLACEHOLDERS = compile_placeholders()


def neutralise(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """`text` with each placeholder replaced by a same-length stand-in the checker accepts."""
    parts: list[str] = []
    position = 0
    for start, end in ranges:
        parts.append(text[position:start])
        parts.append(_stand_in(text[start:end]))
        position = end
    if not parts:
        return text
    parts.append(text[position:])
    return "".join(parts)


def _stand_in(placeholder: str) -> str:
    size = len(placeholder)
    stripped = placeholder.lstrip("# \t")
    if stripped in ("...", "\u2026", "[...]"):
        return placeholder if placeholder.startswith("#") else "#" + "." * (size - 1)
    if _PORT_WORD.search(placeholder):
        return _port(size)
    return "x" * size


def _port(size: int) -> str:
    """A valid EXPOSE port (or port range) exactly `size` characters long, if there is one."""
    if size <= 5:
        return "1" * size
    if size <= 11:
        low = (size - 1) // 2
        return "1" * low + "-" + "1" * (size - 1 - low)
    return "x" * size

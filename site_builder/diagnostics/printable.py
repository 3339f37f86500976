"""Printable text: the one place that neutralises what user files could do to a terminal or to
a program reading our output line by line.

A file name, a title or a Dockerfile line can hold ESC (`\\x1b]0;…\\x07` retitles a terminal,
`\\x1b]52;…` writes its clipboard), a bare CR (overwrites what was printed), a newline (forges a
whole `path:1:1: error …` line that a CI problem matcher picks up), a Unicode line separator, a
bidi override (Trojan Source: text shown in another order than it is) or a lone surrogate (an
undecodable file name, which a UTF-8 stream cannot even write). `printable()` shows each of them
as a visible escape (`\\x1b`, `\\n`, `\\u202e`, `\\udcff` for the byte 0xff of a file name);
every other character, and so every ordinary line, is left exactly as it was. `json_safe()` does
the same inside JSON text, with JSON's own `\\uXXXX` escapes, so the values a program decodes
are unchanged.
"""

from __future__ import annotations

import re

# C0 controls (TAB, LF and CR included: a diagnostic is one line), DEL, C1 controls (NEL among
# them), the line and paragraph separators, the bidi marks, embeddings, overrides and isolates,
# and lone surrogates.
_BEYOND_C0 = r"\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNPRINTABLE_RE = re.compile(rf"[\x00-\x1f{_BEYOND_C0}]")
_UNPRINTABLE_BUT_LF_RE = re.compile(rf"[\x00-\x09\x0b-\x1f{_BEYOND_C0}]")
_BEYOND_C0_RE = re.compile(f"[{_BEYOND_C0}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def escaped_char(char: str) -> str:
    """One character as a visible escape: `\\x1b` below U+0100, `\\u202e` above."""
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or escaped_char(char)


def printable(text: str) -> str:
    """`text` with every control character, line separator, bidi control and lone surrogate
    shown as a visible escape; text without any of them is returned as it is."""
    if _UNPRINTABLE_RE.search(text) is None:
        return text
    return _UNPRINTABLE_RE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """Multi-line output (`text` split at `\\n`) with each line made `printable()`."""
    if _UNPRINTABLE_BUT_LF_RE.search(text) is None:
        return text
    return "\n".join(printable(line) for line in text.split("\n"))


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_safe(encoded: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with DEL, the C1 controls, the line
    separators, the bidi controls and lone surrogates written as `\\uXXXX` escapes: the same
    JSON values, but nothing in the text that a terminal acts on or a line reader splits at.
    (`json.dumps` escapes the C0 controls itself; outside strings JSON text is ASCII, so every
    match is inside a string.)"""
    if _BEYOND_C0_RE.search(encoded) is None:
        return encoded
    return _BEYOND_C0_RE.sub(_json_escape, encoded)

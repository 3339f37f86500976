"""The exec (JSON) form of an instruction, decided exactly as Go's `encoding/json` would.

BuildKit tries `json.Unmarshal` into `[]any` when the arguments start with `[`: a syntax error
(anywhere, at any depth, or a number too large for float64) silently means shell form, a valid
array with a non-string element is a hard error. Python's `json` differs (it accepts `NaN`,
keeps lone surrogate escapes, recurses), so this is a small iterative scanner that follows Go:
whitespace is ` \\t\\n\\r`, nesting is capped at 10000, `\\ud800` alone decodes to U+FFFD.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_WS = " \t\n\r"
_STRING = re.compile(r'"((?:[^"\\\x00-\x1f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*+)"')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?(?:[eE][+-]?[0-9]++)?")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|(.))")
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_SURROGATES = re.compile("[\ud800-\udfff]")
MAX_DEPTH = 10000


class JsonElement(NamedTuple):
    value: str
    start: int  # offsets in the scanned text, end exclusive
    end: int


class NotJson(Exception):
    """Not a valid JSON array: BuildKit falls back to shell form."""


class NotStringArray(Exception):
    """A valid JSON array with a non-string element: a parse error."""


def _unescape(body: str) -> str:
    out, pos, pending = [], 0, -1  # pending: index in `out` of an unpaired high surrogate
    for m in _ESCAPE.finditer(body):
        if m.start() > pos:
            out.append(body[pos : m.start()])
            pending = -1
        pos = m.end()
        if m.group(2) is not None:
            out.append(_SIMPLE[m.group(2)])
            pending = -1
            continue
        code = int(m.group(1), 16)
        if pending >= 0 and 0xDC00 <= code < 0xE000:
            out[pending] = chr(0x10000 + ((ord(out[pending]) - 0xD800) << 10) + (code - 0xDC00))
            pending = -1
            continue
        if pending >= 0:
            out[pending] = "\ufffd"
        pending = len(out) if 0xD800 <= code < 0xDC00 else -1
        out.append(chr(code))
    if pending >= 0:
        out[pending] = "\ufffd"
    out.append(body[pos:])
    return "".join(out)


def decode_string(body: str) -> str:
    if "\\" in body:
        body = _unescape(body)
    if _SURROGATES.search(body):  # bytes that were not UTF-8 become U+FFFD in Go
        body = _SURROGATES.sub("\ufffd", body)
    return body


def _skip(text: str, i: int) -> int:
    n = len(text)
    while i < n and text[i] in _WS:
        i += 1
    return i


def _scalar(text: str, i: int) -> tuple[int, str | None, bool]:
    """(end, string value or None, number overflowed?) for the scalar at i."""
    ch = text[i]
    if ch == '"':
        m = _STRING.match(text, i)
        if m is None:
            raise NotJson
        return m.end(), decode_string(m.group(1)), False
    if ch == "-" or "0" <= ch <= "9":
        m = _NUMBER.match(text, i)
        if m is None:
            raise NotJson
        return m.end(), None, float(m.group()) in (float("inf"), float("-inf"))
    for word in ("true", "false", "null"):
        if text.startswith(word, i):
            return i + len(word), None, False
    raise NotJson


def parse_array(text: str) -> list[JsonElement]:
    """The strings of a JSON array; raises NotJson or NotStringArray like BuildKit's parseJSON."""
    n, stack, elements = len(text), list[str](), list[JsonElement]()
    overflow = non_string = False
    i = _skip(text, 0)
    if i >= n or text[i] != "[":
        raise NotJson
    state = "value"
    while True:
        if state == "value":
            if i >= n:
                raise NotJson
            ch = text[i]
            at_top = len(stack) == 1
            if ch in "[{":
                if len(stack) >= MAX_DEPTH:
                    raise NotJson
                stack.append(ch)
                i = _skip(text, i + 1)
                non_string |= len(stack) == 2
                closer = "]" if ch == "[" else "}"
                if i < n and text[i] == closer:
                    stack.pop()
                    i, state = _skip(text, i + 1), "after"
                else:
                    state = "key" if ch == "{" else "value"
                continue
            end, value, big = _scalar(text, i)
            overflow |= big
            if at_top:
                if value is None:
                    non_string = True
                else:
                    elements.append(JsonElement(value, i, end))
            i, state = _skip(text, end), "after"
        elif state == "key":
            m = _STRING.match(text, i) if i < n else None
            if m is None:
                raise NotJson
            i = _skip(text, m.end())
            if i >= n or text[i] != ":":
                raise NotJson
            i, state = _skip(text, i + 1), "value"
        else:
            if not stack:
                if i != n:
                    raise NotJson
                break
            if i >= n:
                raise NotJson
            ch, top = text[i], stack[-1]
            if ch == ",":
                i, state = _skip(text, i + 1), ("key" if top == "{" else "value")
            elif (ch == "]" and top == "[") or (ch == "}" and top == "{"):
                stack.pop()
                i = _skip(text, i + 1)
            else:
                raise NotJson
    if overflow:
        raise NotJson
    if non_string:
        raise NotStringArray
    return elements

"""BuildKit's per-instruction argument splitters (`line_parsers.go`, `split_command.go`).

Each function takes the argument text of one instruction and returns `(value, start, end)`
triples (offsets into that text, end exclusive) in the shape `Node.Dump()` prints: builder
flags (`--x=y`, quotes and escapes removed, a bare `--` ends them), quoted words kept raw for
ARG/ENV/LABEL, legacy `ENV k v` versus `k=v` triples, whitespace-split lists, maybe-JSON with
BuildKit's silent fallback to shell form, and HEALTHCHECK's type word. Go processes the flag
and HEALTHCHECK text byte by byte; non-ASCII text is mirrored through its Latin-1 byte view.
"""

from __future__ import annotations

import re

from .gotext import GO_SPACES, go_bytes, go_quote, go_runes
from .jsonform import NotJson, NotStringArray, parse_array

Piece = tuple[str, int, int]
RE_WHITESPACE = re.compile(r"[\t\v\f\r ]+")
_NON_SPACE = re.compile("[^" + re.escape(GO_SPACES) + "]+")
_SPACES = frozenset(GO_SPACES)


class LineError(Exception):
    def __init__(self, code: str, message: str, start: int, end: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.start = start
        self.end = end


def _byte_view(text: str) -> tuple[bytes, str]:
    raw = go_bytes(text)
    return raw, raw.decode("latin-1")


def _char_offset(raw: bytes, offset: int) -> int:
    return len(raw[:offset].decode("utf-8", "surrogateescape"))


def _extract(line: str, escape: str) -> tuple[int, list[Piece]]:
    words: list[Piece] = []
    n, pos, phase, start, quote, blank_ok = len(line), 0, 0, 0, "", False
    buf: list[str] = []
    while pos <= n:
        ch = line[pos] if pos < n else ""
        if phase == 0:
            if pos == n:
                break
            if ch in _SPACES:
                pos += 1
                continue
            if ch != "-" or pos + 1 == n or line[pos + 1] != "-":
                return pos, words
            phase, start = 1, pos
        if pos == n:
            word = "".join(buf)
            if word != "--" and (blank_ok or word):
                words.append((word, start, pos))
            break
        if phase == 1:
            if ch in _SPACES:
                word, phase = "".join(buf), 0
                if word == "--":
                    return pos, words
                if blank_ok or word:
                    words.append((word, start, pos))
                buf, blank_ok = [], False
                pos += 1
                continue
            if ch in "'\"":
                quote, blank_ok, phase = ch, True, 2
                pos += 1
                continue
        elif ch == quote:
            phase = 1
            pos += 1
            continue
        if ch == escape:
            if pos + 1 == n:
                if phase == 2:
                    phase = 1
                pos += 1
                continue
            pos += 1
            ch = line[pos]
        buf.append(ch)
        pos += 1
    return n, words


def extract_flags(line: str, escape: str) -> tuple[str, int, list[Piece]]:
    """extractBuilderFlags: (the rest of the line, its offset, the flag words)."""
    stripped = line.lstrip(GO_SPACES)
    if not stripped.startswith("--"):  # no flags (the common case)
        pos = len(line) - len(stripped)
        return stripped, pos, []
    if line.isascii():
        pos, words = _extract(line, escape)
        return line[pos:], pos, words
    raw, view = _byte_view(line)
    pos, words = _extract(view, escape)
    mapped = [(value, _char_offset(raw, s), _char_offset(raw, e)) for value, s, e in words]
    return raw[pos:].decode("utf-8", "surrogateescape"), _char_offset(raw, pos), mapped


def parse_words(rest: str, escape: str) -> list[Piece]:
    """parseWords: space-separated words, quotes and escapes kept as written; Go builds each
    word rune by rune, so a byte that is not UTF-8 comes out as U+FFFD."""
    words = _words(rest, escape)
    if rest.isascii():
        return words
    return [(go_runes(value), start, end) for value, start, end in words]


def _words(rest: str, escape: str) -> list[Piece]:
    if "'" not in rest and '"' not in rest and escape not in rest:
        return [(m.group(), m.start(), m.end()) for m in _NON_SPACE.finditer(rest)]
    words: list[Piece] = []
    n, pos, phase, start, quote, blank_ok = len(rest), 0, 0, 0, "", False
    buf: list[str] = []
    while pos <= n:
        ch = rest[pos] if pos < n else ""
        if phase == 0:
            if pos == n:
                break
            if ch in _SPACES:
                pos += 1
                continue
            phase, start = 1, pos
        if pos == n:
            if blank_ok or buf:
                words.append(("".join(buf), start, pos))
            break
        if phase == 1:
            if ch in _SPACES:
                if blank_ok or buf:
                    words.append(("".join(buf), start, pos))
                phase, buf, blank_ok = 0, [], False
                pos += 1
                continue
            if ch in "'\"":
                quote, blank_ok, phase = ch, True, 2
            if ch == escape:
                if pos + 1 == n:
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = rest[pos]
        else:
            if ch == quote:
                phase = 1
            if ch == escape and quote != "'":
                if pos + 1 == n:
                    phase = 1
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = rest[pos]
        buf.append(ch)
        pos += 1
    return words


def split_whitespace(rest: str) -> list[Piece]:
    """parseStringsWhitespaceDelimited (regexp Split on `[\\t\\v\\f\\r ]+`)."""
    if not rest:
        return []
    pieces, start = [], 0
    for m in RE_WHITESPACE.finditer(rest):
        pieces.append((rest[start : m.start()], start, m.start()))
        start = m.end()
    pieces.append((rest[start:], start, len(rest)))
    return pieces


def parse_name_val(rest: str, key: str, escape: str) -> list[Piece]:
    """ENV/LABEL: `k v` (legacy) or `k=v k2=v2`, as key/value/separator triples."""
    words = parse_words(rest, escape)
    if not words:
        return []
    if "=" not in words[0][0]:
        m = RE_WHITESPACE.search(rest)
        if m is None:
            raise LineError("DF006", f"{key} must have two arguments", 0, len(rest))
        return [
            (rest[: m.start()], 0, m.start()),
            (rest[m.end() :], m.end(), len(rest)),
            ("", m.start(), m.start()),
        ]
    triples: list[Piece] = []
    for word, start, end in words:
        cut = word.find("=")
        if cut < 0:
            raise LineError(
                "DF007",
                f"Syntax error - can't find = in {go_quote(word)}. Must be of the form: name=value",
                start,
                end,
            )
        triples += [
            (word[:cut], start, start + cut),
            (word[cut + 1 :], start + cut + 1, end),
            ("=", start + cut, start + cut + 1),
        ]
    return triples


def parse_json(rest: str) -> list[Piece] | None:
    """parseJSON: the strings of an exec-form array, or None when it is not JSON."""
    if not rest.startswith("["):
        return None
    try:
        elements = parse_array(rest)
    except NotJson:
        return None
    except NotStringArray:
        raise LineError(
            "DF008",
            "when using JSON array syntax, arrays must be comprised of strings only",
            0,
            len(rest),
        ) from None
    return [(e.value, e.start, e.end) for e in elements]


def _split_first(rest: str) -> tuple[int, int]:
    sep = 0
    while sep < len(rest) and rest[sep] not in _SPACES:
        sep += 1
    nxt = sep
    while nxt < len(rest) and rest[nxt] in _SPACES:
        nxt += 1
    return sep, nxt


def first_word(rest: str) -> tuple[str, int, str, int]:
    """HEALTHCHECK's split at the first space byte: (type, its end, command text, its offset)."""
    if rest.isascii():
        sep, nxt = _split_first(rest)
        return rest[:sep], sep, rest[nxt:], nxt
    raw, view = _byte_view(rest)
    sep, nxt = _split_first(view)
    return (
        raw[:sep].decode("utf-8", "surrogateescape"),
        _char_offset(raw, sep),
        raw[nxt:].decode("utf-8", "surrogateescape"),
        _char_offset(raw, nxt),
    )

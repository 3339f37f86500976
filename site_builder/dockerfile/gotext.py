"""Go string semantics BuildKit relies on, re-implemented exactly: quoting, spaces, case, numbers.

BuildKit is written in Go, so its messages and its parse tree depend on `strconv.Quote`,
`unicode.IsSpace`, `strings.ToLower`, `strconv.ParseBool`/`ParseInt`, `time.ParseDuration` and
the Levenshtein suggestions of `util/suggest`. Python's look-alikes differ in small ways
(`json.dumps` escapes, `str.isspace` accepts U+001C, `'İ'.lower()` is two characters), and those
small ways show up in the golden dumps, so this module owns the Go behaviour.

`go_quote` is what BuildKit's dumps and `%q` messages use. It differs from `json.dumps`: `\x00`
not `\u0000`, printable non-ASCII kept as is, non-printables as `\u00a0`, bytes that are not
UTF-8 as `\xff`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_PLAIN = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*\Z")
_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
}


def _is_print(ch: str) -> bool:
    return ch == " " or unicodedata.category(ch)[0] in "LMNPS"


def go_bytes(text: str) -> bytes:
    """The bytes Go holds for `text`: a byte that was not UTF-8 (read with surrogateescape) is
    that byte again; other lone surrogates (never in a decoded file) as surrogatepass."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


def go_runes(text: str) -> str:
    """`text` as Go's rune loops see it: each byte that is not UTF-8 becomes U+FFFD."""
    return text if text.isascii() else _NOT_UTF8.sub("\ufffd", text)


_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _raw_bytes(ch: str) -> bytes:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid UTF-8 (surrogateescape)
        return bytes([code - 0xDC00])
    return ch.encode("utf-8", "surrogatepass")


def go_quote(s: str) -> str:
    """strconv.Quote: `"` + escapes for `"`, `\\`, controls and non-printables + `"`."""
    if _PLAIN.match(s):
        return '"' + s + '"'
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            out.extend(f"\\x{b:02x}" for b in _raw_bytes(ch))
        elif ch < " " or ch == "\x7f":
            out.append(f"\\x{ord(ch):02x}")
        elif _is_print(ch):
            out.append(ch)
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def go_quote_list(items: Iterable[str]) -> str:
    """fmt's `%q` of a []string: `["a" "b"]`."""
    return "[" + " ".join(go_quote(item) for item in items) + "]"


# unicode.IsSpace: the Latin-1 spaces plus the White_Space property.
GO_SPACES = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_GO_SPACE_SET = frozenset(GO_SPACES)
_PLAIN = re.compile(r"[\x20\x21\x23-\x5b\x5d-\x7e]*\Z")


def is_go_space(ch: str) -> bool:
    return ch in _GO_SPACE_SET


def go_trim_space(s: str) -> str:
    """strings.TrimSpace."""
    return s.strip(GO_SPACES)


def go_trim_left_space(s: str) -> str:
    return s.lstrip(GO_SPACES)


def time_quote(s: str) -> str:
    """The `quote` of Go's time package: non-ASCII and controls as `\\x` bytes."""
    out = ['"']
    for ch in s:
        if ch < " " or ord(ch) >= 0x80:
            out.extend(f"\\x{b:02x}" for b in go_bytes(ch))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


def go_lower(s: str) -> str:
    """strings.ToLower: simple per-rune mapping (no final sigma, `İ` → `i`)."""
    if s.isascii():
        return s.lower()
    return "".join(
        "i" if ch == "\u0130" else (low if len(low := ch.lower()) == 1 else ch) for ch in s
    )


def go_upper(s: str) -> str:
    """strings.ToUpper: simple per-rune mapping (`ß` stays `ß`)."""
    if s.isascii():
        return s.upper()
    return "".join(up if len(up := ch.upper()) == 1 else ch for ch in s)


def parse_bool(s: str) -> bool | None:
    """strconv.ParseBool; None when Go would return an error."""
    if s in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if s in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    return None


def parse_bool_error(s: str) -> str:
    return f"strconv.ParseBool: parsing {go_quote(s)}: invalid syntax"


_INT = re.compile(r"[+-]?[0-9]+\Z")


def _int_or_reason(s: str, bits: int) -> int | str:
    """The value of `s` as a signed `bits`-bit decimal, or why it is not one (Go's words)."""
    if not _INT.match(s):
        return "invalid syntax"
    value = int(s)
    if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
        return "value out of range"
    return value


def parse_int(s: str, bits: int = 64) -> tuple[int | None, str]:
    """strconv.ParseInt(s, 10, bits): (value, "") or (None, Go's error message)."""
    found = _int_or_reason(s, bits)
    if isinstance(found, str):
        return None, f"strconv.ParseInt: parsing {go_quote(s)}: {found}"
    return found, ""


def atoi(s: str) -> int | None:
    """strconv.Atoi: `parse_int(s, 64)`'s value, without building the error message."""
    found = _int_or_reason(s, 64)
    return None if isinstance(found, str) else found


def parse_uint(s: str, base: int, bits: int) -> int | None:
    """strconv.ParseUint(s, base, bits) for base 8 or 10; None on any error."""
    digits = "01234567" if base == 8 else "0123456789"
    if not s or any(ch not in digits for ch in s):
        return None
    value = int(s, base)
    return value if value < (1 << bits) else None


_UNITS = {
    "ns": 1,
    "us": 1_000,
    "\u00b5s": 1_000,
    "\u03bcs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}
_MAX_DURATION = (1 << 63) - 1


def parse_duration(orig: str) -> tuple[int | None, str]:
    """time.ParseDuration: (nanoseconds, "") or (None, Go's error message)."""
    invalid = "time: invalid duration " + time_quote(orig)
    s, neg, total = orig, False, 0
    if s and s[0] in "+-":
        neg, s = s[0] == "-", s[1:]
    if s == "0":
        return 0, ""
    if not s:
        return None, invalid
    while s:
        if not (s[0] == "." or "0" <= s[0] <= "9"):
            return None, invalid
        i = 0
        while i < len(s) and "0" <= s[i] <= "9":
            i += 1
        whole, s = int(s[:i] or "0"), s[i:]
        pre, post, frac, scale = i > 0, False, 0, 1
        if s.startswith("."):
            j = 1
            while j < len(s) and "0" <= s[j] <= "9":
                if scale < 10**18:
                    frac, scale = frac * 10 + int(s[j]), scale * 10
                j += 1
            post, s = j > 1, s[j:]
        if not pre and not post:
            return None, invalid
        k = 0
        while k < len(s) and s[k] != "." and not ("0" <= s[k] <= "9"):
            k += 1
        if k == 0:
            return None, "time: missing unit in duration " + time_quote(orig)
        unit_name, s = s[:k], s[k:]
        unit = _UNITS.get(unit_name)
        if unit is None:
            return (
                None,
                f"time: unknown unit {time_quote(unit_name)} in duration {time_quote(orig)}",
            )
        if whole > (1 << 63) // unit:
            return None, invalid
        total += whole * unit + (frac * unit) // scale
        if total > _MAX_DURATION:
            return None, invalid
    return (-total if neg else total), ""


def levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    if not a or not b:
        return len(a) or len(b)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _match_case(value: str, original: str) -> str:
    if original == go_lower(original):
        return go_lower(value)
    if original == go_upper(original):
        return go_upper(value)
    return value


def suggest(value: str, options: Iterable[str], *, case_sensitive: bool) -> str | None:
    """util/suggest: the closest option at Levenshtein distance < 3, cased like the input."""
    needle = value if case_sensitive else go_lower(value)
    best, best_distance = None, 3
    for option in options:
        candidate = option if case_sensitive else go_lower(option)
        if candidate == needle:
            return None
        if abs(len(candidate) - len(needle)) >= best_distance:
            continue
        distance = levenshtein(needle, candidate)
        if distance < best_distance:
            best = candidate if case_sensitive else _match_case(candidate, value)
            best_distance = distance
    return best


def with_suggestion(
    message: str, value: str, options: Iterable[str], *, case_sensitive: bool
) -> str:
    match = suggest(value, options, case_sensitive=case_sensitive)
    return message if match is None else f"{message} (did you mean {match}?)"

"""URLs written in front matter: the one validator every URL-valued key goes through.

A front matter URL ends up in attributes and feeds (`og:image`, `<link rel=canonical>`, an Atom
enclosure, JSON Feed `image`, JSON-LD), so only two forms are accepted:

- an absolute `http://` or `https://` URL with a host;
- a path on the site: `/images/c.png`, or `images/c.png` relative to the page.

Everything else is refused: other schemes (`javascript:`, `data:`, `vbscript:`, `file:`, ...),
scheme-relative `//host/...` (it takes the scheme of whatever serves the page: write https://),
and any character a URL cannot hold as written (white space, control and format characters,
quotes, `<`, `>`, backslash, which browsers read as `/`, and the like). What is accepted is
published exactly as written: nothing in it needs escaping to be a URL.
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse

from ...diagnostics.printable import escaped_char

# RFC 3986: unreserved, reserved and '%'; beyond ASCII, printable letters, marks, digits,
# punctuation and symbols (IRIs: `/images/café.png`), but no separators, controls or formats.
_ASCII_OK = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%"
)
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_SHOWN = 60  # characters of a refused value quoted in a message


def bad_character(text: str) -> str | None:
    """The first character of `text` a URL cannot hold as written, if any."""
    for char in text:
        if char in _ASCII_OK:
            continue
        if char.isascii() or unicodedata.category(char) in _REFUSED_CATEGORIES:
            return char
    return None


def url_problem(text: str, *, absolute: bool) -> str | None:
    """Why `text` is not an acceptable front matter URL (None when it is): an http(s) URL with
    a host, or (unless `absolute`) a path on the site. The reason is '' when the form alone is
    wrong, else a few words for the message's parentheses."""
    char = bad_character(text)
    if char is not None:
        return f"a URL cannot hold {_named(char)}"
    scheme = _SCHEME_RE.match(text)
    if scheme is not None:
        name = scheme.group(1).lower()
        if name not in ("http", "https"):
            return f"'{scheme.group(1)}:' is not http(s)"
        try:
            host = urllib.parse.urlsplit(text).hostname
        except ValueError as error:  # '[' without ']', a host that changes under NFKC, ...
            return f"not a URL: {error}"
        if not text[scheme.end() :].startswith("//") or not host:
            return "no host after the scheme"
        return None
    if text.startswith("//"):
        return "'//' takes the scheme of the page; write https://"
    if absolute:
        return ""
    return None


def url_message(key: str, text: str, reason: str, *, absolute: bool) -> str:
    """The FM010 message for a refused URL (`url_problem`'s `reason`)."""
    allowed = (
        "an absolute http(s) URL"
        if absolute
        else "an http(s) URL or a site path such as /images/c.png"
    )
    return f"'{key}' must be {allowed}; got '{shown(text)}'" + (f" ({reason})" if reason else "")


def shown(text: str) -> str:
    """A value for a message: at most `_SHOWN` characters, controls escaped."""
    cut = text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
    return "".join(escaped_char(c) if unicodedata.category(c)[0] == "C" else c for c in cut)


def is_url_key(name: str) -> bool:
    """Whether a key a theme may use (`image`, `author: {url: ...}`) names a URL by its name."""
    word = name.lower().removesuffix("s")  # `links: [...]` as `link:`
    return word in {"image", "url", "href", "link", "avatar", "logo", "website"} or (
        word.endswith(("_url", "_image", "_link", "_href"))
    )


def _named(char: str) -> str:
    if char == " ":
        return "a space"
    if char.isascii() and char.isprintable():
        return f"'{char}'"
    return f"{escaped_char(char)} ({unicodedata.name(char, 'a control character').lower()})"

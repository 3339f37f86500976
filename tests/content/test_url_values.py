"""The front matter URL validator, over generated text: it never lets a scheme other than
http(s) through (as a browser reads the scheme), and what it accepts is published unchanged."""

from __future__ import annotations

import html
import re
import urllib.parse

from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.content.front_matter.url_values import url_problem
from site_builder.render.seo import absolute

SCHEMES = ["http", "https", "javascript", "data", "vbscript", "file", "HTTPS", "JaVaScript", ""]
PIECES = st.sampled_from(
    [":", "//", "/", "\\", " ", "\t", "\n", "\x00", "\x7f", "\u202e", "\u200b", '"', "'", "<", ">",
     "&", "?", "#", "%0a", "@", "[", "]", "example.com", "x", "é", "\ud800", "javascript:", "."]
)  # fmt: skip
URLISH = st.builds(
    lambda scheme, parts: (f"{scheme}:" if scheme else "") + "".join(parts),
    st.sampled_from(SCHEMES),
    st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=8),
)
# what a browser drops before it reads a scheme (WHATWG URL: C0 controls and space at the ends,
# tabs and newlines anywhere)
_BROWSER_STRIP = re.compile(r"^[\x00-\x20]+|[\x00-\x20]+$")
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def browser_scheme(text: str) -> str | None:
    cleaned = re.sub(r"[\t\n\r]", "", _BROWSER_STRIP.sub("", text))
    if cleaned.startswith(("//", "/\\", "\\")):
        return "scheme-relative"
    match = _SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else None


@settings(max_examples=3000, deadline=None)
@given(st.one_of(URLISH, st.text(max_size=40)))
@example("javascript:alert(1)")
@example(" javascript:alert(1)")
@example("\x01javascript:alert(1)")
@example("java\tscript:alert(1)")
@example("/\\evil.example/")
@example('https://x/"><script>')
def test_never_accepts_a_scheme_other_than_http_and_publishes_what_it_accepts_unchanged(text):
    for absolute_only in (True, False):
        if url_problem(text, absolute=absolute_only) is not None:
            continue
        scheme = browser_scheme(text)
        assert scheme in ({"http", "https"} if absolute_only else {"http", "https", None}), text
        assert html.escape(text, quote=False) == text.replace("&", "&amp;")  # no markup in it
        assert not any(c in text for c in '"<>\\ \t\n') and text.isprintable()
        text.encode("utf-8")  # no surrogates: this raises for one
        if scheme is not None:  # published as written: an absolute URL passes through
            assert absolute(text, "/posts/a/", lambda u: "https://example.com" + u) == text
            assert urllib.parse.urlsplit(text).hostname


def test_site_paths_and_http_urls_are_accepted():
    for good in ["/images/c.png", "images/c.png", "../c.png", "/images/caf\u00e9.png",
                 "https://cdn.example/c.png?w=1&h=2#x", "http://[::1]:8000/c.png"]:  # fmt: skip
        assert url_problem(good, absolute=False) is None, good
    assert url_problem("/images/c.png", absolute=True) == ""
    assert url_problem("https://dev.to/a/b", absolute=True) is None

"""List-page summaries cut to a readable length: on a word boundary, never inside a tag."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from site_builder.pipeline.phases import load
from site_builder.render.summaries import SUMMARY_WORDS, cut_summary


def test_a_short_summary_is_left_as_it_is():
    html = "<p>A <em>short</em> one.</p>\n"
    assert cut_summary(html) == (html, False)


def test_a_long_summary_is_cut_at_a_word_and_its_elements_are_closed():
    html = "<p>one two <em>three four</em> five</p><p>six</p>"
    assert cut_summary(html, 3) == ("<p>one two <em>three…</em></p>", True)
    # the words end with an element: the ellipsis follows its last text, no empty paragraph
    assert cut_summary("<p>one <code>a&lt;b</code></p><p>six</p>", 2) == (
        "<p>one <code>a&lt;b…</code></p>",
        True,
    )


def test_the_renderer_cuts_a_long_description(make_site):
    words = " ".join(f"word{i}" for i in range(100))
    root = make_site(
        {"content/posts/a.md": f"---\ntitle: A\ndate: 2024-01-01\ndescription: {words}\n---\n\nx\n"}
    )
    home = load(root).rendered.files["index.html"].decode()
    summary = re.search(r'<div class="summary">(.*?)</div>', home, re.S).group(1)
    assert f"word{SUMMARY_WORDS - 1}…" in summary and f"word{SUMMARY_WORDS}" not in summary


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.ok = self.ok and bool(self.stack) and self.stack.pop() == tag

    def handle_data(self, data):
        self.text.append(data)


WORDS = st.text(alphabet="ab &<", min_size=1, max_size=12)


@st.composite
def documents(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        tag = draw(st.sampled_from(["p", "em", "code", "li"]))
        inner = draw(WORDS).replace("&", "&amp;").replace("<", "&lt;")
        parts.append(f"<{tag}>{inner}</{tag}>")
    return "".join(parts)


@given(documents(), st.integers(1, 8))
def test_the_cut_is_balanced_and_keeps_at_most_the_limit(html, limit):
    cut, shortened = cut_summary(html, limit)
    parser = _Balance()
    parser.feed(cut)
    assert parser.ok and parser.stack == []
    words = "".join(parser.text).replace("…", "").split()
    assert len(words) <= limit
    if not shortened:
        assert cut == html

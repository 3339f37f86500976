"""Markdown rendering: the fixture file, summaries, word counts, the outline, code block rules."""

from __future__ import annotations

import pytest
from fixture_cases import read_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer

CASES = read_cases("markdown.txt")


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_fixture(renderer, case):
    assert renderer.render("p.md", case.input, 0).html == case.expected + "\n"


def test_raw_html_allowed_by_config():
    html_renderer = MarkdownRenderer(MarkdownConfig(allow_html=True), CodeRenderer(CodeOptions()))
    out = html_renderer.render("p.md", "<aside>note</aside>\n", 0)
    assert out.html == "<aside>note</aside>\n"


def test_more_marker_makes_the_summary(renderer):
    body = "First *para*.\n\nSecond para.\n\n<!-- more -->\n\nThird para.\n"
    out = renderer.render("p.md", body, 0)
    assert out.has_more
    assert out.summary_html == "<p>First <em>para</em>.</p>\n<p>Second para.</p>\n"
    assert "more" not in out.html and "Third para" in out.html


def test_first_paragraph_is_the_summary_without_marker(renderer):
    out = renderer.render("p.md", "## Title\n\nOnly this.\n\nNot this.\n", 0)
    assert not out.has_more
    assert out.summary_html == "<p>Only this.</p>\n"


def test_word_count_and_reading_time(renderer):
    body = "word " * 440 + "\n\n```sh\n" + "echo hi\n" * 10 + "```\n"
    out = renderer.render("p.md", body, 0)
    assert out.word_count == 440
    assert out.code_words == 20
    assert out.reading_minutes == 3  # (440 + 20 / 2) / 220 rounded up


def test_outline_positions_are_file_lines(renderer):
    body = "Intro with [a link](https://x.example/) here.\n\n## Heading\n\n- item\n- [Cover Image]()\n\n![](/img.png)\n"
    out = renderer.render("p.md", body, 10)
    outline = out.outline
    assert [(h.text, h.id, h.line) for h in outline.headings] == [("Heading", "heading", 13)]
    assert [(lk.href, lk.text, lk.line, lk.column, lk.is_image) for lk in outline.links] == [
        ("https://x.example/", "a link", 11, 12, False),
        ("", "Cover Image", 16, 3, False),
        ("/img.png", "", 18, 1, True),
    ]
    kinds = [(b.kind, b.line) for b in outline.blocks]
    assert kinds[:3] == [("paragraph", 11), ("heading", 13), ("list_item", 15)]


def test_unclosed_fence_is_reported(renderer):
    out = renderer.render("p.md", "Text.\n\n```sh\necho hi\n", 4)
    assert [d.format() for d in out.diagnostics] == [
        "p.md:7:1: warning MD001: code fence opened at line 7 is never closed"
    ]


def test_bad_code_block_options_are_reported(renderer):
    out = renderer.render("p.md", "```sh {linenos=maybe colour=red}\necho\n```\n", 0)
    assert [d.format() for d in out.diagnostics] == [
        "p.md:1:1: warning MD002: unknown code block option 'colour' (known: linenos, linenostart, "
        "hl_lines, title, copy, check, expect-error, file, include, region, lines)",
        "p.md:1:1: warning MD002: code block option 'linenos' must be true or false; got 'maybe'",
    ]


def test_deep_nesting_finishes(renderer):
    out = renderer.render("p.md", "[" * 20000 + "\n\n" + ">" * 5000 + "\n\n" + "*a " * 20000, 0)
    assert out.html


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab_1'’.- \n\té€,;", max_size=40) | st.text(max_size=40))
def test_the_word_counter_counts_what_the_word_pattern_matches(text: str) -> None:
    """The reading-time counter uses a pattern without the trailing `\\w` (no backtracking); it
    must find exactly as many words as the pattern the checks use to locate words."""
    from site_builder.checks.structure import _WORD_RE
    from site_builder.markup.convert import _WORD_COUNT_RE

    assert len(_WORD_COUNT_RE.findall(text)) == len(_WORD_RE.findall(text))

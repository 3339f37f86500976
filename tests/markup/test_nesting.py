"""Deep nesting never loses text: rendered in full up to a depth no post needs, past it MD004
at the line where it went too deep and the rest shown as text (issue: markdown-it's maxNesting
dropped item 9 and everything after a ten-level list, silently)."""

from __future__ import annotations

import re

import pytest

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer
from site_builder.markup.nesting import MAX_DEPTH
from site_builder.pipeline.phases import load


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))


def nested_list(depth: int) -> str:
    return "".join("  " * i + f"- item {i}\n" for i in range(depth))


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("depth", [10, 12, MAX_DEPTH // 2])
def test_a_deep_list_and_what_follows_it_are_all_on_the_page(make_site, depth: int) -> None:
    body = nested_list(depth) + "\n## After the list\n\nText after the list.\n"
    root = make_site({"content/posts/deep.md": f"---\ntitle: Deep\ndate: 2024-01-02\n---\n{body}"})
    result = load(root)
    assert [d for d in result.diagnostics if d.code == "MD004"] == []
    assert result.rendered is not None
    page = text_of(result.rendered.files["posts/deep/index.html"].decode())
    for i in range(depth):
        assert f"item {i}" in page
    assert "After the list" in page and "Text after the list." in page
    assert page.count("item") >= depth
    feed = result.rendered.files["atom.xml"].decode()
    assert "Text after the list." in feed


def test_past_the_limit_an_error_at_the_line_and_no_text_lost(renderer) -> None:
    depth = MAX_DEPTH  # list + item: twice as many block levels
    body = nested_list(depth) + "\n## After\n\nText after.\n"
    out = renderer.render("p.md", body, 4)
    found = [d for d in out.diagnostics if d.code == "MD004"]
    assert len(found) == 1
    assert found[0].line == 4 + MAX_DEPTH // 2 + 1  # the first item past the limit
    text = text_of(out.html)
    for i in range(depth):
        assert f"item {i}" in text
    assert "After" in text and "Text after." in text


def test_a_five_thousand_level_quote_keeps_its_text(renderer) -> None:
    out = renderer.render("p.md", ">" * 5000 + " deep text\n\nafter\n", 0)
    assert [d.code for d in out.diagnostics] == ["MD004"]
    assert "deep text" in out.html and "after" in out.html
    assert out.html.count("<blockquote>") == MAX_DEPTH + 1  # each quote is one level

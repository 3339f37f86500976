"""A first `# H1` that repeats the title is dropped from the body; any other heading stays."""

from __future__ import annotations

import pytest

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer


@pytest.fixture(scope="module")
def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Multi-stage builds", "# Multi-stage builds\n\nText.\n"),
        ("Multi-stage builds", "#   MULTI-STAGE   builds  #\n\nText.\n"),  # case, spaces, closing #
        ("Using docker build", "# Using *docker* `build`\n\nText.\n"),  # formatting stripped
        ("Using `docker build`", "# Using docker build\n\nText.\n"),  # in the title too
        ("Tom & Jerry", "# Tom &amp; Jerry\n\nText.\n"),  # entities as readers see them
        ("Multi-stage builds", "Multi-stage builds\n==================\n\nText.\n"),  # setext
        ("Multi-stage builds", "![cover](cover.png)\n\n# Multi-stage builds\n\nText.\n"),
    ],
)
def test_a_first_h1_equal_to_the_title_is_dropped(renderer, title, body):
    rendered = renderer.render("content/posts/a.md", body, 5, title)
    assert "<h1" not in rendered.html
    assert "<p>Text.</p>" in rendered.html
    assert rendered.outline.headings == ()
    assert [b.kind for b in rendered.outline.blocks if b.kind == "heading"] == []
    assert rendered.diagnostics == ()


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Multi-stage builds", "# Why multi-stage builds\n\nText.\n"),  # says something else
        ("Multi-stage builds", "## Multi-stage builds\n\nText.\n"),  # not an H1
        ("Multi-stage builds", "## Intro\n\n# Multi-stage builds\n\nText.\n"),  # not the first
        ("Multi-stage builds", "> # Multi-stage builds\n\nText.\n"),  # inside a quote
    ],
)
def test_any_other_heading_stays(renderer, title, body):
    rendered = renderer.render("content/posts/a.md", body, 5, title)
    assert "ulti-stage builds" in rendered.html
    assert rendered.outline.headings != ()


def test_only_the_first_repeat_goes_and_the_other_ids_are_githubs(renderer):
    body = "# Setup\n\nText.\n\n## Setup\n\nMore.\n\n# Setup\n"
    rendered = renderer.render("content/posts/a.md", body, 0, "Setup")
    assert [(h.level, h.id, h.line) for h in rendered.outline.headings] == [
        (2, "setup-1", 5),
        (1, "setup-2", 9),
    ]
    assert rendered.html.count("<h1") == 1


def test_the_summary_and_word_count_leave_the_dropped_title_out(renderer):
    rendered = renderer.render(
        "content/posts/a.md", "# Hello world\n\nFirst words.\n", 0, "Hello world"
    )
    assert rendered.summary_html == "<p>First words.</p>\n"
    assert rendered.word_count == 2


def test_without_a_title_nothing_is_dropped(renderer):
    rendered = renderer.render("content/posts/a.md", "# Hello\n\nText.\n", 0)
    assert "<h1" in rendered.html

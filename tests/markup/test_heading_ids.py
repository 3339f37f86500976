"""Heading ids: the same ids as mdit-py-plugins' anchors, in time linear in the headings."""

from __future__ import annotations

from growth import assert_linear
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin

from site_builder.markup.heading_ids import heading_ids_plugin


def _ours() -> MarkdownIt:
    return MarkdownIt("commonmark").use(heading_ids_plugin)


def _plugins() -> MarkdownIt:
    return MarkdownIt("commonmark").use(anchors_plugin, min_level=1, max_level=6)


def test_repeated_titles_number_like_github() -> None:
    html = _ours().render("# Setup\n\n## Setup\n\n### Setup-1\n\n# Setup\n")
    assert [line.split('"')[1] for line in html.splitlines()] == [
        "setup",
        "setup-1",
        "setup-1-1",
        "setup-2",
    ]


def test_each_document_starts_afresh() -> None:
    md = _ours()
    md.render("# Intro\n")
    assert md.render("# Intro\n") == '<h1 id="intro">Intro</h1>\n'


@given(st.lists(st.sampled_from(["a", "a-1", "a-2", "b", "A", "a 1", "a-1-1", "é"]), max_size=12))
def test_ids_are_the_plugins_own(titles: list[str]) -> None:
    source = "".join(f"## {title}\n\n" for title in titles)
    assert _ours().render(source) == _plugins().render(source)


def test_identical_headings_cost_linear_time() -> None:
    """16,000 identical headings took 18 s: each one tried every suffix taken before it."""
    md = _ours()
    assert_linear(lambda n: md.render("## Step\n\n" * n), 1000)


def test_a_post_with_repeated_headings_has_unique_ids_in_its_page_and_outline() -> None:
    from site_builder.config.schema import MarkdownConfig
    from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
    from site_builder.markup.convert import MarkdownRenderer

    body = "## Setup\n\nA.\n\n## Setup\n\nB.\n\n## Setup 1\n\nC.\n\n## Setup\n\nD.\n"
    rendered = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions())).render(
        "p.md", body, 0
    )
    ids = [line.split('"')[1] for line in rendered.html.splitlines() if line.startswith("<h2")]
    assert ids == ["setup", "setup-1", "setup-1-1", "setup-2"]
    assert [h.id for h in rendered.outline.headings] == ids

"""Admonitions as GitHub, Docusaurus and MkDocs writers write them: one component, never raw."""

from __future__ import annotations

import pytest

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer

RENDERER = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))


def _render(body: str) -> tuple[str, list[str]]:
    out = RENDERER.render("content/posts/p.md", body, 4)
    return out.html, [f"{d.line}: {d.code}: {d.message}" for d in out.diagnostics]


@pytest.mark.parametrize(
    ("written", "kind", "title"),
    [
        ("> [!NOTE]\n> Layers are cached.\n", "note", "Note"),
        ("> [!CAUTION]\n> Layers are cached.\n", "danger", "Caution"),
        (":::tip Cache mounts\nLayers are cached.\n:::\n", "tip", "Cache mounts"),
        (":::info\nLayers are cached.\n:::\n", "note", "Info"),
        ('!!! warning "Mind the context"\n    Layers are cached.\n', "warning", "Mind the context"),
        ("!!! danger\n    Layers are cached.\n", "danger", "Danger"),
    ],
)
def test_each_spelling_renders_the_one_component(written: str, kind: str, title: str) -> None:
    html, problems = _render(written)
    assert html == (
        f'<div class="admonition admonition-{kind}" role="note">\n'
        f'<p class="admonition-title">{title}</p>\n'
        "<p>Layers are cached.</p>\n"
        "</div>\n"
    )
    assert problems == []


def test_mkdocs_collapsible_blocks_are_details() -> None:
    html, _ = _render('??? tip "Why?"\n    Because.\n\n???+ note\n    Open.\n')
    assert html == (
        '<details class="admonition admonition-tip">\n'
        '<summary class="admonition-title">Why?</summary>\n'
        "<p>Because.</p>\n"
        "</details>\n"
        '<details class="admonition admonition-note" open>\n'
        '<summary class="admonition-title">Note</summary>\n'
        "<p>Open.</p>\n"
        "</details>\n"
    )


def test_nested_docusaurus_containers_take_more_colons_outside() -> None:
    html, problems = _render("::::note Outer\nText.\n\n:::tip\nInner.\n:::\n\n::::\n")
    assert html.count('<div class="admonition') == 2 and html.count("</div>") == 2
    assert html.index("admonition-tip") > html.index("admonition-note")
    assert problems == []


def test_what_is_not_an_admonition_is_said_at_its_line() -> None:
    body = "Intro.\n\n> [!TIPP]\n> Text.\n\n:::bogus\nText.\n:::\n\n:::\n"
    html, problems = _render(body)
    assert problems == [
        "7: MD010: '[!TIPP]' is not a GitHub alert type: shown as a plain quote",
        "10: MD010: unknown admonition type 'bogus': shown as a note",
        "14: MD010: a ':::' line that opens or closes no admonition: shown as text",
    ]
    assert "<blockquote>" in html and "admonition-note" in html


@pytest.mark.parametrize(
    "written",
    [
        ":::note <script>alert(1)</script> [x](javascript:alert(1))\nText.\n:::\n",
        '!!! note "<img src=x onerror=alert(1)>"\n    Text.\n',
        "> [!NOTE]\n> <script>alert(1)</script>\n",
    ],
)
def test_titles_and_bodies_are_escaped_like_any_text(written: str) -> None:
    html, _ = _render(written)
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html

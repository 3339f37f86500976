"""Every in-process memo of a build, asked twice with inputs that differ only in one part of its
key: the second answer must be its own, never the first one's.

The memos: highlighted lines (code, language, placeholders, escape), lexers, markdown-it's link
normalising and validation, the Dockerfile checker's snippet memo (text, hints) and instruction
memo (text, escape), placeholder patterns, tag slugs, the nearest-name index, `site.toml` key
positions, date formatting and the highlight stylesheets. Each pair is asked in both orders.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

import pytest

from site_builder.checks.nearest import nearest_of
from site_builder.config.load import load_config
from site_builder.config.schema import MarkdownConfig, SiteConfig
from site_builder.content.slugs import tag_slug
from site_builder.dockerfile import check_dockerfile
from site_builder.dockerfile.placeholders import compile_placeholders
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer
from site_builder.markup.highlight import highlight_lines, lexer_for
from site_builder.markup.highlight_css import stylesheet
from site_builder.render.templates import make_environment

SNIPPET = 'def greet(name):\n    return f"hello {name}"  # <b>\n'


def renderer() -> MarkdownRenderer:
    return MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))


@pytest.mark.parametrize("order", [("python", "text"), ("text", "python")])
def test_one_snippet_under_two_languages_is_highlighted_for_each(order: tuple[str, str]) -> None:
    snippet = SNIPPET + f"# {order[0]} first\n"  # fresh for this test: nothing memoised yet
    found = {language: highlight_lines(snippet, language) for language in order}
    assert found["text"] == tuple(escape(line, quote=False) for line in snippet[:-1].split("\n"))
    assert all("<span" not in line for line in found["text"])
    assert '<span class="k">def</span>' in found["python"][0]


def test_one_snippet_in_two_blocks_of_a_post_keeps_each_language() -> None:
    body = f"```python\n{SNIPPET}```\n\n```text\n{SNIPPET}```\n\n```bash\n{SNIPPET}```\n"
    html = renderer().render("p.md", body, 0).html
    python, text, bash = html.split("</pre>")[:3]
    assert '<span class="k">def</span>' in python
    assert '<span class="line">def greet(name):</span>' in text
    assert '<span class="k">def</span>' not in bash


def test_placeholders_and_the_escape_character_are_part_of_the_key() -> None:
    code = "FROM <your-image>\nRUN echo a `\n  b\n"
    plain = highlight_lines(code, "docker")
    marked = highlight_lines(code, "docker", ((5, 17),))
    assert "placeholder" not in "".join(plain) and "placeholder" in "".join(marked)
    backtick = highlight_lines(code, "docker", (), "`")
    assert highlight_lines(code, "docker") == plain and backtick != plain


def test_each_language_gets_its_own_lexer() -> None:
    assert lexer_for("python").name == "Python"
    assert lexer_for("bash").name == "Bash"
    assert lexer_for("python").name == "Python"
    assert lexer_for("text") is None


def test_links_that_differ_only_at_the_end_are_each_their_own() -> None:
    body = (
        "[a](https://example.com/alpha) [b](https://example.com/beta) "
        "[c](https://example.com/a%20b) [d](https://example.com/a b)\n"
    )
    html = renderer().render("p.md", body, 0).html
    for href in ("alpha", "beta", "a%20b"):
        assert f'href="https://example.com/{href}"' in html
    assert html.count("<a ") == 3  # `(https://example.com/a b)` is not a link


def test_a_link_is_validated_by_its_own_scheme() -> None:
    md = renderer()
    good = md.render("p.md", "[a](https://example.com/x)\n", 0).html
    bad = md.render("p.md", "[a](javascript:alert(1))\n", 0).html
    again = md.render("p.md", "[a](https://example.com/x)\n", 0).html
    assert "<a " in good and "<a " not in bad and again == good


@pytest.mark.parametrize("order", [(True, False), (False, True)])
def test_the_dockerfile_snippet_memo_keeps_hints_apart(order: tuple[bool, bool]) -> None:
    text = f"FROM ubuntu:24.04\nRUN apt-get install -y curl\n# {order}\n"
    codes = {
        hints: {d.code for d in check_dockerfile(text, hints=hints).diagnostics} for hints in order
    }
    assert "DH002" in codes[True]
    assert not any(code.startswith("DH") for code in codes[False])


@pytest.mark.parametrize("escaped_first", [True, False])
def test_the_instruction_memo_keeps_escape_characters_apart(escaped_first: bool) -> None:
    line = f"ENV A{int(escaped_first)}=a\\ b\n"
    plain, backtick = f"FROM alpine:3.19\n{line}", f"# escape=`\nFROM alpine:3.19\n{line}"
    texts = [backtick, plain] if escaped_first else [plain, backtick]
    found = {text: [d.code for d in check_dockerfile(text).diagnostics] for text in texts}
    assert found[plain] == [] and found[backtick] == ["DF007"]


def test_placeholder_patterns_are_keyed_by_the_sites_own() -> None:
    text = "FROM alpine:ZZZ1\n"
    assert compile_placeholders().find(text) == ()
    assert compile_placeholders(("ZZZ[0-9]+",)).find(text) == ((12, 16),)
    assert compile_placeholders(("QQQ",)).find(text) == ()


def test_tag_slugs_of_close_names() -> None:
    assert [tag_slug(n) for n in ("Node.js", "NodeJS", "node js", "Node.js")] == [
        "node-js",
        "nodejs",
        "node-js",
        "node-js",
    ]


def test_the_nearest_name_index_is_keyed_by_names_and_cutoff() -> None:
    first = nearest_of(frozenset({"setup", "install"}))
    assert first.closest("setpu") == "setup"
    assert first.closest("setpu", 0.99) is None
    assert nearest_of(frozenset({"install", "deploy"})).closest("setpu") is None


def test_key_positions_are_read_from_each_text(tmp_path: Path) -> None:
    lines = []
    for blank in (0, 2, 0):
        root = tmp_path / str(len(lines))
        root.mkdir()
        (root / "site.toml").write_text("\n" * blank + "posts_per_page = 0\n")
        _, problems = load_config(root)
        lines.append([d.line for d in problems])
    assert lines == [[1], [3], [1]]


def test_dates_are_formatted_in_each_style() -> None:
    env = make_environment(SiteConfig(), lambda path: path, lambda path: path)
    when = dt.date(2024, 3, 9)
    template = env.from_string("{{ d|date }} / {{ d|date('short') }} / {{ d|date }}")
    assert template.render(d=when) == "March 9, 2024 / 2024-03-09 / March 9, 2024"


def test_stylesheets_follow_both_styles() -> None:
    friendly, default = stylesheet("friendly", "monokai"), stylesheet("default", "monokai")
    assert friendly != default
    assert stylesheet("friendly", "dracula") != friendly
    assert stylesheet("friendly", "monokai") == friendly

"""The build-time highlighter: its own line formatter must give exactly Pygments' markup, and
the blocks Pygments' formatter writes (those without placeholders) get the same lines."""

from __future__ import annotations

import html
import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_POST, SHARED, require_shared
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import highlight
from pygments.formatters import HtmlFormatter

from site_builder.markup.highlight import (
    ALIASES,
    LANGUAGE_LABELS,
    _use_pygments_formatter,
    canonical_language,
    format_lines,
    formatter_agrees,
    highlight_lines,
    lexer_for,
)

TESTS = Path(__file__).resolve().parents[1]

# pieces that make each lexer change state: strings, comments, heredocs, continuations, escapes
PIECES = {
    "dockerfile": [
        "FROM alpine AS build",
        "RUN apk add \\",
        "  curl",
        "COPY --from=build /a /b",
        "# syntax=docker/dockerfile:1",
        "RUN <<EOF",
        "echo hi",
        "EOF",
        'CMD ["a", "b"]',
        "ENV A=1 B=2",
        "\t",
        "<&>",
        "",
    ],
    "bash": [
        "echo \"$HOME\" 'x'",
        "if [ -f a ]; then",
        "fi",
        "# note",
        "cat <<EOF",
        "EOF",
        "x=$(ls | wc -l)",
        "\\",
        "<b>&amp;</b>",
        "  ",
        "",
    ],
    "python": ["def f(x):", '    return "a\\nb"', "# c", "'''doc", "'''", "x = 1 < 2 & 3", ""],
    # compose files: YAML's scalar and indicator tokens are types Pygments does not list as
    # standard, so they carry their parents' classes too (`l l-Scalar l-Scalar-Plain`)
    "yaml": [
        "services:",
        "  web:",
        "    image: nginx:1.27-alpine",
        '    command: ["npm", "start"]',
        "    ports:",
        '      - "8080:80"',
        "    environment:",
        "      - NODE_ENV=production",
        "    x: &anchor {a: 1}",
        "    y: *anchor",
        "    z: |",
        "      text <&>",
        "# comment",
        "---",
        "",
    ],
    "json": ['{"a": [1, 2.5, true, null],', '"b": "c\\"d"}', "  ", ""],
    "console": ["$ docker build -t app .", "# whoami", "Step 1/3 : FROM alpine", "> x", ""],
    "ini": ["[section]", "key = value ; c", "# comment", ""],
}


@settings(max_examples=200, deadline=None)
@given(data=st.data(), language=st.sampled_from(sorted(PIECES)))
def test_format_lines_gives_pygments_html_formatter_markup(data, language):
    lines = data.draw(
        st.lists(st.sampled_from(PIECES[language]) | st.text(max_size=12), max_size=12)
    )
    code = "\n".join(lines) + "\n"
    lexer = lexer_for(canonical_language(language))
    assert lexer is not None
    ours = "\n".join(format_lines(lexer.get_tokens(code)))
    theirs = highlight(code, lexer, HtmlFormatter(nowrap=True))
    assert ours == theirs


COMPOSE = 'services:\n  web:\n    image: nginx:1.27-alpine\n    ports:\n      - "8080:80"\n'


@pytest.mark.parametrize(
    "style", ["default", "friendly", "monokai", "github-dark", "one-dark", "dracula", "nord"]
)
def test_every_coloured_compose_token_has_a_rule_in_the_stylesheet(style):
    """Each token the style colours (itself or through a parent type) gets that colour from a
    rule for one of its classes: YAML's scalars and `-` indicators were colourless in the dark
    styles when only their leaf class (`l-Scalar-Plain`, no rule) was written."""
    from pygments.styles import get_style_by_name
    from pygments.token import Token

    from site_builder.markup.highlight_css import stylesheet

    rules = set(re.findall(r"^\.highlight \.([\w-]+) \{[^}]*color", stylesheet(style, style), re.M))
    pygments_style = get_style_by_name(style)
    lexer = lexer_for("yaml")
    assert lexer is not None
    checked = 0
    for ttype, value in lexer.get_tokens(COMPOSE):
        styled = ttype  # the nearest type the style gives a colour of its own (not the base text's)
        while styled is not Token and "#" not in pygments_style.styles.get(styled, ""):
            styled = styled.parent
        if not value.strip() or styled is Token:
            continue
        html = format_lines([(ttype, value)])[0]
        classes = re.match(r'<span class="([^"]+)">', html)
        assert classes, (ttype, html)
        assert rules & set(classes.group(1).split()), (style, ttype, classes.group(1))
        checked += 1
    assert checked >= 5


# ---- Pygments' own formatter writes the blocks without placeholders: the same lines -------


def _with_format_lines(code: str, language: str) -> list[str]:
    """A block's lines as `format_lines` writes them (the path blocks with placeholders take)."""
    lexer = lexer_for(canonical_language(language))
    assert lexer is not None
    lines = format_lines(lexer.get_tokens(code.removesuffix("\n") + "\n"))
    if lines and not lines[-1]:
        lines.pop()
    return lines


def _fences(text: str) -> list[tuple[str, str]]:
    from markdown_it import MarkdownIt

    return [
        (token.content, token.info.split("{")[0].strip().split(" ")[0])
        for token in MarkdownIt("commonmark").parse(text)
        if token.type == "fence"
    ]


def _highlighted(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted({b for b in blocks if lexer_for(canonical_language(b[1])) is not None})


def test_this_pygments_formatter_is_the_one_blocks_are_written_with():
    """Without this, the comparisons below would compare `format_lines` with itself."""
    assert formatter_agrees(HtmlFormatter(nowrap=True))
    assert _use_pygments_formatter()


def test_a_formatter_that_escapes_quotes_is_not_used():
    """Pygments before 2.21 escaped `"` and `'` in code: such a formatter fails the probe, and
    `format_lines` writes every block (the pages stay byte for byte the same)."""

    class QuoteEscaping(HtmlFormatter):  # type: ignore[type-arg]
        def _translate_parts(self, value: str) -> list[str]:
            return html.escape(value, quote=True).split("\n")

    assert not formatter_agrees(QuoteEscaping(nowrap=True))


def _module(path: Path) -> Any:
    """The module at `path` (a helper of another test folder, or a script), imported once."""
    if path.stem in sys.modules:
        return sys.modules[path.stem]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = sys.modules[path.stem] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_code_block_of_the_fixtures_gets_the_same_lines():
    """The fenced blocks of the fixture sites and case files, and every Dockerfile case of the
    checker's fixtures (BuildKit's odd corners: heredocs, escapes, continuations)."""
    blocks: list[tuple[str, str]] = []
    for path in sorted(TESTS.rglob("*")):
        if "fixtures" in path.parts and path.suffix in {".md", ".txt"} and path.is_file():
            blocks += _fences(path.read_text(encoding="utf-8", errors="replace"))
    blocks += _fences(SEED_POST.read_text(encoding="utf-8")) if SEED_POST.exists() else []
    cases = _module(TESTS / "dockerfile" / "dockerfile_fixtures.py").all_cases()
    blocks += [(case.text, "dockerfile") for case in cases]
    distinct = _highlighted(blocks)
    languages = {canonical_language(language) for _, language in distinct}
    assert len(distinct) >= 150 and len(languages) >= 3, languages
    for code, language in distinct:
        assert list(highlight_lines(code, language)) == _with_format_lines(code, language), (
            language,
            code,
        )


def test_every_code_block_of_a_generated_bench_corpus_gets_the_same_lines():
    """300 posts of the benchmark's corpus (its generator, in the team's shared folder): its
    1,000-post site has 1,691 distinct highlighted blocks, all the same lines too."""
    corpus = _module(require_shared(SHARED / "bench" / "gen_corpus.py"))
    blocks: list[tuple[str, str]] = []
    for number in range(1, 301):
        blocks += _fences(corpus.make_post(number, "docker-blog-bench"))
    distinct = _highlighted(blocks)
    assert len(distinct) >= 400
    for code, language in distinct:
        assert list(highlight_lines(code, language)) == _with_format_lines(code, language), (
            language,
            code,
        )


# bits of code that change a lexer's state in one language or another
ANY_CODE = [
    '"a b"',
    "'c'",
    "`d`",
    "# c",
    "// c",
    "/* c */",
    "-- c",
    "<!-- c -->",
    "<a href='x'>&amp;</a>",
    "<<EOF",
    "EOF",
    "${X}",
    "$ ls",
    "> out",
    "{",
    "}",
    "[s]",
    "k = v",
    "k: v",
    "- item",
    "+ add",
    "@@ -1 +1 @@",
    "\\",
    "\t",
    "  ",
    "fn f(x) { return 1; }",
    "SELECT * FROM t;",
    "",
]
# every language a block is labelled with in the theme's own names, and the aliases writers use
LANGUAGES = sorted({*LANGUAGE_LABELS, *ALIASES} - {"text", "plain", "plaintext", "none", "txt"})


@settings(max_examples=400, deadline=None)
@given(data=st.data(), language=st.sampled_from(LANGUAGES))
def test_random_code_in_every_language_gets_the_lines_of_format_lines(data, language):
    lines = data.draw(st.lists(st.sampled_from(ANY_CODE) | st.text(max_size=10), max_size=10))
    code = "\n".join(lines) + data.draw(st.sampled_from(["", "\n"]))
    assert lexer_for(canonical_language(language)) is not None, language
    assert list(highlight_lines(code, language)) == _with_format_lines(code, language)

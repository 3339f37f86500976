"""The build-time highlighter: its own line formatter must give exactly Pygments' markup."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pygments import highlight
from pygments.formatters import HtmlFormatter

from site_builder.markup.highlight import canonical_language, format_lines, lexer_for

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

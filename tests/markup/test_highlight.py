"""The build-time highlighter: its own line formatter must give exactly Pygments' markup."""

from __future__ import annotations

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

"""The Pygments lexer: heredocs, continuations, stage names, directives; nothing registered."""

from __future__ import annotations

from pygments import lexers
from pygments.token import Comment, Error, Keyword, Name, String, _TokenType

from site_builder.dockerfile.pygments_lexer import DockerfileLexer

TEXT = """\
# syntax=docker/dockerfile:1
# escape=`
FROM python:3.12-slim AS build
RUN --mount=type=cache,target=/root/.cache pip install `
    flask
COPY --from=build /a /b
RUN <<EOF
apt-get update
EOF
COPY <<-EOT /etc/motd
\thello
\tEOT
FORM x
"""


def tokens(text: str) -> list[tuple[_TokenType, str]]:
    return [(kind, value) for _, kind, value in DockerfileLexer().get_tokens_unprocessed(text)]


def test_readable_tokens() -> None:
    found = tokens(TEXT)
    assert "".join(value for _, value in found) == TEXT
    assert (Comment.Preproc, "# escape=`") in found
    assert (Keyword, "AS") in found
    assert found.count((Name.Label, "build")) == 2  # AS build and --from=build
    assert (Name.Attribute, "--mount") in found
    assert (String.Escape, "`") in found
    assert (String.Delimiter, "<<EOF") in found and (String.Delimiter, "EOF") in found
    assert (String.Heredoc, "\thello") in found and (String.Delimiter, "\tEOT") in found
    assert (Error, "FORM") in found
    assert not any(kind is Keyword and value == "apt-get" for kind, value in found)


def test_a_directive_after_a_comment_is_a_comment() -> None:
    found = tokens("# hello\n# escape=`\nFROM alpine\n")
    assert (Comment.Single, "# escape=`") in found


def test_the_site_uses_this_lexer_and_nothing_is_registered_globally() -> None:
    from site_builder.markup.highlight import lexer_for

    assert isinstance(lexer_for("docker"), DockerfileLexer)
    assert DockerfileLexer.aliases == []
    assert lexers.get_lexer_by_name("docker").__class__ is not DockerfileLexer

"""The public API: report shape, positions, `hints=False`, relocation, odd inputs, the long line."""

from __future__ import annotations

import pytest

from site_builder.diagnostics.diagnostic import Severity
from site_builder.dockerfile import DockerfileReport, ParseResult, check_dockerfile, dump, parse

BLOG = """\
FROM python:3.12-slim AS Build
RUN pip install flask
CMD python -m app
"""


def test_report_shape() -> None:
    report = check_dockerfile(BLOG, path="post.md")
    assert isinstance(report, DockerfileReport)
    assert report.stages == ("build",)
    assert report.ok
    codes = [d.code for d in report.diagnostics]
    assert codes == ["StageNameCasing", "DH004", "JSONArgsRecommended"]
    assert report.hint_count == 3
    assert {d.path for d in report.diagnostics} == {"post.md"}
    assert [d.line for d in report.diagnostics] == sorted(d.line for d in report.diagnostics)


def test_errors_make_the_report_fail() -> None:
    report = check_dockerfile("FORM alpine:3.19\n")
    assert not report.ok
    assert report.hint_count == 0
    assert report.diagnostics[0].severity is Severity.ERROR


def test_no_hints() -> None:
    codes = {d.code for d in check_dockerfile(BLOG, hints=False).diagnostics}
    assert codes == {"StageNameCasing", "JSONArgsRecommended"}


def test_columns_point_at_the_token_and_relocate() -> None:
    text = "FROM alpine:3.19\nCOPY --chwon=1 a /b\n"
    (found,) = check_dockerfile(text, path="p.md").diagnostics
    assert (found.line, found.column, found.end_line, found.end_column) == (2, 6, 2, 14)
    assert found.hint == "remove the flag or fix its spelling"
    moved = found.shifted("p.md", 10, 3)  # a fence body starting on line 11, indented 3
    assert (moved.line, moved.column) == (12, 9)


def test_positions_inside_continuations() -> None:
    text = "FROM alpine:3.19\nRUN echo a \\\n    && apk add curl\n"
    (found,) = check_dockerfile(text).diagnostics
    assert found.code == "DH003"
    assert (found.line, found.column, found.end_line, found.end_column) == (2, 1, 3, 14)


def test_parse_result_shape() -> None:
    result = parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM alpine:3.19\n")
    assert isinstance(result, ParseResult)
    assert result.escape == "`"
    assert [(d.name, d.value, d.line) for d in result.directives] == [
        ("syntax", "docker/dockerfile:1", 1),
        ("escape", "`", 2),
    ]
    assert result.ok
    node = result.root.children[0]
    assert (node.keyword, node.kind, node.line, node.keyword_span.column) == ("FROM", "from", 3, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "\\",
        "\\\n\\\n",
        "\ufeff",
        "\x00",
        "\ud800",
        "FROM\r",
        "ONBUILD",
        "ONBUILD ONBUILD",
        "RUN <<",
        "RUN <<EOF",
        "COPY <<EOF",
        "FROM ${",
        "FROM $",
        "# escape=",
        "[",
        "CMD [[[",
        "HEALTHCHECK \u00a0",
    ],
)
def test_odd_inputs_do_not_raise(text: str) -> None:
    check_dockerfile(text)
    assert dump(parse(text)).endswith("\n")


def test_a_line_longer_than_buildkit_allows() -> None:
    text = "FROM alpine:3.19\nLABEL a=" + "a" * 65530 + "\nRUN true\n"
    result = parse(text)
    (problem,) = result.diagnostics
    assert problem.code == "DF003"
    assert problem.message == "dockerfile line greater than max allowed size of 65535"
    assert problem.line == 2
    assert [n.kind for n in result.root.children] == ["from"]  # BuildKit stops reading there
    fits = "FROM alpine:3.19\nLABEL a=" + "a" * 65527 + "\n"  # exactly 65535 bytes
    assert parse(fits).diagnostics == ()

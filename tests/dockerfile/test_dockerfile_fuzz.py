"""Property tests: the checker and the parser never raise, and parsing is deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.dockerfile import check_dockerfile, dump, parse
from site_builder.dockerfile.memo import MEMO, use_memo
from site_builder.dockerfile.pygments_lexer import DockerfileLexer

PIECES = [
    "FROM ", "RUN ", "COPY ", "ADD ", "ONBUILD ", "HEALTHCHECK ", "CMD ", "ENTRYPOINT ", "ENV ", "ARG ",
    "EXPOSE ", "SHELL ", "WORKDIR ", "LABEL ", "VOLUME ", "USER ", "STOPSIGNAL ", "MAINTAINER ", "from ",
    "AS ", "as ", "alpine", "alpine:3.19", "scratch", "build", "--from=", "--mount=type=cache,target=",
    "--mount=", "--platform=", "--chown=", "--link", "--", "NONE", "CMD", "--interval=", "5s",
    "\\", "`", "<<EOF", "<<-EOF", "<<'EOF'", "EOF", "\tEOF", "'", '"', "[", "]", "{", "}", "$", "${",
    ":-", ":?", "#", "%", "/", "=", ",", " ", "  ", "\t", "\n", "\n", "\r\n", "\r", "# escape=`\n",
    "# escape=\\\n", "# check=skip=all\n", "# check=error=true\n", "# syntax=x\n", "a", "1", "80/tcp",
    "é", "\u00a0", "\ufeff", "\x00", "apt-get update", "&&", "apk add", "pip install", "npm install",
]  # fmt: skip
dockerfile_text = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_check_never_raises_on_any_text(text: str) -> None:
    report = check_dockerfile(text)
    assert all(d.line >= 1 and d.column >= 1 for d in report.diagnostics)


@settings(deadline=None, max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile_text)
def test_check_never_raises_on_dockerfile_like_text(text: str) -> None:
    report = check_dockerfile(text)
    assert report.ok == all(d.severity.value != "error" for d in report.diagnostics)
    assert all(d.line >= 1 and d.column >= 1 for d in report.diagnostics)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile_text)
def test_parse_is_deterministic(text: str) -> None:
    first, second = parse(text), parse(text)
    assert dump(first) == dump(second)
    assert first.diagnostics == second.diagnostics
    assert dump(first).endswith("\n")


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile_text)
def test_dump_of_a_clean_parse_is_stable(text: str) -> None:
    """Reparsing the same text after a dump keeps the dump (no hidden state between parses)."""
    result = parse(text)
    if not result.diagnostics:
        assert dump(parse(text)) == dump(result)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=300), dockerfile_text))
def test_pygments_lexer_covers_every_character(text: str) -> None:
    tokens = list(DockerfileLexer().get_tokens_unprocessed(text))
    assert "".join(value for _, _, value in tokens) == text
    position = 0
    for index, _, value in tokens:
        assert index == position
        position += len(value)


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(dockerfile_text, dockerfile_text)
def test_the_memo_changes_nothing(first: str, second: str) -> None:
    """Instructions remembered from other texts, at other lines, give exactly a fresh parse."""
    text = first + "\n" + second
    try:
        use_memo(False)
        expected_parse, expected_check = parse(text), check_dockerfile(text)
        use_memo(True)
        check_dockerfile(second)  # every instruction of the text is now known from elsewhere
        check_dockerfile(first + "\n\n# moved\n")
        remembered_parse, remembered_check = parse(text), check_dockerfile(text)
    finally:
        use_memo(True)
    assert remembered_parse == expected_parse  # nodes, tokens, spans, diagnostics, all of it
    assert remembered_check == expected_check


@settings(deadline=None, max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(dockerfile_text, min_size=1, max_size=4))
@example(["RUN a\n", "RUN <<EOF\nRUN a\nEOF\n"])  # a line first met as code, then as heredoc
@example(["RUN a \\\n", "# escape=`\nRUN a \\\n"])  # then under another escape character
def test_the_lexer_line_memo_changes_nothing(texts: list[str]) -> None:
    """Lines lexed before, in other blocks and other states (the memo is kept across
    examples, as across a build's blocks), lex exactly as a fresh scan does."""
    blocks = [*texts, "\n".join(texts)]

    def lexed() -> list[list[tuple[int, object, str]]]:
        return [list(DockerfileLexer().get_tokens_unprocessed(text)) for text in blocks]

    try:  # switched off without forgetting: lines remembered from earlier examples stay
        MEMO.enabled = False
        fresh = lexed()
    finally:
        MEMO.enabled = True
    first, again = lexed(), lexed()  # the second time, every line is a memo hit
    assert first == fresh
    assert again == fresh

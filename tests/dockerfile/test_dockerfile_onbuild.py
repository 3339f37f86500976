"""ONBUILD triggers of a local parent stage, read again and checked where the child starts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_builder.dockerfile import check_dockerfile, parse
from site_builder.dockerfile.onbuild import expression

WORDS = st.text(alphabet="abcxyz019_-./=$ ", min_size=1, max_size=30).filter(str.strip)


@given(WORDS)
def test_the_trigger_text_is_the_instruction_without_onbuild(words: str) -> None:
    trigger = "RUN " + words.strip()
    node = parse(f"FROM alpine:3.19 AS a\nonbuild   {trigger}\n").root.children[1]
    assert expression(node) == trigger


def test_heredoc_bodies_follow_the_trigger_as_buildkit_keeps_them() -> None:
    node = parse("FROM alpine:3.19 AS a\nONBUILD RUN <<EOF\necho hi\nEOF\n").root.children[1]
    assert expression(node) == "RUN <<EOF\necho hi\nEOF"


def test_a_trigger_error_says_which_onbuild_it_came_from() -> None:
    text = "FROM alpine:3.19 AS base\nONBUILD COPY --nope a b\nFROM base\n"
    (error,) = [d for d in check_dockerfile(text).diagnostics if d.code == "DF019"]
    assert (error.line, error.column, error.end_column) == (3, 1, 4)
    assert error.hint is not None
    assert "`ONBUILD COPY --nope a b`" in error.hint


def test_a_trigger_runs_once_per_child_and_not_in_its_own_stage() -> None:
    text = (
        "FROM alpine:3.19 AS base\nONBUILD COPY --nope a b\n"
        "FROM base AS one\nFROM base AS two\nFROM alpine:3.19\n"
        "COPY --from=one / /\nCOPY --from=two / /\n"
    )
    lines = [d.line for d in check_dockerfile(text).diagnostics if d.code == "DF019"]
    assert lines == [3, 4]

"""BuildKit's word handling: the shell lexer, heredoc words, flags, words, directives, mounts."""

from __future__ import annotations

import pytest

from site_builder.dockerfile import dump, parse
from site_builder.dockerfile.directives import (
    CheckOptionError,
    find_check_directive,
    match_directive,
    parse_check_options,
)
from site_builder.dockerfile.heredocs import heredocs_in_line, parse_heredoc_word
from site_builder.dockerfile.line_parsers import extract_flags, parse_words
from site_builder.dockerfile.mounts import MountError, csv_fields
from site_builder.dockerfile.shell import PLACEHOLDER, Lexer
from site_builder.dockerfile.shellwords import ShellError
from site_builder.dockerfile.values import parse_platform, port_error, reference_error, signal_error

ENV = {"X": "a.b.c", "EMPTY": "", "UNKNOWN": None}


@pytest.mark.parametrize(
    ("word", "result"),
    [
        ("$X", "a.b.c"),
        ("${X}", "a.b.c"),
        ("${NOPE:-d}", "d"),
        ("${EMPTY:-d}", "d"),
        ("${EMPTY-d}", ""),
        ("${X:+set}", "set"),
        ("${NOPE+set}", ""),
        ("${X#*.}", "b.c"),
        ("${X##*.}", "c"),
        ("${X%.*}", "a.b"),
        ("${X%%.*}", "a"),
        ("${X/./-}", "a-b.c"),
        ("${X//./-}", "a-b-c"),
        ("'$X'", "$X"),
        ('"$X"', "a.b.c"),
        ('"a\\"b"', 'a"b'),
        ("a\\ b", "a b"),
        ("$", "$"),
        ("$1x", "x"),
    ],
)
def test_shell_expansion(word: str, result: str) -> None:
    assert Lexer().process(word, ENV).result == result


@pytest.mark.parametrize(
    ("word", "message"),
    [
        ('"b', "unexpected end of statement while looking for matching double-quote"),
        ("'b", "unexpected end of statement while looking for matching single-quote"),
        ("${x", "syntax error: missing '}'"),
        ("${x:-a", "syntax error: missing '}'"),
        ("${}", "syntax error: bad substitution"),
        ("${:x}", "syntax error: bad substitution"),
        ("${b:x}", "unsupported modifier (:x) in substitution"),
        ("${b:#x}", "unsupported modifier (:#) in substitution"),
        ("${b=x}", "unsupported modifier (=) in substitution"),
        ("${b/x", "syntax error: missing '/' in ${}"),
        ("${X#a\\b}", "invalid pattern (a\\b) in substitution: invalid escape '\\b'"),
        ("${NOPE:?need it}", "NOPE: need it"),
        ("${NOPE?}", "NOPE: is not allowed to be unset"),
        ("${EMPTY:?}", "EMPTY: is not allowed to be empty"),
    ],
)
def test_shell_errors(word: str, message: str) -> None:
    with pytest.raises(ShellError) as caught:
        Lexer().process(word, ENV)
    assert caught.value.message.endswith(": " + message)
    assert caught.value.message.startswith("failed to process ")


def test_unknown_values_never_fail_and_mark_the_result() -> None:
    expansion = Lexer().process("${UNKNOWN:?x}", ENV)
    assert expansion.uncertain and expansion.result == PLACEHOLDER
    assert expansion.matched == {"UNKNOWN"}
    assert Lexer().process("$NOPE", ENV).unmatched == {"NOPE"}


def test_backtick_escape_and_words() -> None:
    assert Lexer("`").process("a`$b", {}).result == "a$b"
    assert Lexer().process('a "b c" d', {}, words=True).words == ("a", "b c", "d")


@pytest.mark.parametrize(
    ("word", "name", "fd", "expand", "chomp"),
    [
        ("<<EOF", "EOF", 0, True, False),
        ("<<-EOF", "EOF", 0, True, True),
        ('<<"EOF"', "EOF", 0, False, False),
        ("<<'E O F'", "E O F", 0, False, False),
        ("3<<EOF", "EOF", 3, True, False),
    ],
)
def test_heredoc_words(word: str, name: str, fd: int, expand: bool, chomp: bool) -> None:
    heredoc = parse_heredoc_word(word)
    assert heredoc is not None
    assert (heredoc.name, heredoc.fd, heredoc.expand, heredoc.chomp) == (name, fd, expand, chomp)
    assert parse_heredoc_word("<<") is None and parse_heredoc_word("a<<b") is None


def test_heredocs_in_a_line() -> None:
    names = [h.name for h in heredocs_in_line("RUN <<A cat - <<-'B' > /x")]
    assert names == ["A", "B"]
    assert heredocs_in_line('RUN echo "<<EOF') == []  # the line does not lex: no heredocs


def test_several_heredocs_on_one_instruction() -> None:
    result = parse("FROM alpine:3.19\nCOPY <<A <<B /dir/\na\nA\nb\nB\nRUN true\n")
    copy = result.root.children[1]
    assert [(h.name, h.content) for h in copy.heredocs] == [("A", "a\n"), ("B", "b\n")]
    assert (copy.line, copy.end_line) == (2, 6)
    assert dump(result).splitlines()[-1] == '(run "true")'


def test_flags_follow_buildkit() -> None:
    rest, offset, flags = extract_flags('--a=1 --b="x y" -- --c=3 z', "\\")
    assert [f[0] for f in flags] == ["--a=1", "--b=x y"]
    assert rest.startswith(" --c=3 z") and offset == 18
    rest, _, flags = extract_flags("--chown=\u00e0 x /", "\\")
    assert [f[0] for f in flags] == ["--chown=\u00c3"]  # Go reads flags byte by byte


def test_words_keep_quotes_and_escapes() -> None:
    assert [w[0] for w in parse_words('abc="123 456" def a\\ b', "\\")] == [
        'abc="123 456"',
        "def",
        "a\\ b",
    ]


def test_directives() -> None:
    assert match_directive("escape = `") == ("escape", "`", 9)
    assert match_directive("escape= ") == ("escape", " ", 7)  # Go's lazy (.+?) keeps one blank
    assert match_directive("escape=") is None
    assert find_check_directive(["#!/usr/bin/env docker", "# check=skip=all"]) is not None
    assert find_check_directive(["  # check=skip=all"]) is None  # ParseDirective does not trim


def test_check_options() -> None:
    config = parse_check_options(" skip = A, B ; error = true ")
    assert config.skip == {"A", "B"} and config.error
    assert not config.enabled("A") and config.enabled("C")
    assert parse_check_options("skip=all").skip_all
    with pytest.raises(CheckOptionError):
        parse_check_options("skip")


def test_mount_csv() -> None:
    assert csv_fields('type=cache,"target=/a,b",id=x') == ["type=cache", "target=/a,b", "id=x"]
    assert csv_fields('"a""b"') == ['a"b']
    with pytest.raises(MountError):
        csv_fields('type="cache')


@pytest.mark.parametrize(
    ("ref", "error"),
    [
        ("alpine", None),
        ("alpine:3.19", None),
        ("docker.io/library/alpine:3.19", None),
        ("ghcr.io/astral-sh/uv:0.5.11", None),
        ("localhost:5000/a/b:1", None),
        ("[::1]:5000/a:1", None),
        (
            "a" * 64,
            f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings",
        ),
        ("Ubuntu", "invalid reference format: repository name (library/Ubuntu) must be lowercase"),
        ("alpine:", "invalid reference format"),
        ("a b", "invalid reference format"),
        ("alpine@sha256:abc", "invalid reference format"),
    ],
)
def test_image_references(ref: str, error: str | None) -> None:
    assert reference_error(ref) == error


def test_ports_signals_platforms() -> None:
    assert port_error("8080") is None and port_error("1-10/udp") is None
    assert port_error("70000") == "invalid containerPort: 70000"
    assert port_error("10-1") == "invalid containerPort: 10-1"
    assert port_error("1.2.3:80:80") == "invalid IP address: 1.2.3"
    assert signal_error("SIGKILL") is None and signal_error("rtmin+3") is None
    assert signal_error("0") == "Invalid signal: 0"
    assert parse_platform("linux/x86_64") is not None
    assert parse_platform("linux/amd63") is None

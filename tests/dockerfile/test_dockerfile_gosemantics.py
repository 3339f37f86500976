"""The Go behaviours BuildKit's output depends on: quoting, case, numbers, durations, JSON."""

from __future__ import annotations

import pytest

from site_builder.dockerfile.gotext import (
    go_lower,
    go_quote,
    go_quote_list,
    go_trim_space,
    go_upper,
    parse_bool,
    parse_duration,
    parse_int,
    suggest,
)
from site_builder.dockerfile.jsonform import NotJson, NotStringArray, parse_array


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("abc 123", '"abc 123"'),
        ("♥☃", '"♥☃"'),
        ('" \\ / \b \f \n \r \t \x00', '"\\" \\\\ / \\b \\f \\n \\r \\t \\x00"'),
        ("\a\v\x7f", '"\\a\\v\\x7f"'),
        ("\u00a0\u200b", '"\\u00a0\\u200b"'),  # a no-break space and a format character
        ("\ue000", '"\\ue000"'),  # private use is not printable in Go
        ("\U0010ffff", '"\\U0010ffff"'),
        ("😀", '"😀"'),
        ("\ud800", '"\\xed\\xa0\\x80"'),  # a lone surrogate: its bytes
        ("\udcff", '"\\xff"'),  # a byte that was not UTF-8 (surrogateescape)
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


def test_go_quote_list_is_fmt_q_of_a_slice() -> None:
    assert go_quote_list(["--user=me", "--doit=true"]) == '["--user=me" "--doit=true"]'


def test_go_case_mapping_is_per_rune() -> None:
    assert go_lower("İ") == "i"
    assert go_lower("ΑΣ") == "ασ"  # no final sigma
    assert go_upper("ß") == "ß"
    assert go_lower("FROM") == "from"


def test_go_trim_space_uses_go_spaces() -> None:
    assert go_trim_space("\u00a0 x \u3000") == "x"
    assert go_trim_space("\x1cx\x1c") == "\x1cx\x1c"  # Python would strip these, Go does not


@pytest.mark.parametrize(
    ("text", "nanos", "error"),
    [
        ("1h2m3.5s", 3_723_500_000_000, ""),
        ("0", 0, ""),
        ("-1.5ms", -1_500_000, ""),
        (".5s", 500_000_000, ""),
        ("300µs", 300_000, ""),
        ("5", None, 'time: missing unit in duration "5"'),
        ("5d", None, 'time: unknown unit "d" in duration "5d"'),
        ("", None, 'time: invalid duration ""'),
        ("s", None, 'time: invalid duration "s"'),
        ("9999999999h", None, 'time: invalid duration "9999999999h"'),
    ],
)
def test_parse_duration(text: str, nanos: int | None, error: str) -> None:
    assert parse_duration(text) == (nanos, error)


def test_parse_int_and_bool() -> None:
    assert parse_int("-3", 32) == (-3, "")
    assert (
        parse_int("2147483648", 32)[1]
        == 'strconv.ParseInt: parsing "2147483648": value out of range'
    )
    assert parse_int("0x10", 32)[1] == 'strconv.ParseInt: parsing "0x10": invalid syntax'
    assert parse_bool("T") is True and parse_bool("False") is False and parse_bool("yes") is None


def test_suggest_follows_buildkit() -> None:
    assert suggest("FORM", ["ADD", "FROM", "RUN"], case_sensitive=False) == "FROM"
    assert suggest("form", ["ADD", "FROM", "RUN"], case_sensitive=False) == "from"
    assert suggest("FROM", ["ADD", "FROM"], case_sensitive=False) is None  # exact: unrelated
    assert suggest("DOWNLOAD", ["ADD", "FROM"], case_sensitive=False) is None
    assert suggest("chwon", ["from", "chown", "chmod"], case_sensitive=True) == "chown"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("[]", []),
        ('[ "a" , "b" ]', ["a", "b"]),
        ('["\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000"]', ['" \\ / \b \f \n \r \t \x00']),
        ('["\\ud83d\\ude00"]', ["😀"]),
        ('["\\ud800"]', ["\ufffd"]),  # Go replaces a lone surrogate escape
        ('["\\udc00\\ud83d\\ude00"]', ["\ufffd😀"]),
    ],
)
def test_json_strings(text: str, values: list[str]) -> None:
    assert [e.value for e in parse_array(text)] == values


@pytest.mark.parametrize(
    "text",
    [
        "['a']",
        '["a"',
        '["a",]',
        '["a"] x',
        '["a", NaN]',
        '["a", 1e999]',  # float64 overflow: an unmarshal error, so shell form
        '[1e999, ["x"]]',
        '["a\tb"]',  # a raw control character
        "[" * 10001 + "]" * 10001,  # deeper than Go's limit
    ],
)
def test_json_that_falls_back_to_shell_form(text: str) -> None:
    with pytest.raises(NotJson):
        parse_array(text)


@pytest.mark.parametrize(
    "text", ['["a", 1]', '["a", ["b"]]', '[{"a": 1}]', "[true]", "[" * 10000 + "]" * 10000]
)
def test_json_with_non_strings_is_an_error(text: str) -> None:
    with pytest.raises(NotStringArray):
        parse_array(text)

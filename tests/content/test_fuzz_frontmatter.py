"""Front matter fuzzed through the real reading path: bytes → `sources.decode` → `parse_source`.

Random YAML keys and scalars (the troublesome ones included), random line endings, encodings
and a BOM. Properties:

- only diagnostics come out, never an exception; each points inside the file with a known code
  and a one-line message; no front matter means at least one error;
- line endings do not move a diagnostic: CRLF gives exactly the LF diagnostics, lone CR the same
  plus one ENC002 warning; a UTF-8 BOM changes nothing;
- text that is not UTF-8 is ENC001 at the line and column of the first byte that is not.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.content.front_matter.read import parse_source
from site_builder.content.sources import decode
from site_builder.diagnostics.diagnostic import Diagnostic, Severity

UTC = dt.UTC
KEYS = [
    "title",
    "date",
    "tags",
    "slug",
    "published",
    "description",
    "series",
    "series_order",
    "part",
    "updated",
    "canonical_url",
    "cover_image",
    "tittle",
    "Title",
    "x",
    "",
    " ",
    "1",
    "null",
    "true",
    "? k",
    "- k",
    "&a k",
    "*a",
    "!t k",
    "ключ",
    "🐳",
    "a b",
    "x:y",
    '"q"',
    "'q'",
]
SCALARS = ["yes", "no", "null", "~", "3.10", "0x1F", "1e400", ".inf", ".nan", "-0", "0o17",
           "2024-02-30", "2024-01-02", "2024-01-02 10:00", "2024-01-02T10:00:00Z", "10000-01-01",
           "9999-12-31 23:59 -14:00", "'q'", '"q', '"\\x"', '"\\ud800"', '"\\U0001F433"',
           "[", "]", "{", "}", "[a, b]", "{a: 1}", "[[[[[]]]]]", "&a x", "*a", "!!binary aGk=",
           "!!python/object/apply:os.system [x]", "!!python/name:os.system", "!!set {a}",
           "!!omap [a: 1]", "!!timestamp 2024-01-02", "!!str 1", "!!int x", "|", ">", "|-", "- x",
           "? x", "%YAML 1.1", "@x", "`x", "#c", "x #c", "'<script>alert(1)</script>'", "\t", "\\",
           "é", "コンテナ", "\u2028", "\x85", "\ufeff", "\x07", "a: b", "[yes, no, null, 3.10]",
           "docker, nodejs", "'!!!'", "🐳"]  # fmt: skip
scalar = st.one_of(
    st.sampled_from(SCALARS),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=30),
    st.integers().map(str),
)
line = st.one_of(
    st.tuples(st.sampled_from(KEYS), scalar).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.sampled_from(["", "  indented: x", "- item", "---", "...", "#comment", "key", ":"]),
)
document = st.tuples(
    st.integers(0, 3),  # blank lines before the opening ---
    st.lists(line, max_size=8),
    st.booleans(),  # closed?
    st.sampled_from(["", "Body text.", "# Heading\n\nText", "---\nmore: dashes"]),
).map(
    lambda parts: (
        "\n" * parts[0]
        + "\n".join(["---", *parts[1], *(["---"] if parts[2] else []), parts[3]])
        + "\n"
    )
)


def read(data: bytes) -> list[Diagnostic]:
    """The whole reading path for one file; every diagnostic it produces."""
    problems: list[Diagnostic] = []
    text = decode("p.md", data, problems)
    if text is None:
        assert any(p.severity is Severity.ERROR for p in problems)
        return problems
    parsed = parse_source("p.md", text, UTC)
    problems.extend(parsed.diagnostics)
    if parsed.front_matter is None:
        assert any(p.severity is Severity.ERROR for p in problems), problems
    line_count = text.count("\n") + 1
    for problem in problems:
        assert problem.path == "p.md"
        assert 1 <= problem.line <= line_count + 1, (problem, line_count)
        assert problem.column >= 1
        assert problem.code[:3] in ("ENC", "FM0"), problem
        assert "\n" not in problem.message and "Node(" not in problem.message, problem.message
    return problems


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
@example("---\ntitle: [a, b]\ndate: 2024-01-02\n---\n")
@example("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\n")
def test_front_matter_gives_only_diagnostics(text: str) -> None:
    read(text.encode("utf-8"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_line_endings_and_a_bom_do_not_move_diagnostics(text: str) -> None:
    lf = read(text.encode("utf-8"))
    assert read(text.replace("\n", "\r\n").encode("utf-8")) == lf
    assert read(b"\xef\xbb\xbf" + text.encode("utf-8")) == lf
    cr = read(text.replace("\n", "\r").encode("utf-8"))
    enc002 = [d for d in cr if d.code == "ENC002"]
    assert len(enc002) == 1 and enc002[0].severity is Severity.WARNING
    assert [d for d in cr if d.code != "ENC002"] == [d for d in lf if d.code != "ENC002"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document,
    st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "shift_jis"]),
)
def test_other_encodings_are_enc001_or_read_as_utf8(text: str, encoding: str) -> None:
    data = text.encode(encoding, errors="replace")
    problems = read(data)
    if encoding == "utf-16":  # with a BOM
        assert [(p.line, p.column, p.code, p.message) for p in problems] == [
            (1, 1, "ENC001", "file is UTF-16, not UTF-8")
        ]
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        bad = data[: error.start]
        line = bad.count(b"\n") + 1
        column = len(bad[bad.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        assert problems[0].code == "ENC001"
        assert (problems[0].line, problems[0].column) == (line, column)
        assert problems[0].message == f"not valid UTF-8 (byte 0x{data[error.start]:02X})"


YAML_BREAKS = "\r\n\x85\u2028\u2029"  # a break inside a quoted scalar folds to a space


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters=YAML_BREAKS), max_size=40
    ),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_any_title_value_round_trips_or_is_reported(title: str, newline: str) -> None:
    """A quoted title comes back exactly, whatever the line endings, or is a diagnostic."""
    quoted = '"' + title.replace("\\", "\\\\").replace('"', '\\"') + '"'
    text = newline.join(["---", f"title: {quoted}", "date: 2024-01-02", "---", "Body"]) + newline
    problems: list[Diagnostic] = []
    decoded = decode("p.md", text.encode("utf-8"), problems)
    assert decoded is not None
    parsed = parse_source("p.md", decoded, UTC)
    if parsed.front_matter is not None:
        assert parsed.front_matter.title == title.replace("\0", "\ufffd").strip()
    else:
        assert any(d.severity is Severity.ERROR for d in parsed.diagnostics)

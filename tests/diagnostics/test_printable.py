"""printable(): what a user's file could do to a terminal or a line reader becomes a visible
escape, in one place, and ordinary text is left exactly as it is."""

from __future__ import annotations

import io
import json
import time
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.diagnostics.diagnostic import Diagnostic, Severity
from site_builder.diagnostics.printable import json_safe, printable, printable_lines
from site_builder.diagnostics.report import write_json, write_report, write_text

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
FORGED = "content/posts/a\nFORGED.md:1:1: error X: y.md"


def unprintable(char: str) -> bool:
    """What no line we print may hold: controls, line/paragraph separators, bidi controls,
    lone surrogates."""
    return unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs") or char in BIDI


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("\x1b]52;c;cHduZWQ=\x07", "\\x1b]52;c;cHduZWQ=\\x07"),
        ("\x1b[2Jgone", "\\x1b[2Jgone"),
        ("ok\rfake", "ok\\rfake"),
        ("a\nFORGED.md:1:1: error X: y", "a\\nFORGED.md:1:1: error X: y"),
        ("col\tumn", "col\\tumn"),
        ("\x00\x7f\x85\x9b", "\\x00\\x7f\\x85\\x9b"),
        ("one\u2028two\u2029three", "one\\u2028two\\u2029three"),
        ("access\u202e\u2066level\u2069\u202c", "access\\u202e\\u2066level\\u2069\\u202c"),
        ("name\udcff.md", "name\\udcff.md"),  # an undecodable byte of a file name
        ("\ud800", "\\ud800"),
    ],
)
def test_controls_become_visible_escapes(text: str, shown: str) -> None:
    assert printable(text) == shown


@given(st.text())
def test_printable_leaves_no_control_separator_or_bidi_character(text: str) -> None:
    shown = printable(text)
    assert not any(unprintable(c) for c in shown)
    assert printable(shown) == shown  # escapes are themselves printable
    assert shown.encode("utf-8").decode("utf-8") == shown  # any UTF-8 stream can write it


ORDINARY = st.text(
    st.characters(whitelist_categories=("L", "M", "N", "P", "S", "Zs"), blacklist_characters=BIDI)
)


@given(ORDINARY)
def test_printable_is_the_identity_on_ordinary_text(text: str) -> None:
    assert printable(text) is text


@pytest.mark.parametrize(
    "text",
    [
        "Docker — multi-stage builds",
        "多段階ビルド",
        "🐳 emoji 👍🏽",
        "עברית ومرحبا",
        "a\\nb 'q' \"q\"",
    ],
)
def test_ordinary_examples_are_unchanged(text: str) -> None:
    assert printable(text) == text
    assert printable_lines(text + "\n" + text) == text + "\n" + text


@given(st.lists(st.text(st.characters(blacklist_characters="\n")), max_size=4))
def test_printable_lines_keeps_the_lines_and_neutralises_each(lines: list[str]) -> None:
    shown = printable_lines("\n".join(lines)).split("\n")
    assert len(shown) == max(1, len(lines))
    assert not any(unprintable(c) for line in shown for c in line)


@given(st.recursive(st.text() | st.integers() | st.none(), lambda inner: st.lists(inner)))
def test_json_safe_keeps_every_value_and_escapes_the_rest(value: object) -> None:
    encoded = json_safe(json.dumps(value, indent=2, ensure_ascii=False))
    assert json.loads(encoded) == value
    assert not any(unprintable(c) for c in encoded.replace("\n", ""))


def forged(message: str = "m", hint: str | None = None) -> Diagnostic:
    return Diagnostic(FORGED, 3, 1, Severity.WARNING, "TXT001", message, hint=hint)


def test_a_newline_in_a_path_cannot_forge_a_diagnostic_line() -> None:
    out = io.StringIO()
    write_text([forged("evil\n\x1b]0;t\x07")], out)
    assert out.getvalue() == (
        "content/posts/a\\nFORGED.md:1:1: error X: y.md:3:1: warning TXT001: evil\\n\\x1b]0;t\\x07\n"
    )
    assert forged().format().count("\n") == 0


def test_the_report_neutralises_path_message_hint_and_source_line(tmp_path) -> None:
    source = tmp_path / FORGED
    source.parent.mkdir(parents=True)
    source.write_text("one\ntwo\n\x1b]52;c;eA==\x07 TODO \u202eevil\n", encoding="utf-8")
    out = io.StringIO()
    write_report([forged("m\u2028n", hint="h\rx")], out, root=tmp_path)
    lines = out.getvalue().split("\n")
    assert not any(unprintable(c) for line in lines for c in line)
    assert not any(line.startswith("FORGED") for line in lines)
    assert "3 | \\x1b]52;c;eA==\\x07 TODO \\u202eevil" in lines
    assert lines[0].startswith("content/posts/a\\nFORGED.md")


def test_json_output_keeps_the_exact_path_and_escapes_separators() -> None:
    out = io.StringIO()
    write_json([forged("line\u2028sep \u202e \x85")], out)
    text = out.getvalue()
    assert not any(unprintable(c) for c in text.replace("\n", ""))
    (record,) = json.loads(text)
    assert record["path"] == FORGED and record["message"] == "line\u2028sep \u202e \x85"


def test_printable_work_grows_linearly_with_the_text() -> None:
    """A long hostile name or message (every other character an ESC) costs linear time."""

    def seconds(n: int) -> float:
        text = "a\x1b\u202e" * n
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            printable(text)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = seconds(20_000), seconds(80_000)
    assert large < 8 * small, f"4x the text took {large / small:.1f}x the time"

"""`build-site dockerfile` on a hostile Dockerfile, as a real process: whatever the file and
its name hold (OSC title and clipboard sequences, CSI, BEL, a bare CR, C1, line separators,
bidi overrides, a newline in the name), no output format writes a control character."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from conftest import REPO

HOSTILE = (
    "FROM alpine:3.19\n"
    "\x1b]0;pwned\x07RUN echo hi\n"
    'RUN echo "\x1b]52;c;cHduZWQ=\x07" \x1b[2J\x9b31m\rdone\n'
    'LABEL a="\u2028\u202e\u2066"\n'
    "\x1b[31mFROM x\x07\n"
    "\u202e\x85\u2029RUN y\n"
)
NAME = "Dockerfile\nFORGED:1:1: error X: y\x1b]0;t\x07"
C1 = {bytes([0xC2, b]) for b in range(0x80, 0xA0)}  # U+0080..U+009F in UTF-8
SEPARATORS = ("\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066")


def run(*args: str | Path) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "site_builder", "dockerfile", *map(str, args)],
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def assert_clean(data: bytes) -> None:
    """Only `\\n` between lines: no other byte below 0x20, no DEL, no C1, no separators."""
    assert not [b for b in data if b < 0x20 and b != 0x0A], data
    assert b"\x7f" not in data
    assert not [c for c in C1 if c in data], data
    text = data.decode("utf-8")
    assert not [s for s in SEPARATORS if s in text], text
    assert not any(line.startswith("FORGED") for line in text.split("\n"))


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / NAME
    path.write_text(HOSTILE, encoding="utf-8")
    return path


@pytest.mark.timeout(120)
@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "ast"])
def test_no_format_prints_a_control_character(hostile: Path, fmt: str) -> None:
    code, out, err = run("--format", fmt, hostile, hostile)  # two files: ast prints headers
    assert code == 1  # the unknown instructions are errors
    assert out and err
    assert_clean(out)
    assert_clean(err)


@pytest.mark.timeout(60)
def test_text_lines_are_one_diagnostic_each_with_the_name_escaped(hostile: Path) -> None:
    _, out, _ = run(hostile)
    shown = str(hostile.parent) + "/Dockerfile\\nFORGED:1:1: error X: y\\x1b]0;t\\x07"
    lines = out.decode().splitlines()
    assert lines == [
        f"{shown}:2:1: error DF001: unknown instruction: \\x1b]0;pwned\\x07RUN",
        f"{shown}:5:1: error DF001: unknown instruction: \\x1b[31mFROM",
        f"{shown}:6:1: error DF001: unknown instruction: \\u202e\\x85\\u2029RUN",
    ]


@pytest.mark.timeout(60)
def test_ast_neutralises_the_unquoted_keyword(hostile: Path) -> None:
    _, out, _ = run("--format", "ast", hostile)
    assert out.decode().split("\n")[1:3] == [
        '(\\x1b]0;pwned\\x07run "")',
        '(run "echo \\"\\x1b]52;c;cHduZWQ=\\a\\" \\x1b[2J\\u009b31m\\rdone")',
    ]


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_json_formats_keep_the_exact_values(hostile: Path, fmt: str) -> None:
    _, out, _ = run("--format", fmt, hostile)
    data = json.loads(out)
    if fmt == "json":
        paths, messages = {d["path"] for d in data}, [d["message"] for d in data]
    else:
        results = data["runs"][0]["results"]
        locations = [r["locations"][0]["physicalLocation"] for r in results]
        # a URI reference: the exact path once percent-decoded; a hint follows the message
        paths = {urllib.parse.unquote(where["artifactLocation"]["uri"]) for where in locations}
        messages = [r["message"]["text"].split("\nhint: ")[0] for r in results]
    assert paths == {str(hostile)}
    assert "unknown instruction: \x1b]0;pwned\x07RUN" in messages
    assert "unknown instruction: \u202e\x85\u2029RUN" in messages


@pytest.mark.timeout(60)
def test_usage_and_path_errors_print_arguments_escaped(tmp_path: Path) -> None:
    code, out, err = run(tmp_path / "missing\x1b]0;t\x07")
    assert code == 2 and out == b""
    assert_clean(err)
    assert err.decode().endswith("missing\\x1b]0;t\\x07: no such file\n")
    code, _, err = run("--bad\x1b]0;t\x07\n")
    assert code == 2
    assert_clean(err)
    assert "unrecognized arguments: --bad\\x1b]0;t\\x07\\n" in err.decode()

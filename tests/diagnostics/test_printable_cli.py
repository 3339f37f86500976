"""Hostile post file names through the real `build-site check` and `build`: a newline in a
name cannot forge a diagnostic line, an escape sequence never reaches the terminal, an
undecodable byte is shown escaped, and JSON keeps the exact names."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from conftest import post, run_cli, write_site

from site_builder.diagnostics.printable import printable

FORGED = "content/posts/a\nFORGED.md:1:1: error X: y.md"
TITLE = "content/posts/b\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\u202e\u2028\r.md"
BYTES = b"content/posts/c\xff.md"
DIAGNOSTIC = re.compile(r"(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (error|warning|info) \w+: ")
EXCERPT = re.compile(r" *\d* [|=]( |$)")  # `14 | text`, `   | ^^^^`, `   = hint: ...`


def hostile_site(root: Path) -> Path:
    """Three posts with a placeholder each (a TXT001 warning), under hostile names."""
    write_site(
        root,
        {
            "site.toml": 'base_url = "https://example.com/"\n',
            FORGED: post("Forged") + "\nThis still has a TODO in it.\n",
            TITLE: post("Retitled") + "\nAnother TODO here.\n",
        },
    )
    with open(os.fsencode(root) + b"/" + BYTES, "wb") as file:
        file.write(post("Bytes").encode() + b"\nA TODO too.\n")
    return root


def names(root: Path) -> set[str]:
    """The real relative names of the posts (undecodable bytes as Python decodes them)."""
    return {p.relative_to(root).as_posix() for p in (root / "content/posts").iterdir()}


def unprintable(char: str) -> bool:
    return char < " " or "\x7f" <= char <= "\x9f" or char in "\u2028\u2029\u202a\u202b\u202c"


def assert_lines_are_honest(text: str, shown_paths: set[str]) -> None:
    """Every line of `text` is a diagnostic or file header starting with a shown path, an
    excerpt/hint line, a summary, or empty; none holds a control character."""
    for line in text.split("\n"):
        assert not any(unprintable(c) for c in line), repr(line)
        assert not line.startswith("FORGED"), repr(line)
        if DIAGNOSTIC.match(line) or line.startswith("content/"):
            starts = [
                p for p in shown_paths if line.startswith(p + ":") or line.startswith(p + "  (")
            ]
            assert starts, f"{line!r} does not start with a real path"
        else:
            assert line == "" or EXCERPT.match(line) or line.startswith("build-site"), repr(line)


@pytest.mark.timeout(120)
def test_check_text_shows_hostile_names_escaped(tmp_path: Path) -> None:
    root = hostile_site(tmp_path / "site")
    result = run_cli("check", "--root", root)
    assert result.returncode == 0, result.stderr
    shown = {printable(name) for name in names(root)}
    assert shown == {
        "content/posts/a\\nFORGED.md:1:1: error X: y.md",
        "content/posts/b\\x1b]0;pwned\\x07\\x1b]52;c;cHduZWQ=\\x07\\u202e\\u2028\\r.md",
        "content/posts/c\\udcff.md",  # as reports showed it before
    }
    assert_lines_are_honest(result.stdout, shown)
    assert_lines_are_honest(result.stderr, shown)
    warnings = [line for line in result.stdout.split("\n") if " warning TXT001: " in line]
    assert len(warnings) == 3
    assert "content/posts/a\\nFORGED.md:1:1: error X: y.md:14:18: warning TXT001: " in warnings[0]


@pytest.mark.timeout(120)
def test_build_report_shows_hostile_names_escaped(tmp_path: Path) -> None:
    root = hostile_site(tmp_path / "site")
    result = run_cli("--root", root)
    assert result.returncode == 0, result.stderr
    shown = {printable(name) for name in names(root)}
    assert_lines_are_honest(result.stdout, shown)
    assert_lines_are_honest(result.stderr, shown)
    assert result.stderr.count(" warning TXT001: ") == 3


@pytest.mark.timeout(120)
def test_check_json_keeps_the_exact_names(tmp_path: Path) -> None:
    root = hostile_site(tmp_path / "site")
    result = run_cli("check", "--root", root, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert not any(unprintable(c) for c in result.stdout.replace("\n", ""))
    records = json.loads(result.stdout)
    found = {r["path"] for r in records if r["code"] == "TXT001"}
    assert found == names(root)  # the values themselves, not escaped twice
    assert FORGED in found and TITLE in found

"""The report: the compiler-style text (source line, caret, hint), colour rules, the summary
line, and the JSON records."""

from __future__ import annotations

import io
import json
import os

import pytest
from conftest import run_cli

from site_builder.diagnostics.diagnostic import Diagnostic, Severity
from site_builder.diagnostics.report import (
    counts,
    summary,
    to_json,
    use_color,
    write_json,
    write_report,
)


def diag(
    path="content/posts/a.md",
    line=1,
    column=1,
    severity=Severity.WARNING,
    code="TXT001",
    message="m",
    end_column=None,
    hint=None,
):
    return Diagnostic(
        path,
        line,
        column,
        severity,
        code,
        message,
        end_line=line if end_column else None,
        end_column=end_column,
        hint=hint,
    )


def report(tmp_path, files, diagnostics, **options):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    write_report(diagnostics, out, root=tmp_path, **options)
    return out.getvalue()


def test_summary_line():
    assert summary([]) == "no problems"
    three = [diag(severity=Severity.ERROR), diag(), diag(path="content/posts/b.md")]
    assert summary(three) == "1 error, 2 warnings in 2 posts"
    assert summary([diag(severity=Severity.INFO)]) == "no problems"
    assert summary([diag(severity=Severity.INFO)], include_info=True) == "1 info in 1 post"
    assert summary([diag(), diag(path="site.toml")]) == "2 warnings in 2 files"
    assert counts([diag(severity=Severity.INFO)] * 3 + [diag()]) == "1 warning, 3 info"


def test_caret_under_the_span_with_hint(tmp_path):
    text = "---\ntitle: T\n---\n\nIt shrank by quite ____ overall.\n"
    out = report(
        tmp_path,
        {"content/posts/a.md": text},
        [
            diag(
                line=5,
                column=20,
                end_column=23,
                message="placeholder '____'",
                hint="write the words",
            ),
        ],
    )
    assert out == (
        "content/posts/a.md  (1 warning)\n"
        "content/posts/a.md:5:20: warning TXT001: placeholder '____'\n"
        "  |\n"
        "5 | It shrank by quite ____ overall.\n"
        "  |                    ^^^^\n"
        "  = hint: write the words\n"
        "\n"
    )


def test_tabs_and_wide_characters_keep_the_caret_aligned(tmp_path):
    text = "\tコンテナ TODO here\n"
    out = report(tmp_path, {"a.md": text}, [diag(path="a.md", column=7, end_column=10)])
    lines = out.splitlines()
    assert lines[3] == "1 |     コンテナ TODO here"
    assert lines[4] == "  |              ^^^^"


@pytest.mark.parametrize(
    ("before", "columns"),
    [
        ("👍🏽", 2),  # a thumbs-up with a skin tone: one emoji, 2 columns (was counted as 4)
        ("👨\u200d👩\u200d👧\u200d👦", 2),  # a ZWJ family: one emoji (was 8)
        ("a\u200bb", 2),  # a zero-width space takes no column (was 1)
        ("e\u0301", 1),  # a combining accent
        ("漢字", 4),
    ],
)
def test_the_caret_is_under_its_word_after_emoji_and_zero_width_text(tmp_path, before, columns):
    text = f"{before} TODO here\n"
    column = len(before) + 2  # code points, as diagnostics count columns
    out = report(
        tmp_path, {"a.md": text}, [diag(path="a.md", column=column, end_column=column + 3)]
    )
    caret = out.splitlines()[4]
    assert caret == "  | " + " " * (columns + 1) + "^^^^"


def test_long_lines_are_windowed_around_the_column(tmp_path):
    text = "x" * 500 + " TODO " + "y" * 500 + "\n"
    out = report(
        tmp_path, {"a.md": text}, [diag(path="a.md", column=502, end_column=505)], width=60
    )
    source, caret = out.splitlines()[3:5]
    assert source.startswith("1 | …") and source.endswith("…")
    assert len(source) <= len("1 | ") + 60
    assert source[caret.index("^") : caret.index("^") + 4] == "TODO"


def test_missing_files_and_lines_show_no_snippet(tmp_path):
    out = report(tmp_path, {}, [diag(path="content/posts/gone.md", line=3, hint="h")])
    assert out.splitlines()[1:] == [
        "content/posts/gone.md:3:1: warning TXT001: m",
        "  = hint: h",
        "",
    ]


def test_terminal_control_characters_are_neutralised(tmp_path):
    out = report(
        tmp_path,
        {"a.md": "evil \x1b[31mred\x1b[0m line\n"},
        [
            diag(path="a.md", message="text \x1b]0;title\x07 here", hint="\x1b[2J"),
        ],
    )
    assert "\x1b" not in out and "\x07" not in out


def test_colour_only_when_asked(tmp_path):
    files = {"a.md": "TODO\n"}
    plain = report(tmp_path, files, [diag(path="a.md", end_column=4)])
    coloured = report(tmp_path, files, [diag(path="a.md", end_column=4)], color=True)
    assert "\x1b[" not in plain
    assert "\x1b[1;33mwarning TXT001:\x1b[0m" in coloured and "\x1b[1;33m^^^^\x1b[0m" in coloured


def test_use_color_rules(monkeypatch):
    master, slave = os.openpty()
    try:
        with os.fdopen(slave, "w") as tty:
            monkeypatch.delenv("NO_COLOR", raising=False)
            monkeypatch.setenv("TERM", "xterm-256color")
            assert use_color(tty) is True
            assert use_color(io.StringIO()) is False
            assert use_color(io.StringIO(), "always") is True
            monkeypatch.setenv("NO_COLOR", "1")
            assert use_color(tty) is False
            assert use_color(tty, "always") is True
            monkeypatch.delenv("NO_COLOR")
            assert use_color(tty, "never") is False
            monkeypatch.setenv("TERM", "dumb")
            assert use_color(tty) is False
    finally:
        os.close(master)


def test_grouping_files_with_errors_first_and_limits(tmp_path):
    found = [
        diag(path="content/posts/a.md", line=2),
        diag(path="content/posts/b.md", line=1, severity=Severity.ERROR, code="LNK001"),
        diag(path="content/posts/a.md", line=1, severity=Severity.INFO, code="TXT007"),
    ]
    out = report(tmp_path, {}, found)
    headers = [line for line in out.splitlines() if line.startswith("content") and ":" not in line]
    assert headers == ["content/posts/b.md  (1 error)", "content/posts/a.md  (1 warning, 1 info)"]
    quiet = report(tmp_path, {}, found, minimum=Severity.WARNING, limit=1)
    assert "TXT007" not in quiet and "LNK001" in quiet and "TXT001" in quiet
    limited = report(tmp_path, {}, [diag(line=n) for n in range(1, 4)], limit=2)
    assert limited.endswith(
        "... and 1 more warning diagnostic (use 'build-site check --format json' for all)\n"
    )


def test_json_records_have_every_key():
    found = [diag(line=4, column=2, end_column=9, hint="do this"), diag(severity=Severity.ERROR)]
    out = io.StringIO()
    write_json(found, out)
    records = json.loads(out.getvalue())
    assert records == [to_json(d) for d in found]
    assert records[0] == {
        "path": "content/posts/a.md",
        "line": 4,
        "column": 2,
        "end_line": 4,
        "end_column": 9,
        "severity": "warning",
        "code": "TXT001",
        "message": "m",
        "hint": "do this",
    }
    assert records[1]["hint"] is None and records[1]["end_column"] == 1


def test_cli_colour_flag(make_site):
    post = "---\ntitle: T\ndate: 2024-01-01\n---\n\nIt shrank by quite ____ overall.\n"
    root = make_site({"content/posts/a.md": post})
    assert "\x1b[" not in run_cli("check", "--root", root).stdout
    forced = run_cli("check", "--color", "always", "--root", root)
    assert "\x1b[1;33mwarning TXT001:\x1b[0m" in forced.stdout
    build = run_cli("build", "--color", "always", "--root", root)
    assert build.returncode == 0 and "\x1b[1;33m" in build.stderr
    assert run_cli("check", "--color", "sometimes", "--root", root).returncode == 2


def test_check_json_is_valid_and_quiet_shows_errors_only(make_site):
    post = "---\ntitle: T\ndate: 2024-01-01\n---\n\nSee [x](/posts/nope/) and quite ____.\n"
    root = make_site({"content/posts/a.md": post})
    records = json.loads(run_cli("check", "--format", "json", "--root", root).stdout)
    assert {r["code"] for r in records} >= {"LNK001", "TXT001", "FMQ001"}
    assert all(
        set(r)
        == {
            "path",
            "line",
            "column",
            "end_line",
            "end_column",
            "severity",
            "code",
            "message",
            "hint",
        }
        for r in records
    )
    quiet = run_cli("check", "--quiet", "--root", root)
    assert quiet.returncode == 1
    assert "error LNK001" in quiet.stdout and "TXT001" not in quiet.stdout

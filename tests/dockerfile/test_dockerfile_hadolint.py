"""hadolint: one run over several blocks, mapped back, curated, merged without duplicates."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from site_builder.diagnostics.diagnostic import Diagnostic, Severity
from site_builder.dockerfile import check_dockerfile, hadolint
from site_builder.dockerfile.hadolint import PIN_RULES, find_hadolint, merge, run_hadolint

BINARY = find_hadolint()
needs_hadolint = pytest.mark.usefixtures("hadolint_installed")  # skipped without; fails in CI

FIRST = """\
FROM ubuntu
RUN apt-get update && apt-get install -y curl
RUN pip install flask
"""
SECOND = """\
FROM alpine:3.19
FORM x
"""


@needs_hadolint
def test_one_run_maps_findings_back_to_each_block() -> None:
    results = run_hadolint([FIRST, SECOND])
    assert results is not None and len(results) == 2
    first = {(d.code, d.line) for d in results[0]}
    assert {("DL3006", 1), ("DL3009", 2), ("DL3015", 2), ("DL3042", 3)} <= first
    assert not {code for code, _ in first} & PIN_RULES  # pinning rules are off by default
    assert all(d.severity in (Severity.WARNING, Severity.INFO) for d in results[0])
    (parse_error,) = results[1]
    assert parse_error.code == "DL1000" and parse_error.severity is Severity.INFO
    assert parse_error.line == 2 and parse_error.message.startswith(
        "hadolint could not parse this block"
    )


@needs_hadolint
def test_merge_drops_hadolint_findings_a_native_hint_already_reports() -> None:
    native = list(check_dockerfile(FIRST, path="post.md").diagnostics)
    assert {"DH001", "DH002", "DH004", "DH010"} <= {d.code for d in native}
    results = run_hadolint([FIRST])
    assert results is not None
    theirs = [d.shifted("post.md", 0) for d in results[0]]
    merged = merge(native, theirs)
    codes = [d.code for d in merged]
    for kept in ("DH001", "DH002", "DH004", "DH010"):
        assert kept in codes
    for dropped in ("DL3009", "DL3015", "DL3042", "DL3006"):
        assert dropped not in codes
    assert set(merged) - set(native) == {d for d in theirs if d.code not in dropped_codes(native)}
    assert [d.line for d in merged] == sorted(d.line for d in merged)


def dropped_codes(native: list[Diagnostic]) -> set[str]:
    from site_builder.dockerfile.codes import hadolint_id

    return {hadolint_id(d.code) for d in native if hadolint_id(d.code)}


def test_merge_keeps_hadolint_findings_on_other_lines() -> None:
    native = list(check_dockerfile(FIRST, path="p").diagnostics)
    dh001 = next(d for d in native if d.code == "DH001")
    same_line = Diagnostic("p", dh001.line, 1, Severity.INFO, "DL3009", "Delete the apt lists")
    other_line = Diagnostic("p", dh001.line + 5, 1, Severity.INFO, "DL3009", "Delete the apt lists")
    merged = merge(native, [same_line, other_line])
    assert same_line not in merged and other_line in merged
    assert sum(1 for d in merged if d.code == "DH001") == 1
    assert merge(native, []) == sorted(native, key=lambda d: d.sort_key)


def test_missing_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(hadolint.shutil, "which", lambda name: None)
    monkeypatch.setattr(hadolint.sys, "executable", str(tmp_path / "python"))
    assert find_hadolint() is None
    assert run_hadolint([FIRST]) is None
    assert run_hadolint([FIRST], binary=str(tmp_path / "nope")) is None


@needs_hadolint
def test_a_block_already_linted_is_not_linted_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert BINARY is not None
    binary = tmp_path / "hadolint"
    binary.write_bytes(Path(BINARY).read_bytes())
    binary.chmod(0o755)
    first = run_hadolint([FIRST, SECOND], binary=str(binary))
    assert first is not None
    runs: list[list[str]] = []
    real_lint = hadolint._lint

    def counting_lint(
        binary: str, texts: list[str], allowed: frozenset[str], timeout: float
    ) -> list[list[Diagnostic]] | None:
        runs.append(list(texts))
        return real_lint(binary, texts, allowed, timeout)

    monkeypatch.setattr(hadolint, "_lint", counting_lint)
    assert run_hadolint([SECOND, FIRST, FIRST], binary=str(binary)) == [
        first[1],
        first[0],
        first[0],
    ]
    assert runs == []
    third = "FROM ubuntu\nRUN apt-get install -y git\n"
    again = run_hadolint([FIRST, third], binary=str(binary))
    assert again is not None and again[0] == first[0]
    assert runs == [[third]] and "DL3015" in {d.code for d in again[1]}
    # Another binary (here: the same file with a new mtime) lints everything again.
    stat = binary.stat()
    os.utime(binary, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert run_hadolint([FIRST], binary=str(binary)) == [first[0]]
    assert runs == [[third], [FIRST]]

"""BuildKit's own parser test data: 33 dumps byte for byte, 4 failures, instruction line ranges."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import require_shared

from site_builder.dockerfile import check_dockerfile, dump, parse

CONFORMANCE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "buildkit-parser"
)
require_shared(CONFORMANCE, module=True)
EXPECTATIONS = json.loads((CONFORMANCE / "expectations.json").read_text(encoding="utf-8"))
POSITIVE = sorted(p.name for p in (CONFORMANCE / "testfiles").iterdir() if p.is_dir())
NEGATIVE = sorted(EXPECTATIONS["negative"])


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


def test_all_cases_are_present() -> None:
    assert len(POSITIVE) == 33
    assert len(NEGATIVE) == 4


@pytest.mark.parametrize("case", POSITIVE)
def test_dump_matches_buildkit(case: str) -> None:
    result = parse(_read(CONFORMANCE / "testfiles" / case / "Dockerfile"))
    assert result.diagnostics == ()
    assert dump(result) == _read(CONFORMANCE / "testfiles" / case / "result")


@pytest.mark.parametrize("case", POSITIVE)
def test_dump_round_trips(case: str) -> None:
    """Parsing is deterministic, and the checker runs on every file without raising."""
    text = _read(CONFORMANCE / "testfiles" / case / "Dockerfile")
    assert dump(parse(text)) == dump(parse(text))
    report = check_dockerfile(text, path=case)
    assert all(d.path == case for d in report.diagnostics)


@pytest.mark.parametrize("case", NEGATIVE)
def test_negative_fails_with_buildkits_message(case: str) -> None:
    result = parse(_read(CONFORMANCE / "testfiles-negative" / case / "Dockerfile"))
    expected = EXPECTATIONS["negative"][case]["error_contains"]
    assert any(expected in d.message for d in result.diagnostics), result.diagnostics
    assert not check_dockerfile(_read(CONFORMANCE / "testfiles-negative" / case / "Dockerfile")).ok


def test_instruction_line_ranges() -> None:
    expected = EXPECTATIONS["testfile-line"]
    result = parse(_read(CONFORMANCE / "testfile-line" / "Dockerfile"))
    assert result.root.start_line == expected["ast_start_line"]
    assert result.root.end_line == expected["ast_end_line"]
    assert [[n.line, n.end_line] for n in result.root.children] == expected["children"]

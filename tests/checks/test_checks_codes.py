"""The catalogue of content-check codes: documented, tested, and used consistently."""

from __future__ import annotations

import re
from pathlib import Path

from site_builder.checks.codes import CODES
from site_builder.diagnostics.diagnostic import Severity

TESTS = Path(__file__).resolve().parents[1]
README = TESTS.parent / "README.md"


def test_codes_are_well_formed_and_unique_per_family():
    for code, entry in CODES.items():
        assert entry.code == code
        assert re.fullmatch(r"(LNK|TXT|FMQ|EXT)\d{3}|TAG1\d\d", code), code
        assert entry.summary and entry.severity in Severity


def test_every_code_has_a_test_or_fixture():
    corpus = "".join(
        p.read_text(encoding="utf-8")
        for p in [*TESTS.rglob("test_*.py"), *TESTS.glob("fixtures/checks/*.txt")]
        if p.name != Path(__file__).name
    )
    missing = [code for code in CODES if code not in corpus]
    assert missing == []


def test_links_to_missing_targets_are_the_only_default_errors():
    errors = sorted(code for code, entry in CODES.items() if entry.severity is Severity.ERROR)
    assert errors == ["LNK001", "LNK002", "LNK006"]

"""Every fixture: the checker's diagnostics must be exactly the expected lines, in order."""

from __future__ import annotations

import re

import pytest
from dockerfile_fixtures import Case, all_cases

from site_builder.dockerfile import check_dockerfile
from site_builder.dockerfile.codes import CODES

CASES = all_cases()
ONLY_IN_PYTHON_TESTS = {"DF003", "DF050"}  # a 64 KiB line; the CLI's unreadable-file report


def _format(text: str) -> list[str]:
    report = check_dockerfile(text)
    return [f"{d.line}:{d.column}: {d.severity} {d.code}: {d.message}" for d in report.diagnostics]


@pytest.mark.parametrize("case", CASES, ids=[f"{c.id} {c.title}" for c in CASES])
def test_fixture(case: Case) -> None:
    assert _format(case.text) == list(case.expected)


def _code_of(title: str) -> tuple[str, str] | None:
    m = re.match(r"(\S+) (bad|good):", title)
    return (m.group(1), m.group(2)) if m else None


def test_every_code_has_a_bad_and_a_good_fixture() -> None:
    bad: set[str] = set()
    good: set[str] = set()
    for case in CASES:
        found = _code_of(case.title)
        if found is None:
            continue
        code, kind = found
        emitted = {line.split(" ")[2].rstrip(":") for line in case.expected}
        if kind == "bad":
            assert code in emitted, f"{case.id}: a bad fixture for {code} must produce it"
            bad.add(code)
        else:
            assert code not in emitted, f"{case.id}: a good fixture for {code} must not produce it"
            good.add(code)
    wanted = set(CODES) - ONLY_IN_PYTHON_TESTS
    assert wanted - bad == set(), "codes without a bad fixture"
    assert wanted - good == set(), "codes without a good fixture"


def test_fixture_titles_are_unique() -> None:
    titles = [case.title for case in CASES]
    assert len(titles) == len(set(titles))

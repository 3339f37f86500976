"""Feeds, SEO and pages of tiny sites, from fixture files that read like content.

Each case of `tests/fixtures/render/{feeds,seo,pages}.txt` is a whole site (its files under
`-- path --` lines) and what it must publish (under `== output ==` lines); `site_cases` says
how to read them. The sites are built in memory (`load`), as `build-site check` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from site_cases import UPDATE, built, site_cases, update

NAMES = ["feeds.txt", "seo.txt", "pages.txt"]
CASES = [(name, case) for name in NAMES for case in site_cases(name)]


@pytest.mark.parametrize(("name", "case"), CASES, ids=[f"{n}:{c.title}" for n, c in CASES])
def test_fixture(tmp_path: Path, name: str, case) -> None:
    got = built(case, tmp_path / "site")
    if UPDATE and got != case.expected:
        update(name, case, got)
        pytest.skip("expected part rewritten (UPDATE_FIXTURES=1): review the diff")
    assert got == case.expected


@pytest.mark.parametrize("name", NAMES)
def test_every_fixture_file_has_cases_that_say_what_they_show(name: str) -> None:
    cases = site_cases(name)
    assert len(cases) >= 5
    assert all(case.expected.startswith("== ") for case in cases)
    assert len({case.title for case in cases}) == len(cases)

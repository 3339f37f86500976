"""The seed post: published as it is, and every problem a careful editor would flag, at its place.

`content/posts/reduced-container-sizes-with-multi-stage-docker-builds.md` is a real draft that
went out with a broken Twitter link, a 'quite ____', a one-word section and an empty
'[Cover Image]()' link. The build must publish it (every finding is a warning or info), report
exactly these findings, and nothing else: '[Resources](#resources)' and the alpinelinux.org links
are fine.
"""

from __future__ import annotations

import json

import pytest
from conftest import REPO, SEED_POST, copy_bundled_site, run_cli, write_site

from site_builder.dockerfile.hadolint import find_hadolint
from site_builder.pipeline.phases import load
from site_builder.serve.overlay import overlay_html

SEED = "content/posts/reduced-container-sizes-with-multi-stage-docker-builds.md"
PART_ONE = "content/posts/where-image-size-comes-from.md"  # the sample series, part 1
EXPECTED = [
    (13, 15, "warning", "FMQ002", "description is 523 characters"),
    (13, 15, "info", "FMQ006", "description repeats the text at line 18 word for word"),
    (18, 92, "warning", "LNK009", "link text '@humphd' names another account than its URL"),
    (18, 101, "warning", "LNK004", "'twitter.com/@humpd' has no scheme"),
    (18, 1029, "info", "TXT007", "'140mb'"),
    (22, 183, "warning", "TXT006", "'Debain' is a misspelling of 'Debian'"),
    (
        24,
        202,
        "warning",
        "TXT001",
        "placeholder '____' left in the text: \"by quite ____ and asked\"",
    ),
    (26, 1, "warning", "TXT002", "section 'Multi-stage Builds' has almost no text"),
    (33, 3, "warning", "LNK003", "link 'Cover Image' has no target"),
]


@pytest.fixture
def seed_site(tmp_path):
    """A copy of the bundled site in a temporary folder."""
    root = copy_bundled_site(tmp_path / "site")
    if SEED_POST.exists():  # without shared/ beside the clone, test_golden reports it missing
        assert (root / SEED).read_bytes() == SEED_POST.read_bytes(), "the seed post, byte for byte"
    return root


def test_seed_findings_are_exact(seed_site):
    result = load(seed_site)
    found = [d for d in result.diagnostics if d.path == SEED]
    assert [(d.line, d.column, d.severity.value, d.code) for d in found] == [
        e[:4] for e in EXPECTED
    ], "\n".join(d.format() for d in found)
    for diagnostic, expected in zip(found, EXPECTED, strict=True):
        assert expected[4] in diagnostic.message
        assert diagnostic.hint
    assert result.rendered is not None and not result.fails()


def test_seed_fixes_are_the_ones_an_editor_would_suggest(seed_site):
    hints = {d.code: d.hint for d in load(seed_site).diagnostics if d.path == SEED}
    assert hints["LNK004"] == "write https://twitter.com/@humpd"
    assert hints["TXT006"] == "write Debian"
    assert "cover_image" in hints["LNK003"]
    assert "160" in hints["FMQ002"]


def test_resources_anchor_and_alpine_links_are_not_flagged(seed_site):
    lines = [d.line for d in load(seed_site).diagnostics if d.path == SEED]
    assert 34 not in lines and 35 not in lines, "the alpinelinux.org links are fine"
    assert [
        d for d in load(seed_site).diagnostics if d.line == 22 and d.code.startswith("LNK")
    ] == []


def test_build_publishes_the_seed_post_and_prints_the_report(seed_site):
    result = run_cli("--root", seed_site)
    assert result.returncode == 0, result.stderr
    assert (
        seed_site / "output/posts/reduced-container-sizes-with-multi-stage-docker-builds/index.html"
    ).is_file()
    assert f"{SEED}:18:101: warning LNK004: 'twitter.com/@humpd' has no scheme" in result.stderr
    assert "= hint: write https://twitter.com/@humpd" in result.stderr
    assert "info TXT007" not in result.stderr, "the build shows errors and warnings only"
    # the seed post's 7 warnings, series part 1's 3 (a check and two hints, on purpose) and the
    # sample site.toml's local base_url (CFG005)
    assert "site.toml:4:1: warning CFG005: base_url is 'http://localhost:8000/'" in result.stderr
    assert f"{PART_ONE}:21:31: warning DH002:" in result.stderr
    assert "11 warnings in 3 files" in result.stderr.splitlines()[-1]


def test_strict_build_and_check_fail_on_the_seed_post(seed_site):
    build = run_cli("build", "--strict", "--root", seed_site)
    assert build.returncode == 1
    assert "warnings are errors under --strict" in build.stderr
    assert not (seed_site / "output").exists()
    check = run_cli("check", "--strict", "--root", seed_site)
    assert check.returncode == 1
    assert run_cli("check", "--root", seed_site).returncode == 0


def test_check_reports_every_finding_with_source_and_caret(seed_site):
    result = run_cli("check", "--root", seed_site)
    assert result.returncode == 0
    out = result.stdout
    for line, column, severity, code, _ in EXPECTED:
        assert f"{SEED}:{line}:{column}: {severity} {code}:" in out
    assert "26 | ## Multi-stage Builds\n   | ^^^^^^^^^^^^^^^^^^^^^" in out
    assert "33 | - [Cover Image]()\n   |   ^^^^^^^^^^^^^^^" in out
    # Without hadolint the build says so once, at the site's first Dockerfile block (series part
    # 1); with it, hadolint finds nothing more here. The subprocess finds the hadolint we find.
    notice = f"{PART_ONE}:19:1: info HDL001: hadolint is not installed"
    if find_hadolint() is None:
        assert out.count(" HDL001: ") == 1 and notice in out
        summary = "build-site check: 10 warnings, 3 info in 2 posts"
    else:
        assert " HDL001: " not in out
        summary = "build-site check: 10 warnings, 2 info in 2 posts"
    assert result.stderr.strip() == summary
    for code in ("DH001", "DH002", "JSONArgsRecommended"):  # series part 1 shows them on purpose
        assert f"{PART_ONE}:" in out and f" warning {code}:" in out


def test_check_json_lists_the_seed_findings(seed_site):
    result = run_cli("check", "--format", "json", "--root", seed_site)
    assert result.returncode == 0
    records = [r for r in json.loads(result.stdout) if r["path"] == SEED]
    assert [(r["line"], r["column"], r["severity"], r["code"]) for r in records] == [
        e[:4] for e in EXPECTED
    ]
    twitter = records[3]
    assert twitter == {
        "path": SEED,
        "line": 18,
        "column": 101,
        "end_line": 18,
        "end_column": 118,
        "severity": "warning",
        "code": "LNK004",
        "message": "'twitter.com/@humpd' has no scheme, so it resolves to "
        "/posts/reduced-container-sizes-with-multi-stage-docker-builds/twitter.com/@humpd on "
        "this site instead of another site",
        "hint": "write https://twitter.com/@humpd",
    }


def test_preview_overlay_shows_the_same_findings(seed_site):
    result = load(seed_site)
    html = overlay_html(result.diagnostics, ok=True)
    assert html is not None
    for code in ("LNK004", "LNK009", "TXT001", "TXT002", "LNK003", "FMQ002", "TXT006"):
        assert code in html
    assert "hint: write https://twitter.com/@humpd" in html


def test_a_drafted_seed_post_is_reported_only_with_drafts(make_site):
    text = (REPO / SEED).read_text(encoding="utf-8").replace("published: true", "published: false")
    root = write_site(make_site({}), {"content/posts/seed.md": text})
    plain = run_cli("check", "--root", root)
    assert "content/posts/seed.md" not in plain.stdout
    assert "1 draft not checked (--drafts)" in plain.stderr
    drafts = run_cli("check", "--drafts", "--root", root)
    assert "content/posts/seed.md:24:202: warning TXT001" in drafts.stdout

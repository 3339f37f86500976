"""`[checks] levels` in site.toml: off / info / warning / error per code or family, --strict,
and the problems no configuration can lower."""

from __future__ import annotations

import pytest
from conftest import run_cli

from site_builder.diagnostics.diagnostic import Diagnostic, Severity
from site_builder.diagnostics.levels import apply_levels, is_protected, level_for, levels_problem
from site_builder.pipeline.phases import BuildOptions, load

POST = """\
---
title: Squashing Layers Without Losing the Cache
date: 2024-05-01
tags: [Docker]
description: When docker build --squash helps, and why a multi-stage build is usually better.
---

The layer count went down by quite ____ after the change.

Follow [me](twitter.com/example) for more.

```sh
docker build --squash .
"""


def codes(root, **options):
    result = load(root, BuildOptions(**options))
    return [(d.code, d.severity.value) for d in result.diagnostics if d.path.startswith("content")]


def test_defaults_without_levels(make_site):
    root = make_site({"content/posts/p.md": POST})
    assert codes(root) == [("TXT001", "warning"), ("LNK004", "warning"), ("MD001", "warning")]


def test_levels_raise_lower_and_switch_off(make_site):
    root = make_site(
        {
            "content/posts/p.md": POST,
            "site.toml": '[checks]\nlevels = { TXT001 = "error", "LNK*" = "info", MD001 = "off" }\n',
        }
    )
    assert codes(root) == [("TXT001", "error"), ("LNK004", "info")]


def test_an_exact_code_wins_over_its_family(make_site):
    root = make_site(
        {
            "content/posts/p.md": POST,
            "site.toml": '[checks.levels]\n"TXT*" = "off"\nTXT001 = "info"\n"*" = "error"\n',
        }
    )
    assert codes(root) == [("TXT001", "info"), ("LNK004", "error"), ("MD001", "error")]


def test_strict_fails_on_warnings_and_levels_decide_what_is_a_warning(make_site):
    root = make_site({"content/posts/p.md": POST})
    assert run_cli("check", "--root", root).returncode == 0
    assert run_cli("check", "--strict", "--root", root).returncode == 1
    assert run_cli("build", "--strict", "--root", root).returncode == 1
    assert not (root / "output").exists()
    (root / "site.toml").write_text(
        'base_url = "https://example.com/"\n[checks]\nlevels = { "TXT*" = "info", "LNK*" = "info", MD001 = "info" }\n'
    )
    assert run_cli("check", "--strict", "--root", root).returncode == 0
    assert run_cli("build", "--strict", "--root", root).returncode == 0


def test_raising_a_check_to_error_stops_the_build(make_site):
    root = make_site(
        {"content/posts/p.md": POST, "site.toml": '[checks]\nlevels = { TXT001 = "error" }\n'}
    )
    result = run_cli("build", "--root", root)
    assert result.returncode == 1
    assert "content/posts/p.md:8:36: error TXT001: placeholder '____'" in result.stderr
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    "code", ["URL001", "FM003", "FM011", "CFG001", "TPL001", "ENC001", "URL*", "IO*"]
)
def test_build_breaking_codes_cannot_be_lowered(make_site, code):
    root = make_site(
        {
            "content/posts/p.md": POST,
            "site.toml": f'[checks]\nlevels = {{ "{code}" = "warning" }}\n',
        }
    )
    problems = [d.format() for d in load(root).diagnostics if d.path == "site.toml"]
    assert problems == [
        f"site.toml:2:1: error CFG003: 'checks.levels' cannot lower {code}: it reports a page "
        "that cannot be built, so it stays an error"
    ]


def test_bad_level_values_are_config_errors(make_site):
    root = make_site(
        {"content/posts/p.md": POST, "site.toml": '[checks]\nlevels = { TXT001 = "loud" }\n'}
    )
    assert [d.format() for d in load(root).diagnostics if d.path == "site.toml"] == [
        "site.toml:2:1: error CFG003: 'checks.levels' sets TXT001 to 'loud'; use one of off, info, warning, error"
    ]
    root = make_site({"content/posts/p.md": POST, "site.toml": '[checks]\nlevels = ["TXT001"]\n'})
    assert [d.message for d in load(root).diagnostics if d.path == "site.toml"] == [
        "'checks.levels' must be a table of text values; got list ['TXT001']"
    ]


def test_protected_errors_survive_even_a_wildcard(make_site):
    broken = "---\ntitle: [\n---\n"
    root = make_site(
        {"content/posts/bad.md": broken, "site.toml": '[checks]\nlevels = { "F*" = "off" }\n'}
    )
    result = load(root)
    assert [(d.code, d.severity) for d in result.diagnostics] == [("FM003", Severity.ERROR)]
    assert result.fails()


def test_apply_levels_unit():
    def diag(code, severity):
        return Diagnostic("a.md", 1, 1, severity, code, "m")

    found = [
        diag("URL001", Severity.ERROR),
        diag("TXT001", Severity.WARNING),
        diag("FM009", Severity.WARNING),
    ]
    out = apply_levels(found, {"*": "off", "TXT001": "error"})
    assert [(d.code, d.severity) for d in out] == [
        ("URL001", Severity.ERROR),
        ("TXT001", Severity.ERROR),
    ]
    assert apply_levels(found, {}) == found
    assert level_for("TAG101", {"TAG*": "info", "TAG1*": "off"}) == "off"
    assert level_for("LNK001", {"TAG*": "info"}) is None
    assert is_protected("PUB002") and is_protected("FM008") and not is_protected("FM009")
    assert levels_problem({"not a code!": "off"}) is not None
    assert levels_problem({"LNK001": "off", "DF001": "info", "StageNameCasing": "off"}) is None

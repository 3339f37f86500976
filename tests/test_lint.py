"""The code base stays ruff- and mypy-clean (both configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO


@pytest.mark.timeout(300)
@pytest.mark.parametrize("tool", [["ruff", "check", "."], ["mypy"]], ids=["ruff", "mypy"])
def test_clean(tool):
    result = subprocess.run(
        [sys.executable, "-m", *tool], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text()
    assert "<!-- test-command -->" in readme and "<!-- build-command -->" in readme
    ci = (REPO / ".ci" / "run").read_text()
    assert "test-command" in ci and 'eval "$command"' in ci


def test_every_config_key_is_documented():
    import dataclasses

    from site_builder.config.schema import SECTIONS, SiteConfig

    readme = (REPO / "README.md").read_text()
    missing = []
    for prefix, cls in [("", SiteConfig), *((f"[{n}] ", c) for n, c in SECTIONS.items())]:
        for field in dataclasses.fields(cls):
            if field.metadata.get("internal") or field.name in SECTIONS:
                continue
            if f"| `{prefix}{field.name}` |" not in readme:
                missing.append(prefix + field.name)
    assert missing == []


def test_every_content_check_code_is_documented():
    from site_builder.checks.codes import CODES

    readme = (REPO / "README.md").read_text()
    assert [code for code in CODES if f"`{code}`" not in readme] == []

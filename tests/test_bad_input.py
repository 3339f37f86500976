"""The bad-input and attack suite (design note attack-suite.md, section 3), one case per folder.

Each `tests/fixtures/bad/<case>/` holds a `site/` and `expect.toml` (exit code, the exact first
diagnostic line, whether the previous `output/` must survive byte for byte). Every case starts
from a site that built once (the "last good" output), adds the case's files, runs the real CLI,
and checks: the exit code, the first diagnostic line, the output tree hash, and that no file
appeared anywhere except under `output/`.
"""

from __future__ import annotations

import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import run_cli, snapshot, tree_hash, write_site

BAD = Path(__file__).resolve().parent / "fixtures" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expect.toml").is_file())
DIAGNOSTIC = re.compile(r"^\S.*?:\d+:\d+: (error|warning|info) [A-Za-z0-9]+: ")
GOOD = "---\ntitle: Good\ndate: 2024-01-02\ntags: [Docker]\ndescription: The last good build.\n---\n\nThe last good build.\n"


def prepare(case: str, root: Path) -> None:
    """Extra set-up that cannot live in a fixture folder (symlinks, a 50 MB file)."""
    if case == "32-huge-file":
        with open(root / "content/posts/huge.md", "wb") as handle:
            handle.truncate(50 * 1024 * 1024)
    elif case == "33-symlinks":
        secret = root.parent / "secret"
        secret.mkdir()
        (secret / "id_rsa").write_text("PRIVATE KEY")
        (root / "content/posts/leak.md").symlink_to(secret / "id_rsa")
        (root / "content/static").mkdir(parents=True)
        (root / "content/static/etc").symlink_to(secret)
        (root / "themes/default/static").mkdir(parents=True)
        (root / "themes/default/static/x.css").symlink_to(secret / "id_rsa")


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: str, tmp_path: Path) -> None:
    expect = tomllib.loads((BAD / case / "expect.toml").read_text())
    workspace = tmp_path / "ws"
    root = workspace / "site"
    write_site(root, {"content/posts/good.md": GOOD})
    first = run_cli("--root", root)
    assert first.returncode == 0, first.stderr
    before = tree_hash(root / "output")
    if (root / "content/posts/good.md").exists() and case not in ("38-empty-content",):
        (root / "content/posts/good.md").unlink()
    if case == "38-empty-content":
        (root / "content/posts/good.md").unlink()
    shutil.copytree(BAD / case / "site", root, dirs_exist_ok=True)
    prepare(case, root)
    inputs = snapshot(workspace) - {p for p in snapshot(workspace) if p.startswith("site/output")}

    result = run_cli("--root", root)

    assert result.returncode == expect["exit"], result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if DIAGNOSTIC.match(line)]
    if "first" in expect:
        assert lines, result.stderr
        assert lines[0] == expect["first"]
    if expect["survives"]:
        assert tree_hash(root / "output") == before, "the last good output must survive"
    else:
        assert tree_hash(root / "output") != before, "the new build must be published"
    after = snapshot(workspace)
    appeared = {p for p in after - inputs if not p.startswith("site/output")}
    assert appeared == set(), f"files appeared outside output/: {sorted(appeared)}"
    assert not (root / "canary").exists() and not Path("canary").exists()
    if case == "17-script-in-title":
        for path in (root / "output").rglob("*"):
            if path.is_file():
                assert "<script>alert" not in path.read_text(errors="replace"), path
    if case in ("25-raw-html-body", "26-dangerous-link-schemes", "27-fence-info-attack"):
        page = (root / "output/posts/post/index.html").read_text()
        assert "<script>alert" not in page and "<img src=x" not in page
        assert 'href="javascript:' not in page.lower() and 'href="vbscript:' not in page.lower()
        assert 'href="data:' not in page and '" onmouseover="' not in page
    if case == "36-template-syntax-in-body":
        page = (root / "output/posts/post/index.html").read_text()
        assert "{{ 7*7 }}" in page and "49" not in page.split("post-body", 1)[1].split("</article>")[0]
    if case == "33-symlinks":
        for path in (root / "output").rglob("*"):
            assert "PRIVATE KEY" not in (path.read_text(errors="replace") if path.is_file() else "")


def test_every_design_row_has_a_case() -> None:
    numbers = {int(name.split("-")[0][:2]) for name in CASES}
    assert numbers == set(range(1, 39))


def test_no_case_leaves_staging_behind(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/posts/good.md": GOOD})
    assert run_cli("--root", root).returncode == 0
    leftovers = [p for p in os.listdir(tmp_path / "site") if p.startswith(".output.")]
    assert leftovers == []

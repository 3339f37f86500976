"""The spare tree beside `output/` is reused only when it is exactly what a build left: a
symlink planted in it is never followed or published, and a spare that cannot be reused
(read-only, a link, a file) is discarded and the build writes a fresh tree, never IO001.

Read-only folders are made with `chattr +i` (which binds root too; skipped where the file
system cannot) and with `chmod` (skipped as root, whom file modes do not stop)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import post, run_cli, skip_or_fail, tree_hash, write_site

from site_builder.cache.store import CACHE_DIR
from site_builder.pipeline.phases import BuildResult, build
from site_builder.publish.staging import spare_dir

FILES = {
    "site.toml": 'title = "Spare"\n',
    "content/posts/alpha.md": post("Alpha", "2024-01-02"),
    "content/posts/bravo.md": post("Bravo", "2024-01-03"),
}


def site_with_spare(tmp_path: Path) -> Path:
    """A site built twice: `output/` and, beside it, the previous build as the spare."""
    root = write_site(tmp_path / "site", FILES)
    assert build(root, workers=1).published
    edit(root, "First edit")
    assert build(root, workers=1).published
    assert spare_dir(root / "output").is_dir()
    return root


def edit(root: Path, text: str) -> None:
    path = root / "content/posts/alpha.md"
    path.write_text(path.read_text().replace("Some text in section one.", text))


def clean_build(root: Path, scratch: Path) -> str:
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("output", ".output.*", CACHE_DIR))
    assert build(scratch, use_cache=False, workers=1).published
    return tree_hash(scratch / "output")


def published(result: BuildResult) -> None:
    assert result.published, [d.format() for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code.startswith(("IO", "PUB"))]


def no_links(folder: Path) -> None:
    assert not folder.is_symlink()
    assert not [p for p in folder.rglob("*") if p.is_symlink()]


@pytest.mark.parametrize("where", ["posts", "posts/alpha/index.html", "planted.html"])
def test_a_symlink_planted_in_the_spare_is_not_followed_or_published(tmp_path, where):
    root = site_with_spare(tmp_path)
    outside = tmp_path / "outside"
    (outside / "alpha").mkdir(parents=True)
    (outside / "alpha/index.html").write_text("not built by us\n")
    before = tree_hash(outside)
    planted = spare_dir(root / "output") / where
    if planted.is_dir():
        shutil.rmtree(planted)
    else:
        planted.unlink(missing_ok=True)
    planted.symlink_to(outside if where == "posts" else outside / "alpha/index.html")
    edit(root, "Second edit")
    published(build(root, workers=1))
    assert (root / "output/posts").is_dir() and not (root / "output/posts").is_symlink()
    no_links(root / "output")
    assert tree_hash(outside) == before
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean")
    edit(root, "Third edit")  # and the spare left by that build is reused as usual
    result = build(root, workers=1)
    published(result)
    assert result.written < result.files


@pytest.mark.parametrize("shape", ["symlink", "file"])
def test_a_spare_that_is_not_a_folder_is_replaced(tmp_path, shape):
    root = site_with_spare(tmp_path)
    spare = spare_dir(root / "output")
    shutil.rmtree(spare)
    outside = tmp_path / "outside"
    outside.mkdir()
    if shape == "symlink":
        spare.symlink_to(outside, target_is_directory=True)
    else:
        spare.write_text("a file\n")
    edit(root, "Second edit")
    published(build(root, workers=1))
    assert list(outside.iterdir()) == []
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean")


def _chattr(flag: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["chattr", flag, str(path)], capture_output=True, text=True, check=False, timeout=60
    )


@contextlib.contextmanager
def immutable(root: Path, rel: str) -> Iterator[None]:
    """`rel` in the spare made immutable; undone wherever the folder was moved (`.output*`)."""
    done = _chattr("+i", spare_dir(root / "output") / rel)
    if done.returncode != 0:
        message = f"chattr +i is not available here: {done.stderr.strip()}"
        if os.geteuid() == 0:
            skip_or_fail(message)  # as root, chattr is missing from the machine (fails in CI)
        pytest.skip(f"needs root: {message}")
    try:
        yield
    finally:
        for folder in root.glob(f".output*/{rel}"):
            _chattr("-i", folder)


def test_an_immutable_spare_is_set_aside_and_the_build_writes_fresh(tmp_path):
    root = site_with_spare(tmp_path)
    with immutable(root, "posts/alpha"):
        for text in ("Second edit", "Third edit"):
            edit(root, text)
            published(build(root, workers=1))
            assert tree_hash(root / "output") == clean_build(root, tmp_path / text)
        assert [p.name for p in root.glob(".output.staging-*")]  # set aside, not deleted
    edit(root, "Fourth edit")  # writable again: the folder set aside is removed
    published(build(root, workers=1))
    assert [p.name for p in root.glob(".output.staging-*")] == []


def test_a_read_only_spare_is_discarded_not_an_io_error(tmp_path):
    """The builds run as a user for whom permissions apply (as root: without the capabilities
    that let root ignore them), so this runs for real whoever runs the tests."""
    root = site_with_spare(tmp_path)
    spare = spare_dir(root / "output")
    for folder in [spare, *(p for p in spare.rglob("*") if p.is_dir())]:
        folder.chmod(0o555)
    edit(root, "Second edit")
    done = run_cli("build", "--root", root, "--jobs", "1", as_user=True)
    assert done.returncode == 0, done.stderr
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean")
    assert [p.name for p in root.glob(".output.staging-*")] == []  # discarded, not set aside
    edit(root, "Third edit")
    done = run_cli("build", "--root", root, "--jobs", "1", as_user=True)
    assert done.returncode == 0, done.stderr
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean-2")

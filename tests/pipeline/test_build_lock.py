"""Two builds of one site at once: the second waits for the first, with or without the cache.

The build lock used to be taken only by builds that use the cache: two `--no-cache` builds at
once cleared each other's staging folder and one failed with `IO001 ... ENOENT` (and a hint
about free space). Every build that publishes holds the lock now, and a `--no-cache` build
still writes nothing outside the output (the lock is on the site's folder, not a file).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import post, run_cli, tree_hash, write_site
from processes import many_posts, start_build

from site_builder.cache.lock import CACHE_DIR, locked

POSTS = 400


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> str:
    root = write_site(tmp_path_factory.mktemp("reference") / "site", many_posts(POSTS))
    assert run_cli("--root", root, "--quiet", "--no-cache").returncode == 0
    return tree_hash(root / "output")


@pytest.mark.slow
@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    "modes", [("--no-cache", "--no-cache"), ("--no-cache", "--quiet"), ("--quiet", "--no-cache")]
)
def test_two_builds_at_once_both_publish_the_whole_site(
    tmp_path: Path, reference: str, modes: tuple[str, str]
) -> None:
    root = write_site(tmp_path / "site", many_posts(POSTS))
    for _ in range(3):  # the race lost one build in most rounds
        first, second = (
            start_build(root, modes[0], text=True),
            start_build(root, modes[1], text=True),
        )
        results = [process.communicate(timeout=120) for process in (first, second)]
        for process, (_, stderr) in zip((first, second), results, strict=True):
            assert process.returncode == 0, stderr
            assert "IO001" not in stderr and "error" not in stderr
        assert tree_hash(root / "output") == reference
        names = set(os.listdir(root))
        assert not [n for n in names if n.startswith((".output.staging-", ".output.old-"))]
        assert (CACHE_DIR in names) == ("--quiet" in modes)


def test_a_build_waiting_for_the_lock_says_so(tmp_path: Path) -> None:
    """The site's lock held (here by this test): the build waits, saying why, and publishes
    once it is released."""
    root = write_site(tmp_path / "site", {"content/posts/hello.md": post("Hello")})
    with locked(root, use_cache=False):
        process = start_build(root, "--no-cache", text=True)
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line == (
            "build-site: note: another build of this site is running; waiting for it to finish\n"
        )
        assert process.poll() is None, "it waits"
        assert not (root / "output").exists()
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 0, rest
    assert (root / "output" / "index.html").is_file()
    assert not (root / CACHE_DIR).exists()

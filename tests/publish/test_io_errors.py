"""A full disk or a read-only output folder is a clear IO001 error, and the last good output
survives byte for byte (attack suite case 37).

The file systems are real: a 3 MB tmpfs (full disk), `chattr +i` (an immutable folder), a
read-only bind mount. Each needs root and a kernel that allows it; where it does not, the test
is skipped with the reason (as root, it fails instead under SITE_BUILDER_REQUIRE_TOOLS=1). The full-disk case also runs everywhere through `RLIMIT_FSIZE`, which
makes the build's writes fail with EFBIG exactly as a full disk fails them with ENOSPC.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from conftest import REPO, post, run_cli, skip_or_fail, snapshot, tree_hash, write_site

BIG = "A long paragraph of words about Docker layers and caches. " * 20000  # ~1.2 MB


def _root_command(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)


def _cannot(message: str) -> NoReturn:
    """As root, a facility that fails is missing from the machine (fails in CI); as anyone
    else, the test needs root."""
    if os.geteuid() == 0:
        skip_or_fail(message)
    pytest.skip(f"needs root: {message}")


@contextlib.contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    done = _root_command("mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where))
    if done.returncode != 0:
        _cannot(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield where
    finally:
        if _root_command("umount", str(where)).returncode != 0:
            _root_command("umount", "-l", str(where))


@contextlib.contextmanager
def immutable(path: Path) -> Iterator[Path]:
    done = _root_command("chattr", "+i", str(path))
    if done.returncode != 0:
        _cannot(f"chattr +i is not available here: {done.stderr.strip()}")
    try:
        yield path
    finally:
        _root_command("chattr", "-i", str(path))


@contextlib.contextmanager
def read_only_bind(path: Path) -> Iterator[Path]:
    done = _root_command("mount", "--bind", str(path), str(path))
    if done.returncode != 0:
        _cannot(f"cannot bind-mount here: {done.stderr.strip()}")
    try:
        again = _root_command("mount", "-o", "remount,ro,bind", str(path))
        if again.returncode != 0:
            _cannot(f"cannot make a bind mount read-only here: {again.stderr.strip()}")
        yield path
    finally:
        if _root_command("umount", str(path)).returncode != 0:
            _root_command("umount", "-l", str(path))


def built_site(tmp_path: Path, output_dir: str) -> Path:
    root = write_site(
        tmp_path / "site",
        {
            "content/posts/hello.md": post("Hello"),
            "site.toml": f'output_dir = "{output_dir}"\n',
        },
    )
    first = run_cli("--root", root)
    assert first.returncode == 0, first.stderr
    return root


def io_error_line(stderr: str, display: str) -> str:
    lines = [line for line in stderr.splitlines() if " error IO001: " in line]
    assert lines, stderr
    assert lines[0].startswith(f"{display}:1:1: error IO001: cannot publish: "), lines[0]
    return lines[0]


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(
        n for n in os.listdir(folder) if n.startswith((f".{name}.staging-", f".{name}.old-"))
    )


def test_a_full_disk_is_io001_and_the_last_build_survives(tmp_path: Path) -> None:
    root = tmp_path / "site"
    with tmpfs(root / "disk", "3m") as disk:
        root = built_site(tmp_path, "disk/site")
        before = tree_hash(disk / "site")
        write_site(root, {"content/posts/big.md": post("Big") + "\n" + BIG + "\n"})

        result = run_cli("--root", root)

        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        line = io_error_line(result.stderr, "disk/site")
        assert line.endswith("No space left on device (ENOSPC)"), line
        assert "hint: check free space and permissions of the output folder" in result.stderr
        assert tree_hash(disk / "site") == before
        assert leftovers(disk, "site") == []
        # the space the failed build used is given back, so a smaller build fits again
        (root / "content/posts/big.md").unlink()
        write_site(root, {"content/posts/hello.md": post("Hello again")})
        again = run_cli("--root", root)
        assert again.returncode == 0, again.stderr
        assert "Hello again" in (disk / "site/posts/hello/index.html").read_text()


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (512 * 1024, 512 * 1024))


def test_a_write_the_system_refuses_is_io001_everywhere(tmp_path: Path) -> None:
    """RLIMIT_FSIZE: any file over 512 KB fails to write, like a disk filling up mid-publish."""
    root = built_site(tmp_path, "output")
    before = tree_hash(root / "output")
    write_site(root, {"content/posts/big.md": post("Big") + "\n" + BIG + "\n"})
    outside = snapshot(tmp_path) - {p for p in snapshot(tmp_path) if p.startswith("site/output/")}
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "site_builder", "--root", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=_limit_file_size,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    line = io_error_line(result.stderr, "output")
    assert line.endswith("File too large (EFBIG)"), line
    assert tree_hash(root / "output") == before
    assert leftovers(root, "output") == []
    appeared = {
        p
        for p in snapshot(tmp_path) - outside
        if not p.startswith(("site/output", "site/.site-cache", "site/.output."))
    }
    assert appeared == set()
    assert run_cli("--root", root).returncode == 0  # without the limit it publishes


def test_an_immutable_output_parent_is_io001(tmp_path: Path) -> None:
    root = built_site(tmp_path, "pub/site")
    before = tree_hash(root / "pub/site")
    write_site(root, {"content/posts/hello.md": post("Hello again")})
    with immutable(root / "pub"):
        result = run_cli("--root", root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert io_error_line(result.stderr, "pub/site").endswith("Operation not permitted (EPERM)")
    assert tree_hash(root / "pub/site") == before
    assert leftovers(root / "pub", "site") == []


def test_an_immutable_output_folder_is_io001_at_the_swap(tmp_path: Path) -> None:
    """Everything is written into staging, then the swap itself is refused: still all old."""
    root = built_site(tmp_path, "output")
    before = tree_hash(root / "output")
    write_site(root, {"content/posts/hello.md": post("Hello again")})
    with immutable(root / "output"):
        result = run_cli("--root", root)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert io_error_line(result.stderr, "output").endswith("Operation not permitted (EPERM)")
    assert tree_hash(root / "output") == before
    assert leftovers(root, "output") == []
    again = run_cli("--root", root)
    assert again.returncode == 0, again.stderr
    assert "Hello again" in (root / "output/posts/hello/index.html").read_text()


def test_a_read_only_file_system_is_io001(tmp_path: Path) -> None:
    root = built_site(tmp_path, "pub/site")
    before = tree_hash(root / "pub/site")
    write_site(root, {"content/posts/hello.md": post("Hello again")})
    with read_only_bind(root / "pub"):
        result = run_cli("--root", root)
        assert tree_hash(root / "pub/site") == before
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert io_error_line(result.stderr, "pub/site").endswith("Read-only file system (EROFS)")
    assert tree_hash(root / "pub/site") == before


def test_check_never_needs_a_writable_output(tmp_path: Path) -> None:
    """`check` is phase 1 only: it works on a read-only output folder and writes nothing there."""
    root = built_site(tmp_path, "pub/site")
    before = tree_hash(root / "pub")
    with read_only_bind(root / "pub"):
        result = run_cli("check", "--root", root)
    assert result.returncode == 0, result.stderr
    assert tree_hash(root / "pub") == before
    shutil.rmtree(root / "pub")


def test_an_unwritable_build_cache_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    """The cache is an optimisation: when it cannot be written the site still publishes."""
    root = built_site(tmp_path, "output")
    write_site(root, {"content/posts/hello.md": post("Hello again")})
    with immutable(root / ".site-cache"):
        result = run_cli("--root", root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "Hello again" in (root / "output/posts/hello/index.html").read_text()
    again = run_cli("--root", root)  # and the next build, with a writable cache, is normal
    assert again.returncode == 0 and "CACHE001" not in again.stderr, again.stderr

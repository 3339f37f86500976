"""Interrupt safety: a build killed with SIGKILL during publish leaves `output/` entirely old or
entirely new, and the next run removes the leftovers and publishes (attack suite case 37).

Two ways to kill: after a delay once the staging folder appears (a big site, real timing), and
at exact steps of the build (every file-system change counted in the child process), including
each side of the atomic swap and, with the portable three-rename swap, the moment between the
renames when `output/` is briefly absent."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, post, run_cli, tree_hash, write_site

POSTS = 600


def site_files(version: str) -> dict[str, str]:
    files = {
        f"content/posts/p{i:04}.md": post(
            f"Post {i} {version}", date=f"2023-{1 + i % 12:02}-{1 + i % 28:02}"
        )
        for i in range(POSTS)
    }
    files["site.toml"] = "posts_per_page = 5\n"
    return files


def kill_during_publish(root: Path, delay: float) -> None:
    """Start a build, wait until its staging folder appears, wait `delay`, then SIGKILL it."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "--root", str(root), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if any(name.startswith(".output.staging-") for name in os.listdir(root)):
                break
            time.sleep(0.0005)
        time.sleep(delay)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_during_publish_leaves_old_or_new(tmp_path: Path) -> None:
    reference = write_site(tmp_path / "reference", site_files("new"))
    assert run_cli("--root", reference, "--quiet").returncode == 0
    new_hash = tree_hash(reference / "output")

    root = write_site(tmp_path / "site", site_files("old"))
    assert run_cli("--root", root, "--quiet").returncode == 0
    old_hash = tree_hash(root / "output")
    write_site(root, site_files("new"))

    seen = set()
    for delay in (0.0, 0.002, 0.01, 0.03, 0.08, 0.2):
        kill_during_publish(root, delay)
        state = tree_hash(root / "output")
        assert state in (old_hash, new_hash), f"mixed output after a kill at +{delay}s"
        seen.add("old" if state == old_hash else "new")
        if state == new_hash:
            # go back to the old build so the next kill interrupts a real change
            shutil.rmtree(root / "output")
            write_site(root, site_files("old"))
            assert run_cli("--root", root, "--quiet").returncode == 0
            write_site(root, site_files("new"))
    assert "old" in seen, "no kill landed before the swap; the test did not exercise publish"

    assert run_cli("--root", root, "--quiet").returncode == 0
    assert tree_hash(root / "output") == new_hash
    # the spare is the previous build, kept on purpose for the next incremental publish
    leftovers = [n for n in os.listdir(root) if n.startswith(".output.") and n != ".output.spare"]
    assert leftovers == [], leftovers


# -- kills at exact points -----------------------------------------------------------------
#
# The build runs in a fresh interpreter in which every call that changes the file system (open
# for writing, mkdir, rename, replace, link, unlink, rmdir, and the renameat2 exchange) first
# counts one step in a shared file and, at step KILL_AT, SIGKILLs the whole process group
# (workers included) before the operation runs. A counting run (KILL_AT=0) records the trace;
# the test then kills at points spread over the whole build, and on each side of the swap.

KILLER = r"""
import builtins, io, os, signal, sys
limit = int(os.environ["KILL_AT"])
fd = os.open(os.environ["KILL_COUNTER"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
trace = os.open(os.environ["KILL_TRACE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

def step(what, target):
    os.write(fd, b"x")
    count = os.fstat(fd).st_size
    if limit == 0:
        os.write(trace, f"{count} {what} {os.fsdecode(target) if isinstance(target, (str, bytes, os.PathLike)) else target}\n".encode())
    elif count >= limit:
        os.killpg(0, signal.SIGKILL)

def counting(name, real):
    def wrapper(*args, **kwargs):
        step(name, args[0] if args else "")
        return real(*args, **kwargs)
    return wrapper

for name in ("rename", "replace", "link", "unlink", "remove", "mkdir", "rmdir"):
    setattr(os, name, counting(name, getattr(os, name)))
real_open = io.open
def counting_open(file, mode="r", *args, **kwargs):
    if any(flag in mode for flag in "wax+"):
        step("open", file)
    return real_open(file, mode, *args, **kwargs)
builtins.open = io.open = counting_open

from site_builder.publish import swap as publish
exchange = publish._renameat2()
assert exchange is not None, "this test needs renameat2 (Linux)"
def counting_exchange(dir_a, a, dir_b, b, flags):
    step("exchange", b)
    return exchange(dir_a, a, dir_b, b, flags)
# NO_EXCHANGE: as on a system without renameat2, the swap is three renames
publish._RENAMEAT2[:] = [None if os.environ.get("NO_EXCHANGE") else counting_exchange]

from site_builder.cli import main
sys.exit(main(sys.argv[1:]))
"""


def run_with_kill(root: Path, at: int, work: Path, *, exchange: bool = True) -> int:
    """Build `root`, SIGKILLed at step `at` (0: never; the trace is recorded). The exit code."""
    counter, trace = work / "counter", work / "trace"
    counter.write_bytes(b"")
    if at == 0:
        trace.write_text("")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "KILL_AT": str(at),
        "KILL_COUNTER": str(counter),
        "KILL_TRACE": str(trace),
    }
    if not exchange:
        env["NO_EXCHANGE"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLER, "--root", str(root), "--quiet"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        return process.wait(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


SMALL = 60


def small_site(version: str) -> dict[str, str]:
    files = {
        f"content/posts/p{i:03}.md": post(
            f"Post {i} {version}", date=f"2023-{1 + i % 12:02}-{1 + i % 28:02}"
        )
        for i in range(SMALL)
    }
    files["site.toml"] = "posts_per_page = 5\n"
    return files


def starting_point(root: Path, old_hash: str, keep: Path) -> Callable[[], None]:
    """Make the state every kill starts from: the old build published, its spare holding yet
    another build (so the next publish rewrites every page), the new sources in place. Kept as a
    copy; the function returned puts that exact copy back at `root`, so that every run takes
    the same steps as the counting run."""
    for version in ("mid", "old"):
        write_site(root, small_site(version))
        assert run_cli("--root", root, "--quiet").returncode == 0
    assert tree_hash(root / "output") == old_hash
    write_site(root, small_site("new"))
    shutil.copytree(root, keep, symlinks=True)

    def restore() -> None:
        shutil.rmtree(root)
        shutil.copytree(keep, root, symlinks=True)

    return restore


def leftovers(root: Path) -> list[str]:
    return sorted(n for n in os.listdir(root) if n.startswith((".output.staging-", ".output.old-")))


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_sigkill_at_every_kind_of_step_leaves_old_or_new_and_the_next_run_recovers(
    tmp_path: Path,
) -> None:
    reference = write_site(tmp_path / "reference", small_site("new"))
    assert run_cli("--root", reference, "--quiet").returncode == 0
    new_hash = tree_hash(reference / "output")
    root = write_site(tmp_path / "site", small_site("old"))
    assert run_cli("--root", root, "--quiet").returncode == 0
    old_hash = tree_hash(root / "output")
    assert old_hash != new_hash

    # the counting run, from the same state as every kill: each step recorded
    restore = starting_point(root, old_hash, tmp_path / "start")
    restore()
    assert run_with_kill(root, 0, tmp_path) == 0
    assert tree_hash(root / "output") == new_hash
    steps = [line.split(" ", 2) for line in (tmp_path / "trace").read_text().splitlines()]
    total = len(steps)
    exchanges = [int(n) for n, what, _ in steps if what == "exchange"]
    assert len(exchanges) == 1, "one atomic swap per build"
    swap = exchanges[0]
    writes = [int(n) for n, what, target in steps if what == "open" and "/.output." in target]
    assert len(writes) >= SMALL, "the publish must rewrite the pages"
    after = list(range(swap + 1, total + 1))  # cleaning up, and the cache learning the new tree
    after = after if len(after) <= 3 else [after[0], after[len(after) // 2], after[-1]]
    points = sorted({1, writes[0], writes[len(writes) // 2], writes[-1], swap, *after})

    seen = {"old": 0, "new": 0}
    for point in points:
        restore()
        code = run_with_kill(root, point, tmp_path)
        assert code == -signal.SIGKILL, f"the kill at step {point} of {total} did not happen"
        state = tree_hash(root / "output")
        assert state in (old_hash, new_hash), (
            f"mixed output after a kill at step {point}/{total} ({steps[point - 1][1]})"
        )
        seen["old" if state == old_hash else "new"] += 1
        if point <= swap:  # a kill at step N lands just before the N-th operation runs
            assert state == old_hash, f"step {point} is before the swap (step {swap})"
        else:
            assert state == new_hash, f"step {point} is after the swap (step {swap})"
        again = run_cli("--root", root, "--quiet")
        assert again.returncode == 0, again.stderr
        assert tree_hash(root / "output") == new_hash
        assert leftovers(root) == [], f"leftovers after recovering from a kill at step {point}"
    assert seen["old"] >= 4 and seen["new"] >= 1, seen


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_without_renameat2_a_kill_between_the_renames_is_undone_by_the_next_run(
    tmp_path: Path,
) -> None:
    """The portable swap is output → .output.old-*, staging → output, old → staging. Killed
    between the first two renames, `output/` is briefly absent; the next run puts the old build
    back (or the new one, if the second rename happened) before doing anything else."""
    reference = write_site(tmp_path / "reference", small_site("new"))
    assert run_cli("--root", reference, "--quiet").returncode == 0
    new_hash = tree_hash(reference / "output")
    root = write_site(tmp_path / "site", small_site("old"))
    assert run_cli("--root", root, "--quiet").returncode == 0
    old_hash = tree_hash(root / "output")

    restore = starting_point(root, old_hash, tmp_path / "start")
    restore()
    assert run_with_kill(root, 0, tmp_path, exchange=False) == 0
    assert tree_hash(root / "output") == new_hash
    steps = [line.split(" ", 2) for line in (tmp_path / "trace").read_text().splitlines()]
    first = next(
        int(n)
        for n, what, target in steps
        if what == "rename" and target == str((root / "output").resolve())
    )
    assert [what for _, what, _ in steps[first - 1 : first + 2]] == ["rename"] * 3
    outcomes = []
    for point, expected in ((first, "old"), (first + 1, "absent"), (first + 2, "new")):
        restore()
        assert run_with_kill(root, point, tmp_path, exchange=False) == -signal.SIGKILL
        if expected == "absent":
            assert not (root / "output").exists()
            olds = [p for p in root.iterdir() if p.name.startswith(".output.old-")]
            assert len(olds) == 1 and tree_hash(olds[0]) == old_hash
        else:
            assert tree_hash(root / "output") == (old_hash if expected == "old" else new_hash)
        outcomes.append(expected)
        # the next run (with the portable swap too) repairs first, then publishes
        assert run_with_kill(root, 10**9, tmp_path, exchange=False) == 0
        assert tree_hash(root / "output") == new_hash
        assert leftovers(root) == []
    assert outcomes == ["old", "absent", "new"]

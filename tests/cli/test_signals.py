"""SIGTERM and SIGHUP to the build process alone: no worker survives it, nothing is left behind.

`kill PID`, `timeout` and supervisors signal the main process only, not its process group (as
Ctrl-C in a terminal does). The build must then kill its workers (they would otherwise run on,
holding its stdout, so `build-site | cat` never ends), remove its staging folder, leave
`output/` as the previous build, say one short line and exit 128 + the signal. Every case runs
the real CLI in a subprocess, on a site big enough to be caught mid-build with `-j 2`.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, tree_hash, write_site
from processes import alive, children, many_posts, start_build

POSTS = 900


def listing(output: Path) -> set[str]:
    return {p.relative_to(output).as_posix() for p in output.rglob("*")}


def previous_or_complete(output: Path, old: str, paths: set[str]) -> bool:
    """`output/` is the previous build, or (a signal just after the swap) a whole new one."""
    return tree_hash(output) == old or listing(output) == paths


def when_workers_run(process: subprocess.Popen[bytes], root: Path, phase: str) -> set[int]:
    """Wait until the build has worker processes (in the `phase` asked for); their pids."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        workers = children(process.pid)
        publishing = any(n.startswith(".output.") for n in os.listdir(root))
        if workers and (phase == "process" or publishing):
            return workers
        time.sleep(0.002)
    return set()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site built once; each test edits every post, so its build reprocesses them all."""
    root = write_site(tmp_path_factory.mktemp("signals") / "site", many_posts(POSTS, "Old"))
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "site_builder", "--root", str(root), "--quiet", "--no-cache"]
    subprocess.run(cmd, env=env, check=True, timeout=120)
    return root


@pytest.mark.slow
@pytest.mark.timeout(180)
@pytest.mark.parametrize("phase", ["process", "publish"])
@pytest.mark.parametrize(
    ("number", "code", "line"),
    [(signal.SIGTERM, 143, "build-site: terminated"), (signal.SIGHUP, 129, "build-site: hung up")],
)
def test_a_signal_to_the_build_alone_stops_its_workers_and_leaves_the_old_output(
    built: Path, phase: str, number: int, code: int, line: str
) -> None:
    root = built
    old, paths = tree_hash(root / "output"), listing(root / "output")
    write_site(root, many_posts(POSTS, f"New {phase} {number}"))
    process = start_build(root, "--no-cache")
    workers = when_workers_run(process, root, phase)
    if not workers:
        process.communicate(timeout=60)
        pytest.skip("the build finished before it could be signalled")  # a very fast machine
    os.kill(process.pid, number)  # the main process only, as `kill PID` does
    stdout, stderr = process.communicate(timeout=20)
    after = time.monotonic()
    if process.returncode == 0:
        pytest.skip("the build finished before the signal arrived")
    assert process.returncode == code, stderr
    assert stderr.decode().splitlines() == [line]
    assert stdout == b""
    while time.monotonic() < after + 5 and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)], "every worker is gone"
    assert previous_or_complete(root / "output", old, paths), "never a partial build"
    assert not [n for n in os.listdir(root) if n.startswith((".output.staging-", ".output.old-"))]


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_pipe_from_a_terminated_build_ends(built: Path) -> None:
    """`build-site -j 2 | cat`, then `kill PID`: the reader sees the end of the pipe at once
    (workers holding the pipe open kept it waiting forever)."""
    root = built
    write_site(root, many_posts(POSTS, "Piped"))
    process = start_build(root, "--no-cache")
    if not when_workers_run(process, root, "process"):
        process.communicate(timeout=60)
        pytest.skip("the build finished before it could be signalled")
    os.kill(process.pid, signal.SIGTERM)
    started = time.monotonic()
    assert process.stdout is not None and process.stderr is not None
    process.stdout.read()  # to the end of the pipe: every writer has closed it
    process.stderr.read()
    waited = time.monotonic() - started
    process.wait(timeout=10)
    assert waited < 10, f"the pipe stayed open {waited:.1f} s"
    assert process.returncode in (0, 143)


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_a_killed_build_takes_its_workers_with_it(built: Path) -> None:
    """SIGKILL cannot be handled: the workers die by the kernel's death signal or their
    watchdog, within a second or so."""
    root = built
    old, paths = tree_hash(root / "output"), listing(root / "output")
    write_site(root, many_posts(POSTS, "Killed"))
    process = start_build(root, "--no-cache")
    workers = when_workers_run(process, root, "process")
    if not workers:
        process.communicate(timeout=60)
        pytest.skip("the build finished before it could be killed")
    process.kill()
    process.communicate(timeout=20)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    assert not [pid for pid in workers if alive(pid)], "every worker is gone"
    assert previous_or_complete(root / "output", old, paths)

"""No process to spare: when the workers cannot be forked, the build works in one process.

A fork that fails (EAGAIN when the user is at their process limit, ENOMEM) used to end the
build with an internal error and leave the workers already forked waiting for work forever
(149 of them were alive 7.5 minutes later). Now the ones started are killed, one note says
what happened, and the build publishes the same site from one process.

The process limit cannot be lowered for root, so the real CLI runs in a fresh interpreter whose
`os.fork` fails from its second call on with the error the kernel gives (the first worker
really is forked and must not survive); every fork that succeeded is recorded in a file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import REPO, post, run_cli, tree_hash, write_site
from processes import alive

FORK_FAILS = """
import errno, os, sys
forks = [0]
real_fork = os.fork
log = open(sys.argv.pop(1), "a")

def fork():
    forks[0] += 1
    if forks[0] > 1:
        raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))
    pid = real_fork()
    if pid:
        log.write(f"{pid}\\n")
        log.flush()
    return pid

os.fork = fork
from site_builder.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_a_failed_fork_is_a_note_and_a_build_in_one_process(tmp_path: Path) -> None:
    files: dict[str, str] = {"site.toml": 'base_url = "https://example.com/"\n'}
    files |= {
        f"content/posts/p{i:03}.md": post(f"Post {i}", date=f"2023-{1 + i % 12:02}-{1 + i % 28:02}")
        for i in range(300)
    }
    reference = write_site(tmp_path / "reference", files)
    assert run_cli("--root", reference, "--quiet", "--no-cache", "-j", "1").returncode == 0
    root = write_site(tmp_path / "site", files)
    forked = tmp_path / "forked.txt"
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    build = ["--root", str(root), "--no-cache", "-j", "2"]
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(FORK_FAILS), str(forked), *build],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    note = (
        "build-site: note: cannot start 2 worker processes (Resource temporarily unavailable): "
        "working in one process"
    )
    assert len(lines) == 2 and lines[0] == note, result.stderr  # once, not once per pool
    assert lines[1].startswith("build-site: published 373 files"), result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert tree_hash(root / "output") == tree_hash(reference / "output")
    pids = [int(line) for line in forked.read_text().split()]
    assert pids, "one worker was forked before the fork failed"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    assert not [pid for pid in pids if alive(pid)], "the worker forked is gone"

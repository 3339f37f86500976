"""Real build processes for the process-level tests: a site big enough to be caught mid-build,
a build started in the background, and what /proc says of its processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import REPO, post


def many_posts(count: int, intro: str = "Intro") -> dict[str, str | bytes]:
    """`count` posts over a year of dates; `intro` replaces the word that opens each body."""
    return {
        f"content/posts/p{i:04}.md": post(
            f"Post {i}", date=f"2023-{1 + i % 12:02}-{1 + i % 28:02}"
        ).replace("Intro paragraph", f"{intro} paragraph")
        for i in range(count)
    }


def start_build(root: Path, *args: str, text: bool = False) -> subprocess.Popen[Any]:
    """`build-site --root ROOT -j 2 ARGS` started in the background, its output piped."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "site_builder", "--root", str(root), "-j", "2", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=text,
    )


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        if int(stat.rpartition(")")[2].split()[1]) == pid:
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a parent that does not reap it is dead)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")

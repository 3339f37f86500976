"""How `bench/run.py` times one build process and weighs what it wrote.

`timed` runs a whole process (start-up included) and samples its memory from /proc every
20 ms: the PSS sum over the process tree (pool workers included, shared pages counted once)
and the largest single process's RSS (what GNU time reports). `summarise` turns a row's
samples into its figures, and `tree_size` counts the files and bytes of an output folder, so
that rows doing unequal work show it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    """One timed process: wall seconds, peak PSS of its tree and peak RSS of one process."""

    wall: float
    pss_tree: int
    rss_process: int


def tree_rss(pid: int) -> tuple[int, int]:
    """(sum of PSS, largest RSS) in bytes over `pid` and all its descendants.

    PSS (proportional set size) shares a page between the processes that map it, so the pool
    workers' copy-on-write pages are not counted twice: the sum is the tree's real footprint.
    """
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent, pages = int(fields[1]), int(fields[21])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total = biggest = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        biggest = max(biggest, rss.get(current, 0))
        total += _pss(current)
        stack.extend(children.get(current, []))
    return total, biggest


def _pss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Wall seconds, peak tree PSS and peak single-process RSS (bytes) of one run."""
    peak = [0, 0]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            total, biggest = tree_rss(process.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], biggest)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err.decode(errors='replace')[-2000:]}")
    return Sample(wall, peak[0], peak[1])


def summarise(samples: list[Sample]) -> dict[str, float]:
    """Median, min and max wall time and the peak memory over a row's samples."""
    walls = [s.wall for s in samples]
    return {
        "runs": len(samples),
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "peak_pss_tree_mib": max(s.pss_tree for s in samples) / 2**20,
        "peak_rss_process_mib": max(s.rss_process for s in samples) / 2**20,
    }


def tree_size(folder: Path) -> tuple[int, int]:
    """(files, bytes) under `folder`, hidden files included, links not followed."""
    files = size = 0
    for parent, _, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.lstat(os.path.join(parent, name)).st_size
    return files, size

"""How `bench/run.py` times one build process and weighs what it wrote.

`timed` runs a whole process (start-up included) and samples its memory from /proc every
100 ms: the PSS sum over the process tree (pool workers included, shared pages counted once)
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

# How often a timed process's memory is read. Reading a process's PSS makes the kernel walk
# its page tables: about 3 ms of CPU for a 300 MB process, so one sample every 20 ms took some
# 15% of a core from the build it timed (on two cores, a build that keeps both busy pays it).
SAMPLE_SECONDS = 0.1


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
    The tree is followed through the kernel's per-thread `children` lists and each process is
    read once (`smaps_rollup`), not found by scanning every process's `stat`: that scan made a
    sample cost 4.5 ms of CPU instead of 2.9 ms (one 300 MB process).
    """
    total = biggest = 0
    stack = [pid]  # each child is on the list of the one thread that forked it: no repeats
    while stack:
        current = stack.pop()
        pss, rss = _rollup(current)
        total += pss
        biggest = max(biggest, rss)
        stack.extend(_children(current))
    return total, biggest


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for thread in threads:
        try:
            with open(f"/proc/{pid}/task/{thread}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _rollup(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in bytes; (0, 0) once it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return pss, rss


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
            done.wait(SAMPLE_SECONDS)

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

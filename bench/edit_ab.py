#!/usr/bin/env python3
"""Paired timing of a one-post edit: an earlier commit against the working tree, interleaved.

    python bench/edit_ab.py --base 63e1a9e [--posts 5000] [--edits 10]

The machine the benchmarks run on drifts by 10-25% from one minute to the next, more than most
changes to an edit build are worth, so two `run.py` runs an hour apart say little about such a
change. This script lays out the shared corpus (as `run.py` does) twice, exports `site_builder/`
and `themes/` at `--base` with `git archive`, builds each copy cold with its own code, and then
edits one post in each copy in turn (ABBA order), timing whole `python -m site_builder`
processes. It prints each side's median and the median of the paired differences.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from run import REPO, make_corpus, make_site

SIDES = ("base", "head")


def export(base: str, into: Path) -> Path:
    """`site_builder/` and `themes/` as they were at commit `base`, byte-compiled."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", base, "site_builder", "themes"],
        check=True,
        capture_output=True,
    ).stdout
    with tempfile.TemporaryFile() as handle:
        handle.write(archive)
        handle.seek(0)
        with tarfile.open(fileobj=handle) as tar:
            tar.extractall(into, filter="data")
    return into


def environment(tree: Path, cwd: Path) -> dict[str, str]:
    """The environment that makes `python -m site_builder`, run in `cwd` (not the repository,
    whose `site_builder/` would come first on the path), run the code in `tree`."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    found = subprocess.run(
        [sys.executable, "-c", "import site_builder; print(site_builder.__file__)"],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if Path(found).resolve().parent != (tree / "site_builder").resolve():
        raise SystemExit(f"PYTHONPATH={tree} still imports {found}")
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(tree / "site_builder")], check=True
    )
    return env


def timed_build(site: Path, env: dict[str, str]) -> float:
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "--quiet"]
    started = time.perf_counter()
    subprocess.run(command, cwd=site.parent, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with")
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--edits", type=int, default=10, help="edits per side")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/site-builder-ab"))
    args = parser.parse_args(argv)
    args.scratch.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(args.scratch, args.posts)
    trees = {"base": export(args.base, args.scratch / "base-tree"), "head": REPO}
    envs = {side: environment(tree, args.scratch) for side, tree in trees.items()}
    sites = {side: make_site(args.scratch / side, corpus, args.posts) for side in SIDES}
    posts = {side: sorted((sites[side] / "content" / "posts").glob("*.md")) for side in SIDES}
    post = {side: posts[side][len(posts[side]) // 2] for side in SIDES}
    for side in SIDES:
        timed_build(sites[side], envs[side])  # cold: fills the cache
        post[side].write_text(post[side].read_text() + "\nA first edit.\n")
        timed_build(sites[side], envs[side])  # the first edit also fills the spare tree
    times: dict[str, list[float]] = {side: [] for side in SIDES}
    for number in range(args.edits):
        for side in SIDES if number % 2 == 0 else SIDES[::-1]:
            post[side].write_text(post[side].read_text() + f"\nEdit {random.random()}.\n")
            times[side].append(timed_build(sites[side], envs[side]))
    for side in SIDES:
        samples = " ".join(f"{t:.2f}" for t in times[side])
        print(
            f"{side} ({args.base if side == 'base' else 'working tree'}): "
            f"median {statistics.median(times[side]):.3f} s  [{samples}]"
        )
    differences = [h - b for h, b in zip(times["head"], times["base"], strict=True)]
    ratios = [h / b for h, b in zip(times["head"], times["base"], strict=True)]
    print(
        f"head - base: median {statistics.median(differences):+.3f} s, "
        f"head / base: median {statistics.median(ratios):.3f} ({args.edits} pairs, N={args.posts})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

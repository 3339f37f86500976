#!/usr/bin/env python3
"""The Dockerfile check's share of a full build, counted in instructions rather than seconds.

    python bench/dockerfile_share.py [--posts 1000] [--jobs 2] [--scratch DIR] [--json FILE]

Wall-clock pairs of cold builds (`bench/run.py --dockerfile-overhead`) cannot resolve a few
percent on a machine whose speed drifts by ±10–25%. This runs the same two cold builds of the
benchmark corpus, one with `[dockerfile] check = true` (the default) and one with
`check = false`, under `valgrind --tool=callgrind` (every process of the build, the pool
workers included: `--trace-children=yes`), and reports the instructions each executed in user
space: the check's share is `with / without - 1`. Instruction counts do not depend on the
machine's load, so the two builds run side by side. Needs valgrind (Debian `valgrind`); a build
under callgrind runs about 50 times slower (N = 1,000 with 2 workers: about 20 minutes).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import byte_compile_tool, make_corpus, make_site

_COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.M)


def counted_build(site: Path, jobs: int) -> subprocess.Popen[bytes]:
    """A cold build of `site` under callgrind (started, not waited for)."""
    for folder in ("output", ".output.spare", ".site-cache"):
        shutil.rmtree(site / folder, ignore_errors=True)
    log = site.parent / f"{site.name}.callgrind.log"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--trace-children=yes",
        f"--log-file={log}",
        f"--callgrind-out-file={site.parent / (site.name + '.%p.callgrind')}",
        sys.executable,
        "-m",
        "site_builder",
        "--root",
        str(site),
        "--quiet",
        "--no-cache",
        "--jobs",
        str(jobs),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def instructions(site: Path) -> int:
    """The instructions counted in every process of the build (the log has one total each)."""
    text = (site.parent / f"{site.name}.callgrind.log").read_text()
    counts = [int(n) for n in _COLLECTED.findall(text)]
    if not counts:
        raise SystemExit(f"no callgrind totals in the log of {site}")
    return sum(counts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes per build")
    parser.add_argument("--scratch", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    byte_compile_tool()
    scratch = args.scratch or Path(tempfile.gettempdir()) / "site-builder-dockerfile-share"
    scratch.mkdir(parents=True, exist_ok=True)
    corpus = make_corpus(scratch, args.posts)
    with_check = make_site(scratch / "with", corpus, args.posts)
    without = make_site(scratch / "without", corpus, args.posts)
    config = without / "site.toml"
    config.write_text(
        config.read_text().replace('hadolint = "off"', 'hadolint = "off"\ncheck = false')
    )
    for stale in scratch.rglob("*.callgrind"):
        stale.unlink()
    builds = [counted_build(with_check, args.jobs), counted_build(without, args.jobs)]
    for build in builds:
        if build.wait() != 0:
            raise SystemExit(f"a build under callgrind failed (exit {build.returncode})")
    on, off = instructions(with_check), instructions(without)
    share = on / off - 1
    print(f"posts: {args.posts}, workers: {args.jobs}")
    print(f"instructions with the Dockerfile check:    {on / 1e9:8.3f} G")
    print(f"instructions without the Dockerfile check: {off / 1e9:8.3f} G")
    print(f"the check adds {share * 100:.2f}% to the build")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "posts": args.posts,
                    "jobs": args.jobs,
                    "instructions_with_check": on,
                    "instructions_without_check": off,
                    "share": share,
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

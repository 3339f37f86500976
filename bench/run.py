#!/usr/bin/env python3
"""Benchmark site_builder against its peers on the shared synthetic corpus, in one run.

    python bench/run.py --posts 1000 [--posts 5000] [--runs 3] [--peers hugo,pelican] [--json FILE]

For each N it generates the corpus with `../shared/bench/gen_corpus.py` into a scratch folder,
lays out a site, and times whole `build-site` processes (start-up included):

- cold:      no output, no `.site-cache/` (a first build)
- no-op:     the same build again, nothing changed
- post edit: one post's text changed (the first build after the cold one also fills the spare
             tree beside `output/`, see `site_builder/publish/staging.py`)
- post edit again: a second edit of that post (the steady state of a writing session)
- template:  the site's `post.html` override changed (every post page changes)

Peak memory is sampled from /proc every 20 ms as the PSS sum over the process tree (the pool
workers included, shared pages counted once), and as the largest single process's RSS (what GNU
time reports for the peers). `--dockerfile-overhead` also times pairs of cold builds with the
Dockerfile check on and off, to give its share of a build. The installed
peers run in the same invocation through `../shared/bench/run_peers.sh`, and every figure is also
given as a ratio to Hugo's cold build at the same N.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"


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


def timed(command: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak tree RSS and peak single-process RSS (bytes) of one run."""
    peak = [0, 0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
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
    return wall, peak[0], peak[1]


def make_corpus(scratch: Path, posts: int) -> Path:
    corpus = scratch / f"corpus-{posts}"
    existing = list((corpus / "posts").glob("*.md")) if corpus.exists() else []
    if len(existing) != posts:
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(SHARED_BENCH / "gen_corpus.py"),
                str(corpus),
                "--posts",
                str(posts),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return corpus


SITE_TOML = """title = "Bench"
base_url = "https://bench.example/"

[search]
enabled = {search}

[dockerfile]
hadolint = "off"
"""


def make_site(scratch: Path, corpus: Path, posts: int, search: bool = False) -> Path:
    site = scratch / f"site-{posts}"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    shutil.copytree(corpus / "posts", site / "content" / "posts")
    # Like the peers' rows: no search index (Pagefind is a separate binary; measured on its own
    # with --search). hadolint is optional and off; our own checker checks every Dockerfile block.
    (site / "site.toml").write_text(SITE_TOML.format(search="true" if search else "false"))
    builtin = REPO / "themes" / "default" / "templates" / "post.html"
    override = site / "themes" / "default" / "templates" / "post.html"
    override.parent.mkdir(parents=True)
    shutil.copy(builtin, override)
    return site


def byte_compile_tool() -> None:
    """Byte-compile the package being timed, as `pip install` does for an installed tool.

    With PYTHONDONTWRITEBYTECODE set (as on some CI machines) and an editable install, every
    run would otherwise recompile the package's sources, which the peers, installed normally,
    never pay. Existing bytecode is read even when writing it is switched off.
    """
    import site_builder

    package = Path(site_builder.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def our_builds(site: Path, runs: int) -> dict[str, dict[str, float]]:
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "--quiet"]
    results: dict[str, list[tuple[float, int, int]]] = {
        "cold": [],
        "noop": [],
        "post_edit": [],
        "post_edit_again": [],
        "template_edit": [],
    }
    post = sorted((site / "content" / "posts").glob("*.md"))[0]
    template = site / "themes" / "default" / "templates" / "post.html"
    original_post, original_template = post.read_text(), template.read_text()
    for run in range(runs):
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".site-cache", ignore_errors=True)
        results["cold"].append(timed(command))
        results["noop"].append(timed(command))
        post.write_text(original_post + f"\nOne more sentence, edit number {run}.\n")
        results["post_edit"].append(timed(command))
        # The first edit after a cold build also hard-links the whole site into the spare tree
        # (see staging.py); from the second one on, only what changed is written.
        post.write_text(original_post + f"\nAnother sentence, edit number {run}.\n")
        results["post_edit_again"].append(timed(command))
        template.write_text(original_template + f"\n<!-- template edit {run} -->\n")
        results["template_edit"].append(timed(command))
    post.write_text(original_post)
    template.write_text(original_template)
    summary: dict[str, dict[str, float]] = {}
    for name, samples in results.items():
        walls = [s[0] for s in samples]
        summary[name] = {
            "median_s": statistics.median(walls),
            "min_s": min(walls),
            "max_s": max(walls),
            "peak_pss_tree_mib": max(s[1] for s in samples) / 2**20,
            "peak_rss_process_mib": max(s[2] for s in samples) / 2**20,
        }
    return summary


def dockerfile_overhead(site: Path, runs: int) -> tuple[dict[str, float], list[float]]:
    """Cold builds with the Dockerfile check off, each right after one with it on.

    Pairing the two keeps slow drift of the machine (other tenants, heat) out of the
    difference; the share is the median of the pairs' ratios. Returns the timings without the
    check and each pair's share.
    """
    config = site / "site.toml"
    original = config.read_text()
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "--quiet"]
    samples, ratios = [], []

    def cold() -> tuple[float, int, int]:
        shutil.rmtree(site / "output", ignore_errors=True)
        shutil.rmtree(site / ".site-cache", ignore_errors=True)
        return timed(command)

    try:
        for _ in range(runs):
            config.write_text(original)
            with_check = cold()
            config.write_text(
                original.replace('hadolint = "off"', 'hadolint = "off"\ncheck = false')
            )
            without = cold()
            samples.append(without)
            ratios.append(with_check[0] / without[0] - 1)
    finally:
        config.write_text(original)
        shutil.rmtree(site / ".site-cache", ignore_errors=True)
    walls = [s[0] for s in samples]
    timings = {
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_s": max(walls),
        "peak_pss_tree_mib": max(s[1] for s in samples) / 2**20,
        "peak_rss_process_mib": max(s[2] for s in samples) / 2**20,
    }
    return timings, ratios


def peer_builds(
    corpus: Path, posts: int, runs: int, peers: list[str]
) -> dict[str, dict[str, float]]:
    if not peers:
        return {}
    env = {**os.environ, "PEERS": " ".join(peers)}
    result = subprocess.run(
        ["bash", str(SHARED_BENCH / "run_peers.sh"), str(corpus), str(posts), str(runs)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    found: dict[str, dict[str, float]] = {}
    for line in result.stdout.splitlines():
        match = re.match(
            r"(\S+)\s+N=\d+\s+runs=\d+\s+median_wall_s=(\S+)\s+posts_per_s=\S+\s+peak_rss_mb=(\d+)",
            line,
        )
        if match:
            found[match.group(1)] = {
                "median_s": float(match.group(2)),
                "peak_rss_process_mib": float(match.group(3)),
            }
    if result.returncode != 0:
        print(result.stderr[-2000:], file=sys.stderr)
    return found


def available_peers(requested: list[str]) -> list[str]:
    checks: dict[str, Callable[[], bool]] = {
        "hugo": lambda: shutil.which("hugo") is not None,
        "pelican": lambda: Path("/tmp/pelvenv/bin/pelican").exists(),
        "mkdocs": lambda: Path("/tmp/mkvenv/bin/mkdocs").exists(),
        "eleventy": lambda: Path("/tmp/eleventy-bench/node_modules/.bin/eleventy").exists(),
    }
    kept = []
    for peer in requested:
        check = checks.get(peer)
        if check is not None and check():
            kept.append(peer)
        else:
            print(
                f"bench: peer {peer} is not installed; skipped (see ../shared/bench/BASELINE.md)",
                file=sys.stderr,
            )
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--posts", type=int, action="append", help="corpus size (repeatable; default 1000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per measurement (median reported)"
    )
    parser.add_argument(
        "--peers", default="hugo,pelican", help="comma-separated peers to run ('' for none)"
    )
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/site-builder-bench"))
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--search", action="store_true", help="build the Pagefind index too")
    parser.add_argument(
        "--dockerfile-overhead",
        action="store_true",
        help="also time cold builds with [dockerfile] check = false, to give the checker's share",
    )
    args = parser.parse_args()
    sizes = args.posts or [1000]
    peers = available_peers([p for p in args.peers.split(",") if p])
    args.scratch.mkdir(parents=True, exist_ok=True)
    byte_compile_tool()
    report: dict[str, object] = {"runs": args.runs, "cpus": os.cpu_count(), "results": {}}
    for posts in sizes:
        corpus = make_corpus(args.scratch, posts)
        site = make_site(args.scratch, corpus, posts, args.search)
        ours = our_builds(site, args.runs)
        if args.dockerfile_overhead:
            timings, pairs = dockerfile_overhead(site, args.runs)
            ours["cold_no_dockerfile_check"] = timings
            report[f"dockerfile_check_overhead_{posts}"] = statistics.median(pairs)
            report[f"dockerfile_check_overhead_pairs_{posts}"] = pairs
        theirs = peer_builds(corpus, posts, args.runs, peers)
        hugo = theirs.get("hugo", {}).get("median_s")
        rows = {f"site_builder {name}": values for name, values in ours.items()}
        rows.update({f"{peer} cold": values for peer, values in theirs.items()})
        for values in rows.values():
            values["ratio_to_hugo_cold"] = values["median_s"] / hugo if hugo else float("nan")
            values["posts_per_s"] = posts / values["median_s"]
        report["results"][str(posts)] = rows  # type: ignore[index]
        print(
            f"\nN={posts}, {args.runs} runs each, median wall time (whole process); ratio = / Hugo cold"
        )
        print(
            f"{'build':<30}{'median s':>10}{'min-max s':>16}{'posts/s':>10}{'ratio':>8}{'PSS tree MiB':>14}{'RSS proc MiB':>14}"
        )
        for name, values in rows.items():
            spread = f"{values.get('min_s', values['median_s']):.2f}-{values.get('max_s', values['median_s']):.2f}"
            tree = values.get("peak_pss_tree_mib")
            print(
                f"{name:<30}{values['median_s']:>10.2f}{spread:>16}{values['posts_per_s']:>10.0f}"
                f"{values['ratio_to_hugo_cold']:>8.2f}{(f'{tree:.0f}' if tree else '-'):>14}"
                f"{values['peak_rss_process_mib']:>14.0f}"
            )
        overhead = report.get(f"dockerfile_check_overhead_{posts}")
        if isinstance(overhead, float):
            print(
                f"Dockerfile checks add {overhead:.1%} to a cold build at N={posts} "
                "(median over pairs of cold builds with and without them)"
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

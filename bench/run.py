#!/usr/bin/env python3
"""Benchmark site_builder against its peers on the shared synthetic corpus, like with like.

    python bench/run.py --posts 1000 [--posts 5000] [--runs 3] [--peers hugo,pelican]
                        [--pelican-runs 1] [--pelican-max-posts 1000] [--json FILE]

For each N it generates the corpus with `../shared/bench/gen_corpus.py` into a scratch folder,
lays out one site per row (untimed: ours, and the peers' through their
`../shared/bench/peers/<peer>/prepare.sh`), and times whole processes (start-up included),
interleaved: in each run i, the cold builds of ours (defaults: feeds on), Hugo with its default
outputs, Hugo without feeds, ours with `[markdown] accelerate = false` and ours without feeds
(in reverse order in odd runs), then our incremental builds, then Pelican with its default
feeds and without, so every row sees the same minutes:

- cold:      no output, no `.site-cache/`, no spare tree (a first build)
- no-op:     the same build again, nothing changed
- post edit: one post's text changed (the first build after the cold one also fills the spare
             tree beside `output/`, see `site_builder/publish/staging.py`)
- post edit again: a second edit of that post (the steady state of a writing session)
- template:  the site's `post.html` override changed (every post page changes)

Every ratio is a row's wall time over Hugo's cold build with its default outputs in the same
run (the median over the runs). After each build its output is checked to be the work the row
claims (every post page, and the feeds it says it writes and no others) and its files, bytes
and feeds are printed. Then one line per target of issue 24 says met or not met. Pelican is
slow: it runs `--pelican-runs` times (default 1), and only at N <= `--pelican-max-posts`.

Peak memory is sampled from /proc every 100 ms as the PSS sum over the process tree (the pool
workers included, shared pages counted once), and as the largest single process's RSS (what GNU
time reports for the peers). `--dockerfile-overhead` also times pairs of cold builds with the
Dockerfile check on and off, after the interleaved runs, to give its share of a build.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from peers import Build, available_peers, feed_files, ours_expect, ours_no_feeds_expect, peer_builds
from report import add_ratios, print_rows, targets
from timing import Sample, summarise, timed, tree_size

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"

# What ours turns off for its no-feed row. FeedsConfig has no switch for the site's own
# /atom.xml, so that row still writes it (20 newest posts); it drops the JSON feed and the
# Atom feed of every tag (and series).
NO_FEEDS_TOML = "\n[feeds]\ntag_feeds = false\njson_feed = false\n"
NO_ACCELERATOR_TOML = "\n[markdown]\naccelerate = false\n"


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


def make_site(
    scratch: Path,
    corpus: Path,
    posts: int,
    search: bool = False,
    variant: str = "",
    extra: str = "",
) -> Path:
    """Our site for `corpus`: the bench config plus `extra`, in its own folder per variant."""
    site = scratch / (f"site-{variant}-{posts}" if variant else f"site-{posts}")
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    shutil.copytree(corpus / "posts", site / "content" / "posts")
    # Like the peers' rows: no search index (Pagefind is a separate binary; measured on its own
    # with --search). hadolint is optional and off; our own checker checks every Dockerfile block.
    (site / "site.toml").write_text(SITE_TOML.format(search="true" if search else "false") + extra)
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


def dockerfile_overhead(site: Path, runs: int) -> tuple[dict[str, float], list[float]]:
    """Cold builds with the Dockerfile check off, each right after one with it on.

    Pairing the two keeps slow drift of the machine (other tenants, heat) out of the
    difference; the share is the median of the pairs' ratios. Returns the timings without the
    check and each pair's share.
    """
    config = site / "site.toml"
    original = config.read_text()
    command = [sys.executable, "-m", "site_builder", "--root", str(site), "--quiet"]
    samples: list[Sample] = []
    ratios: list[float] = []

    def cold() -> Sample:
        clear(site)
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
            ratios.append(with_check.wall / without.wall - 1)
    finally:
        config.write_text(original)
        shutil.rmtree(site / ".site-cache", ignore_errors=True)
    timings = summarise(samples)
    return timings, ratios


def our_command(site: Path) -> list[str]:
    return [sys.executable, "-m", "site_builder", "--root", str(site), "--quiet"]


def clear(site: Path) -> None:
    """Make the next build of `site` a first one: no output, no cache, no spare tree."""
    for name in ("output", ".site-cache", ".output.spare"):
        shutil.rmtree(site / name, ignore_errors=True)


def our_cold(key: str, label: str, site: Path, expect: Callable[[Path, int], list[str]]) -> Build:
    return Build(key, label, our_command(site), site / "output", expect, lambda: clear(site))


def accelerator_switch(scratch: Path) -> str | None:
    """Why the `accelerate = false` row cannot run here, or None when it can.

    The row means something only when the accelerator is installed (else every build runs
    without it) and this site_builder knows the key (else it warns CFG002 and builds as usual).
    """
    probe = subprocess.run([sys.executable, "-c", "import markdown_it_pyrs"], capture_output=True)
    if probe.returncode != 0:
        return "markdown_it_pyrs is not importable: every build already runs without it"
    site = scratch / "probe-accelerate"
    shutil.rmtree(site, ignore_errors=True)
    (site / "content").mkdir(parents=True)
    (site / "site.toml").write_text(SITE_TOML.format(search="false") + NO_ACCELERATOR_TOML)
    result = subprocess.run(
        [sys.executable, "-m", "site_builder", "check", "--root", str(site)],
        capture_output=True,
        text=True,
        check=False,
    )
    shutil.rmtree(site, ignore_errors=True)
    said = [line for line in (result.stdout + result.stderr).splitlines() if "accelerate" in line]
    if said:
        return f"this site_builder does not take [markdown] accelerate: {said[0].strip()}"
    return None


class Recorder:
    """The samples of one corpus size, per row and run, and each row's checked output."""

    def __init__(self, posts: int) -> None:
        self.posts = posts
        self.labels: dict[str, str] = {}
        self.samples: dict[str, dict[int, Sample]] = {}
        self.outputs: dict[str, dict[str, object]] = {}

    def add(self, key: str, label: str, run: int, sample: Sample) -> None:
        self.labels[key] = label
        self.samples.setdefault(key, {})[run] = sample

    def build(self, build: Build, run: int) -> None:
        build.before()
        self.add(build.key, build.label, run, timed(build.command))
        problems = build.expect(build.output, self.posts)
        if problems:
            raise SystemExit(
                f"bench: {build.label} at N={self.posts}: its output ({build.output}) is not "
                f"the work the row claims: {'; '.join(problems)}"
            )
        files, size = tree_size(build.output)
        self.outputs[build.key] = {
            "files": files,
            "bytes": size,
            "feeds": len(feed_files(build.output)),
        }

    def rows(self) -> dict[str, dict[str, object]]:
        rows: dict[str, dict[str, object]] = {}
        for key, by_run in self.samples.items():
            row: dict[str, object] = {"label": self.labels[key]}
            row.update(summarise(list(by_run.values())))
            row["walls_by_run"] = {run: sample.wall for run, sample in by_run.items()}
            row.update(self.outputs.get(key, {}))
            rows[key] = row
        return rows


def our_incremental(site: Path, run: int, record: Recorder) -> None:
    """No-op, two one-post edits and a template edit, on the site the cold row just built."""
    command = our_command(site)
    post = sorted((site / "content" / "posts").glob("*.md"))[0]
    template = site / "themes" / "default" / "templates" / "post.html"
    original_post, original_template = post.read_text(), template.read_text()
    try:
        record.add("ours_noop", "site_builder no-op", run, timed(command))
        post.write_text(original_post + f"\nOne more sentence, edit number {run}.\n")
        record.add("ours_post_edit", "site_builder post edit", run, timed(command))
        # The first edit after a cold build also hard-links the whole site into the spare tree
        # (see staging.py); from the second one on, only what changed is written.
        post.write_text(original_post + f"\nAnother sentence, edit number {run}.\n")
        record.add("ours_post_edit_again", "site_builder post edit again", run, timed(command))
        template.write_text(original_template + f"\n<!-- template edit {run} -->\n")
        record.add("ours_template_edit", "site_builder template edit", run, timed(command))
    finally:
        post.write_text(original_post)
        template.write_text(original_template)


def bench_size(args: argparse.Namespace, posts: int, peers: list[str]) -> dict[str, object]:
    """Lay out every row's site for `posts` (untimed), run them interleaved, report."""
    corpus = make_corpus(args.scratch, posts)
    notes: dict[str, str] = {}
    site = make_site(args.scratch, corpus, posts, args.search)
    nofeeds = make_site(args.scratch, corpus, posts, args.search, "nofeeds", NO_FEEDS_TOML)
    cold = [
        our_cold("ours_cold", "site_builder cold (defaults)", site, ours_expect),
        our_cold(
            "ours_nofeeds",
            "site_builder cold, no feeds but /atom.xml",
            nofeeds,
            ours_no_feeds_expect,
        ),
    ]
    why_not = accelerator_switch(args.scratch)
    if why_not is None:
        noaccel = make_site(
            args.scratch, corpus, posts, args.search, "noaccel", NO_ACCELERATOR_TOML
        )
        cold.insert(
            1,
            our_cold("ours_noaccel", "site_builder cold, accelerate = false", noaccel, ours_expect),
        )
    else:
        notes["ours_noaccel"] = f"row skipped: {why_not}"
        print(f"bench: the accelerate = false row is skipped: {why_not}", file=sys.stderr)
    theirs = peer_builds(peers, corpus, args.scratch, posts)
    hugo = [b for b in theirs if b.key.startswith("hugo")]
    pelican = [b for b in theirs if b.key.startswith("pelican")]
    if posts > args.pelican_max_posts and pelican:
        notes["pelican_feeds"] = (
            f"Pelican not run at N={posts} (--pelican-max-posts {args.pelican_max_posts})"
        )
        pelican = []
    block = [cold[0], *hugo, *cold[1:]]
    record = Recorder(posts)
    for run in range(args.runs):
        for build in block if run % 2 == 0 else block[::-1]:
            record.build(build, run)
        our_incremental(site, run, record)
        if run < args.pelican_runs:
            for build in pelican if run % 2 == 0 else pelican[::-1]:
                record.build(build, run)
        print(f"bench: N={posts} run {run + 1}/{args.runs} done", file=sys.stderr)
    rows = record.rows()
    result: dict[str, object] = {"rows": rows, "notes": notes}
    if args.dockerfile_overhead:
        timings, pairs = dockerfile_overhead(site, args.runs)
        rows["ours_cold_no_dockerfile_check"] = {
            "label": "site_builder cold, no Dockerfile check",
            **timings,
        }
        result["dockerfile_check_overhead"] = statistics.median(pairs)
        result["dockerfile_check_overhead_pairs"] = pairs
    add_ratios(rows, posts)
    print_rows(posts, args.runs, rows)
    for note in notes.values():
        print(f"note: {note}")
    print(
        "note: the no-feed row of ours still writes /atom.xml (20 newest posts; no setting turns"
        " it off); it omits feed.json and the Atom feed of each tag"
    )
    overhead = result.get("dockerfile_check_overhead")
    if isinstance(overhead, float):
        print(
            f"Dockerfile checks add {overhead:.1%} to a cold build at N={posts} "
            "(median over pairs of cold builds with and without them)"
        )
    checks = targets(posts, rows, notes)
    for check in checks:
        print(check["line"])
    result["checks"] = checks
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--posts", type=int, action="append", help="corpus size (repeatable; default 1000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="interleaved runs (median reported)")
    parser.add_argument(
        "--peers", default="hugo,pelican", help="comma-separated peers to run ('' for none)"
    )
    parser.add_argument("--pelican-runs", type=int, default=1, help="runs that include Pelican")
    parser.add_argument(
        "--pelican-max-posts",
        type=int,
        default=1000,
        help="run Pelican only at corpus sizes up to this (default 1000: ~1-2 min a build at 5000)",
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
    peers, missing = available_peers([p for p in args.peers.split(",") if p])
    for note in missing:
        print(f"bench: {note}", file=sys.stderr)
    args.scratch.mkdir(parents=True, exist_ok=True)
    byte_compile_tool()
    report: dict[str, object] = {
        "runs": args.runs,
        "pelican_runs": args.pelican_runs,
        "cpus": os.cpu_count(),
        "denominator": "hugo_feeds: Hugo's cold build with its default outputs, same run",
        "results": {str(posts): bench_size(args, posts, peers) for posts in sizes},
    }
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

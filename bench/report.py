"""How `bench/run.py` prints a corpus size's rows and judges them against the issue's targets.

Every ratio is a row's wall time over Hugo's cold build with its default outputs in the same
run (`DENOMINATOR`), the median over the runs in which both ran; the targets (issue 24) are
checked on those figures and printed one line each, met or not met, with the numbers.
"""

from __future__ import annotations

import math
import statistics

DENOMINATOR = "hugo_feeds"

Row = dict[str, object]


def _f(row: Row, key: str) -> float:
    value = row.get(key)
    return float(value) if isinstance(value, int | float) else math.nan


def per_run_ratio(rows: dict[str, Row], top: str, bottom: str) -> float:
    """Median over the runs of `top`'s wall / `bottom`'s wall in that same run."""
    tops, bottoms = rows.get(top, {}).get("walls_by_run"), rows.get(bottom, {}).get("walls_by_run")
    if not isinstance(tops, dict) or not isinstance(bottoms, dict):
        return math.nan
    ratios = [tops[run] / bottoms[run] for run in tops if run in bottoms]
    return statistics.median(ratios) if ratios else math.nan


def add_ratios(rows: dict[str, Row], posts: int) -> None:
    for key, row in rows.items():
        row["ratio_to_hugo_default_outputs"] = per_run_ratio(rows, key, DENOMINATOR)
        row["posts_per_s"] = posts / _f(row, "median_s")


def print_rows(posts: int, runs: int, rows: dict[str, Row]) -> None:
    hugo = rows.get(DENOMINATOR)
    denominator = (
        f"Hugo cold, default outputs ({_f(hugo, 'median_s'):.2f} s median)"
        if hugo
        else "none (Hugo not run: ratios are nan)"
    )
    print(f"\nN={posts}, up to {runs} runs per row, interleaved; whole processes, median wall")
    print(f"ratio = row / {denominator}, per run, median over the runs")
    print(
        f"{'build':<44}{'runs':>5}{'median s':>10}{'min-max s':>14}{'posts/s':>9}{'ratio':>7}"
        f"{'PSS MiB':>9}{'RSS MiB':>9}{'files':>8}{'MiB out':>9}{'feeds':>7}"
    )
    for row in rows.values():
        spread = f"{_f(row, 'min_s'):.2f}-{_f(row, 'max_s'):.2f}"
        files = row.get("files")
        written = f"{_f(row, 'bytes') / 2**20:.1f}" if files is not None else "-"
        print(
            f"{row['label']!s:<44}{row['runs']!s:>5}{_f(row, 'median_s'):>10.2f}{spread:>14}"
            f"{_f(row, 'posts_per_s'):>9.0f}{_f(row, 'ratio_to_hugo_default_outputs'):>7.2f}"
            f"{_f(row, 'peak_pss_tree_mib'):>9.0f}{_f(row, 'peak_rss_process_mib'):>9.0f}"
            f"{files if files is not None else '-'!s:>8}{written:>9}"
            f"{row.get('feeds', '-')!s:>7}"
        )


def _check(name: str, value: float, limit: float, below: bool, detail: str) -> dict[str, object]:
    """Judge `value` against `limit`: at most it (`below`; strictly when `name` says '<'), or at
    least it."""
    if math.isnan(value):
        met: bool | None = None
    elif below:
        met = value < limit if " < " in name else value <= limit
    else:
        met = value >= limit
    word = {True: "met", False: "NOT MET", None: "not measured"}[met]
    return {"target": name, "met": met, "line": f"check {name}: {word} ({detail})"}


def targets(posts: int, rows: dict[str, Row], notes: dict[str, str]) -> list[dict[str, object]]:
    """The issue's targets that apply at `posts`, each judged on this run's rows."""
    checks = []
    hugo = _f(rows.get(DENOMINATOR, {}), "median_s")

    def against_hugo(key: str, name: str, limit: float) -> None:
        if key not in rows:
            checks.append(_check(name, math.nan, limit, True, notes.get(key, "row not run")))
            return
        ratio = per_run_ratio(rows, key, DENOMINATOR)
        seconds = _f(rows[key], "median_s")
        detail = f"{ratio:.2f}×: {seconds:.2f} s against Hugo's {hugo:.2f} s"
        checks.append(_check(name, ratio, limit, True, detail))

    at = f"N={posts}"
    against_hugo("ours_cold", f"{at} cold build ≤ 0.9× Hugo (default outputs)", 0.9)
    against_hugo(
        "ours_noaccel",
        f"{at} cold build without the accelerator ≤ 1.0× Hugo (default outputs)",
        1.0,
    )
    against_hugo("ours_noop", f"{at} no-op rebuild ≤ 0.05× Hugo (default outputs)", 0.05)
    if posts == 1000:
        name = f"{at} ≥ 4× faster than Pelican with its default feeds"
        if "pelican_feeds" in rows:
            speedup = 1 / per_run_ratio(rows, "ours_cold", "pelican_feeds")
            detail = (
                f"{speedup:.2f}×: Pelican {_f(rows['pelican_feeds'], 'median_s'):.2f} s, "
                f"ours {_f(rows['ours_cold'], 'median_s'):.2f} s"
            )
            checks.append(_check(name, speedup, 4.0, False, detail))
        else:
            checks.append(_check(name, math.nan, 4.0, False, "Pelican not run"))
    if posts == 5000:
        for key, what in (("ours_post_edit", "first"), ("ours_post_edit_again", "second")):
            seconds = _f(rows.get(key, {}), "median_s")
            slowest = _f(rows.get(key, {}), "max_s")
            detail = f"median {seconds:.2f} s, slowest {slowest:.2f} s"
            checks.append(
                _check(f"{at} one-post edit ({what}) < 1.5 s", seconds, 1.5, True, detail)
            )
        peaks = [
            (_f(row, "peak_pss_tree_mib"), str(row["label"]))
            for key, row in rows.items()
            if key.startswith("ours_") and key not in ("ours_noaccel", "ours_nofeeds")
        ]
        peak, label = max(peaks) if peaks else (math.nan, "-")
        checks.append(
            _check(
                f"{at} peak memory < 400 MiB",
                peak,
                400.0,
                True,
                f"{peak:.0f} MiB PSS over the process tree, in '{label}'",
            )
        )
    return checks

"""Growth measurements: the cost of some work at n and at 4n, in the same run.

A bound that is linear in the input shows as a ratio near 4; quadratic work shows as 16. The
tests assert the ratio, not a time, so a slow machine does not fail them and a fast one does
not hide a blow-up.
"""

from __future__ import annotations

import time
from collections.abc import Callable


def best_seconds(work: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of `repeat` runs of `work`, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def growth(work: Callable[[int], object], n: int, *, repeat: int = 3) -> tuple[float, float]:
    """Seconds for `work(n)` and `work(4 * n)`, after one warm-up run at n."""
    work(n)
    return best_seconds(lambda: work(n), repeat), best_seconds(lambda: work(4 * n), repeat)


def assert_linear(work: Callable[[int], object], n: int, *, at_most: float = 9.0) -> None:
    """Four times the input costs at most `at_most` times as much (quadratic work costs 16)."""
    small, large = growth(work, n)
    assert large < at_most * max(small, 1e-4), f"n: {small:.4f} s, 4n: {large:.4f} s"

"""A build stopped while its workers run (Ctrl-C, SIGTERM, SIGHUP) has no worker left by the
time the exception leaves `build`, whichever line it lands on.

A signal raises where the main thread happens to be: often in the loop that collects the
workers' results rather than inside the generator that owns the pool. The pool must still be
shut down before the build removes its staging tree, or a worker goes on writing into it and
recreates the folder (a leftover `.output.staging-*` beside `output/`, as CI once saw).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import post

from site_builder.pipeline import processing, produce
from site_builder.pipeline.phases import build
from site_builder.pipeline.workers import pool_map


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two workers for processing and for rendering, even for a small site."""
    from site_builder.cache import processed

    monkeypatch.setattr(processed, "default_workers", lambda: 2)
    monkeypatch.setattr(processing, "PARALLEL_FROM", 2)
    monkeypatch.setattr(produce, "PARALLEL_FROM", 2)


def interrupt_in(stage: str):  # type: ignore[no-untyped-def]
    """A progress callback that raises Ctrl-C once `stage` has its first results."""

    def progress(name: str, done: int, total: int) -> None:
        if name == stage and done > 0:
            raise KeyboardInterrupt

    return progress


def leftovers(root: Path) -> list[str]:
    return sorted(n for n in os.listdir(root) if n.startswith((".output.staging-", ".output.old-")))


@pytest.mark.timeout(120)
@pytest.mark.parametrize("stage", ["read", "write"])
def test_no_worker_outlives_a_stop_in_the_loop_that_collects_results(
    make_site, parallel, stage: str
) -> None:
    root = make_site(
        {
            "site.toml": 'base_url = "https://example.com/"\n',
            **{f"content/posts/p{i:02}.md": post(f"Post {i}") for i in range(40)},
        }
    )
    assert build(root, workers=2).published
    before = sorted(p.relative_to(root).as_posix() for p in (root / "output").rglob("*"))
    for i in range(40):
        (root / f"content/posts/p{i:02}.md").write_text(post(f"Edited {i}"), encoding="utf-8")
    try:
        build(root, workers=2, use_cache=False, progress=interrupt_in(stage))
    except KeyboardInterrupt:
        # the traceback (and with it the caller's frame) is still alive here: the pool must
        # not wait for it to be freed
        survivors = [p.pid for p in multiprocessing.active_children()]
        assert survivors == [], "a worker outlived the interrupted build"
    else:
        pytest.fail("the interrupt did not stop the build")
    assert leftovers(root) == []
    after = sorted(p.relative_to(root).as_posix() for p in (root / "output").rglob("*"))
    assert after == before
    assert b"Edited" not in (root / "output/posts/p00/index.html").read_bytes()


class Stopped(Exception):
    """What the test's SIGTERM handler raises (the CLI's raises `Terminated`)."""


def slow_square(number: int) -> int:
    time.sleep(0.3)
    return number * number


@pytest.mark.timeout(60)
def test_a_signal_held_while_the_workers_start_still_stops_them(monkeypatch) -> None:
    """The stop signals are held while the pool forks; one sent then arrives as the mask is
    restored, before the first result is awaited: the pool is already covered there."""
    original = ProcessPoolExecutor.submit

    def submit_and_signal(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        future = original(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGTERM)  # held until every item is submitted
        return future

    def stop(number: int, frame: object) -> None:
        raise Stopped

    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit_and_signal)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        context = multiprocessing.get_context("fork")
        with pytest.raises(Stopped):
            list(
                pool_map(
                    slow_square, range(6), 2, context, here=lambda rest: map(slow_square, rest)
                )
            )
        survivors = [p.pid for p in multiprocessing.active_children()]
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert survivors == [], "a worker outlived the stopped map"


def quick_square(number: int) -> int:
    time.sleep(0.05)
    return number * number


@pytest.mark.timeout(120)
def test_a_stopped_map_leaves_every_worker_reaped_and_recorded() -> None:
    """The pool's manager thread joins the killed workers as `pool_map` does: whichever of the
    two the kernel hands a worker's exit to, the worker is recorded as stopped by the time the
    map is closed (repeated: the two threads race, and a lost race once left one listed)."""
    context = multiprocessing.get_context("fork")
    listed: list[int] = []
    for _ in range(25):
        squares = pool_map(
            quick_square, range(8), 2, context, here=lambda rest: map(quick_square, rest)
        )
        assert next(squares) == 0
        squares.close()
        listed.extend(p.pid for p in multiprocessing.active_children())
    assert listed == [], "a killed worker was still listed as running after the map closed"

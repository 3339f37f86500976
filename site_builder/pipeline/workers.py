"""Worker processes that never outlive the build: started, tied to their parent, stopped.

`pool_map` runs a function over chunks of work in a process pool and yields the results in
order. Every worker first calls `tie_to_parent`: on Linux the kernel kills it when the build
process dies (`PR_SET_PDEATHSIG`, checked against the expected parent right after it is set,
which closes the race with a parent that died in between), and on every platform a watchdog
thread kills it once its parent is gone. So a build killed by any signal, SIGKILL included,
leaves no worker behind holding its stdout (`build-site | cat` would wait for them forever).
When the build itself stops early (an exception, Ctrl-C, SIGTERM), `pool_map` kills the
workers at once rather than letting them finish the queued work.

When the workers cannot be started (fork fails with EAGAIN or ENOMEM: no process to spare),
the ones started are killed, a one-line note says so, and the work is done in this process;
for `RETRY_SECONDS` after that, pools are not tried again (the rest of the build, or the next
rebuilds of the preview, go on in one process without another note).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # imported when a pool is started: a small edit never needs one
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

Item = TypeVar("Item")
Result = TypeVar("Result")

WATCH_SECONDS = 0.2  # how often a worker's watchdog looks for its parent
_PR_SET_PDEATHSIG = 1
RETRY_SECONDS = 30.0  # after a failed fork, pools are not tried again for this long
_failed_at: list[float] = []  # when starting workers last failed (monotonic)
STOP_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM, signal.SIGHUP})


def note(message: str) -> None:
    """One line on stderr about how the build runs (not about the site: no diagnostic)."""
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"build-site: note: {message}\n")
        sys.stderr.flush()


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back while workers are forked; they arrive just after.

    The build's signal handler raises, and at fork Python runs callbacks in which an exception
    is printed and dropped: a signal landing there was lost and the build went on. A forked
    worker inherits the held mask; `tie_to_parent` releases it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def tie_to_parent(parent: int, *, direct: bool = True) -> None:
    """In a worker, first thing: die with the build process `parent`.

    The signals the build handles are put back to their defaults (a forked worker inherits the
    build's handlers) and Ctrl-C is left to the build, which stops its workers itself. With
    `direct`, `parent` is this process's parent; otherwise (a fork server started it) the
    worker dies with the fork server, which exits with the build, and watches `parent` too.
    """
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)  # held while it was forked
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    ppid = os.getppid()
    if direct and ppid != parent:  # the parent died before the death signal was set
        os._exit(1)
    watched = None if direct else parent
    threading.Thread(
        target=_watch, args=(ppid, watched), daemon=True, name="site-builder-watchdog"
    ).start()


def _watch(ppid: int, build: int | None) -> None:  # pragma: no cover - in a worker
    """Kill this process as soon as its parent (or the build process `build`) is gone."""
    while True:
        time.sleep(WATCH_SECONDS)
        gone = os.getppid() != ppid
        if build is not None and not gone:
            try:
                os.kill(build, 0)
            except ProcessLookupError:
                gone = True
            except OSError:
                pass
        if gone:
            os.kill(os.getpid(), signal.SIGKILL)


def _start_worker(
    parent: int, direct: bool, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:  # pragma: no cover - in a worker
    tie_to_parent(parent, direct=direct)
    if initializer is not None:
        initializer(*initargs)


def pool_map(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    count: int,
    context: multiprocessing.context.BaseContext,
    *,
    here: Callable[[Sequence[Item]], Iterator[Result]],
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    meanwhile: Callable[[], object] | None = None,
) -> Generator[Result, None, None]:
    """`function` over `items` in `count` workers, the results in order. If the workers cannot
    be started, `here(items)` does the work in this process instead (after a note).
    `meanwhile` is called in this process once the workers have their work, before it waits
    for the first result: work this process would do later, done while it would only wait.

    Every item is submitted before the first result is yielded, so a pool that cannot start
    fails before any work is done. However this generator ends (exhausted, an exception in the
    caller, Ctrl-C, SIGTERM), no worker is left running.
    """
    from concurrent.futures import ProcessPoolExecutor

    if _failed_at and time.monotonic() - _failed_at[-1] < RETRY_SECONDS:
        yield from here(items)  # it failed a moment ago (the note said so): not again
        return
    direct = context.get_start_method() != "forkserver"
    pool: ProcessPoolExecutor | None = None
    futures: list[Future[Result]] = []
    finished = False
    # One try around all of it: a stop signal held while the workers start is delivered as the
    # mask is restored, inside `signals_held`, and must find the pool's workers already covered
    try:
        try:
            with signals_held():
                pool = ProcessPoolExecutor(
                    count,
                    mp_context=context,
                    initializer=_start_worker,
                    initargs=(os.getpid(), direct, initializer, initargs),
                )
                futures = [pool.submit(function, item) for item in items]
        except OSError as error:  # BlockingIOError (EAGAIN), ENOMEM, EMFILE: nothing done yet
            if pool is not None:
                _stop(pool)
                pool = None
            _failed_at[:] = [time.monotonic()]
            reason = error.strerror or type(error).__name__
            note(f"cannot start {count} worker processes ({reason}): working in one process")
            yield from here(items)
            return
        if meanwhile is not None:
            meanwhile()
        for future in futures:
            yield future.result()
        finished = True
    finally:
        if pool is not None:
            if finished:
                pool.shutdown(wait=True)
            else:
                _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers now and wait until they are reaped (they do nothing this
    process needs).

    The pool's manager thread sees the workers die and joins them too. Two threads waiting
    on one process race: the one the kernel gives the exit status to records it a moment
    later, and the other's `join` returns with the process still listed as running. So the
    manager thread is waited for, which leaves every worker's exit recorded.
    """
    table: dict[int, Any] = getattr(pool, "_processes", None) or {}
    processes = list(table.values())
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.kill()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError, AssertionError):
            process.join(5)
    manager = getattr(pool, "_executor_manager_thread", None)  # shutdown forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    if manager is not None and manager is not threading.current_thread():
        manager.join(5)

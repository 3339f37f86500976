"""`build-site`: the arguments to a command, and the last line of defence around it.

Exit codes: 0 ok (warnings allowed), 1 errors (or warnings under `--strict`, or an internal
error), 2 usage, 129 hung up (SIGHUP), 130 interrupted (Ctrl-C), 141 stdout closed early
(`| head`), 143 terminated (SIGTERM: `kill`, `timeout`, a supervisor).

SIGTERM and SIGHUP are handled as Ctrl-C is: the signal raises `Terminated` (a
KeyboardInterrupt) in the main thread, so the build unwinds the same way: its workers are
killed, its staging folder removed, `output/` left as the previous build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import shlex
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import NoReturn

from ..pipeline.phases import BuildOptions
from ..version import __version__
from .arguments import COMMANDS, make_parser
from .build import build_command
from .check import check_command


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP arrived: the build stops as for Ctrl-C, with exit code 128 + signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


STOP_SIGNALS = {signal.SIGTERM: "terminated", signal.SIGHUP: "hung up"}
_received: list[int] = []  # the stop signals this process got (a late one may end the build)


def _on_stop_signal(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)
    if len(_received) == 1:  # a second signal must not cut short the cleanup of the first
        raise Terminated(signum)


@contextlib.contextmanager
def _stop_signals() -> Iterator[None]:
    """SIGTERM and SIGHUP raise `Terminated` while `main` runs (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _on_stop_signal) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `build-site`; the exit code. Never a traceback: Ctrl-C is exit 130 with one line,
    SIGTERM 143 and SIGHUP 129 likewise, a closed stdout pipe (`| head`) exits quietly with
    141, and a bug in site_builder is exit 1 with one line naming the crash log (full
    traceback) in the system temp folder."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    del _received[:]
    try:
        with _stop_signals():
            code = _main(args_list)
            sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        if _received:  # the signal's exception was dropped (Python drops some): still stopped
            return _stopped(_received[0])
        return code
    except Terminated as stop:
        return _stopped(stop.signum)
    except KeyboardInterrupt:
        _say("build-site: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away; point stdout/stderr at devnull so nothing is printed at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                os.dup2(devnull, stream.fileno())
        return 141  # 128 + SIGPIPE, as for any tool a shell pipeline cuts short
    except Exception as error:  # noqa: BLE001 - the last resort: a bug becomes one line
        if _received:  # the signal's exception was swallowed, and this is what followed
            return _stopped(_received[0])
        _say(crash_line(error, ["build-site", *args_list]))
        return 1


def _stopped(signum: int) -> int:
    _say(f"build-site: {STOP_SIGNALS.get(signal.Signals(signum), 'stopped')}")
    return 128 + signum


def run() -> NoReturn:
    """The `build-site` command: `main`, then an immediate exit with its code.

    When `main` returns, every file is written and closed and every worker has been joined;
    what is left is freeing the build's objects one by one at interpreter exit, a fifth of a
    second on a 5,000-post site, for nothing. So the streams are flushed and the process ends
    with `os._exit` (site_builder registers no exit handlers).
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def crash_line(error: BaseException, argv: Sequence[str]) -> str:
    """Write the crash log (traceback, version, argv, Python) to the temp folder; the one line
    telling the user about it. The log never goes into the site."""
    import platform  # only after a crash

    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = Path(tempfile.gettempdir()) / f"site_builder-crash-{stamp}-{os.getpid()}.log"
    log = (
        f"site_builder {__version__} internal error\n"
        f"argv: {shlex.join(argv)}\n"
        f"python: {sys.version.replace(chr(10), ' ')} ({sys.executable})\n"
        f"platform: {platform.platform()}\n"
        f"cwd: {os.getcwd()}\n\n" + "".join(traceback.format_exception(error))
    )
    try:
        with open(path, "x", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(log)  # "x": never through a link planted in a shared temp folder
        where = f"details in {path}"
    except OSError as problem:
        where = f"no details: cannot write {path}: {problem.strerror or problem}"
    message = " ".join(str(error).split())
    if len(message) > 300:
        message = message[:299] + "…"
    return (
        f"build-site: internal error (this is a bug in site_builder): "
        f"{type(error).__name__}: {message}; {where}"
    )


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)


def _main(args_list: list[str]) -> int:
    if args_list[:1] == ["dockerfile"]:
        from ..dockerfile.cli import main as dockerfile_main

        return dockerfile_main(args_list[1:])
    if not args_list or (
        args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "build")
    parser = make_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if not args.root.is_dir():
        print(
            f"build-site: error: site root '{args.root}' is not a folder",
            file=sys.stderr,
        )
        return 2
    if args.command == "new":
        from .new import new_command

        return new_command(args)
    if args.command == "measure":
        from .measure import measure_command

        return measure_command(args)
    if args.command == "serve":
        from ..serve import run

        return run(args)
    # A one-shot build keeps what it allocates until it exits: cyclic garbage collection would
    # only walk it (`pipeline.phases.paused_gc` says more), so it is off for the rest of this
    # process.
    gc.disable()
    options = BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict)
    if args.command == "check":
        return check_command(args, options)
    return build_command(args, dataclasses.replace(options, publishing=True))

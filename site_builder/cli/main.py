"""The `build-site` command line: build (default), check, new, serve, dockerfile.

Exit codes: 0 ok (warnings allowed), 1 errors (or warnings under `--strict`, or an internal
error), 2 usage, 130 interrupted (Ctrl-C), 141 stdout closed early (`| head`).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import shlex
import sys
import tempfile
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..build.phases import BuildOptions, build, load
from ..config.load import load_config
from ..diagnostics.diagnostic import Collector, Severity
from ..diagnostics.report import (
    summary,
    terminal_width,
    use_color,
    write_json,
    write_report,
    write_text,
)
from ..version import __version__
from .progress import ProgressBar

COMMANDS = ("build", "check", "new", "serve", "dockerfile")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="site root (default: .)")
    parser.add_argument("--drafts", action="store_true", help="include posts with published: false")
    parser.add_argument("--future", action="store_true", help="include posts dated in the future")
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build-site",
        description="Build a static blog from Markdown, checking every Dockerfile in it.",
    )
    parser.add_argument("--version", action="version", version=f"site_builder {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    b = sub.add_parser("build", help="build and publish the site (default)")
    _common(b)
    b.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore the build cache (.site-cache/): a cold build from scratch",
    )
    b.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=None,
        help="worker processes (default: one per core; 1: no workers)",
    )
    b.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c = sub.add_parser("check", help="report every problem without writing anything")
    _common(c)
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c.add_argument(
        "--external",
        action="store_true",
        help="also check http(s) links over the network (cached in .site-cache/)",
    )
    s = sub.add_parser("serve", help="preview the site with live reload")
    _common(s)
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument(
        "--port",
        type=_port,
        default=None,
        help="port to listen on; 0 picks a free one (default: 8000, else the next free one)",
    )
    s.add_argument("--open", action="store_true", help="open the site in a browser")
    sub.add_parser(
        "dockerfile",
        help="check Dockerfiles on disk (build-site dockerfile --help)",
        add_help=False,
    )
    n = sub.add_parser("new", help="scaffold a new post")
    n.add_argument("title")
    n.add_argument("--tags", default="", help="comma-separated tags")
    n.add_argument("--root", type=Path, default=Path("."))
    return parser


def _jobs(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of workers (1 or more)")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `build-site`; the exit code. Never a traceback: Ctrl-C is exit 130 with one line, a
    closed stdout pipe (`| head`) exits quietly with 141, and a bug in site_builder is exit 1
    with one line naming the crash log (full traceback) in the system temp folder."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _main(args_list)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
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
        _say(crash_line(error, ["build-site", *args_list]))
        return 1


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
        return _new(args)
    if args.command == "serve":
        from ..serve import run

        return run(args)
    # A one-shot build keeps what it allocates until it exits: cyclic garbage collection would
    # only walk it (`build.paused_gc` says more), so it is off for the rest of this process.
    gc.disable()
    options = BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict)
    if args.command == "check":
        return _check(args, options)
    return _build(args, options)


def _build(args: argparse.Namespace, options: BuildOptions) -> int:
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and not args.quiet else None
    try:
        result = build(
            args.root, options, workers=args.jobs, use_cache=not args.no_cache, progress=bar
        )
    finally:
        if bar is not None:
            bar.clear()
    limit = result.config.limits.max_diagnostics
    write_report(
        result.diagnostics,
        sys.stderr,
        root=result.config.root,
        color=use_color(sys.stderr, args.color),
        limit=limit,
        minimum=Severity.ERROR if args.quiet else Severity.WARNING,
        width=terminal_width(sys.stderr),
    )
    failed = not result.published
    skipped = result.skipped
    notes = []
    if skipped.drafts:
        notes.append(
            f"{skipped.drafts} draft{'s' if skipped.drafts != 1 else ''} skipped (--drafts)"
        )
    if skipped.future:
        notes.append(
            f"{skipped.future} future post{'s' if skipped.future != 1 else ''} skipped (--future)"
        )
    extra = f"; {', '.join(notes)}" if notes else ""
    if failed:
        reason = (
            "warnings are errors under --strict"
            if options.strict and not _has_errors(result.diagnostics)
            else "nothing was written"
        )
        print(
            f"build-site: build failed: {summary(result.diagnostics)}; {reason}",
            file=sys.stderr,
        )
        return 1
    if not args.quiet:
        output = result.config.output_dir
        if result.unchanged:
            done = f"nothing changed: {output}/ is up to date ({result.files} files)"
        else:
            kept = result.files - result.written
            done = (
                f"published {result.files} files to {output}/ "
                f"({result.written} written, {kept} unchanged)"
            )
        print(
            f"build-site: {done} in {result.seconds:.2f} s ({summary(result.diagnostics)}{extra})",
            file=sys.stderr,
        )
    return 0


def _has_errors(diagnostics: Sequence[object]) -> bool:
    return any(getattr(d, "severity", None) is Severity.ERROR for d in diagnostics)


def _check(args: argparse.Namespace, options: BuildOptions) -> int:
    result = load(args.root, options)
    diagnostics = list(result.diagnostics)
    if args.external and result.site is not None:
        import time

        from ..checks.external import with_external

        diagnostics = with_external(result.config, result.site, diagnostics, now=time.time())
    if args.format == "json":
        write_json(diagnostics, sys.stdout)
    else:
        write_report(
            diagnostics,
            sys.stdout,
            root=result.config.root,
            color=use_color(sys.stdout, args.color),
            minimum=Severity.ERROR if args.quiet else Severity.INFO,
            width=terminal_width(sys.stdout),
        )
        drafts = result.skipped.drafts
        plural = "s" if drafts != 1 else ""
        note = f"; {drafts} draft{plural} not checked (--drafts)" if drafts else ""
        print(f"build-site check: {summary(diagnostics, include_info=True)}{note}", file=sys.stderr)
    failed = result.fails(options.strict) or Collector(diagnostics).fails(strict=options.strict)
    return 1 if failed else 0


def _new(args: argparse.Namespace) -> int:
    from .new import new_post

    config, problems = load_config(args.root)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        write_text(errors, sys.stderr)
        return 1
    tags = [t.strip() for t in args.tags.split(",") if t.strip()]
    try:
        path = new_post(config, args.title, tags)
    except FileExistsError as error:
        print(
            f"build-site new: {error.filename} already exists; choose another title",
            file=sys.stderr,
        )
        return 1
    except ValueError as error:
        print(f"build-site new: {error}", file=sys.stderr)
        return 2
    print(f"created {path.relative_to(config.root)} (a draft: set 'published: true' to publish it)")
    return 0

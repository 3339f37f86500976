"""The `build-site` command line: build (default), check, new, serve, dockerfile.

Exit codes: 0 ok (warnings allowed), 1 errors (or warnings under `--strict`), 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .build import BuildOptions, build, load
from .config import load_config
from .diagnostics import Collector, Severity
from .report import summary, terminal_width, use_color, write_json, write_report, write_text

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
    s.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    s.add_argument(
        "--port",
        type=_port,
        default=None,
        help="port to listen on; 0 picks a free one (default: 8000, else the next free one)",
    )
    s.add_argument("--open", action="store_true", help="open the site in a browser")
    n = sub.add_parser("new", help="scaffold a new post")
    n.add_argument("title")
    n.add_argument("--tags", default="", help="comma-separated tags")
    n.add_argument("--root", type=Path, default=Path("."))
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"'{text}' is not a port number (0-65535)")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["dockerfile"]:
        from .dockerfile.cli import main as dockerfile_main

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
        from .serve import run

        return run(args)
    options = BuildOptions(drafts=args.drafts, future=args.future, strict=args.strict)
    if args.command == "check":
        return _check(args, options)
    return _build(args, options)


def _build(args: argparse.Namespace, options: BuildOptions) -> int:
    result = build(args.root, options)
    limit = result.load.config.limits.max_diagnostics
    write_report(
        result.diagnostics,
        sys.stderr,
        root=result.load.config.root,
        color=use_color(sys.stderr, args.color),
        limit=limit,
        minimum=Severity.ERROR if args.quiet else Severity.WARNING,
        width=terminal_width(sys.stderr),
    )
    failed = not result.published
    skipped = result.load.skipped
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
        print(
            f"build-site: published {result.pages} files to {result.load.config.output_dir}/ "
            f"in {result.seconds:.2f} s ({summary(result.diagnostics)}{extra})",
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

        from .checks.external import with_external

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
    from .scaffold import new_post

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

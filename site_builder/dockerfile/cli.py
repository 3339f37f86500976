"""`build-site dockerfile PATH...`: the standalone Dockerfile checker.

    build-site dockerfile Dockerfile docs/*.Dockerfile [--format text|json|sarif|ast]
                          [--no-hints] [--list-rules]

Exit status: 0 when nothing fails the build (warnings and hints allowed), 1 when any file has
an error, 2 for a usage error (bad option, no path, missing file). A file is read as BuildKit
reads it, as bytes: one that is not UTF-8 (a Latin-1 comment) is checked, each such byte kept
as it is (dumped as `\\xe9`); a file that cannot be read is a DF050 diagnostic, not a
traceback. `-` reads standard input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..diagnostics.printable import printable, printable_lines
from .api import check_dockerfile
from .codes import diag
from .dump import dump
from .formats import format_json, format_rules, format_sarif, format_text
from .nodes import Span
from .parser import parse

PROG = "build-site dockerfile"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error quoting an argument prints it `printable()`."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {printable(message)}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Check Dockerfiles the way BuildKit parses them.")
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="Dockerfiles to check (- for stdin)"
    )
    parser.add_argument("--format", choices=("text", "json", "sarif", "ast"), default="text")
    parser.add_argument("--no-hints", action="store_true", help="leave out the DH size/cache hints")
    parser.add_argument(
        "--list-rules", action="store_true", help="print every code with its severity and fix"
    )
    return parser


def _read(path: str, stdin: TextIO) -> tuple[str | None, Diagnostic | None]:
    try:
        if path == "-":
            buffer = getattr(stdin, "buffer", None)
            if buffer is None:
                return stdin.read(), None
            data = buffer.read()
        else:
            data = Path(path).read_bytes()
    except OSError as exc:
        problem = diag("DF050", f"cannot read the file: {exc.strerror or exc}", Span(1, 1, 1, 1))
        return None, problem
    # BuildKit reads bytes: a byte that is not UTF-8 (a Latin-1 comment) passes through. Each
    # such byte is kept as a lone surrogate, so the AST dump shows it as BuildKit's does.
    return data.decode("utf-8", "surrogateescape"), None


def main(
    argv: Sequence[str],
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    """Run the checker on `argv` (the arguments after `dockerfile`); returns the exit status."""
    out, err, inp = stdout or sys.stdout, stderr or sys.stderr, stdin or sys.stdin
    parser = _parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:
        return 0 if exc.code in (0, None) else 2
    if args.list_rules:
        out.write(format_rules(args.format))
        return 0
    if not args.paths:
        parser.print_usage(err)
        err.write(f"{PROG}: error: give at least one Dockerfile path\n")
        return 2
    for path in args.paths:
        if path != "-" and not Path(path).is_file():
            reason = "is a directory" if Path(path).is_dir() else "no such file"
            err.write(f"{PROG}: error: {printable(path)}: {reason}\n")
            return 2
    found: list[Diagnostic] = []
    dumps: list[str] = []
    for path in args.paths:
        name = "<stdin>" if path == "-" else path
        text, problem = _read(path, inp)
        if text is None:
            assert problem is not None
            found.append(problem.shifted(name, 0))
            continue
        report = check_dockerfile(text, path=name, hints=not args.no_hints)
        found.extend(report.diagnostics)
        if args.format == "ast":
            header = f"# {printable(name)}\n" if len(args.paths) > 1 else ""
            dumps.append(header + printable_lines(dump(parse(text))))  # keywords are unquoted
    if args.format == "ast":
        out.write("".join(dumps))
        err.write(format_text(d for d in found if d.severity is Severity.ERROR))
    elif args.format == "json":
        out.write(format_json(found))
    elif args.format == "sarif":
        out.write(format_sarif(found))
    else:
        out.write(format_text(found))
    errors = sum(1 for d in found if d.severity is Severity.ERROR)
    warnings = sum(1 for d in found if d.severity is Severity.WARNING)
    infos = len(found) - errors - warnings
    files = len(args.paths)
    err.write(
        f"{files} file{'s' if files != 1 else ''} checked: {errors} error(s), {warnings} "
        f"warning(s), {infos} info\n"
    )
    return 1 if errors else 0

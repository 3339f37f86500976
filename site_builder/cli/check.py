"""`build-site check`: phase 1 and an in-memory render, every problem reported, nothing written."""

from __future__ import annotations

import argparse
import sys

from ..diagnostics.diagnostic import Collector, Severity
from ..diagnostics.report import summary, terminal_width, use_color, write_json, write_report
from ..pipeline.phases import BuildOptions, load


def check_command(args: argparse.Namespace, options: BuildOptions) -> int:
    """`build-site check`: every problem, nothing written (`--external` checks links too)."""
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

"""`build-site measure [NAME...]`: build the examples with Docker, record their sizes.

Progress is one line per example on stderr; problems are reported as `check` reports them;
the exit status is 1 when an example failed to build or Docker could not be reached.
"""

from __future__ import annotations

import argparse
import sys

from ..diagnostics.diagnostic import Severity
from ..diagnostics.report import summary, terminal_width, use_color, write_report
from ..pipeline.measure import measure


def measure_command(args: argparse.Namespace) -> int:
    """Measure the examples named on the command line (all when none are)."""
    result = measure(args.root, list(args.names), _say, force=args.force)
    if result.diagnostics:
        write_report(
            list(result.diagnostics),
            sys.stdout,
            root=args.root.resolve(),
            color=use_color(sys.stdout, args.color),
            minimum=Severity.INFO,
            width=terminal_width(sys.stdout),
        )
    for name, tail in result.tails:
        _say(f"--- the last lines of the build of examples/{name} ---\n{tail}\n---")
    done = []
    if result.measured:
        done.append(f"{len(result.measured)} measured")
    if result.unchanged:
        done.append(f"{len(result.unchanged)} unchanged")
    if result.failed:
        done.append(f"{len(result.failed)} failed")
    where = "measurements.json written" if result.written else "measurements.json unchanged"
    said = ", ".join(done) or summary(list(result.diagnostics), include_info=True)
    _say(f"build-site measure: {said}; {where}")
    return 0 if result.ok else 1


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)

"""`build-site [build]`: build and publish the site, with the report and a one-line summary."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..diagnostics.report import summary, terminal_width, use_color, write_report
from ..pipeline.phases import BuildOptions, build
from .progress import ProgressBar


def build_command(args: argparse.Namespace, options: BuildOptions) -> int:
    """`build-site [build]`: build and publish, report, and say what was published."""
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
    notes.extend(_search_note(result.config.search.enabled, result.diagnostics))
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


def _search_note(enabled: bool, diagnostics: Sequence[Diagnostic]) -> list[str]:
    """What the build did about search, for the summary line (nothing when it is turned off)."""
    found = {d.code for d in diagnostics}
    if "SRCH001" in found:
        return ["no search: Pagefind cannot run (SRCH001)"]
    if "SRCH002" in found:
        return ["no search index: Pagefind failed (SRCH002)"]
    return ["search index built"] if enabled else []


def _has_errors(diagnostics: Sequence[object]) -> bool:
    return any(getattr(d, "severity", None) is Severity.ERROR for d in diagnostics)

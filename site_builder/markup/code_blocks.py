"""Code blocks in posts: info-string options, highlighting, and the Dockerfile check.

Every `dockerfile` / `docker` / `containerfile` block is checked with our BuildKit-exact checker;
its findings are relocated to the .md line and column of the offending Dockerfile line, and a
short, accessible note under the block says whether it builds and lists the hints. A block meant
to show a mistake opts out with `{check=false}`, or declares the codes it must produce with
`{expect-error="DF001"}` (the build fails if they do not occur).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ..config.schema import DockerfileConfig
from ..diagnostics.diagnostic import Diagnostic, Severity
from ..dockerfile import DockerfileReport, check_dockerfile
from .fence_info import FenceInfo, parse_info
from .highlight import code_block_html, is_dockerfile
from .outline import CodeBlock


@dataclass(frozen=True, slots=True)
class CodeOptions:
    check_dockerfiles: bool = True
    dockerfile_hints: bool = True
    dockerfile_note: bool = True

    @classmethod
    def from_config(cls, config: DockerfileConfig) -> CodeOptions:
        return cls(config.check, config.hints, config.note)


@dataclass(frozen=True, slots=True)
class RenderedCode:
    """One code block's HTML, its problems, and whether it is a Dockerfile our parser accepted."""

    html: str
    diagnostics: tuple[Diagnostic, ...]
    accepted_dockerfile: bool = False


class CodeRenderer:
    """Renders one code block to HTML and reports what is wrong with it."""

    def __init__(self, options: CodeOptions) -> None:
        self.options = options

    def render(self, path: str, block: CodeBlock) -> RenderedCode:
        info = parse_info(block.info)
        found: list[Diagnostic] = []
        for problem in info.problems:
            found.append(
                Diagnostic(path, block.line, block.column, Severity.WARNING, "MD002", problem)
            )
        if not block.closed:
            found.append(
                Diagnostic(
                    path,
                    block.line,
                    block.column,
                    Severity.WARNING,
                    "MD001",
                    f"code fence opened at line {block.line} is never closed",
                    hint="add the closing ``` line after the code",
                )
            )
        footer = ""
        accepted = False
        if is_dockerfile(info.language) and info.check and self.options.check_dockerfiles:
            # positions relative to the block, without a path: `shifted` gives both at once
            report = check_dockerfile(block.code, path="", hints=self.options.dockerfile_hints)
            relocated = [
                d.shifted(path, block.body_line - 1, block.column - 1) for d in report.diagnostics
            ]
            relocated = self._apply_expectations(path, block, info, relocated)
            found.extend(relocated)
            accepted = report.ok
            if self.options.dockerfile_note:
                footer = _note(report, info, block, relocated)
        return RenderedCode(code_block_html(block.code, info, footer), tuple(found), accepted)

    @staticmethod
    def _apply_expectations(
        path: str, block: CodeBlock, info: FenceInfo, found: list[Diagnostic]
    ) -> list[Diagnostic]:
        """Expected errors become info; an expected code that did not occur is an error."""
        if not info.expect_errors:
            return found
        expected = set(info.expect_errors)
        result = [d.with_severity(Severity.INFO) if d.code in expected else d for d in found]
        codes = {d.code for d in found}
        for code in info.expect_errors:
            if code not in codes:
                result.append(
                    Diagnostic(
                        path,
                        block.line,
                        block.column,
                        Severity.ERROR,
                        "MD003",
                        f"expected Dockerfile problem {code} did not occur",
                        hint="fix the example so it shows the mistake, or remove expect-error",
                    )
                )
        return result


def _note(
    report: DockerfileReport, info: FenceInfo, block: CodeBlock, found: list[Diagnostic]
) -> str:
    errors = [d for d in found if d.severity is Severity.ERROR]
    notes = [d for d in found if d.severity is not Severity.ERROR]
    if info.expect_errors and report.diagnostics and not errors:
        status, css = (
            "fails as intended (" + ", ".join(info.expect_errors) + ")",
            "expected",
        )
    elif errors or not report.ok:
        count = len(errors) or sum(1 for d in report.diagnostics if d.severity is Severity.ERROR)
        status, css = (
            f"would not build ({count} error{'s' if count != 1 else ''})",
            "errors",
        )
    else:
        status, css = "builds", "ok"
    summary = f"Dockerfile checked: {escape(status)}"
    if notes and not (info.expect_errors and css == "expected"):
        # "&#183;" (·) keeps our markup ASCII: an ASCII post's HTML, and the feeds that carry
        # it, then encode to UTF-8 by copying instead of character by character.
        summary += f" &#183; {len(notes)} hint{'s' if len(notes) != 1 else ''}"
    shown = errors + notes
    if not shown:
        return f'<p class="code-check {css}" role="note">{summary}</p>'
    items = "".join(
        f'<li><span class="code-check-line">line {d.line - block.body_line + 1}</span> '
        f"<code>{escape(d.code)}</code> {escape(d.message)}</li>"
        for d in shown
    )
    return (
        f'<details class="code-check {css}"><summary>{summary}</summary><ul>{items}</ul></details>'
    )

"""The Dockerfile check of a post's code blocks: which blocks are checked together, and what each
block was found to have, at its own .md lines.

A `dockerfile` / `docker` / `containerfile` block is checked alone, or, when blocks share a
`file=` name, together with the other parts of that file, in order (`dockerfile.roles`). Each
block's findings are moved to its .md line and column, `expect-error` is applied per block, and
the note under the block says what was checked: "Dockerfile checked: builds", "Dockerfile
fragment checked: no errors", `Dockerfile checked ("Dockerfile", part 2 of 3): builds`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from ..diagnostics.diagnostic import Diagnostic, Severity
from ..dockerfile.placeholders import Placeholders
from ..dockerfile.roles import check_block
from .fence_info import FenceInfo
from .outline import CodeBlock

Ranges = tuple[tuple[int, int], ...]
FRAGMENT_HINT = (
    "a fragment is checked for instruction syntax, flags and mounts, not for the rules about a "
    'whole stage; to check it with the rest of its file, give every part the same file="..." '
    "option"
)


@dataclass(frozen=True, slots=True)
class CheckedBlock:
    """One Dockerfile block's findings (in the .md file), its placeholders and its note."""

    diagnostics: tuple[Diagnostic, ...]
    placeholders: Ranges
    note: str  # the HTML under the block ("" with `[dockerfile] note = false`)
    accepted: bool  # a whole Dockerfile, alone in its block, that builds
    escape: str = "\\"  # the escape character the block is read with (a later part's is the
    # first part's `# escape=`): the highlighter reads it the same way
    marked: tuple[tuple[int, str], ...] = ()  # (line in the block, "error" / "hint") the note cites


def check_blocks(
    path: str,
    blocks: Sequence[tuple[CodeBlock, FenceInfo]],
    *,
    hints: bool,
    note: bool,
    placeholders: Placeholders,
    anchor: str = "",
) -> list[CheckedBlock]:
    """Check `blocks` as one Dockerfile (one block, or the parts of a `file=`), in order.

    The note links to the lines of each block under `block_anchor(block)`, or under `anchor`
    (one block shown from another file: the id of the post's own fence)."""
    report = check_block(
        [block.code for block, _ in blocks], hints=hints, placeholders=placeholders
    )
    whole_errors = sum(1 for part in report.parts for d in part if d.severity is Severity.ERROR)
    results = []
    for index, (block, info) in enumerate(blocks):
        found = [
            d.shifted(path, block.body_line - 1, block.column - 1) for d in report.parts[index]
        ]
        found = _apply_expectations(path, block, info, found, report.left_out)
        if report.role == "fragment" and index == 0:
            found.insert(0, _fragment_note(path, block, len(blocks)))
        label = "Dockerfile"
        if report.role == "fragment":
            label = "Dockerfile fragment"
        if len(blocks) > 1:
            label += f' ("{info.file}", part {index + 1} of {len(blocks)})'
        footer = ""
        if note:
            own = anchor if anchor and len(blocks) == 1 else block_anchor(block)
            footer = _note(label, report.role, whole_errors, info, block, found, own)
        accepted = report.role == "dockerfile" and len(blocks) == 1 and report.ok
        escape = report.escape if index else "\\"
        marks = report.placeholders[index]
        marked = _marked(block, found) if note else ()
        results.append(CheckedBlock(tuple(found), marks, footer, accepted, escape, marked))
    return results


def block_anchor(block: CodeBlock) -> str:
    """The id of a code block on its page (its fence line), and the stem of its lines' ids
    (`code-12-L3`): the note under a Dockerfile block links each finding to its line."""
    return f"code-{block.line}"


def _cited(block: CodeBlock, found: Sequence[Diagnostic]) -> list[tuple[int, Diagnostic]]:
    """The findings the note lists (not MD005), errors first, each with its line in the block."""
    shown = [d for d in found if d.code != "MD005"]
    shown.sort(key=lambda d: d.severity is not Severity.ERROR)
    lines = block.code.count("\n") + (0 if block.code.endswith("\n") else 1)
    return [(min(max(d.line - block.body_line + 1, 1), max(lines, 1)), d) for d in shown]


def _marked(block: CodeBlock, found: Sequence[Diagnostic]) -> tuple[tuple[int, str], ...]:
    """The lines the note cites: "error" where an error is, else "hint"."""
    flags: dict[int, str] = {}
    for line, d in _cited(block, found):
        if d.severity is Severity.ERROR or line not in flags:
            flags[line] = "error" if d.severity is Severity.ERROR else "hint"
    return tuple(sorted(flags.items()))


def inline_code(text: str) -> str:
    """`text` escaped, with Markdown's `code` spans as `<code>` (an unpaired backtick stays)."""
    pieces = escape(text).split("`")
    if len(pieces) % 2 == 0:  # an odd number of backticks: the last one is text
        pieces[-2:] = [pieces[-2] + "`" + pieces[-1]]
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(pieces))


def _fragment_note(path: str, block: CodeBlock, parts: int) -> Diagnostic:
    what = "this Dockerfile block has" if parts == 1 else f"the {parts} parts of this file have"
    return Diagnostic(
        path,
        block.line,
        block.column,
        Severity.INFO,
        "MD005",
        f"{what} no FROM: checked as a fragment of a larger Dockerfile",
        hint=FRAGMENT_HINT,
    )


def _apply_expectations(
    path: str,
    block: CodeBlock,
    info: FenceInfo,
    found: list[Diagnostic],
    left_out: frozenset[str] = frozenset(),
) -> list[Diagnostic]:
    """Expected errors become info; an expected code that did not occur is an error (one that
    occurred but is left out, as a consequence or a whole-stage rule, counts as occurred)."""
    if not info.expect_errors:
        return found
    expected = set(info.expect_errors)
    result = [d.with_severity(Severity.INFO) if d.code in expected else d for d in found]
    codes = {d.code for d in found} | left_out
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
    label: str,
    role: str,
    whole_errors: int,
    info: FenceInfo,
    block: CodeBlock,
    found: list[Diagnostic],
    anchor: str,
) -> str:
    found = [d for d in found if d.code != "MD005"]
    errors = [d for d in found if d.severity is Severity.ERROR]
    notes = [d for d in found if d.severity is not Severity.ERROR]
    if info.expect_errors and found and not errors:
        status, css = "fails as intended (" + ", ".join(info.expect_errors) + ")", "expected"
    elif errors or whole_errors:
        count = len(errors) or whole_errors
        plural = "s" if count != 1 else ""
        if role == "fragment":
            status, css = f"{count} error{plural}", "errors"
        else:
            status, css = f"would not build ({count} error{plural})", "errors"
    else:
        status, css = ("no errors" if role == "fragment" else "builds"), "ok"
    summary = f"{escape(label)} checked: {escape(status)}"
    if notes and css != "expected":
        # "&#183;" (·) keeps our markup ASCII: an ASCII post's HTML, and the feeds that carry
        # it, then encode to UTF-8 by copying instead of character by character.
        summary += f" &#183; {len(notes)} hint{'s' if len(notes) != 1 else ''}"
    cited = _cited(block, found)
    if not cited:
        return f'<p class="code-check {css}" role="note">{summary}</p>'
    items = "".join(
        f'<li class="code-check-{"error" if d.severity is Severity.ERROR else "hint"}">'
        f'<a class="code-check-line" href="#{anchor}-L{line}">line {line} of the block</a> '
        f"<code>{escape(d.code)}</code> {inline_code(d.message)}</li>"
        for line, d in cited
    )
    opened = " open" if len(cited) <= 3 else ""
    return (
        f'<details class="code-check {css}"{opened}><summary>{summary}</summary>'
        f"<ul>{items}</ul></details>"
    )

"""Code blocks that show the site's files and measurements: `include=` and ```` ```image-sizes ````.

An included block shows the file's text (`markup.includes`), captioned with its path unless it
has a `title` or `file`; a block that includes an example's Dockerfile
(`examples/NAME/Dockerfile`) gets the example's size badge and layer table from
`measurements.json`. An ```` ```image-sizes ```` block lists example names, one per line, and
becomes the table of their sizes, each against the first. A missing file or region (EXA001)
and an example with no measurement (EXA005) are errors at the block's line in the post; each
file read, and the lock file when a measurement is shown, is an input of the post's cache
record.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from ..diagnostics.diagnostic import Diagnostic, Severity
from .fence_info import FenceInfo
from .includes import Stat, read_include
from .measurements import MEASUREMENTS_NAME, Measurement, Measurements
from .outline import CodeBlock
from .sizes import badge_html, sizes_table_html

Inputs = tuple[tuple[str, Stat], ...]
MEASURE_HINT = "run build-site measure {name} (it builds examples/{name}/ with Docker)"


@dataclass(frozen=True, slots=True)
class IncludedBlock:
    """An included block as the code renderer goes on with it."""

    block: CodeBlock  # the file's text; its lines are the file's lines
    info: FenceInfo
    path: str  # the file the text comes from ("" when it could not be read)
    badge: str  # the example's size badge and layer table, or ""
    diagnostics: tuple[Diagnostic, ...]
    inputs: Inputs


def example_name(path: str) -> str | None:
    """The example whose Dockerfile `path` is (`examples/NAME/Dockerfile`), else None."""
    parts = PurePosixPath(path).parts
    if len(parts) == 3 and parts[0] == "examples" and parts[2] == "Dockerfile":
        return parts[1]
    return None


def include_block(
    root: Path,
    limit: int,
    measurements: Measurements,
    path: str,
    block: CodeBlock,
    info: FenceInfo,
) -> IncludedBlock:
    """Read what `block` includes; a problem is an EXA001 error at the block's .md line."""
    found = read_include(root, info.include, info.region, info.lines, limit)
    if isinstance(found, str):
        problem = Diagnostic(
            path,
            block.line,
            block.column,
            Severity.ERROR,
            "EXA001",
            found,
            hint='include takes a path from the site root, e.g. include="examples/slim/Dockerfile"',
        )
        return IncludedBlock(replace(block, code=""), info, "", "", (problem,), ())
    shown = replace(
        block, code=found.text, line=found.first_line, body_line=found.first_line, column=1
    )
    if not info.title and not info.file:
        info = replace(info, title=found.path)
    inputs: list[tuple[str, Stat]] = [(found.path, found.stat)]
    badge = ""
    name = example_name(found.path)
    measurement = measurements.get(name) if name is not None else None
    if name is not None and measurement is not None:
        badge = badge_html(name, measurement)
        if measurements.stat is not None:
            inputs.append((MEASUREMENTS_NAME, measurements.stat))
    return IncludedBlock(shown, info, found.path, badge, (), tuple(inputs))


def image_sizes_block(
    measurements: Measurements, path: str, block: CodeBlock
) -> tuple[str, tuple[Diagnostic, ...], Inputs]:
    """The table an ```` ```image-sizes ```` block stands for, its problems, its inputs."""
    rows: list[tuple[str, Measurement]] = []
    problems: list[Diagnostic] = []
    for offset, line in enumerate(block.code.split("\n")):
        name = line.strip()
        if not name or name.startswith("#"):
            continue
        measurement = measurements.get(name)
        if measurement is None:
            problems.append(unknown_example(path, block.body_line + offset, 1, name))
            continue
        rows.append((name, measurement))
    inputs: Inputs = ((MEASUREMENTS_NAME, measurements.stat),) if measurements.stat else ()
    return sizes_table_html(rows), tuple(problems), inputs


def unknown_example(path: str, line: int, column: int, name: str) -> Diagnostic:
    """EXA005: a post cites the size of an example that has no measurement."""
    return Diagnostic(
        path,
        line,
        column,
        Severity.ERROR,
        "EXA005",
        f"no measured size for example '{name}' in {MEASUREMENTS_NAME}",
        hint=f"add examples/{name}/Dockerfile and " + MEASURE_HINT.format(name=name),
    )

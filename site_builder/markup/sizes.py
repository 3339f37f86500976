"""Measured sizes in a page: Docker's size format, the badge under an example, the size table.

`human_size` is Docker's own (`HumanSizeWithPrecision` of docker/go-units, which `docker images`
calls with precision 3): divide by 1000 while the size is 1000 or more, then Go's `%.*g` and the
unit, with no space: `4.19MB`, `1.98MB`, `512B`, `1e+03kB`. Every size a page shows is written
so, with the exact byte count in its `title`.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .measurements import Measurement

_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")


def human_size(size: float, precision: int = 3) -> str:
    """`size` bytes as Docker prints it (`docker images`: precision 3)."""
    unit = 0
    while size >= 1000.0 and unit < len(_UNITS) - 1:
        size /= 1000.0
        unit += 1
    return f"{size:.{precision}g}{_UNITS[unit]}"


def size_html(size: int) -> str:
    """One size, as Docker shows it, with the exact bytes on hover."""
    shown = human_size(size)
    return f'<data class="image-size" value="{size}" title="{size:,} bytes">{shown}</data>'


def badge_html(name: str, measurement: Measurement) -> str:
    """The size badge and the collapsible layer table shown under an example's code."""
    stages = "".join(
        f' <span class="image-size-stage">stage <code>{escape(stage)}</code>: '
        f"{size_html(size)}</span>"
        for stage, size in sorted(measurement.stages.items())
    )
    when = escape(measurement.measured_at[:10])
    engine = f", Docker {escape(measurement.docker_version)}" if measurement.docker_version else ""
    badge = (
        f'<p class="image-size-badge" role="note">Image <code>{escape(name)}</code>: '
        f"<strong>{size_html(measurement.size)}</strong>{stages}"
        f' <span class="image-size-when">measured {when}{engine}</span></p>'
    )
    if not measurement.layers:
        return badge
    rows = "".join(
        f"<tr><td><code>{_short(layer.instruction)}</code></td>"
        f'<td class="num">{size_html(layer.size)}</td></tr>'
        for layer in measurement.layers
    )
    count = len(measurement.layers)
    return (
        badge + f'<details class="image-layers"><summary>{count} layer'
        f"{'s' if count != 1 else ''}</summary>"
        "<table><thead><tr><th>Instruction</th><th>Size</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></details>"
    )


def sizes_table_html(rows: Sequence[tuple[str, Measurement]]) -> str:
    """The `image-sizes` block: example, size, change against the first row, a bar."""
    if not rows:
        return ""
    first = rows[0][1].size
    largest = max(m.size for _, m in rows) or 1
    body = []
    for index, (name, measurement) in enumerate(rows):
        change = "" if index == 0 else _change(measurement.size, first)
        share = round(100 * measurement.size / largest)
        body.append(
            f'<tr><th scope="row"><code>{escape(name)}</code></th>'
            f'<td class="num">{size_html(measurement.size)}</td>'
            f'<td class="num">{change}</td>'
            f'<td><meter min="0" max="{largest}" value="{measurement.size}" '
            f'aria-label="{share}% of the largest">{share}%</meter></td></tr>'
        )
    return (
        '<table class="image-sizes"><thead><tr><th scope="col">Example</th>'
        '<th scope="col">Size</th><th scope="col">Change</th><th scope="col">'
        "Against the largest</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>\n"
    )


def change_percent(size: int, first: int) -> str:
    """`size` against `first`, in per cent with one decimal: "-93.1%", "+4.0%", "±0%"."""
    if first == 0:
        return "n/a"
    change = 100.0 * (size - first) / first
    if round(change, 1) == 0:
        return "±0%"
    return f"{change:+.1f}%"


def _change(size: int, first: int) -> str:
    return escape(change_percent(size, first))


def _short(instruction: str) -> str:
    """The instruction as HTML, on one line, cut at 120 characters ("&#8230;" keeps it ASCII)."""
    text = " ".join(instruction.split()) or "(a layer of the base image)"
    return escape(text) if len(text) <= 120 else escape(text[:119]) + "&#8230;"

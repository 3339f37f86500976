"""The examples against their measurements: never measured, or edited since (no Docker call).

Each `examples/NAME/` folder's inputs hash (`content.examples`) is compared with the one
`measurements.json` recorded. A difference is EXA004, a missing entry EXA003: both warnings at
the example's Dockerfile, naming the command that brings the sizes up to date. A lock file that
cannot be read is EXA006 at its line (`markup.measurements`).
"""

from __future__ import annotations

from ..config.schema import SiteConfig
from ..content.examples import find_examples, inputs_hash
from ..diagnostics.diagnostic import Diagnostic, Severity
from ..markup.measurements import MEASUREMENTS_NAME, load_measurements


def check_examples(config: SiteConfig) -> list[Diagnostic]:
    """EXA003 / EXA004 for each example whose measurement is missing or out of date."""
    measurements, problems = load_measurements(config.root)
    found = list(problems)
    for example in find_examples(config):
        recorded = measurements.get(example.name)
        command = f"build-site measure {example.name}"
        if recorded is None:
            found.append(
                Diagnostic(
                    example.dockerfile,
                    1,
                    1,
                    Severity.WARNING,
                    "EXA003",
                    f"example '{example.name}' was never measured: run {command}",
                    hint=f"it builds the example with Docker and records its size in "
                    f"{MEASUREMENTS_NAME}",
                )
            )
        elif recorded.inputs != inputs_hash(example):
            found.append(
                Diagnostic(
                    example.dockerfile,
                    1,
                    1,
                    Severity.WARNING,
                    "EXA004",
                    f"example '{example.name}' changed since it was measured "
                    f"({recorded.measured_at or 'at an unknown time'}): run {command}",
                    hint="its Dockerfile, a file of its context or its build args differ "
                    f"from what {MEASUREMENTS_NAME} was measured with",
                )
            )
    return found

"""`[examples.NAME]` tables of site.toml: how `build-site measure` builds the example NAME.

    [examples.multistage]
    build_args = { NODE_VERSION = "22" }
    target = "runtime"

`build_args` is a table of text values (passed as `--build-arg KEY=VALUE`), `target` the stage
to build (`--target`; empty: the last stage). Both are optional, and a name without a table is
built with neither. A table must name a folder under `examples/` (a name only: letters,
digits, `.`, `_`, `-`); wrong types are CFG003 and unknown keys CFG002, at their lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..diagnostics.diagnostic import Diagnostic

NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
KEYS = ("build_args", "target")

Position = tuple[int, int]
Locate = Callable[[tuple[str, ...]], Position]  # a key's path → where site.toml spells it


@dataclass(frozen=True, slots=True)
class ExampleConfig:
    """The build settings of one example."""

    build_args: Mapping[str, str] = field(default_factory=dict)
    target: str = ""


def read_examples(
    raw: object, locate: Locate, diag: Callable[[Position, str, str], Diagnostic]
) -> tuple[dict[str, ExampleConfig], list[Diagnostic]]:
    """The `[examples.NAME]` tables; `diag(position, code, message)` makes a site.toml problem."""
    problems: list[Diagnostic] = []
    if raw is None:
        return {}, problems
    if not isinstance(raw, dict):
        return {}, [diag(locate(("examples",)), "CFG003", "'examples' must be a table")]
    found: dict[str, ExampleConfig] = {}
    for name, table in raw.items():
        section = f"examples.{name}"
        line = locate(("examples", name))
        if not NAME_RE.fullmatch(name):
            problems.append(
                diag(
                    line,
                    "CFG003",
                    f"'[{section}]' must name a folder under examples/ "
                    "(letters, digits, '.', '_', '-')",
                )
            )
            continue
        if not isinstance(table, dict):
            problems.append(diag(line, "CFG003", f"'{section}' must be a table ([{section}])"))
            continue
        args: dict[str, str] = {}
        target = ""
        for key, value in table.items():
            at = locate(("examples", name, key))
            if key == "build_args":
                if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                    args = {str(k): v for k, v in value.items()}
                else:
                    problems.append(
                        diag(
                            at,
                            "CFG003",
                            f"'{section}.build_args' must be a table of text "
                            f'values such as {{ VERSION = "1.2" }}; got {value!r}',
                        )
                    )
            elif key == "target":
                if isinstance(value, str) and (not value or NAME_RE.fullmatch(value)):
                    target = value
                else:
                    problems.append(
                        diag(
                            at, "CFG003", f"'{section}.target' must be a stage name; got {value!r}"
                        )
                    )
            else:
                problems.append(
                    diag(at, "CFG002", f"unknown key '{section}.{key}' (known: {', '.join(KEYS)})")
                )
        found[name] = ExampleConfig(args, target)
    return found, problems

"""The lock file of measured image sizes: `measurements.json` beside `site.toml`, read and written.

One key per example (the name of its folder under `examples/`), keys sorted, each an object:

    size           the image size in bytes, as `docker image inspect` gives `.Size`
    image_id       the image's id (`sha256:...`)
    layers         [{"instruction": ..., "size": bytes}, ...] from `docker history`, oldest first
    stages         {"build": bytes, ...}: each named stage built alone with `--target`
    base_images    [{"ref": "node:lts", "digest": "sha256:..." or ""}, ...] as named in FROM
    target         the stage built ("" for the last), build_args the args given
    inputs         the hash of the Dockerfile, the context after .dockerignore and the args
    builder        "buildx" or "legacy"; docker_version the engine's version
    build_seconds  how long the build took; measured_at when (UTC, ISO 8601)

`build-site measure` writes it (`pipeline.measure`); builds only read it, once per process, and
never call Docker. A damaged file is one EXA006 error at its line, read as empty.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity
from .includes import Stat

MEASUREMENTS_NAME = "measurements.json"


@dataclass(frozen=True, slots=True)
class Layer:
    instruction: str
    size: int


@dataclass(frozen=True, slots=True)
class BaseImage:
    ref: str
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Measurement:
    """What `build-site measure` recorded for one example."""

    size: int
    inputs: str
    image_id: str = ""
    layers: tuple[Layer, ...] = ()
    stages: Mapping[str, int] = field(default_factory=dict)
    base_images: tuple[BaseImage, ...] = ()
    target: str = ""
    build_args: Mapping[str, str] = field(default_factory=dict)
    builder: str = ""
    docker_version: str = ""
    build_seconds: float = 0.0
    measured_at: str = ""


@dataclass(frozen=True, slots=True)
class Measurements:
    """Every example's measurement, and the lock file's stat facts (None: there is none)."""

    examples: Mapping[str, Measurement] = field(default_factory=dict)
    stat: Stat | None = None

    def get(self, name: str) -> Measurement | None:
        return self.examples.get(name)


def load_measurements(root: Path) -> tuple[Measurements, list[Diagnostic]]:
    """The site's lock file; absent: empty; unreadable or malformed: empty and one EXA006."""
    path = root / MEASUREMENTS_NAME
    try:
        info = os.lstat(path)
    except OSError:
        return Measurements(), []
    key: Stat = (info.st_size, info.st_mtime_ns, info.st_ino)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            text = handle.read().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not valid UTF-8"
        return Measurements(stat=key), [
            _problem(1, 1, f"cannot read {MEASUREMENTS_NAME}: {reason}")
        ]
    examples, problems = parse_measurements(text)
    return Measurements(examples, key), problems


def parse_measurements(text: str) -> tuple[dict[str, Measurement], list[Diagnostic]]:
    """The examples of a lock file's text; what cannot be read is an EXA006 at its line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return {}, [_problem(error.lineno, error.colno, f"not valid JSON: {error.msg}")]
    if not isinstance(data, dict):
        return {}, [_problem(1, 1, "must be a JSON object with one key per example")]
    examples: dict[str, Measurement] = {}
    problems: list[Diagnostic] = []
    for name, value in data.items():
        try:
            examples[name] = _measurement(value)
        except (TypeError, ValueError, KeyError, AttributeError) as error:
            line = _key_line(text, name)
            problems.append(
                _problem(
                    line,
                    1,
                    f"the entry for example '{name}' is malformed ({error}); "
                    f"run build-site measure {name}",
                )
            )
    return examples, problems


def dump_measurements(examples: Mapping[str, Measurement]) -> str:
    """The lock file's text: sorted keys, two-space indents, one example per top-level key."""
    data = {name: asdict(m) for name, m in examples.items()}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _measurement(value: object) -> Measurement:
    if not isinstance(value, dict):
        raise TypeError("not an object")
    size = value["size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ValueError("'size' must be a whole number of bytes")
    layers = tuple(
        Layer(str(layer["instruction"]), _int(layer["size"])) for layer in value.get("layers", [])
    )
    bases = tuple(
        BaseImage(str(base["ref"]), str(base.get("digest") or ""))
        for base in value.get("base_images", [])
    )
    stages = {str(k): _int(v) for k, v in dict(value.get("stages", {})).items()}
    args = {str(k): str(v) for k, v in dict(value.get("build_args", {})).items()}
    return Measurement(
        size=size,
        inputs=str(value["inputs"]),
        image_id=str(value.get("image_id", "")),
        layers=layers,
        stages=stages,
        base_images=bases,
        target=str(value.get("target", "")),
        build_args=args,
        builder=str(value.get("builder", "")),
        docker_version=str(value.get("docker_version", "")),
        build_seconds=float(value.get("build_seconds", 0.0)),
        measured_at=str(value.get("measured_at", "")),
    )


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"a size must be a whole number of bytes, not {value!r}")
    return value


def _key_line(text: str, name: str) -> int:
    needle = json.dumps(name) + ":"
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip().startswith(needle):
            return number
    return 1


def _problem(line: int, column: int, message: str) -> Diagnostic:
    return Diagnostic(MEASUREMENTS_NAME, line, column, Severity.ERROR, "EXA006", message)

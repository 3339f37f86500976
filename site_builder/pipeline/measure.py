"""`build-site measure`: build the site's examples with Docker and record what they weigh.

For each example (all, or those named) whose inputs hash differs from the one recorded (or
with `force`), the example is built (`docker_engine`), then its size (`docker image inspect`
`.Size`), its layers (`docker history`), the size of each other named stage (built with
`--target`), its base images (FROM references, their digests where the engine knows them),
the build time, the engine's version and the time are recorded. `measurements.json` is
written once at the end, atomically (a temporary file beside it, then a rename), and only if
something was measured. A failed build is EXA007 at the Dockerfile line the builder names
(BuildKit's `Dockerfile:N`, the classic builder's `Step N/M`) with the tail of its output;
that example keeps its previous measurement. No Docker, or a daemon that does not answer, is
one EXA008 and nothing is changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config.load import load_config
from ..content.examples import Example, find_examples, inputs_hash
from ..diagnostics.diagnostic import Collector, Diagnostic, Severity
from ..dockerfile.parser import parse
from ..markup.measurements import (
    MEASUREMENTS_NAME,
    BaseImage,
    Measurement,
    dump_measurements,
    load_measurements,
)
from .docker_engine import Engine, EngineError, connect

Say = Callable[[str], None]
TAIL_LINES = 12


@dataclass(frozen=True, slots=True)
class MeasureResult:
    diagnostics: tuple[Diagnostic, ...]
    measured: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()
    written: bool = False
    tails: tuple[tuple[str, str], ...] = ()  # (example, the last lines of its failed build)

    @property
    def ok(self) -> bool:
        return not Collector(self.diagnostics).fails()


def measure(root: Path, names: Sequence[str], say: Say, *, force: bool = False) -> MeasureResult:
    """Measure the examples named (all when none are), writing measurements.json if any was."""
    config, problems = load_config(root)
    if Collector(problems).fails():
        return MeasureResult(tuple(problems))
    examples = {e.name: e for e in find_examples(config)}
    known = ", ".join(examples) or "none"
    missing = [
        _problem(
            f"examples/{name}",
            1,
            "EXA007",
            f"no example '{name}': examples/{name}/Dockerfile not found (examples: {known})",
        )
        for name in names
        if name not in examples
    ]
    if not examples and not names:
        missing.append(
            _problem("examples", 1, "EXA007", "no examples: add examples/NAME/Dockerfile")
        )
    if missing:
        return MeasureResult(tuple(missing))
    current, lock_problems = load_measurements(config.root)
    if lock_problems:
        return MeasureResult(tuple(lock_problems))
    chosen = [examples[name] for name in (names or sorted(examples))]
    todo: list[tuple[Example, str]] = []
    unchanged: list[str] = []
    for example in chosen:
        digest = inputs_hash(example)
        recorded = current.get(example.name)
        if not force and recorded is not None and recorded.inputs == digest:
            unchanged.append(example.name)
            say(f"measure {example.name}: unchanged since {recorded.measured_at}, not rebuilt")
        else:
            todo.append((example, digest))
    if not todo:
        return MeasureResult((), unchanged=tuple(unchanged))
    try:
        engine = connect()
    except EngineError as error:
        return MeasureResult((_problem(MEASUREMENTS_NAME, 1, "EXA008", str(error)),))
    results = dict(current.examples)
    found: list[Diagnostic] = []
    measured: list[str] = []
    failed: list[str] = []
    tails: list[tuple[str, str]] = []
    for index, (example, digest) in enumerate(todo, start=1):
        say(f"measure {example.name} ({index}/{len(todo)}): building with {engine.builder} ...")
        outcome = measure_one(engine, example, digest)
        if isinstance(outcome, tuple):
            found.append(outcome[0])
            tails.append((example.name, outcome[1]))
            failed.append(example.name)
            say(f"measure {example.name}: build failed")
            continue
        results[example.name] = outcome
        measured.append(example.name)
        say(f"measure {example.name}: {outcome.size} bytes in {outcome.build_seconds:.1f} s")
    written = False
    if measured:
        write_lock(config.root, dump_measurements(dict(sorted(results.items()))))
        written = True
    return MeasureResult(
        tuple(found), tuple(measured), tuple(unchanged), tuple(failed), written, tuple(tails)
    )


Failure = tuple[Diagnostic, str]  # EXA007 and the tail of the builder's output


def measure_one(engine: Engine, example: Example, digest: str) -> Measurement | Failure:
    """One example built and measured, or the EXA007 of its failed build and its output's tail."""
    settings = example.settings
    text = (example.context / "Dockerfile").read_text(encoding="utf-8", errors="replace")
    built = engine.build(example.context, settings.build_args, settings.target)
    if not built.image_id:
        return _build_failure(example, text, built.output)
    stages: dict[str, int] = {}
    stage_names, bases = _stages(text)
    final = settings.target or (stage_names[-1] if stage_names else "")
    for stage in stage_names:
        if stage and stage != final:
            other = engine.build(example.context, settings.build_args, stage)
            if not other.image_id:
                return _build_failure(example, text, other.output)
            stages[stage] = engine.size(other.image_id)
    return Measurement(
        size=engine.size(built.image_id),
        inputs=digest,
        image_id=built.image_id,
        layers=engine.history(built.image_id),
        stages=stages,
        base_images=tuple(
            BaseImage(ref, next(iter(engine.digests(ref)), "") if ref != "scratch" else "")
            for ref in bases
        ),
        target=settings.target,
        build_args=dict(settings.build_args),
        builder=engine.builder,
        docker_version=engine.version,
        build_seconds=round(built.seconds, 2),
        measured_at=dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    )


def _stages(text: str) -> tuple[list[str], list[str]]:
    """The stage names ("" for an unnamed stage) and the base images, as FROM names them."""
    names: list[str] = []
    bases: list[str] = []
    for node in parse(text).root.children:
        if node.kind != "from" or not node.args:
            continue
        words = [token.value for token in node.args]
        name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else ""
        if words[0].lower() not in names and words[0] not in bases:
            bases.append(words[0])
        names.append(name)
    return names, bases


_BUILDKIT_LINE_RE = re.compile(r"Dockerfile:(\d+)")
_ANSI_RE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_STEP_RE = re.compile(r"^Step (\d+)/\d+ :", re.MULTILINE)


def failure_line(text: str, output: str) -> int:
    """The Dockerfile line the builder's output names (1 when it names none)."""
    lines = _BUILDKIT_LINE_RE.findall(output)
    if lines:
        return int(lines[-1])
    steps = _STEP_RE.findall(output)
    if steps:
        nodes = parse(text).root.children
        step = int(steps[-1])
        if 0 < step <= len(nodes):
            return nodes[step - 1].line
    return 1


def output_tail(output: str) -> str:
    """The last lines of a build's output, without the classic builder's deprecation notice."""
    output = _ANSI_RE.sub("", output)  # the classic builder colours the commands' stderr
    rows = [row.rstrip() for row in output.splitlines() if row.strip()]
    rows = [
        row
        for row in rows
        if not row.startswith(("DEPRECATED:", "            "))
        and "BuildKit is currently" not in row
    ]
    return "\n".join(rows[-TAIL_LINES:])


def _build_failure(example: Example, text: str, output: str) -> Failure:
    line = failure_line(text, output)
    tail = output_tail(output)
    last = tail.splitlines()[-1] if tail else "no output"
    diagnostic = Diagnostic(
        example.dockerfile,
        line,
        1,
        Severity.ERROR,
        "EXA007",
        f"example '{example.name}' does not build: {last}",
        hint="fix the example and run build-site measure again; its previous measurement is kept",
    )
    return diagnostic, tail


def write_lock(root: Path, text: str) -> None:
    """Replace `root/measurements.json` atomically: a temporary file beside it, then rename."""
    fd, temporary = tempfile.mkstemp(prefix=".measurements.", suffix=".tmp", dir=root)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, root / MEASUREMENTS_NAME)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _problem(path: str, line: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(path, line, 1, Severity.ERROR, code, message)

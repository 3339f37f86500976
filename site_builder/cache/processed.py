"""The record of one processed source file, as the build cache keeps it and workers return it.

Kept apart from `pipeline.processing` (which processes sources and imports the Markdown,
Pygments and Dockerfile machinery) so that a build that reuses every record from the cache, or
has them processed in a worker (`pipeline.process_ahead`), never imports that machinery itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..content.front_matter.record import FrontMatter
from ..diagnostics.diagnostic import Diagnostic
from ..markup.body import BodyFacts, LoadedBody
from ..markup.outline import CodeBlock
from ..records import compact_pickle
from .packs import BodyRef


@compact_pickle
@dataclass(frozen=True, slots=True)
class CachedDocument:
    """What the build keeps of one processed source file (its body is in a pack, or in memory)."""

    path: str
    kind: str
    stat_key: tuple[int, int, int]
    digest: str
    front_matter: FrontMatter | None = None
    facts: BodyFacts | None = None
    body_ref: BodyRef | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    checks: tuple[Diagnostic, ...] = ()  # document checks; they count if the build includes it
    dockerfile_at: tuple[int, int] | None = None  # where its first Dockerfile block is
    # the site files its body shows (include=, measurements.json) and their stat facts then
    inputs: tuple[tuple[str, tuple[int, int, int]], ...] = ()


@dataclass(frozen=True, slots=True)
class ProcessedDocument:
    """A record, and the rendered body when it was not stored in a pack (read-only builds)."""

    record: CachedDocument
    body: LoadedBody | None = None
    dockerfiles: tuple[CodeBlock, ...] = ()  # Dockerfile blocks our checker accepted

    @property
    def path(self) -> str:
        return self.record.path


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None) -> int:
    """The worker processes to use: one per core, unless fewer are asked for. More than the
    cores cannot make the build faster, only fork more (`--jobs 5000` forked 5,000)."""
    cores = default_workers()
    return cores if requested is None else max(1, min(requested, cores))

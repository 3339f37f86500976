"""The rebuild: the one callable the preview's build loop runs, and what it reports.

Each rebuild is `pipeline.phases.build` with the build cache, so it redoes only what the change
touches and publishes atomically; an unchanged site is answered at once. It runs under a lock that
`stop()` takes, so Ctrl-C never cuts a publish in half and nothing is published after it. The
published manifest (file → content hash) tells the preview which pages changed.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..config.load import load_config
from ..content.model import Site, Skipped
from ..diagnostics.diagnostic import Diagnostic, Severity
from ..pipeline.phases import BuildOptions, build, load
from ..render.site_files import output_path
from .changes import Fingerprint


@dataclass(frozen=True, slots=True)
class Outcome:
    """One build's result as the preview needs it."""

    ok: bool
    published: bool
    diagnostics: tuple[Diagnostic, ...]
    output: Path
    base_path: str
    fingerprint: Fingerprint | None
    drafts: frozenset[str] = frozenset()
    seconds: float = 0.0
    skipped: Skipped = field(default_factory=Skipped)
    max_diagnostics: int = 50
    sources: Mapping[str, str] = field(default_factory=dict)  # served file → its source


class Builder:
    """Builds the site at `root`; remembers what it published to skip identical rebuilds."""

    def __init__(self, root: Path, options: BuildOptions, log: TextIO) -> None:
        self.root = root
        self.options = options
        self.log = log
        config, _problems = load_config(root)
        self._output = config.output_path
        self._base_path = config.base_path
        self._drafts: frozenset[str] = frozenset()
        self._sources: dict[str, str] = {}
        self._lock = threading.Lock()
        self._stopping = False
        self.outputs: set[Path] = {self._output}

    def stop(self) -> None:
        """Wait for a publish in progress to finish; publish nothing afterwards."""
        with self._lock:
            self._stopping = True

    def __call__(self) -> Outcome:
        started = time.perf_counter()
        try:
            return self._build(started)
        except Exception as error:  # noqa: BLE001 - a builder bug must not stop the preview
            self.log.write("".join(traceback.format_exception(error)))
            problem = Diagnostic(
                "site.toml",
                1,
                1,
                Severity.ERROR,
                "BLD001",
                f"internal error while building: {type(error).__name__}: {error}",
                hint="this is a bug in site_builder; the traceback is in the terminal",
            )
            return Outcome(
                False,
                False,
                (problem,),
                self._output,
                self._base_path,
                None,
                seconds=time.perf_counter() - started,
            )

    def _learn_sources(self, site: Site | None, needed: bool) -> None:
        """Which source each page comes from (for the overlay's "This page"). A failed build
        keeps what earlier ones knew, so a post whose front matter broke still maps. A build
        answered as unchanged has no site model: with problems to show and nothing known yet
        (the preview's first build after `build-site build`), it is loaded once, in memory."""
        if site is None and needed and not self._sources:
            site = load(self.root, self.options).site
        if site is not None:
            pages = {output_path(p.url): p.source for p in (*site.posts, *site.pages)}
            self._sources = {**self._sources, **pages}

    def _build(self, started: float) -> Outcome:
        with self._lock:
            if self._stopping:
                return Outcome(False, False, (), self._output, self._base_path, None)
            result = build(self.root, self.options)
        config = result.config
        output, base_path = config.output_path, config.base_path
        self._output, self._base_path = output, base_path
        self.outputs.add(output)
        limit = config.limits.max_diagnostics
        self._learn_sources(result.site, bool(result.diagnostics))
        if not result.published:
            return Outcome(
                False,
                False,
                result.diagnostics,
                output,
                base_path,
                None,
                seconds=time.perf_counter() - started,
                skipped=result.skipped,
                max_diagnostics=limit,
                sources=dict(self._sources),
            )
        fingerprint = {path: bytes.fromhex(digest) for path, digest in result.manifest.items()}
        if result.site is not None:
            site = result.site
            self._drafts = frozenset(
                output_path(p.url) for p in (*site.posts, *site.pages) if p.draft
            )
        return Outcome(
            True,
            not result.unchanged,
            result.diagnostics,
            output,
            base_path,
            fingerprint,
            self._drafts,
            time.perf_counter() - started,
            result.skipped,
            limit,
            dict(self._sources),
        )

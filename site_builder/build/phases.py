"""The two phases of a build, and the entry points: `build()` publishes, `load()` stays in memory.

Phase 1 (`analysis.analyse`) reads, processes, assembles and checks, writing nothing to the
output and never stopping at the first problem. Phase 2 runs only when phase 1 has no errors
(no warnings either under `--strict`): it renders what changed into a staging tree and swaps it
in atomically (`produce`, `staging`). With the build cache, an unchanged site is answered from
the last build's record, and an edit reprocesses and re-renders only what it touches.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..cache.lock import locked
from ..cache.state import LastBuild
from ..cache.store import BuildCache
from ..config.load import load_config
from ..config.schema import SiteConfig
from ..content.discovery import Sources, discover_sources
from ..content.model import Selection, Site, Skipped
from ..diagnostics.diagnostic import Collector, Diagnostic
from ..publish.staging import Entry, Staging
from ..publish.swap import PublishError, io_diagnostic, recover
from .fingerprints import inputs_fingerprint, processing_key

if TYPE_CHECKING:
    from ..render.site_files import Rendered
    from .analysis import Analysis

# The parsing, checking and rendering modules are imported when a build has work to do, so an
# unchanged rebuild answers without loading them.


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    strict: bool = False
    now: dt.datetime | None = None
    # The preview keeps the search index of the site it serves instead of re-indexing every
    # page on each save (Pagefind takes seconds on a large site); restart it to refresh search.
    keep_search_index: bool = False


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Phase 1 and an in-memory render: the config, the site and its files, every problem."""

    config: SiteConfig
    site: Site | None
    rendered: Rendered | None
    diagnostics: tuple[Diagnostic, ...]
    skipped: Skipped = field(default_factory=Skipped)

    def fails(self, strict: bool = False) -> bool:
        return Collector(self.diagnostics).fails(strict=strict) or self.rendered is None


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did."""

    config: SiteConfig
    published: bool
    seconds: float
    diagnostics: tuple[Diagnostic, ...]
    skipped: Skipped = field(default_factory=Skipped)
    files: int = 0  # files in the published site
    rendered: int = 0  # pages and data files rendered by this build (the rest were kept)
    written: int = 0  # files whose bytes changed (the rest kept their inode and mtime)
    processed: int = 0  # source files processed (the rest came from the cache)
    unchanged: bool = False  # nothing changed since the last build: nothing was done
    site: Site | None = None
    manifest: Mapping[str, str] = field(default_factory=dict)  # published file → content hash


Progress = Callable[[str, int, int], None]  # (stage, done, total)


def load(
    root: Path, options: BuildOptions = BuildOptions(), *, workers: int | None = None
) -> LoadResult:
    """Phase 1 and an in-memory render; reads the build cache but writes nothing anywhere."""
    with paused_gc():
        return _load(root, options, workers)


def _load(root: Path, options: BuildOptions, workers: int | None) -> LoadResult:
    config, config_problems = load_config(root)
    cache = BuildCache(config.root, processing_key(config), writable=False)
    sources = discover_sources(config)
    from ..render.site_files import render_site
    from .analysis import analyse

    analysis = analyse(config, sources, _selection(options), cache, workers=workers)
    collector = Collector([*config_problems, *analysis.diagnostics])
    rendered = None
    if not collector.fails():
        rendered = render_site(analysis.site)
        collector.extend(rendered.diagnostics)
        if rendered.diagnostics:
            rendered = None
    cache.close()
    return LoadResult(config, analysis.site, rendered, tuple(collector.sorted()), analysis.skipped)


def build(
    root: Path,
    options: BuildOptions = BuildOptions(),
    *,
    workers: int | None = None,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Phase 1, then (if it passed) phase 2: publish atomically into the output folder."""
    started = time.perf_counter()
    config, config_problems = load_config(root)
    with locked(config.root) if use_cache else contextlib.nullcontext(), paused_gc():
        cache = BuildCache(config.root, processing_key(config), enabled=use_cache)
        try:
            result = _build(config, config_problems, options, cache, workers, progress, started)
            if not result.unchanged:
                from .analysis import compact_cache

                compact_cache(cache)
                cache.save()
            return result
        finally:
            cache.close()


def _build(
    config: SiteConfig,
    config_problems: list[Diagnostic],
    options: BuildOptions,
    cache: BuildCache,
    workers: int | None,
    progress: Progress | None,
    started: float,
) -> BuildResult:
    output = config.output_path
    sources = discover_sources(config)
    inputs = inputs_fingerprint(config, sources, options.drafts, options.future)
    unchanged = _unchanged(cache, inputs, output, options)
    reported = unchanged.diagnostics() if unchanged is not None else None
    if unchanged is not None and reported is not None:
        diagnostics = tuple(Collector([*config_problems, *reported]).sorted())
        published = not Collector(diagnostics).fails(strict=options.strict)
        return BuildResult(
            config,
            published,
            time.perf_counter() - started,
            diagnostics,
            unchanged.skipped,
            unchanged.files,
            unchanged=True,
            manifest=_manifest(cache.state.output.live.files if cache.state.output.live else {}),
        )
    from . import process_ahead as ahead

    early = ahead.start(config, sources.refs, cache)  # forks: before this process imports more
    try:
        from ..publish.search_index import SearchIndexer
        from ..render.site_files import plan_site
        from ..render.templates import preload
        from .analysis import analyse
        from .produce import produce

        with _stage(progress, "read", len(sources.refs)) as step:
            analysis = analyse(
                config,
                sources,
                _selection(options),
                cache,
                workers=workers,
                progress=step,
                ahead=early,
            )
        collector = Collector([*config_problems, *analysis.diagnostics])

        def result(
            published: bool,
            files: int = 0,
            rendered: int = 0,
            written: int = 0,
            manifest: Mapping[str, str] | None = None,
        ) -> BuildResult:
            return BuildResult(
                config,
                published,
                time.perf_counter() - started,
                tuple(collector.sorted()),
                analysis.skipped,
                files,
                rendered,
                written,
                analysis.processed,
                site=analysis.site,
                manifest=manifest or {},
            )

        if collector.fails(strict=options.strict):
            return result(False)
        plan = plan_site(analysis.site)
        try:
            recover(output)
            staging = Staging(output, config.output_dir, cache.state.output)
        except PublishError as error:
            collector.add(error.diagnostic)
            return result(False)
        except OSError as error:
            collector.add(io_diagnostic(config.output_dir, error))
            return result(False)
        if early is not None:
            preload(early.templates())  # if the worker has compiled them by now
            early.cancel()
        try:
            with _stage(progress, "write", len(plan.jobs)) as step:
                produced = produce(plan, staging, analysis.site, workers=workers, progress=step)
        except OSError as error:
            staging.abort()
            collector.add(io_diagnostic(config.output_dir, error))
            return result(False)
        if produced.diagnostics:
            staging.abort()
            collector.extend(produced.diagnostics)
            return result(False)
        reuse = output if options.keep_search_index else None
        indexer = SearchIndexer(config, analysis.site, reuse_from=reuse)
        try:
            cache.state.output = staging.finish(indexer)
        except PublishError as error:
            collector.add(error.diagnostic)
            return result(False)
        collector.extend(indexer.diagnostics)
        files = len(staging.files)
        _remember(cache, inputs, collector, analysis, files)
        return result(True, files, produced.rendered, staging.written, _manifest(staging.files))
    finally:
        if early is not None:
            early.cancel()


def _manifest(files: Mapping[str, Entry]) -> dict[str, str]:
    return {path: entry.digest for path, entry in files.items()}


def _selection(options: BuildOptions) -> Selection:
    return Selection(options.drafts, options.future, options.now)


def _unchanged(
    cache: BuildCache, inputs: str, output: Path, options: BuildOptions
) -> LastBuild | None:
    """The last build's record when nothing it depends on changed and its output is intact."""
    from ..publish.staging import marker_token

    last = cache.state.last_build
    live = cache.state.output.live if cache.state.output else None
    if last is None or live is None or last.inputs != inputs:
        return None
    if marker_token(output) != live.token:
        return None
    now = options.now or dt.datetime.now(dt.UTC)
    if last.next_change is not None and now >= last.next_change:
        return None
    return last


def _remember(
    cache: BuildCache, inputs: str, collector: Collector, analysis: Analysis, files: int
) -> None:
    cache.state.last_build = LastBuild.of(
        inputs, tuple(collector.sorted()), analysis.skipped, files, analysis.next_change
    )


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection during a build.

    A build allocates many objects that live until it ends (the site model, the cache's
    records), and each automatic collection walks all of them: on a 1,000-post site that was
    about 40% of an incremental rebuild. The few cycles a build makes are collected after it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextlib.contextmanager
def _stage(
    progress: Progress | None, name: str, total: int
) -> Iterator[Callable[[int], None] | None]:
    if progress is None:
        yield None
        return
    done = [0]

    def step(count: int) -> None:
        done[0] += count
        progress(name, done[0], total)

    progress(name, 0, total)
    yield step


__all__ = ["BuildOptions", "BuildResult", "LoadResult", "Sources", "build", "load"]

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
from ..config.local_url import local_base_url
from ..config.schema import SiteConfig
from ..content.discovery import Sources, discover_sources
from ..content.model import Selection, Site, Skipped
from ..diagnostics.diagnostic import Collector, Diagnostic
from ..publish.search_index import searchable
from ..publish.staging import Entry, Staging
from ..publish.swap import PublishError, io_diagnostic, recover
from .fingerprints import inputs_fingerprint, processing_key

if TYPE_CHECKING:
    from ..render.site_files import Rendered
    from .analysis import Analysis
    from .process_ahead import Ahead

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
    publishing: bool = False  # `build-site build`: a local base_url is a warning (CFG005)


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
    config, config_problems = _config(root)
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
    config, config_problems = _config(root)
    if options.publishing and not Collector(config_problems).fails():
        config_problems.extend(local_base_url(config))
    # Every build that publishes holds the lock, `--no-cache` too: two at once would clear each
    # other's staging folder.
    with locked(config.root, use_cache=use_cache, waiting=_say_waiting), paused_gc():
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


def _config(root: Path) -> tuple[SiteConfig, list[Diagnostic]]:
    """site.toml as this build applies it: search off when Pagefind cannot run (SRCH001)."""
    config, problems = load_config(root)
    config, search_problems = searchable(config)
    return config, [*problems, *search_problems]


def _say_waiting() -> None:
    from .workers import note

    note("another build of this site is running; waiting for it to finish")


def _build(
    config: SiteConfig,
    config_problems: list[Diagnostic],
    options: BuildOptions,
    cache: BuildCache,
    workers: int | None,
    progress: Progress | None,
    started: float,
) -> BuildResult:
    sources = discover_sources(config)
    inputs = inputs_fingerprint(config, sources, options.drafts, options.future)
    answered = _answer_unchanged(config, config_problems, options, cache, inputs, started)
    if answered is not None:
        return answered
    from . import process_ahead as ahead

    early = ahead.start(config, sources.refs, cache)  # forks: before this process imports more
    try:
        from .analysis import analyse

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
        run = _Run(config, started, Collector([*config_problems, *analysis.diagnostics]), analysis)
        if run.collector.fails(strict=options.strict):
            return run.result(False)
        return _publish(run, options, cache, inputs, workers, progress, early)
    finally:
        if early is not None:
            early.cancel()


def _answer_unchanged(
    config: SiteConfig,
    config_problems: list[Diagnostic],
    options: BuildOptions,
    cache: BuildCache,
    inputs: str,
    started: float,
) -> BuildResult | None:
    """The last build's result, when nothing it depends on changed: nothing is done."""
    unchanged = _unchanged(cache, inputs, config.output_path, options)
    reported = unchanged.diagnostics() if unchanged is not None else None
    if unchanged is None or reported is None:
        return None
    diagnostics = tuple(Collector([*config_problems, *reported]).sorted())
    return BuildResult(
        config,
        not Collector(diagnostics).fails(strict=options.strict),
        time.perf_counter() - started,
        diagnostics,
        unchanged.skipped,
        unchanged.files,
        unchanged=True,
        manifest=_manifest(cache.state.output.live.files if cache.state.output.live else {}),
    )


@dataclass(frozen=True, slots=True)
class _Run:
    """One build with work to do, after phase 1: what its result is made of."""

    config: SiteConfig
    started: float
    collector: Collector
    analysis: Analysis

    def result(
        self,
        published: bool,
        files: int = 0,
        rendered: int = 0,
        written: int = 0,
        manifest: Mapping[str, str] | None = None,
    ) -> BuildResult:
        return BuildResult(
            self.config,
            published,
            time.perf_counter() - self.started,
            tuple(self.collector.sorted()),
            self.analysis.skipped,
            files,
            rendered,
            written,
            self.analysis.processed,
            site=self.analysis.site,
            manifest=manifest or {},
        )


def _publish(
    run: _Run,
    options: BuildOptions,
    cache: BuildCache,
    inputs: str,
    workers: int | None,
    progress: Progress | None,
    early: Ahead | None,
) -> BuildResult:
    """Phase 2: render what changed into a staging tree, index it, swap it in."""
    from ..publish.search_index import SearchIndexer
    from ..render.site_files import plan_site
    from .produce import produce

    config, site, collector = run.config, run.analysis.site, run.collector
    plan = plan_site(site)
    staging = _open_staging(config, cache, collector)
    if staging is None:
        return run.result(False)
    try:
        _preload_templates(early)
        with _stage(progress, "write", len(plan.jobs)) as step:
            produced = produce(plan, staging, site, workers=workers, progress=step)
    except OSError as error:
        staging.abort()
        collector.add(io_diagnostic(config.output_dir, error))
        return run.result(False)
    except BaseException:  # Ctrl-C, SIGTERM, SIGHUP: the output stays the previous build
        staging.abort()
        raise
    if produced.diagnostics:
        staging.abort()
        collector.extend(produced.diagnostics)
        return run.result(False)
    reuse = config.output_path if options.keep_search_index else None
    indexer = SearchIndexer(config, site, reuse_from=reuse)
    try:
        cache.state.output = staging.finish(indexer)
    except PublishError as error:
        collector.add(error.diagnostic)
        return run.result(False)
    except BaseException:  # interrupted while swapping: whichever tree is not output/ goes
        staging.abort()
        raise
    collector.extend(indexer.diagnostics)
    files = len(staging.files)
    _remember(cache, inputs, collector, run.analysis, files)
    return run.result(True, files, produced.rendered, staging.written, _manifest(staging.files))


def _open_staging(config: SiteConfig, cache: BuildCache, collector: Collector) -> Staging | None:
    """A staging tree beside the output folder (after undoing a crashed publish), or None."""
    try:
        recover(config.output_path)
        return Staging(config.output_path, config.output_dir, cache.state.output)
    except PublishError as error:
        collector.add(error.diagnostic)
    except OSError as error:
        collector.add(io_diagnostic(config.output_dir, error))
    return None


def _preload_templates(early: Ahead | None) -> None:
    """Take the templates the early worker has compiled by now, and stop it."""
    if early is None:
        return
    from ..render.templates import preload

    preload(early.templates())
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
    return last if last.shown_intact(cache.root) else None


def _remember(
    cache: BuildCache, inputs: str, collector: Collector, analysis: Analysis, files: int
) -> None:
    shown = tuple(sorted({i for r in cache.documents.documents.values() for i in r.inputs}))
    report = tuple(collector.sorted())
    cache.state.last_build = LastBuild.of(
        inputs, report, analysis.skipped, files, analysis.next_change, shown
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

"""The two phases of a build: `load()` reads, checks and renders in memory; `build()` publishes.

Phase 1 never writes and never stops at the first problem: every diagnostic of the run is
collected. Phase 2 runs only when phase 1 has no errors (no warnings either under `--strict`).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path

from .checks import apply_levels, checked_sources, run_site_checks
from .config import SiteConfig, load_config
from .diagnostics import Collector, Diagnostic, Severity
from .documents import discover, process_all
from .hadolint_pass import hadolint_pass
from .library import Document, Selection, Skipped, assemble
from .model import Site
from .outline import CodeBlock
from .publish import PublishError, publish, recover
from .render import Rendered, render_site
from .search import SearchIndexer
from .search import availability as search_availability
from .sources import StaticFile, relative, walk


@dataclass(frozen=True, slots=True)
class BuildOptions:
    drafts: bool = False
    future: bool = False
    strict: bool = False
    now: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What phase 1 produced: the config, the site and its files (when usable), every problem."""

    config: SiteConfig
    site: Site | None
    rendered: Rendered | None
    diagnostics: tuple[Diagnostic, ...]
    skipped: Skipped = field(default_factory=Skipped)

    def fails(self, strict: bool = False) -> bool:
        return Collector(self.diagnostics).fails(strict=strict) or self.rendered is None


@dataclass(frozen=True, slots=True)
class BuildResult:
    load: LoadResult
    published: bool
    seconds: float
    diagnostics: tuple[Diagnostic, ...]

    @property
    def pages(self) -> int:
        rendered = self.load.rendered
        return 0 if rendered is None else len(rendered.files) + len(rendered.copies)


def load(
    root: Path, options: BuildOptions = BuildOptions(), *, workers: int | None = None
) -> LoadResult:
    """Phase 1: read, parse, assemble and render the site at `root`, in memory."""
    collector = Collector()
    config, config_problems = load_config(root)
    collector.extend(config_problems)
    problems: list[Diagnostic] = []
    refs = discover(config, "posts", "post", problems) + discover(config, "pages", "page", problems)
    statics = _static_files(config, problems)
    _check_theme_links(config, problems)
    collector.extend(problems)
    if not any(ref.kind == "post" for ref in refs) and not any(
        d.path.startswith("content/posts/") for d in problems
    ):
        collector.emit(
            "content/posts",
            1,
            1,
            Severity.WARNING,
            "SRC003",
            "no posts",
            hint='add a Markdown file under content/posts/ (build-site new "Title")',
        )
    processed = process_all(refs, config, workers=workers)
    documents: list[Document] = []
    dockerfiles: list[tuple[str, CodeBlock]] = []
    for item in processed:
        collector.extend(item.diagnostics)
        if item.body is not None:
            dockerfiles.extend((item.path, block) for block in item.body.dockerfiles)
        if item.document is not None:
            documents.append(item.document)
    if config.dockerfile.check and config.dockerfile.hadolint == "auto":
        collector = Collector(hadolint_pass(dockerfiles, list(collector)))
    build_time = dt.datetime.now(dt.UTC)
    selection = Selection(options.drafts, options.future, options.now)
    site, assemble_problems, skipped = assemble(config, documents, statics, selection, build_time)
    collector.extend(assemble_problems)
    included = checked_sources(site)
    collector.extend(d for item in processed if item.path in included for d in item.checks)
    texts = {item.path: item.text for item in processed}
    found = run_site_checks(config, site, documents, list(collector), texts)
    collector = Collector(apply_levels([*collector, *found], config.checks.levels))
    rendered = None
    if not collector.fails():
        rendered = render_site(site)
        collector.extend(rendered.diagnostics)
        if rendered.diagnostics:
            rendered = None
    collector.extend(search_availability(config))
    return LoadResult(config, site, rendered, tuple(collector.sorted()), skipped)


def build(root: Path, options: BuildOptions = BuildOptions()) -> BuildResult:
    """Phase 1, then (if it passed) phase 2: publish atomically into the output folder."""
    started = time.perf_counter()
    result = load(root, options)
    published, diagnostics = publish_load(result, options.strict)
    return BuildResult(result, published, time.perf_counter() - started, tuple(diagnostics))


def publish_load(result: LoadResult, strict: bool = False) -> tuple[bool, list[Diagnostic]]:
    """Phase 2 alone: publish what `load()` rendered unless it fails; (published, diagnostics)."""
    diagnostics = list(result.diagnostics)
    published = False
    if not result.fails(strict) and result.rendered is not None:
        output = result.config.output_path
        indexer = SearchIndexer(result.config, result.site)
        try:
            recover(output)
            publish(
                output,
                result.rendered.files,
                result.rendered.copies,
                display=result.config.output_dir,
                finalize=indexer,
            )
            published = True
            diagnostics.extend(indexer.diagnostics)
        except PublishError as error:
            diagnostics.append(error.diagnostic)
        except OSError as error:
            from .publish import io_diagnostic

            diagnostics.append(io_diagnostic(result.config.output_dir, error))
    return published, diagnostics


def _static_files(config: SiteConfig, problems: list[Diagnostic]) -> list[StaticFile]:
    root = config.root
    static = config.content_path / "static"
    return [
        StaticFile(
            relative(root, path),
            path.relative_to(static).as_posix(),
            path,
            info.st_size,
            info.st_mtime_ns,
        )
        for path, info in walk(root, static, problems)
    ]


def _check_theme_links(config: SiteConfig, problems: list[Diagnostic]) -> None:
    theme = config.root / "themes"
    for _ in walk(config.root, theme, problems):
        pass
    if config.theme != "default" and not (theme / config.theme).is_dir():
        problems.append(
            Diagnostic(
                "site.toml",
                1,
                1,
                Severity.ERROR,
                "CFG003",
                f"theme '{config.theme}' not found under themes/",
            )
        )

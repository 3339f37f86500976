"""Phase 1 up to the site model: read, process, assemble and check; nothing is rendered here.

Each source file is processed (`documents`) only when the build cache has nothing for its
content and settings; otherwise its record comes from the cache and its body stays on disk
until a page needs it. hadolint runs once over the Dockerfile blocks of the files processed in
this build. Then the site is assembled and checked across documents.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from ..cache.packs import BodyRef, DamagedBody
from ..cache.processed import CachedDocument, ProcessedDocument
from ..cache.store import BuildCache
from ..checks import apply_levels, checked_sources, run_site_checks
from ..checks.examples import check_examples
from ..checks.held_back import as_warnings, held_back_sources
from ..config.schema import SiteConfig
from ..content.bundles import source_stem
from ..content.discovery import SourceRef, Sources
from ..content.library import Document, assemble
from ..content.model import Selection, Site, Skipped
from ..content.sources import decode
from ..diagnostics.diagnostic import Collector, Diagnostic
from ..markup.body import StoredBody
from ..markup.outline import Outline
from .process_ahead import Ahead


@dataclass(slots=True)
class Analysis:
    """The site of this build and every problem found before rendering."""

    config: SiteConfig
    site: Site
    documents: list[Document]
    diagnostics: list[Diagnostic]
    skipped: Skipped
    processed: int = 0
    reused: int = 0
    next_change: dt.datetime | None = None


def analyse(
    config: SiteConfig,
    sources: Sources,
    selection: Selection,
    cache: BuildCache,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    ahead: Ahead | None = None,
) -> Analysis:
    """Process what changed, reuse the rest, assemble the site and run the site checks.

    `ahead`: a worker already processing the likely changes (see `ahead`); the caller stops
    it."""
    collector = Collector(sources.problems)
    records: Mapping[str, CachedDocument] = cache.documents.documents if cache.enabled else {}
    todo = [ref for ref in sources.refs if not _reusable(records.get(ref.path), ref, config.root)]
    done, packs = ahead.take(todo) if ahead is not None else ([], {})
    cache.add_packs(packs)
    fresh = {item.path: item for item in done}
    if progress and done:
        progress(len(done))
    rest = [ref for ref in todo if ref.path not in fresh]
    if rest:
        from .processing import process_all  # the Markdown, Pygments and Dockerfile machinery

        processed, packs = process_all(
            rest, config, workers=workers, progress=progress, pack_folder=cache.pack_folder()
        )
        cache.add_packs(packs)
        fresh.update((item.path, item) for item in processed)
    _hadolint(config, fresh, collector, sources.refs, records)
    documents: list[Document] = []
    kept: dict[str, CachedDocument] = {}
    for ref in sources.refs:
        item = fresh.get(ref.path)
        record = item.record if item is not None else records[ref.path]
        kept[ref.path] = record
        collector.extend(record.diagnostics)
        document = _document(cache, record, item, functools.partial(_reprocessed, config, ref))
        if document is not None:
            documents.append(document)
    if cache.writable:
        if fresh or set(records) != set(kept):
            cache.documents_changed()
        cache.documents.documents = kept
    now = dt.datetime.now(dt.UTC)
    site, problems, skipped = assemble(
        config, documents, sources.statics, selection, now, sources.bundle_files
    )
    collector.extend(problems)
    included = checked_sources(site)
    collector.extend(d for path, r in kept.items() if path in included for d in r.checks)
    texts = _Texts({ref.path: ref.abs_path for ref in sources.refs})
    found = run_site_checks(config, site, documents, list(collector), texts)
    found.extend(check_examples(config))
    diagnostics = apply_levels([*collector, *found, *cache.problems], config.checks.levels)
    diagnostics = as_warnings(diagnostics, held_back_sources(documents, included, now))
    return Analysis(
        config,
        site,
        documents,
        diagnostics,
        skipped,
        len(fresh),
        len(kept) - len(fresh),
        _next_change(documents, selection),
    )


def compact_cache(cache: BuildCache) -> None:
    """Drop the bodies no document points at any more from the cache's packs (when worth it)."""
    records = cache.documents.documents
    paths = [path for path, record in records.items() if record.body_ref is not None]
    moved = cache.compact([records[path].body_ref for path in paths])
    if moved is not None:
        for path, body_ref in zip(paths, moved, strict=True):
            records[path] = replace(records[path], body_ref=body_ref)


def _reusable(record: CachedDocument | None, ref: SourceRef, root: Path) -> bool:
    return (
        record is not None
        and record.kind == ref.kind
        and record.stat_key == ref.stat_key
        and (record.front_matter is None or record.body_ref is not None)
        and all(_stat(root / path) == key for path, key in record.inputs)
    )


def _stat(path: Path) -> tuple[int, int, int] | None:
    """A shown file's stat facts now (None: gone), compared with those it was rendered from."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


def _document(
    cache: BuildCache,
    record: CachedDocument,
    item: ProcessedDocument | None,
    reprocess: Callable[[], tuple[str, Outline]],
) -> Document | None:
    if record.front_matter is None or record.facts is None:
        return None
    stem = source_stem(record.path)
    if item is not None and item.body is not None:  # a read-only build: facts worked out once
        return Document(
            record.path, record.kind, stem, record.front_matter, item.body, record.digest
        )
    if record.body_ref is None:
        return None
    body_ref: BodyRef = record.body_ref

    def load() -> tuple[str, Outline]:
        try:
            return cache.body(body_ref)
        except DamagedBody:  # damage the pack's lstat key did not show: made again, here
            return reprocess()

    stored = StoredBody(record.facts, load)
    return Document(record.path, record.kind, stem, record.front_matter, stored, record.digest)


def _reprocessed(config: SiteConfig, ref: SourceRef) -> tuple[str, Outline]:
    """The HTML and outline of `ref`, processed again (its cached body was damaged)."""
    from .processing import make_markdown, process_document

    body = process_document(ref, config, make_markdown(config)).body
    if body is None:  # never publish a blank page in its place: this build fails, the next reports
        raise RuntimeError(f"{ref.path} could not be read again during the build; build again")
    return body.html, body.outline


def _hadolint(
    config: SiteConfig,
    fresh: dict[str, ProcessedDocument],
    collector: Collector,
    refs: list[SourceRef],
    records: Mapping[str, CachedDocument],
) -> None:
    """hadolint over the fresh documents' blocks; findings merged into their diagnostics."""
    if not (config.dockerfile.check and config.dockerfile.hadolint == "auto"):
        return
    from ..dockerfile.hadolint import merge
    from .hadolint_pass import hadolint_findings, not_installed

    blocks = [(path, block) for path, item in fresh.items() for block in item.dockerfiles]
    found = hadolint_findings(blocks)
    if found is None:
        first = next(_first_blocks(refs, fresh, records), None)
        if first is not None:
            collector.add(not_installed(*first))
        return
    by_path: dict[str, list[Diagnostic]] = {}
    for finding in found:
        by_path.setdefault(finding.path, []).append(finding)
    for path, findings in by_path.items():
        record = fresh[path].record
        merged = tuple(merge(record.diagnostics, findings))
        fresh[path] = replace(fresh[path], record=replace(record, diagnostics=merged))


def _first_blocks(
    refs: list[SourceRef],
    fresh: Mapping[str, ProcessedDocument],
    records: Mapping[str, CachedDocument],
) -> Iterator[tuple[str, int, int]]:
    """(path, line, column) of the first Dockerfile block of each source that has one."""
    for ref in refs:
        item = fresh.get(ref.path)
        record = item.record if item is not None else records[ref.path]
        if record.dockerfile_at is not None:
            yield (ref.path, *record.dockerfile_at)


def _next_change(documents: list[Document], selection: Selection) -> dt.datetime | None:
    """The earliest date of a post left out for being in the future (it appears then)."""
    if selection.future:
        return None
    now = selection.now or dt.datetime.now(dt.UTC)
    future = [
        d.front_matter.date
        for d in documents
        if d.front_matter.date is not None and d.front_matter.date > now
    ]
    return min(future, default=None)


class _Texts(Mapping[str, str]):
    """Source texts for the site checks, read (and decoded) when a check first needs one."""

    def __init__(self, paths: dict[str, str]) -> None:
        self._paths = paths
        self._texts: dict[str, str] = {}

    def __getitem__(self, path: str) -> str:
        if path not in self._texts:
            try:
                data = Path(self._paths[path]).read_bytes()
            except OSError:
                data = b""
            self._texts[path] = decode(path, data, []) or ""
        return self._texts[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

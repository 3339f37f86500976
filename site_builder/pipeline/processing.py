"""Documents: turn one source file into everything the build knows about it, in parallel.

`process_document` is the per-file work (read, decode, split and validate front matter, render
Markdown with highlighting and the Dockerfile check, run the document-local checks) and is pure
apart from reading its own file and appending the rendered body to a pack. `process_all` runs
it over every source, across all cores for larger sites: each worker process builds one
Markdown parser and one set of lexers and reuses them for every file it gets, writes the bodies
it renders into its own pack file of the build cache, and sends back only the small record
(`CachedDocument`), so the main process never copies or holds the HTML of the whole site.
Results come back in source order, so the build is the same whatever the number of workers.
Meanwhile, the main process compiles the theme's templates, which it needs next.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from ..cache.packs import PackWriter
from ..cache.processed import CachedDocument, ProcessedDocument, worker_count
from ..checks import run_document_checks
from ..checks.positions import front_matter_spans
from ..config.schema import SiteConfig
from ..content.discovery import SourceRef
from ..content.front_matter.read import parse_source
from ..content.library import Document
from ..content.sources import decode, io_problem, size_problem
from ..diagnostics.diagnostic import Diagnostic
from ..markup.code_blocks import CodeOptions, CodeRenderer
from ..markup.convert import MarkdownRenderer
from ..markup.measurements import load_measurements
from .workers import pool_map

PARALLEL_FROM = 48  # fewer sources than this are processed in the calling process


def process_document(
    ref: SourceRef,
    config: SiteConfig,
    markdown: MarkdownRenderer,
    pack: PackWriter | None = None,
) -> ProcessedDocument:
    """Read, decode, parse, render and check one source file; every problem is a diagnostic.

    With a `pack`, the rendered HTML and outline go there and the result holds only a
    reference to them.
    """
    empty = CachedDocument(ref.path, ref.kind, ref.stat_key, "")
    if ref.size > config.limits.max_file_size:
        problem = size_problem(ref.path, ref.size, config.limits.max_file_size)
        return ProcessedDocument(replace(empty, diagnostics=(problem,)))
    try:
        fd = os.open(ref.abs_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = _read_capped(handle, os.fstat(fd).st_size, config.limits.max_file_size)
    except OSError as error:
        return ProcessedDocument(replace(empty, diagnostics=(io_problem(ref.path, error),)))
    if len(data) > config.limits.max_file_size:
        problem = size_problem(ref.path, len(data), config.limits.max_file_size)
        return ProcessedDocument(replace(empty, diagnostics=(problem,)))
    problems: list[Diagnostic] = []
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    text = decode(ref.path, data, problems)
    if text is None:
        return ProcessedDocument(replace(empty, digest=digest, diagnostics=tuple(problems)))
    parsed = parse_source(ref.path, text, config.tz, require_date=(ref.kind == "post"))
    problems.extend(parsed.diagnostics)
    title = parsed.front_matter.title if parsed.front_matter is not None else None
    body = markdown.render(ref.path, parsed.body, parsed.body_line_offset, title)
    if body.inputs:  # the page shows these files too: a change to one re-renders it
        digest = hashlib.blake2b(repr((digest, body.inputs)).encode(), digest_size=16).hexdigest()
    loaded = body.loaded()  # its facts are worked out once, for the checks and the record
    problems.extend(body.diagnostics)
    checks: tuple[Diagnostic, ...] = ()
    front_matter = parsed.front_matter
    if front_matter is not None:
        spans = front_matter_spans(text.split("\n"), front_matter)
        front_matter = replace(front_matter, value_spans=spans)
        document = Document(ref.path, ref.kind, ref.stem, front_matter, loaded, digest)
        checks = tuple(run_document_checks(config, document, text))
    body_ref = pack.store(body.html, body.outline) if pack is not None else None
    record = CachedDocument(
        ref.path,
        ref.kind,
        ref.stat_key,
        digest,
        front_matter,
        loaded.facts,
        body_ref,
        tuple(problems),
        checks,
        (body.dockerfiles[0].line, body.dockerfiles[0].column) if body.dockerfiles else None,
        body.inputs,
    )
    return ProcessedDocument(record, None if body_ref is not None else loaded, body.dockerfiles)


def _read_capped(handle: BinaryIO, size: int, limit: int) -> bytes:
    """The file's bytes, at most `limit + 1` of them (one more than allowed shows it is too big).

    Reads what `fstat` announced plus one byte, not `limit + 1` at once: a read that large
    allocates the whole buffer first (megabytes per file). A file that grew meanwhile is read on.
    """
    data = handle.read(min(size, limit) + 1)
    if len(data) > size and len(data) <= limit:
        data += handle.read(limit + 1 - len(data))
    return data


def make_markdown(config: SiteConfig) -> MarkdownRenderer:
    """The renderer of one process; it reads measurements.json once (its problems are reported
    by the analysis, once per build)."""
    measurements, _problems = load_measurements(config.root)
    options = CodeOptions.from_config(
        config.dockerfile, config.root, config.limits.max_file_size, measurements
    )
    return MarkdownRenderer(config.markdown, CodeRenderer(options))


_WORKER: dict[str, object] = {}


def _init_worker(config: SiteConfig, pack_folder: Path | None) -> None:
    _WORKER["config"] = config
    _WORKER["markdown"] = make_markdown(config)
    _WORKER["pack"] = PackWriter(pack_folder) if pack_folder is not None else None


Chunk = tuple[list[ProcessedDocument], tuple[str, int] | None]


def _work(refs: Sequence[SourceRef]) -> Chunk:
    config, markdown, pack = _WORKER["config"], _WORKER["markdown"], _WORKER["pack"]
    assert isinstance(config, SiteConfig) and isinstance(markdown, MarkdownRenderer)
    assert pack is None or isinstance(pack, PackWriter)
    done = [process_document(ref, config, markdown, pack) for ref in refs]
    return done, pack.flush() if pack is not None else None


def _chunks(refs: Sequence[SourceRef], count: int) -> list[Sequence[SourceRef]]:
    """`refs` cut for `count` workers: chunks of at most 64 (IPC amortised, progress shown),
    shrinking towards the end (each a share of what is left), so that the workers finish
    together: one worker's last big chunk is not left to run while the others wait."""
    chunks: list[Sequence[SourceRef]] = []
    start = 0
    while start < len(refs):
        size = max(4, min(64, (len(refs) - start) // (count * 2)))
        chunks.append(refs[start : start + size])
        start += size
    return chunks


def process_all(
    refs: Sequence[SourceRef],
    config: SiteConfig,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    pack_folder: Path | None = None,
) -> tuple[list[ProcessedDocument], dict[str, int]]:
    """Every source processed, in the order given; in parallel when it pays.

    With `pack_folder`, bodies are written to pack files there; the second value maps each
    pack written to its size.
    """
    count = worker_count(workers)
    packs: dict[str, int] = {}
    if count == 1 or len(refs) < PARALLEL_FROM:
        markdown = make_markdown(config)
        pack = PackWriter(pack_folder) if pack_folder is not None and refs else None
        done: list[ProcessedDocument] = []
        for ref in refs:
            done.append(process_document(ref, config, markdown, pack))
            if progress:
                progress(1)
        if pack is not None:
            name, size = pack.flush()
            pack.close()
            packs[name] = size
        return done, packs
    chunks = _chunks(refs, count)
    # fork is fast but unsafe in a threaded process (the preview server): there, a fork server
    # starts the workers from a clean single-threaded process.
    methods = multiprocessing.get_all_start_methods()
    if threading.active_count() == 1 and "fork" in methods:
        method = "fork"
    else:
        method = "forkserver" if "forkserver" in methods else "spawn"
    context = multiprocessing.get_context(method)
    results: list[ProcessedDocument] = []
    worked = pool_map(
        _work,
        chunks,
        count,
        context,
        here=lambda todo: _work_here(todo, config, pack_folder),
        initializer=_init_worker,
        initargs=(config, pack_folder),
        meanwhile=lambda: _compile_templates(config),
    )
    with contextlib.closing(worked):  # the workers are gone however the loop ends
        for chunk, written in worked:
            results.extend(chunk)
            if written is not None:
                packs[written[0]] = max(packs.get(written[0], 0), written[1])
            if progress:
                progress(len(chunk))
    return results, packs


def _compile_templates(config: SiteConfig) -> None:
    """The theme's templates compiled while the workers process the sources (this process only
    waits for them then): the render stage, and its workers forked later, find them compiled."""
    from ..render.templates import compile_theme

    with contextlib.suppress(OSError):  # a theme folder it cannot list: the render stage says so
        compile_theme(config)


def _work_here(
    chunks: Sequence[Sequence[SourceRef]], config: SiteConfig, pack_folder: Path | None
) -> Iterator[Chunk]:
    """What the workers would have done, in this process (they could not be started)."""
    markdown = make_markdown(config)
    pack = PackWriter(pack_folder) if pack_folder is not None else None
    try:
        for refs in chunks:
            done = [process_document(ref, config, markdown, pack) for ref in refs]
            yield done, pack.flush() if pack is not None else None
    finally:
        if pack is not None:
            pack.close()

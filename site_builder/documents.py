"""Documents: turn one source file into everything the build knows about it, in parallel.

`process_document` is the per-file work (read, decode, split and validate front matter, render
Markdown with highlighting and the Dockerfile check) and is pure apart from reading its own
file. `process_all` runs it over every source, across all cores for larger sites: each worker
process builds one Markdown parser and one set of lexers and reuses them for every file it gets.
Results come back in source order, so the build is the same whatever the number of workers.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from .checks import run_document_checks
from .code import CodeOptions, CodeRenderer
from .config import SiteConfig
from .diagnostics import Diagnostic
from .discovery import SourceRef
from .frontmatter import FrontMatter, parse_source
from .library import Document
from .markdown import MarkdownRenderer, RenderedBody
from .sources import decode, io_problem, size_problem

PARALLEL_FROM = 48  # fewer sources than this are processed in the calling process


@dataclass(frozen=True, slots=True)
class ProcessedDocument:
    """One source, read and rendered. `front_matter` is None when the file cannot be published."""

    path: str
    kind: str
    digest: str
    text: str
    front_matter: FrontMatter | None
    body: RenderedBody | None
    diagnostics: tuple[Diagnostic, ...]
    checks: tuple[Diagnostic, ...] = ()  # document checks; they count if the build includes it

    @property
    def document(self) -> Document | None:
        """The document for assembly, when its front matter and body are usable."""
        if self.front_matter is None or self.body is None:
            return None
        return Document(
            self.path,
            self.kind,
            PurePosixPath(self.path).stem,
            self.front_matter,
            self.body.loaded(),
            self.digest,
        )


def process_document(
    ref: SourceRef, config: SiteConfig, markdown: MarkdownRenderer
) -> ProcessedDocument:
    """Read, decode, parse and render one source file; every problem becomes a diagnostic."""
    problems: list[Diagnostic] = []
    if ref.size > config.limits.max_file_size:
        problems.append(size_problem(ref.path, ref.size, config.limits.max_file_size))
        return ProcessedDocument(ref.path, ref.kind, "", "", None, None, tuple(problems))
    try:
        fd = os.open(ref.abs_path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(config.limits.max_file_size + 1)
    except OSError as error:
        problems.append(io_problem(ref.path, error))
        return ProcessedDocument(ref.path, ref.kind, "", "", None, None, tuple(problems))
    if len(data) > config.limits.max_file_size:
        problems.append(size_problem(ref.path, len(data), config.limits.max_file_size))
        return ProcessedDocument(ref.path, ref.kind, "", "", None, None, tuple(problems))
    digest = hashlib.blake2b(data, digest_size=16).hexdigest()
    text = decode(ref.path, data, problems)
    if text is None:
        return ProcessedDocument(ref.path, ref.kind, digest, "", None, None, tuple(problems))
    parsed = parse_source(ref.path, text, config.tz, require_date=(ref.kind == "post"))
    problems.extend(parsed.diagnostics)
    body = markdown.render(ref.path, parsed.body, parsed.body_line_offset)
    problems.extend(body.diagnostics)
    done = ProcessedDocument(
        ref.path, ref.kind, digest, text, parsed.front_matter, body, tuple(problems)
    )
    document = done.document
    if document is None:
        return done
    return replace(done, checks=tuple(run_document_checks(config, document, text)))


def make_markdown(config: SiteConfig) -> MarkdownRenderer:
    return MarkdownRenderer(
        config.markdown, CodeRenderer(CodeOptions.from_config(config.dockerfile))
    )


_WORKER: dict[str, object] = {}


def _init_worker(config: SiteConfig) -> None:
    _WORKER["config"] = config
    _WORKER["markdown"] = make_markdown(config)


def _work(refs: Sequence[SourceRef]) -> list[ProcessedDocument]:
    config = _WORKER["config"]
    markdown = _WORKER["markdown"]
    assert isinstance(config, SiteConfig) and isinstance(markdown, MarkdownRenderer)
    return [process_document(ref, config, markdown) for ref in refs]


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def process_all(
    refs: Sequence[SourceRef],
    config: SiteConfig,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[ProcessedDocument]:
    """Every source processed, in the order given; in parallel when it pays."""
    count = default_workers() if workers is None else max(1, workers)
    if count == 1 or len(refs) < PARALLEL_FROM:
        markdown = make_markdown(config)
        done: list[ProcessedDocument] = []
        for ref in refs:
            done.append(process_document(ref, config, markdown))
            if progress:
                progress(1)
        return done
    # Chunks small enough to balance the load and show progress, big enough to amortise IPC.
    size = max(4, min(64, len(refs) // (count * 8) or 1))
    chunks = [refs[i : i + size] for i in range(0, len(refs), size)]
    method = (
        "fork"
        if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
        else "spawn"
    )
    context = multiprocessing.get_context(method)
    results: list[ProcessedDocument] = []
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=_init_worker, initargs=(config,)
    ) as pool:
        for chunk in pool.map(_work, chunks):
            results.extend(chunk)
            if progress:
                progress(len(chunk))
    return results

"""Produce the output files of a plan into a staging tree: reuse what is unchanged, render the
rest, across worker processes when there is much to render.

A page whose signature matches the published one is linked, not rendered. The pages left are
rendered by forked workers (each inherits the site and the templates, loaded before the fork
rather than compiled again in every worker, renders its share, writes it into the staging
tree, making the folders it needs, and returns only the file records), or in this process when
there are few of them or threads are running (forking a threaded process is unsafe).
Output is the same whatever the number of workers: each file depends only on its own job.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..cache.processed import worker_count
from ..content.model import Site
from ..diagnostics.diagnostic import Diagnostic
from ..publish.staging import Entry, Staging
from ..render.site_files import Plan, TemplateErrors, output_path
from ..render.templates import template_diagnostic
from .workers import pool_map

PARALLEL_FROM = 200  # fewer pages than this are rendered in this process


@dataclass(frozen=True, slots=True)
class Produced:
    diagnostics: list[Diagnostic]
    rendered: int
    reused: int


def produce(
    plan: Plan,
    staging: Staging,
    site: Site,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Produced:
    """Fill `staging` with every file of `plan`; template errors come back as TPL001."""
    todo: list[int] = []
    reused = 0
    for index, job in enumerate(plan.jobs):
        path = output_path(job.url)
        if staging.keep(path, job.signature):
            reused += 1
        else:
            todo.append(index)
    for path, copy in plan.copies.items():
        staging.copy(path, copy.source, copy.signature)
    count = worker_count(workers)
    errors = TemplateErrors(site)
    if count > 1 and len(todo) >= PARALLEL_FROM and threading.active_count() == 1:
        results = _in_workers(plan, staging, site, todo, count, progress)
    else:
        _STATE[:] = [plan, staging, site]
        results = []
        for start in range(0, len(todo), 64):
            results.append(_render(todo[start : start + 64]))
            if progress:
                progress(len(results[-1][0]) + len(results[-1][1]))
    for done, problems in results:
        for path, entry, wrote in done:
            staging.add(path, entry, wrote)
        for problem in problems:
            if problem.sort_key not in {d.sort_key for d in errors.found}:
                errors.found.append(problem)
    _STATE.clear()
    return Produced([*errors.found, *plan.diagnostics], len(todo), reused)


_STATE: list[object] = []
Done = tuple[list[tuple[str, Entry, bool]], list[Diagnostic]]


def _render(indices: Sequence[int]) -> Done:
    plan, staging, site = _STATE
    assert isinstance(plan, Plan) and isinstance(staging, Staging) and isinstance(site, Site)
    done: list[tuple[str, Entry, bool]] = []
    problems: list[Diagnostic] = []
    for index in indices:
        job = plan.jobs[index]
        path = output_path(job.url)
        try:
            data = job.make()
        except Exception as error:  # noqa: BLE001 - every template failure becomes a diagnostic
            problems.append(template_diagnostic(site.config, error))
            continue
        entry, wrote = staging.put(path, data, job.signature)
        done.append((path, entry, wrote))
    return done, problems


def _chunks(plan: Plan, todo: list[int], count: int) -> list[list[int]]:
    """`todo` cut into chunks for `count` workers: each group of jobs whole in one chunk, first
    (a group is costly, so it should not be the last thing a worker starts), then the rest
    dealt round-robin, so the costly files (long lists) spread over every chunk."""
    groups: dict[str, list[int]] = {}
    single: list[int] = []
    for index in todo:
        group = plan.jobs[index].group
        if group:
            groups.setdefault(group, []).append(index)
        else:
            single.append(index)
    size = max(16, min(128, len(single) // (count * 6) or 1))
    number = -(-len(single) // size)
    return [*groups.values(), *(single[i::number] for i in range(number))]


def _in_workers(
    plan: Plan,
    staging: Staging,
    site: Site,
    todo: list[int],
    count: int,
    progress: Callable[[int], None] | None,
) -> list[Done]:
    chunks = _chunks(plan, todo, count)
    if plan.renderer is not None:  # compiled once here, not once in every worker
        plan.renderer.load_templates()
    _STATE[:] = [plan, staging, site]  # inherited by the forked workers
    import multiprocessing  # here: an edit that renders a few pages never needs a pool

    context = multiprocessing.get_context("fork")
    results: list[Done] = []
    # closed however the loop ends: a signal landing in the loop body (not in the generator)
    # must kill the workers before the caller removes the staging tree they write into
    with contextlib.closing(
        pool_map(_render, chunks, count, context, here=lambda rest: map(_render, rest))
    ) as rendered:
        for result in rendered:
            results.append(result)
            if progress:
                progress(len(result[0]) + len(result[1]))
    return results

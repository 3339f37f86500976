"""Work done once per build, not once per worker: the theme's templates are compiled in the
build process while the first workers process the sources, and loaded before the render
workers fork, so no worker compiles a template."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import jinja2
import pytest
from conftest import post

from site_builder.pipeline import processing, produce
from site_builder.pipeline.phases import build
from site_builder.pipeline.workers import pool_map
from site_builder.render import templates

THEME = {
    "themes/mine/templates/post.html": (
        "{% extends 'base.html' %}\n{% block content %}\n<p>mine {{ post.title }}</p>\n"
        "{% endblock %}\n"
    ),
    "site.toml": 'theme = "mine"\n',
}


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for a tiny site: two of them for processing and for rendering, and no template
    compiled by an earlier test of this process."""
    from site_builder.cache import processed

    monkeypatch.setattr(processed, "default_workers", lambda: 2)
    monkeypatch.setattr(processing, "PARALLEL_FROM", 2)
    monkeypatch.setattr(produce, "PARALLEL_FROM", 2)
    monkeypatch.setattr(templates, "_COMPILED", templates._CompiledTemplates())


def _compiles_logged(monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
    """Each template compilation appends the compiling process's id to `log` (forked workers
    inherit the wrapper)."""
    original = jinja2.Environment.compile

    def compile_logged(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_logged)


def test_no_worker_compiles_a_template(make_site, parallel, monkeypatch, tmp_path) -> None:
    log = tmp_path / "compiles.txt"
    _compiles_logged(monkeypatch, log)
    root = make_site({**THEME, **{f"content/posts/p{i}.md": post(f"Post {i}") for i in range(8)}})
    result = build(root, workers=2)
    assert result.published and result.rendered >= 8
    pids = log.read_text().split()
    assert pids and set(pids) == {str(os.getpid())}, "a worker compiled a template"
    pages = [p.read_bytes() for p in (root / "output/posts").glob("*/index.html")]
    assert sum(b"<p>mine Post " in page for page in pages) == 8


def test_templates_that_fail_are_still_reported_from_the_workers(make_site, parallel) -> None:
    """Loading every template before the fork leaves out the ones that fail: each page that
    uses one reports it as before."""
    root = make_site(
        {
            **{f"content/posts/p{i}.md": post(f"Post {i}") for i in range(4)},
            "themes/mine/templates/post.html": "{% extends 'base.html' %}\n{% block content %}\n"
            "{{ post.titel }}\n{% endblock %}\n",
            "themes/mine/templates/tags.html": "{% if %}\n",
            "site.toml": 'theme = "mine"\n',
        }
    )
    result = build(root, workers=2)
    assert not result.published
    assert [d.format() for d in result.diagnostics] == [
        "themes/mine/templates/post.html:3:1: error TPL001: 'Post object' has no attribute 'titel'",
        "themes/mine/templates/tags.html:1:1: error TPL001: template syntax error: "
        "Expected an expression, got 'end of statement block'",
    ]


def test_meanwhile_runs_once_here_while_the_workers_work() -> None:
    calls: list[int] = []
    results = pool_map(
        abs,
        [1, -2, 3],
        2,
        multiprocessing.get_context("fork"),
        here=lambda items: map(abs, items),
        meanwhile=lambda: calls.append(os.getpid()),
    )
    assert list(results) == [1, 2, 3]
    assert calls == [os.getpid()]

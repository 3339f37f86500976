"""The sources edited since the last build are processed in a forked worker while the build
reads its cache (`site_builder.ahead`): the output is what a cold build gives, whether the
guess was right, wrong or the worker failed, and a guess that was not needed leaves nothing in
the cache.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import write_site
from test_incremental import OPTIONS, cold_copy, edit, initial_files, post, tree

from site_builder.cache.store import CACHE_DIR, INDEX_FILES, BuildCache
from site_builder.config.load import load_config
from site_builder.content.discovery import SourceRef, discover_sources
from site_builder.pipeline import process_ahead as ahead
from site_builder.pipeline.fingerprints import processing_key
from site_builder.pipeline.phases import build
from site_builder.render import templates


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The paths each build took from the worker (one list per build that started one)."""
    seen: list[list[str]] = []
    original = ahead.Ahead.take

    def take(self: ahead.Ahead, wanted: Sequence[SourceRef]) -> ahead.Processed:
        done, packs = original(self, wanted)
        seen.append(sorted(item.path for item in done))
        return done, packs

    monkeypatch.setattr(ahead.Ahead, "take", take)
    return seen


def packs(root: Path) -> set[str]:
    return {p.name for p in (root / CACHE_DIR).glob("bodies-*.pack")}


def test_an_edited_post_is_processed_ahead_and_the_site_is_what_a_cold_build_gives(
    tmp_path: Path, taken: list[list[str]]
) -> None:
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    assert taken == []  # a first build has no index to compare with
    edit(root, "content/posts/p05.md", lambda t: t.replace("Intro", "A changed intro"))
    edit(root, "content/posts/p06.md", lambda t: t.replace("Post number 6", "Another title"))
    result = build(root, OPTIONS)
    assert result.published and result.processed == 2
    assert taken == [["content/posts/p05.md", "content/posts/p06.md"]]
    assert b"A changed intro" in (root / "output/posts/p05/index.html").read_bytes()
    assert tree(root) == cold_copy(root, tmp_path / "cold")


def age_index(root: Path) -> None:
    """Make the cache's index look older than every source: all of them are guessed."""
    for name in INDEX_FILES:
        index = root / CACHE_DIR / name
        if index.exists():
            os.utime(index, ns=(1_000_000_000, 1_000_000_000))


def test_a_wrong_guess_only_costs_the_workers_time(tmp_path: Path, taken: list[list[str]]) -> None:
    files = {f"content/posts/p{n:02}.md": post(n) for n in range(6)}
    root = write_site(tmp_path / "site", {**files, "site.toml": 'title = "Guess"\n'})
    assert build(root, OPTIONS).published
    edit(root, "content/posts/p03.md", lambda t: t.replace("Intro", "Edited"))
    age_index(root)
    result = build(root, OPTIONS)
    assert result.published and result.processed == 1
    assert taken == [["content/posts/p03.md"]]  # six guessed, one needed
    assert tree(root) == cold_copy(root, tmp_path / "cold")
    assert build(root, OPTIONS).unchanged


def test_a_guess_nothing_needed_deletes_the_workers_pack(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/posts/p00.md": post(0)})
    assert build(root, OPTIONS).published
    config, _ = load_config(root)
    sources = discover_sources(config)
    cache = BuildCache(config.root, processing_key(config))
    before = packs(root)
    age_index(root)
    worker = ahead.start(config, sources.refs, cache)
    assert worker is not None and worker.paths == {"content/posts/p00.md"}
    # let it process the post, write its pack and send its documents (it then compiles the
    # theme and waits for the build to read them: it does not exit by itself)
    assert select.select([worker._reader], [], [], 60)[0]
    assert packs(root) != before
    assert worker.take([]) == ([], {})  # the cache had every record: nothing wanted
    assert packs(root) == before
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)  # stopped and reaped
    cache.close()


def test_a_failing_worker_leaves_the_work_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[list[str]]
) -> None:
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published

    def broken(*_args: object) -> ahead.Processed:
        raise RuntimeError("the worker breaks")

    monkeypatch.setattr(ahead, "_process", broken)  # the fork inherits the broken function
    edit(root, "content/posts/p07.md", lambda t: t.replace("Intro", "Edited intro"))
    result = build(root, OPTIONS)
    assert result.published and result.processed == 1
    assert taken == [[]]
    assert b"Edited intro" in (root / "output/posts/p07/index.html").read_bytes()
    assert tree(root) == cold_copy(root, tmp_path / "cold")


def test_a_cancelled_worker_is_stopped_and_reaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site(tmp_path / "site", {"content/posts/p00.md": post(0)})
    assert build(root, OPTIONS).published

    def slow(*_args: object) -> ahead.Processed:
        time.sleep(60)
        return [], {}

    monkeypatch.setattr(ahead, "_process", slow)
    edit(root, "content/posts/p00.md", lambda t: t.replace("Intro", "New intro"))
    config, _ = load_config(root)
    cache = BuildCache(config.root, processing_key(config))
    worker = ahead.start(config, discover_sources(config).refs, cache)
    assert worker is not None
    started = time.monotonic()
    worker.cancel()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(worker.pid, os.WNOHANG)  # already reaped
    worker.cancel()  # a second call does nothing
    cache.close()


def test_no_worker_without_an_index_with_many_edits_or_beside_threads(tmp_path: Path) -> None:
    files = {f"content/posts/p{n:02}.md": post(n) for n in range(20)}
    root = write_site(tmp_path / "site", files)
    config, _ = load_config(root)
    refs = discover_sources(config).refs
    cache = BuildCache(config.root, processing_key(config))
    assert ahead.start(config, refs, cache) is None  # no index yet
    cache.close()
    assert build(root, OPTIONS).published
    cache = BuildCache(config.root, processing_key(config))
    for n in range(ahead.MAX_GUESS + 1):
        edit(root, f"content/posts/p{n:02}.md", lambda t: t.replace("Intro", "Edited"))
    assert ahead.start(config, discover_sources(config).refs, cache) is None  # too many
    edit(root, "content/posts/p00.md", lambda t: t.replace("Intro", "Once more"))
    assert build(root, OPTIONS).published
    edit(root, "content/posts/p01.md", lambda t: t.replace("Intro", "And again"))
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:  # fork is unsafe beside threads (the preview server): no worker there
        assert ahead.start(config, discover_sources(config).refs, cache) is None
    finally:
        stop.set()
        thread.join()
    cache.close()


def test_a_failed_fork_leaves_the_work_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    edit(root, "content/posts/p02.md", lambda t: t.replace("Intro", "Edited without a worker"))
    fds = len(os.listdir("/proc/self/fd"))
    result = build(root, OPTIONS)
    assert result.published and result.processed == 1
    assert len(os.listdir("/proc/self/fd")) == fds  # the pipe was closed
    assert b"without a worker" in (root / "output/posts/p02/index.html").read_bytes()


def test_an_edit_build_leaves_the_parsing_machinery_to_the_worker(tmp_path: Path) -> None:
    """The build process of an edit imports none of YAML, Markdown, Pygments, the Dockerfile
    checker or a process pool: the worker processes the edit, the rest comes from the cache."""
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    edit(root, "content/posts/p05.md", lambda t: t.replace("Intro", "A changed intro"))
    heavy = ["yaml", "markdown_it", "pygments", "site_builder.dockerfile", "multiprocessing"]
    script = (
        "import sys\n"
        "from site_builder.cli import main\n"
        f"code = main(['--root', {str(root)!r}, '--quiet'])\n"
        f"print(code, sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.split("\n")[0] == "0 []", done.stdout + done.stderr
    assert b"A changed intro" in (root / "output/posts/p05/index.html").read_bytes()


def _count_compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Template names Jinja compiles in this process (a forked worker counts its own)."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def compile(self: jinja2.Environment, source: str, name: str | None = None, *a: Any) -> Any:
        compiled.append(name or "?")
        return original(self, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return compiled


def test_the_worker_compiles_the_theme_for_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    monkeypatch.setattr(ahead, "default_workers", lambda: 2)  # a spare core, whatever CI has
    original = ahead.Ahead.templates

    def patient(self: ahead.Ahead) -> dict[str, bytes]:
        select.select([self._reader], [], [], 60)  # a build takes them only if ready: wait
        return original(self)

    monkeypatch.setattr(ahead.Ahead, "templates", patient)
    templates._COMPILED.clear()  # what earlier builds in this process compiled
    compiled = _count_compiles(monkeypatch)
    edit(root, "content/posts/p05.md", lambda t: t.replace("Intro", "A changed intro"))
    result = build(root, OPTIONS)
    assert result.published and result.rendered > 0
    assert compiled == []  # every page rendered from the worker's templates
    assert b"A changed intro" in (root / "output/posts/p05/index.html").read_bytes()
    assert tree(root) == cold_copy(root, tmp_path / "cold")


def test_a_theme_not_compiled_in_time_is_compiled_by_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    monkeypatch.setattr(ahead, "default_workers", lambda: 2)

    def slow(config: object) -> dict[str, bytes]:
        time.sleep(60)
        return {}

    monkeypatch.setattr(ahead, "_compile_theme", slow)  # the fork inherits the slow one
    templates._COMPILED.clear()
    compiled = _count_compiles(monkeypatch)
    edit(root, "content/posts/p05.md", lambda t: t.replace("Intro", "A changed intro"))
    started = time.monotonic()
    result = build(root, OPTIONS)
    assert time.monotonic() - started < 30  # not waited for
    assert result.published and "post.html" in compiled
    assert tree(root) == cold_copy(root, tmp_path / "cold")


def test_a_stale_template_from_the_worker_is_not_used(tmp_path: Path) -> None:
    """Jinja checks preloaded bytecode against the template's source as it loads it."""
    theme = "themes/default/templates"
    page = "{% extends 'base.html' %}{% block content %}<p>Lost?</p>{% endblock %}\n"
    files = {**initial_files(), f"{theme}/404.html": page}
    root = write_site(tmp_path / "site", files)
    assert build(root, OPTIONS).published
    before = templates.compile_theme(load_config(root)[0])  # the 404 page as it is now
    templates._COMPILED.clear()
    edit(root, f"{theme}/404.html", lambda t: t.replace("Lost?", "Lost? Try the archive."))
    templates.preload(before)  # as if a worker had compiled it just before the edit
    assert build(root, OPTIONS).published
    assert b"Lost? Try the archive." in (root / "output/404.html").read_bytes()

"""Incremental builds give exactly what a cold build gives, and redo only what changed.

A site is built once with the cache and worker processes, then edited step by step (text,
title, tags, new and deleted posts, series, drafts, a heading another post links to, a
template, the config, static files); after each step the incremental build's output is
compared, file by file, with a cold single-worker build of the same content.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_site

from site_builder.cache.store import CACHE_DIR
from site_builder.pipeline import processing as documents
from site_builder.pipeline import produce
from site_builder.pipeline.phases import BuildOptions, build
from site_builder.publish.swap import MARKER

OPTIONS = BuildOptions(drafts=False, future=False)


def post(
    number: int,
    *,
    title: str | None = None,
    tags: str = "Docker",
    series: str = "",
    body: str = "",
    draft: bool = False,
) -> str:
    extra = f"series: {series}\nseries_order: {number % 5 + 1}\n" if series else ""
    return (
        f"---\ntitle: {title or f'Post number {number}'}\ndate: 2024-01-{number % 28 + 1:02} 10:{number % 60:02}\n"
        f"tags: [{tags}]\ndescription: The description of post {number}, long enough to be a useful summary.\n"
        f"{extra}published: {'false' if draft else 'true'}\n---\n\n"
        f"Intro of post {number}. {body}\n\n## Section A\n\nText of section A in post {number}.\n\n"
        f"## Section B\n\nSee [the first post](/posts/p00/#section-a).\n\n"
        f"```dockerfile\nFROM alpine:3.19\nRUN echo {number}\n```\n"
    )


def initial_files() -> dict[str, str]:
    files = {
        f"content/posts/p{n:02}.md": post(
            n,
            tags="Docker, NodeJS" if n % 3 else "Docker, Open Source",
            series="Basics" if n < 4 else "",
        )
        for n in range(40)
    }
    files["content/pages/about.md"] = "---\ntitle: About\n---\n\nAbout this site.\n"
    files["content/static/img/logo.svg"] = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    files["site.toml"] = (
        'title = "Incremental"\nposts_per_page = 7\n[dockerfile]\nhadolint = "off"\n'
    )
    return files


def tree(root: Path) -> dict[str, bytes]:
    out = root / "output"
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def cold_copy(root: Path, scratch: Path) -> dict[str, bytes]:
    """The output of a cold, single-worker build of `root`'s content."""
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("output", ".output.*", CACHE_DIR))
    result = build(scratch, OPTIONS, workers=1, use_cache=False)
    assert result.published, [d.format() for d in result.diagnostics]
    return tree(scratch)


def edit(root: Path, rel: str, change: Callable[[str], str]) -> None:
    path = root / rel
    path.write_text(change(path.read_text()))


STEPS: list[tuple[str, Callable[[Path], None]]] = [
    ("nothing", lambda r: None),
    (
        "body text",
        lambda r: edit(r, "content/posts/p05.md", lambda t: t.replace("Intro", "Changed intro")),
    ),
    (
        "title",
        lambda r: edit(
            r, "content/posts/p06.md", lambda t: t.replace("Post number 6", "A new title")
        ),
    ),
    (
        "description",
        lambda r: edit(r, "content/posts/p09.md", lambda t: t.replace("The description", "Now")),
    ),
    (
        "date",
        lambda r: edit(r, "content/posts/p11.md", lambda t: t.replace("2024-01-12", "2023-06-01")),
    ),
    (
        "canonical url",
        lambda r: edit(
            r,
            "content/posts/p12.md",
            lambda t: t.replace(
                "published: true", "published: true\ncanonical_url: https://x.example/p"
            ),
        ),
    ),
    (
        "tags",
        lambda r: edit(
            r, "content/posts/p07.md", lambda t: t.replace("Docker, NodeJS", "Kubernetes")
        ),
    ),
    (
        "tag display name",
        lambda r: [
            edit(r, f"content/posts/p{n:02}.md", lambda t: t.replace("NodeJS", "nodejs"))
            for n in range(8, 40)
        ],
    ),
    (
        "new post",
        lambda r: (r / "content/posts/p40.md").write_text(post(40, tags="Docker, Caching")),
    ),
    ("deleted post", lambda r: (r / "content/posts/p39.md").unlink()),
    ("renamed post", lambda r: (r / "content/posts/p38.md").rename(r / "content/posts/renamed.md")),
    (
        "series order",
        lambda r: edit(
            r, "content/posts/p01.md", lambda t: t.replace("series_order: 2", "series_order: 4")
        ),
    ),
    (
        "draft",
        lambda r: edit(
            r, "content/posts/p10.md", lambda t: t.replace("published: true", "published: false")
        ),
    ),
    (
        "heading text",
        lambda r: edit(
            r, "content/posts/p00.md", lambda t: t.replace("## Section A", "## Section A!")
        ),
    ),
    (
        "template",
        lambda r: write_site(
            r,
            {
                "themes/default/templates/404.html": "<!DOCTYPE html><title>Lost</title><p>{{ config.title }} has no such page.</p>\n"
            },
        ),
    ),
    (
        "config",
        lambda r: edit(
            r, "site.toml", lambda t: t.replace("posts_per_page = 7", "posts_per_page = 5")
        ),
    ),
    (
        "static file",
        lambda r: (r / "content/static/img/logo.svg").write_text(
            "<svg xmlns='http://www.w3.org/2000/svg'><g/></svg>"
        ),
    ),
    ("new static file", lambda r: write_site(r, {"content/static/notes.txt": "plain text"})),
]


@pytest.fixture
def parallel(monkeypatch):
    """Use worker processes even for this small site."""
    monkeypatch.setattr(documents, "PARALLEL_FROM", 2)
    monkeypatch.setattr(produce, "PARALLEL_FROM", 2)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_incremental_build_equals_a_cold_build(tmp_path, parallel):
    root = write_site(tmp_path / "site", initial_files())
    first = build(root, OPTIONS, workers=2)
    assert first.published and first.processed == 41
    assert tree(root) == cold_copy(root, tmp_path / "cold")
    for name, step in STEPS:
        step(root)
        result = build(root, OPTIONS, workers=2)
        assert result.published, (name, [d.format() for d in result.diagnostics])
        assert tree(root) == cold_copy(root, tmp_path / "cold"), f"after the '{name}' step"


def test_a_body_edit_reprocesses_one_file_and_rewrites_only_what_shows_it(tmp_path):
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    out = root / "output"
    before = {p: os.stat(p) for p in out.rglob("*") if p.is_file()}
    edit(
        root,
        "content/posts/p20.md",
        lambda t: t.replace("Text of section A", "Edited text of section A"),
    )
    result = build(root, OPTIONS)
    assert result.published and not result.unchanged
    assert result.processed == 1
    changed = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file()
        and p.name != MARKER
        and "pagefind" not in p.parts  # the search index is rebuilt whole by Pagefind
        and (p not in before or os.stat(p).st_mtime_ns != before[p].st_mtime_ns)
    }
    # the post's page, and the feeds that carry its full text; nothing else
    assert "posts/p20/index.html" in changed
    assert changed <= {
        "posts/p20/index.html",
        "atom.xml",
        "feed.json",
        "tags/docker/atom.xml",
        "tags/nodejs/atom.xml",
        "tags/open-source/atom.xml",
    }, changed
    untouched = out / "posts/p21/index.html"
    assert os.stat(untouched).st_ino == before[untouched].st_ino
    assert os.stat(untouched).st_mtime_ns == before[untouched].st_mtime_ns


def test_an_unchanged_site_is_answered_from_the_last_build(tmp_path):
    root = write_site(tmp_path / "site", initial_files())
    first = build(root, OPTIONS)
    again = build(root, OPTIONS)
    assert again.unchanged and again.published and again.processed == 0 and again.rendered == 0
    assert again.diagnostics == first.diagnostics and again.files == first.files
    # the output was replaced behind the cache's back: a real build again
    shutil.rmtree(root / "output")
    third = build(root, OPTIONS)
    assert not third.unchanged and (root / "output/index.html").is_file()


def test_no_cache_is_a_cold_build_and_leaves_the_cache_alone(tmp_path):
    root = write_site(tmp_path / "site", initial_files())
    result = build(root, OPTIONS, use_cache=False)
    assert result.published and result.processed == 41
    assert not (root / CACHE_DIR).exists()


def test_a_corrupt_cache_is_ignored_with_a_warning(tmp_path):
    root = write_site(tmp_path / "site", initial_files())
    expected = cold_copy(root, tmp_path / "cold")
    assert build(root, OPTIONS).published
    (root / CACHE_DIR / "documents.pickle").write_bytes(b"\x80\x05garbage")
    edit(root, "content/posts/p03.md", lambda t: t.replace("Intro", "Other intro"))
    result = build(root, OPTIONS)
    assert result.published
    assert [d.code for d in result.diagnostics if d.code == "CACHE001"] == ["CACHE001"]
    assert result.processed == 41
    assert tree(root) == cold_copy(root, tmp_path / "cold") != expected


def test_a_cache_that_would_run_code_is_refused(tmp_path):
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    canary = tmp_path / "canary"
    payload = b"cos\nsystem\n(S'touch " + str(canary).encode() + b"'\ntR."
    (root / CACHE_DIR / "state.pickle").write_bytes(payload)
    result = build(root, OPTIONS)
    assert result.published and not canary.exists()
    assert any(d.code == "CACHE001" for d in result.diagnostics)


def test_a_cache_copied_from_another_site_is_not_trusted(tmp_path):
    one = write_site(tmp_path / "one", initial_files())
    assert build(one, OPTIONS).published
    other = write_site(tmp_path / "other", {**initial_files(), "site.toml": 'title = "Other"\n'})
    shutil.copytree(one / CACHE_DIR, other / CACHE_DIR)
    result = build(other, OPTIONS)
    assert result.published and result.processed == 41
    assert any("another site" in d.message for d in result.diagnostics if d.code == "CACHE001")
    assert b"Other" in (other / "output/index.html").read_bytes()


def test_renaming_a_heading_breaks_links_from_unchanged_posts(tmp_path):
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    before = tree(root)
    edit(root, "content/posts/p00.md", lambda t: t.replace("## Section A", "## Renamed section"))
    result = build(root, OPTIONS)
    assert not result.published and result.processed == 1
    broken = {d.path for d in result.diagnostics if d.code == "LNK002"}
    assert broken == {f"content/posts/p{n:02}.md" for n in range(40)}  # p00 links to itself too
    assert tree(root) == before
    edit(root, "content/posts/p00.md", lambda t: t.replace("## Renamed section", "## Section A"))
    result = build(root, OPTIONS)
    assert result.published and not any(d.code == "LNK002" for d in result.diagnostics)


def test_the_body_pack_is_compacted_and_stays_correct(tmp_path, monkeypatch):
    from site_builder.cache import store as cache

    monkeypatch.setattr(cache, "COMPACT_FLOOR", 0)
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published

    def packs() -> int:
        return sum(p.stat().st_size for p in (root / CACHE_DIR).glob("bodies-*.pack"))

    full = packs()
    sizes = []
    for n in range(4):  # every post edited: each round appends a whole new set of bodies
        for number in range(40):
            edit(root, f"content/posts/p{number:02}.md", lambda t, n=n: t.replace("Intro", f"I{n}"))
        assert build(root, OPTIONS).published
        sizes.append(packs())
    # without compaction the pack would grow to 5 sets of bodies; it is rewritten to one set
    # whenever more than half of it is garbage
    assert max(sizes) < 3.2 * full and min(sizes) < 1.2 * full, sizes
    assert tree(root) == cold_copy(root, tmp_path / "cold")


def test_the_next_build_in_the_same_process_takes_the_saved_index(tmp_path, monkeypatch):
    from site_builder.cache import store as cache

    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    read: list[str] = []
    real_read = cache.BuildCache._read

    def counting_read(self: cache.BuildCache, name: str) -> object:
        read.append(name)
        return real_read(self, name)

    monkeypatch.setattr(cache.BuildCache, "_read", counting_read)
    for n in range(3):
        edit(root, "content/posts/p07.md", lambda t, n=n: t.replace("Intro", f"Edit {n} of the"))
        result = build(root, OPTIONS)
        assert result.published and result.processed == 1
    assert "documents.pickle" not in read  # each build took the index the previous one saved
    assert tree(root) == cold_copy(root, tmp_path / "cold")


def test_an_index_another_process_rewrote_is_read_again(tmp_path):
    root = write_site(tmp_path / "site", initial_files())
    assert build(root, OPTIONS).published
    # Another terminal: `build-site` runs while this process (say, a preview) keeps its index.
    edit(root, "content/posts/p08.md", lambda t: t.replace("Intro", "Another process wrote"))
    edit(root, "content/posts/p09.md", lambda t: t.replace("## Section A", "## Section A2"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    subprocess.run(
        [sys.executable, "-m", "site_builder", "--root", str(root), "--quiet"], check=True, env=env
    )
    edit(root, "content/posts/p09.md", lambda t: t.replace("## Section A2", "## Section A"))
    result = build(root, OPTIONS)
    assert result.published and result.processed == 1
    assert tree(root) == cold_copy(root, tmp_path / "cold")


def test_the_feeds_are_rendered_by_one_worker_and_first(tmp_path, monkeypatch):
    """Each post's feed entry is memoised per process: the feeds go to one worker together
    (else most entries are built twice), and first, so they are not the last thing started."""
    from site_builder.pipeline.phases import load
    from site_builder.render.site_files import plan_site

    files = initial_files()
    files["site.toml"] += "[feeds]\njson_feed = true\n"
    loaded = load(write_site(tmp_path / "site", files), OPTIONS)
    assert loaded.site is not None
    plan = plan_site(loaded.site)
    todo = list(range(len(plan.jobs)))
    chunks = produce._chunks(plan, todo, 2)
    feeds = [i for i, job in enumerate(plan.jobs) if job.url.endswith(("atom.xml", "feed.json"))]
    assert len(feeds) > 5 and "/feed.json" in {plan.jobs[i].url for i in feeds}
    assert chunks[0] == feeds
    assert sorted(i for chunk in chunks for i in chunk) == todo
    assert all(plan.jobs[i].group == "" for chunk in chunks[1:] for i in chunk)


@pytest.mark.parametrize("sources", [1, 5, 48, 1000, 5003])
def test_sources_are_dealt_in_shrinking_chunks_that_keep_their_order(sources):
    refs = list(range(sources))
    chunks = documents._chunks(refs, 2)  # type: ignore[arg-type]
    assert [ref for chunk in chunks for ref in chunk] == refs
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) <= 64 and sizes == sorted(sizes, reverse=True)
    if sources >= 1000:  # the workers end on small chunks, not on one of 64
        assert sizes[0] == 64 and sizes[-1] <= 4

"""Page signatures cover what the pages show: an edit that changes a page changes its signature.

An incremental build reuses a published file whose signature is unchanged, so a field that a
template shows but the signature leaves out gives a stale page. Each case below edits one post
the way a writer would, plans the site before and after, and holds every file to the rule:
same signature, same bytes. The cases cover every field of the model's `Post` (a new field
without a case fails `test_every_post_field_has_an_edit`), and run against the default theme
and against a theme that shows every field on every list and beside every link.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from conftest import write_site

from site_builder.content.model import Post
from site_builder.pipeline.phases import BuildOptions, load
from site_builder.render.site_files import plan_site

POST_B = """\
---
title: Smaller images
date: 2024-02-01
tags: [Docker, NodeJS]
description: Fewer layers.
series: Slim
part: 2
cover_image: /b.png
canonical_url: https://example.org/b/
level: beginner
published: true
---
Intro of B.

<!-- more -->

## Details

Body of B.
"""

SITE = {
    "site.toml": 'title = "Blog"\nbase_url = "https://blog.example/"\n',
    "content/posts/a.md": """\
        ---
        title: First steps
        date: 2024-01-01
        tags: [Docker]
        series: Slim
        part: 1
        ---
        Body of A.
        """,
    "content/posts/smaller-images.md": POST_B,
    "content/posts/c.md": """\
        ---
        title: Node alone
        date: 2024-03-01
        tags: [NodeJS]
        ---
        Body of C.
        """,
    "content/pages/about.md": "---\ntitle: About\n---\nAbout us.\n",
    "content/static/b.png": b"\x89PNG b",
    "content/static/b2.png": b"\x89PNG b2",
}

# Each field of `Post`, and the edit of post B's file that changes it (old text, new text).
EDITS: dict[str, tuple[str, str]] = {
    "title": ("title: Smaller images", "title: Much smaller images"),
    "date": ("date: 2024-02-01", "date: 2024-02-03"),
    "updated": ("published: true", "published: true\nupdated: 2024-04-01"),
    "description": ("description: Fewer layers.", "description: Fewer, smaller layers."),
    "tags": ("tags: [Docker, NodeJS]", "tags: [Docker, NodeJS, Alpine]"),
    "draft": ("published: true", "published: false"),
    "slug": ("published: true", "published: true\nslug: slim-images"),
    "series": ("series: Slim", "series: Lean"),
    "series_order": ("part: 2", "part: 3"),
    "canonical_url": ("https://example.org/b/", "https://example.org/smaller/"),
    "cover_image": ("cover_image: /b.png", "cover_image: /b2.png"),
    "extra": ("level: beginner", "level: expert"),
    "authors": ("published: true", "published: true\nauthors: [Ada Lovelace]"),
    "aliases": ("published: true", "published: true\naliases: [/old/smaller/]"),
    "body": ("Intro of B.", "A new intro of B."),
}
# Fields no front matter edit changes alone: they follow from the file and its place.
DERIVED = {
    "source": "the file's path: renaming the file is a new post",
    "kind": "the folder (posts/ or pages/)",
    "url": "made from the slug (the `slug` case)",
    "digest": "the file's content hash: every edit changes it",
}

# A theme that shows every field of every post on the lists and beside every link.
EVERYTHING = (
    "{{ p.title }}|{{ p.date }}|{{ p.updated }}|{{ p.description }}|"
    "{% for t in p.tags %}{{ t.name }},{% endfor %}|{{ p.draft }}|{{ p.slug }}|{{ p.url }}|"
    "{{ p.series }}|{{ p.series_order }}|{{ p.canonical_url }}|{{ p.cover_image }}|"
    "{{ p.extra }}|{{ p.authors }}|{{ p.aliases }}|{{ summary(p) }}"
)
SHOW_ALL = {
    "site.toml": 'title = "Blog"\nbase_url = "https://blog.example/"\ntheme = "all"\n',
    "themes/all/templates/_macros.html": (
        "{% macro post_list(posts, heading='h2') %}{% for p in posts %}<li>"
        + EVERYTHING
        + "</li>{% endfor %}{% endmacro %}\n"
        "{% macro pagination(paginator) %}{% endmacro %}\n"
        "{% macro post_meta(post) %}{% endmacro %}\n"
        "{% macro tag_list(tags) %}{% endmacro %}\n"
        "{% macro series_label(post) %}{% endmacro %}\n"
    ),
    "themes/all/templates/post.html": (
        "{% extends 'base.html' %}{% block content %}{{ post.html }}"
        "{% for p in [newer, older] if p %}<aside>{% set q = p %}"
        + EVERYTHING.replace("p.", "q.").replace("summary(p)", "q.title")
        + "</aside>{% endfor %}"
        "{% set place = series_place(post) %}{% if place %}{% for p in place.series.posts %}"
        + EVERYTHING.replace("summary(p)", "p.title")
        + "{% endfor %}{% endif %}{% endblock %}\n"
    ),
}


def plan(root: Path) -> dict[str, tuple[str, bytes]]:
    """Every planned file of the site at `root`: URL → (signature, bytes)."""
    result = load(root, BuildOptions(drafts=True))
    errors = [d.format() for d in result.diagnostics if d.severity.value == "error"]
    assert result.site is not None and result.rendered is not None, errors
    return {job.url: (job.signature, job.make()) for job in plan_site(result.site).jobs}


def stale_pages(root: Path, field: str) -> tuple[list[str], list[str]]:
    """Edit post B's `field`; the files that changed with an unchanged signature, and all that
    changed."""
    before = plan(root)
    path = root / "content/posts/smaller-images.md"
    old, new = EDITS[field]
    text = path.read_text(encoding="utf-8")
    assert old in text, (field, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    after = plan(root)
    changed = sorted(url for url in before.keys() & after.keys() if before[url] != after[url])
    stale = [url for url in changed if before[url][0] == after[url][0]]
    return stale, changed


def test_every_post_field_has_an_edit() -> None:
    fields = {f.name for f in dataclasses.fields(Post)}
    assert fields == EDITS.keys() | DERIVED.keys()


@pytest.mark.parametrize("field", sorted(EDITS))
def test_an_edit_that_changes_a_page_changes_its_signature(tmp_path: Path, field: str) -> None:
    stale, changed = stale_pages(write_site(tmp_path / "site", SITE), field)
    assert stale == []
    assert changed or field in {"cover_image", "extra"}  # not every field shows in every theme


@pytest.mark.parametrize("field", sorted(EDITS))
def test_a_theme_that_shows_every_field_everywhere_is_never_stale(
    tmp_path: Path, field: str
) -> None:
    stale, changed = stale_pages(write_site(tmp_path / "site", {**SITE, **SHOW_ALL}), field)
    assert stale == []
    assert "/" in changed or field == "body"  # the home page lists post B's every field


def test_the_check_sees_a_stale_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Proof that the rule can fail: with the cover image left out of the signatures, the
    home page of the show-everything theme is stale."""
    from site_builder.render import signatures

    real = signatures.Signatures.link_card

    def without_cover(self: signatures.Signatures, post: Post) -> str:
        return real(self, dataclasses.replace(post, cover_image=None))

    monkeypatch.setattr(signatures.Signatures, "link_card", without_cover)
    stale, _ = stale_pages(write_site(tmp_path / "site", {**SITE, **SHOW_ALL}), "cover_image")
    assert "/" in stale

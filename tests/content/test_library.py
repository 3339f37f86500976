"""Assembling the site: slugs and URL collisions, tag folding, drafts and future posts."""

from __future__ import annotations

import datetime as dt

from conftest import post

from site_builder.content.slugs import file_slug, tag_slug
from site_builder.pipeline.phases import BuildOptions, load


def diagnostics(result):
    return [d.format() for d in result.diagnostics]


def test_tag_slugs():
    assert tag_slug("Open Source") == "open-source"
    assert tag_slug("NodeJS") == tag_slug("nodejs") == "nodejs"
    assert tag_slug(" docker ") == "docker"
    assert tag_slug("Node.js") == "node-js"
    assert tag_slug("cafe\u0301") == tag_slug("café") == "café"
    assert tag_slug("!!!") == tag_slug("🐳") == ""
    assert file_slug("Hello World") == "hello-world"
    assert file_slug("Ünïcode Títle") == "unicode-title"


def test_tags_fold_to_the_most_frequent_spelling(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("A", tags="NodeJS, Docker"),
            "content/posts/b.md": post("B", tags="nodejs"),
            "content/posts/c.md": post("C", tags="NodeJS, Open Source"),
        }
    )
    result = load(root)
    site = result.site
    assert [(t.name, t.slug, len(t.posts)) for t in site.tags] == [
        ("Docker", "docker", 1),
        ("NodeJS", "nodejs", 3),
        ("Open Source", "open-source", 1),
    ]
    assert diagnostics(result) == [
        "content/posts/b.md:4:8: warning TAG001: tag 'nodejs' is folded into 'NodeJS' (/tags/nodejs/); "
        "spellings: 'NodeJS' (content/posts/a.md:4), 'nodejs' (content/posts/b.md:4), "
        "'NodeJS' (content/posts/c.md:4)"
    ]
    assert set(result.rendered.files) >= {"tags/nodejs/index.html", "tags/open-source/index.html"}


def test_nfc_and_nfd_spellings_are_one_tag(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("A", tags="café"),
            "content/posts/b.md": post("B", tags="cafe\u0301"),
        }
    )
    result = load(root)
    assert [(t.name, len(t.posts)) for t in result.site.tags] == [("café", 2)]
    assert diagnostics(result) == []


def test_empty_tag_slug_and_repeated_tag(make_site):
    root = make_site({"content/posts/a.md": post("A", tags='"🐳", Docker, docker')})
    result = load(root)
    assert diagnostics(result) == [
        "content/posts/a.md:4:8: error TAG002: tag '🐳' slugifies to an empty path",
        "content/posts/a.md:4:21: warning TAG003: tag 'docker' is listed twice in this post",
    ]


def test_two_sources_one_url_name_both_files(make_site):
    root = make_site(
        {
            "content/posts/Hello World.md": post("A"),
            "content/posts/hello-world.md": post("B"),
            "content/posts/c.md": "---\ntitle: C\ndate: 2024-01-01\nslug: hello-world\n---\nx\n",
        }
    )
    result = load(root)
    places = "content/posts/Hello World.md:1, content/posts/c.md:4, content/posts/hello-world.md:1"
    assert [d.format() for d in result.diagnostics if d.code == "URL001"] == [
        f"content/posts/Hello World.md:1:1: error URL001: /posts/hello-world/ produced by {places}",
        f"content/posts/c.md:4:1: error URL001: /posts/hello-world/ produced by {places}",
        f"content/posts/hello-world.md:1:1: error URL001: /posts/hello-world/ produced by {places}",
    ]
    assert result.rendered is None


def test_bad_and_reserved_slugs(make_site):
    files = {}
    slugs = [
        "../../x",
        "%2e%2e%2f",
        "/abs",
        "a\\\\b",
        "x.",
        "Caps",
        "tags",
        "__reload",
        "index",
        "feed.json",
    ]
    for index, slug in enumerate(slugs):
        files[f"content/posts/p{index}.md"] = (
            f'---\ntitle: P\ndate: 2024-01-01\nslug: "{slug}"\n---\nx\n'
        )
    result = load(make_site(files))
    codes = [(d.path.rsplit("/", 1)[1], d.code) for d in result.diagnostics]
    # reserved names are looked for first: "__reload" and "feed.json" do not fit the pattern
    expected = ["URL002"] * 6 + ["URL003"] * 4
    assert codes == [(f"p{i}.md", code) for i, code in enumerate(expected)]
    assert result.diagnostics[0].format() == (
        "content/posts/p0.md:4:7: error URL002: slug '../../x' must match ^[a-z0-9][a-z0-9-]*$"
    )


def test_drafts_and_future_posts(make_site):
    root = make_site(
        {
            "content/posts/now.md": post("Now", date="2024-01-02"),
            "content/posts/draft.md": "---\ntitle: Draft\ndate: 2024-01-01\npublished: false\n---\nx\n",
            "content/posts/later.md": post("Later", date="2099-01-01"),
        }
    )
    now = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    plain = load(root, BuildOptions(now=now))
    assert [p.title for p in plain.site.posts] == ["Now"]
    assert (plain.skipped.drafts, plain.skipped.future) == (1, 1)
    both = load(root, BuildOptions(drafts=True, future=True, now=now))
    assert [p.title for p in both.site.posts] == ["Later", "Now", "Draft"]
    draft_page = both.rendered.files["posts/draft/index.html"].decode()
    assert "DRAFT" in draft_page


def test_posts_are_newest_first_and_paginated(make_site):
    files = {
        f"content/posts/p{i:02}.md": post(f"Post {i:02}", date=f"2024-01-{i:02}")
        for i in range(1, 24)
    }
    files["site.toml"] = "posts_per_page = 10\n"
    result = load(make_site(files))
    assert [p.title for p in result.site.posts][:2] == ["Post 23", "Post 22"]
    pages = sorted(
        k
        for k in result.rendered.files
        if k.endswith("index.html") and "page/" in k and "tags" not in k
    )
    assert pages == ["page/2/index.html", "page/3/index.html"]
    third = result.rendered.files["page/3/index.html"].decode()
    assert "Post 03" in third and "Post 01" in third and "Post 04" not in third
    assert 'href="/page/2/"' in third

"""Feeds: Atom for the site, each tag and each series, and JSON Feed 1.1, read by feedparser."""

from __future__ import annotations

import datetime as dt
import json

import feedparser
import pytest
from conftest import post
from tools.sites import copy_rich

from site_builder.pipeline.phases import BuildOptions, load

BASE = "https://blog.example.com/"


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    result = load(copy_rich(tmp_path_factory.mktemp("rich") / "site"))
    assert result.rendered is not None, [d.format() for d in result.diagnostics]
    return result.rendered.files


def parse(data: bytes):
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_site_feed_is_valid_atom_with_absolute_links(rich):
    feed = parse(rich["atom.xml"])
    assert feed.feed.title == "Image Diet"
    assert feed.feed.subtitle == "Making container images smaller, one layer at a time."
    assert feed.feed.language == "en-CA"
    assert feed.feed.author == "Jane Doe"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": BASE + "atom.xml", "alternate": BASE}
    assert [e.title for e in feed.entries] == [
        "Faster Rebuilds With BuildKit Cache Mounts",
        "Multi-Stage Builds in Practice",
        "Why Images Get Big: Layers, Caches & <Base> Images",
        "Alpine or Distroless?",
        "Reading docker history Output",
    ]
    first = feed.entries[0]
    assert first.link == first.id == BASE + "posts/cache-mounts/"
    assert first.published == "2024-03-20T00:00:00-04:00"
    assert [t.term for t in first.tags] == ["Docker", "BuildKit", "Layer Caching"]


def test_updated_is_the_newest_post_date(rich):
    feed = parse(rich["atom.xml"])
    assert feed.feed.updated == "2024-03-20T00:00:00-04:00"
    tag = parse(rich["tags/debugging/atom.xml"])
    assert tag.feed.updated == "2022-08-30T00:00:00-04:00"


def test_content_links_images_and_footnotes_are_absolute(rich):
    entries = {e.title: e for e in parse(rich["atom.xml"]).entries}
    layers = entries["Why Images Get Big: Layers, Caches & <Base> Images"].content[0].value
    assert f'src="{BASE}images/layers.svg"' in layers
    assert f'href="{BASE}posts/why-images-get-big/#fn1"' in layers
    assert 'class="anchor"' not in layers
    multi = entries["Multi-Stage Builds in Practice"].content[0].value
    assert f'href="{BASE}posts/why-images-get-big/"' in multi
    cache = entries["Faster Rebuilds With BuildKit Cache Mounts"].content[0].value
    assert f'href="{BASE}posts/cache-mounts/#before-and-after"' in cache
    about = entries["Alpine or Distroless?"]
    assert about.summary.startswith("Two small base images")
    enclosure = [link for link in about.links if link.rel == "enclosure"]
    assert enclosure and enclosure[0].href == BASE + "images/share.png"
    related = [link.href for link in about.links if link.rel == "related"]
    assert related == ["https://dev.to/janedoe/alpine-or-distroless-4k2p"]


def test_tag_and_series_feeds(rich):
    docker = parse(rich["tags/docker/atom.xml"])
    assert docker.feed.title == "Image Diet: Docker"
    assert {link.rel: link.href for link in docker.feed.links}["alternate"] == BASE + "tags/docker/"
    assert all("Docker" in [t.term for t in e.tags] for e in docker.entries)
    assert len(docker.entries) == 5
    series = parse(rich["series/docker-image-diet/atom.xml"])
    assert series.feed.title == "Image Diet: Docker Image Diet"
    assert [e.link.removeprefix(BASE) for e in series.entries] == [
        "posts/cache-mounts/",
        "posts/multi-stage-builds/",
        "posts/why-images-get-big/",
    ]


def test_feeds_are_linked_from_head(rich):
    home = rich["index.html"].decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Image Diet" href="{BASE}atom.xml">'
        in home
    )
    assert (
        f'type="application/feed+json" title="Image Diet (JSON Feed)" href="{BASE}feed.json"'
        in home
    )
    tag = rich["tags/docker/index.html"].decode()
    assert f'title="Image Diet: Docker" href="{BASE}tags/docker/atom.xml"' in tag
    part = rich["posts/multi-stage-builds/index.html"].decode()
    assert f'href="{BASE}series/docker-image-diet/atom.xml"' in part


def test_json_feed_1_1(rich):
    data = json.loads(rich["feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["home_page_url"] == BASE and data["feed_url"] == BASE + "feed.json"
    assert data["authors"] == [{"name": "Jane Doe"}]
    assert data["language"] == "en-CA"
    items = data["items"]
    assert [i["id"] for i in items] == [i["url"] for i in items]
    assert items[0]["url"] == BASE + "posts/cache-mounts/"
    assert items[0]["date_published"] == "2024-03-20T00:00:00-04:00"
    assert items[0]["tags"] == ["Docker", "BuildKit", "Layer Caching"]
    assert f'href="{BASE}posts/cache-mounts/#before-and-after"' in items[0]["content_html"]
    alpine = next(i for i in items if i["title"] == "Alpine or Distroless?")
    assert alpine["external_url"] == "https://dev.to/janedoe/alpine-or-distroless-4k2p"
    assert alpine["image"] == BASE + "images/share.png"
    for item in items:
        dt.datetime.fromisoformat(item["date_published"])


def test_summary_only_feeds_and_item_limit(make_site):
    root = make_site(
        {
            "site.toml": "[feeds]\nfull_content = false\nlimit = 2\njson_feed = false\n",
            "content/posts/a.md": post("A", "2024-01-01"),
            "content/posts/b.md": post("B", "2024-01-02"),
            "content/posts/c.md": """\
            ---
            title: C
            date: 2024-01-03
            tags: [Docker]
            description: The description of C, which is used when there is no more marker.
            ---

            Above the fold, with a [link](/posts/a/).

            <!-- more -->

            Below the fold.
            """,
        }
    )
    files = load(root).rendered.files
    assert "feed.json" not in files
    feed = parse(files["atom.xml"])
    assert [e.title for e in feed.entries] == ["C", "B"]
    first = feed.entries[0]
    assert "content" not in first
    assert "Above the fold" in first.summary and "Below the fold" not in first.summary
    assert 'href="http://localhost:8000/posts/a/"' in first.summary
    assert feed.entries[1].summary == (
        "<p>A short description of this post that is long enough to be useful in search results.</p>"
    )


def test_hostile_titles_are_escaped_everywhere(make_site):
    root = make_site(
        {
            "content/posts/x.md": """\
            ---
            title: '<script>alert(1)</script> "q'' & done'
            date: 2024-01-02
            tags: ["<b>bold</b>"]
            description: "A description with a control character \\x01 that XML does not allow."
            ---

            Text.
            """,
        }
    )
    files = load(root).rendered.files
    for name, data in files.items():
        if name.endswith((".html", ".xml", ".json")):
            assert b"<script>alert" not in data, name
    feed = parse(files["atom.xml"])
    assert feed.entries[0].title == "<script>alert(1)</script> \"q' & done"
    assert feed.entries[0].tags[0].term == "<b>bold</b>"
    assert "\x01" not in feed.entries[0].summary
    item = json.loads(files["feed.json"])["items"][0]
    assert item["title"] == "<script>alert(1)</script> \"q' & done"


def test_empty_site_has_feeds_without_entries(make_site):
    files = load(make_site({"site.toml": 'title = "Empty"\n'})).rendered.files
    feed = parse(files["atom.xml"])
    assert feed.entries == []
    assert feed.feed.updated == "1970-01-01T00:00:00+00:00"
    assert json.loads(files["feed.json"])["items"] == []


def test_feeds_are_byte_identical_across_builds(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("A", "2024-01-01"),
            "content/posts/b.md": post("B", "2024-01-02", "Docker, CI"),
        }
    )
    first = load(root, BuildOptions(now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))).rendered.files
    second = load(root, BuildOptions(now=dt.datetime(2031, 6, 1, tzinfo=dt.UTC))).rendered.files
    feeds = [name for name in first if name.endswith(("atom.xml", "feed.json", "sitemap.xml"))]
    assert len(feeds) == 5
    assert all(first[name] == second[name] for name in feeds)


def test_tag_feeds_can_be_turned_off(make_site):
    root = make_site(
        {
            "site.toml": "[feeds]\ntag_feeds = false\n",
            "content/posts/a.md": post("A", "2024-01-01"),
        }
    )
    files = load(root).rendered.files
    assert "atom.xml" in files and "tags/docker/atom.xml" not in files
    assert "tags/docker/atom.xml" not in files["tags/docker/index.html"].decode()

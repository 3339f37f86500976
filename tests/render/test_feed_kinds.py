"""Whole posts or summaries, per kind of feed: the site's feeds carry whole posts, tag and series
feeds the summary, and `[feeds] full_content`, `tag_full_content`, `series_full_content` flip
each; read by feedparser, built for real (and incrementally, from the cache)."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from conftest import write_site

from site_builder.config.load import load_config
from site_builder.pipeline.phases import BuildOptions, build, load
from site_builder.render import atom
from site_builder.render.site_files import plan_site

BASE = "https://blog.example/"

SITE = {
    "content/posts/first.md": """\
        ---
        title: First steps
        date: 2024-01-02
        tags: [Docker]
        series: Slim
        part: 1
        description: Where the diet starts, with the layers of one image and what each costs.
        ---
        Above the fold, see [the next part](/posts/smaller/).

        <!-- more -->

        Below the fold: the whole story.
        """,
    "content/posts/smaller.md": """\
        ---
        title: Smaller images
        date: 2024-02-03
        tags: [Docker, NodeJS]
        series: Slim
        part: 2
        cover_image: /img/share.png
        ---
        The first paragraph of the second part, with ![a chart](../../img/share.png).

        A second paragraph that only the whole post carries.
        """,
    "content/static/img/share.png": b"\x89PNG\r\n\x1a\n",
}

SITE_FEEDS = ("atom.xml",)
TAG_FEEDS = ("tags/docker/atom.xml", "tags/nodejs/atom.xml")
SERIES_FEEDS = ("series/slim/atom.xml",)


def site(tmp_path: Path, feeds: str = "") -> Path:
    toml = f'title = "Blog"\nbase_url = "{BASE}"\n' + (f"[feeds]\n{feeds}\n" if feeds else "")
    return write_site(tmp_path / "site", {"site.toml": toml, **SITE})


def files_of(root: Path) -> dict[str, bytes]:
    result = load(root)
    assert result.rendered is not None, [d.format() for d in result.diagnostics]
    return result.rendered.files


def parse(data: bytes):
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    return parsed


def is_full(data: bytes) -> bool:
    """Whether every entry carries the whole post (else each carries only its summary)."""
    entries = parse(data).entries
    full = ["content" in entry for entry in entries]
    assert len(set(full)) == 1, "a feed mixes whole posts and summaries"
    if full[0]:
        assert all("whole story" in e.content[0].value for e in entries if e.title == "First steps")
    else:
        for entry in entries:
            assert "whole story" not in entry.summary and "only the whole post" not in entry.summary
    return full[0]


def test_site_feed_is_full_and_tag_and_series_feeds_carry_summaries(tmp_path):
    files = files_of(site(tmp_path))
    assert [is_full(files[name]) for name in SITE_FEEDS + TAG_FEEDS + SERIES_FEEDS] == [
        True,
        False,
        False,
        False,
    ]
    items = {i["title"]: i["content_html"] for i in json.loads(files["feed.json"])["items"]}
    assert "only the whole post" in items["Smaller images"]
    assert "the whole story" in items["First steps"]


def test_a_summary_entry_keeps_everything_but_the_content(tmp_path):
    files = files_of(site(tmp_path))
    full = {e.title: e for e in parse(files["atom.xml"]).entries}
    for name in TAG_FEEDS[:1] + SERIES_FEEDS:
        entries = {e.title: e for e in parse(files[name]).entries}
        for title, entry in entries.items():
            assert "content" not in entry
            assert entry.summary_detail.type == "text/html"
            for field in ("link", "id", "published", "updated"):
                assert entry[field] == full[title][field], (name, title, field)
            assert [t.term for t in entry.tags] == [t.term for t in full[title].tags]
            assert [link.href for link in entry.links] == [link.href for link in full[title].links]
        first, smaller = entries["First steps"], entries["Smaller images"]
        assert "Above the fold" in first.summary
        assert f'href="{BASE}posts/smaller/"' in first.summary  # absolute, as in full entries
        assert f'src="{BASE}img/share.png"' in smaller.summary
        enclosure = [link.href for link in smaller.links if link.rel == "enclosure"]
        assert enclosure == [BASE + "img/share.png"]
    raw = files["tags/docker/atom.xml"].decode()
    assert '<summary type="html">' in raw and "<content" not in raw


@pytest.mark.parametrize(
    ("feeds", "expected"),
    [
        ("full_content = true", (True, False, False)),
        ("tag_full_content = true", (True, True, False)),
        ("series_full_content = true", (True, False, True)),
        ("full_content = false", (False, False, False)),  # an old site.toml: summaries everywhere
        ("full_content = false\ntag_full_content = true", (False, True, False)),
        ("tag_full_content = true\nseries_full_content = true", (True, True, True)),
    ],
    ids=["default", "tag", "series", "old-summaries", "tag-only", "all"],
)
def test_each_key_flips_its_kind_of_feed(tmp_path, feeds, expected):
    files = files_of(site(tmp_path, feeds))
    got = (
        all(is_full(files[n]) for n in SITE_FEEDS),
        all(is_full(files[n]) for n in TAG_FEEDS),
        all(is_full(files[n]) for n in SERIES_FEEDS),
    )
    assert got == expected
    item = json.loads(files["feed.json"])["items"][0]  # Smaller images
    assert ("only the whole post" in item["content_html"]) is expected[0]


def test_each_form_of_an_entry_is_rendered_once_per_build(tmp_path, monkeypatch):
    """A post in the site feed, two tag feeds and a series feed: one whole entry, one summary
    entry, never the summary entry reused where the whole post belongs or the reverse."""
    made: list[tuple[str, bool]] = []
    real = atom._entry

    def counted(site, post, abs_url, contents, full):
        made.append((post.url, full))
        return real(site, post, abs_url, contents, full)

    monkeypatch.setattr(atom, "_entry", counted)
    files = files_of(site(tmp_path))
    assert sorted(made) == [
        ("/posts/first/", False),
        ("/posts/first/", True),
        ("/posts/smaller/", False),
        ("/posts/smaller/", True),
    ]
    assert is_full(files["atom.xml"]) and not is_full(files["tags/docker/atom.xml"])


def test_changing_a_key_rebuilds_the_feeds_it_shapes(tmp_path):
    root = site(tmp_path)
    first = build(root, BuildOptions())
    assert first.published, [d.format() for d in first.diagnostics]
    docker = root / "output/tags/docker/atom.xml"
    home = root / "output/atom.xml"
    before_home = home.read_bytes()
    assert not is_full(docker.read_bytes())
    (root / "site.toml").write_text(
        f'title = "Blog"\nbase_url = "{BASE}"\n[feeds]\ntag_full_content = true\n'
    )
    second = build(root, BuildOptions())
    assert second.published, [d.format() for d in second.diagnostics]
    assert is_full(docker.read_bytes())
    assert not is_full((root / "output/series/slim/atom.xml").read_bytes())
    assert home.read_bytes() == before_home


def test_a_summary_feed_is_not_re_rendered_for_an_edit_below_the_fold(tmp_path):
    root = site(tmp_path)

    def planned() -> dict[str, tuple[str, bytes]]:
        result = load(root)
        assert result.site is not None
        return {job.url: (job.signature, job.make()) for job in plan_site(result.site).jobs}

    before = planned()
    path = root / "content/posts/first.md"
    path.write_text(path.read_text().replace("the whole story", "the whole, longer story"))
    after = planned()
    assert before["/atom.xml"] != after["/atom.xml"]  # signature and bytes: the whole post
    for url in ("/tags/docker/atom.xml", "/series/slim/atom.xml"):
        assert before[url] == after[url]  # same signature, same bytes: nothing to render


def test_the_new_keys_are_validated_at_their_lines(tmp_path):
    (tmp_path / "site.toml").write_text(
        '[feeds]\ntag_full_content = "yes"\nseries_ful_content = true\n'
    )
    _config, problems = load_config(tmp_path)
    assert [d.format() for d in sorted(problems, key=lambda d: d.line)] == [
        "site.toml:2:1: error CFG003: 'feeds.tag_full_content' must be true or false; got str 'yes'",
        "site.toml:3:1: warning CFG002: unknown key 'feeds.series_ful_content' "
        "(did you mean 'feeds.series_full_content'?)",
    ]

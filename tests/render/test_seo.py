"""What pages tell search engines: sitemap.xml, robots.txt, canonical URLs, Open Graph and
Twitter meta, and JSON-LD (parsed, and safe inside its script element)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from conftest import post
from tools.sites import copy_rich

from site_builder.config.load import load_config
from site_builder.pipeline.phases import load
from site_builder.render.seo import json_script, shorten

BASE = "https://blog.example.com/"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Head(HTMLParser):
    """Collects <meta>, <link> and JSON-LD scripts of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: list[dict[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.json_ld: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            self.meta.append(values)
        elif tag == "link":
            self.links.append(values)
        elif tag == "script" and values.get("type") == "application/ld+json":
            self._in_json = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_ld[-1] += data

    def property(self, name: str) -> list[str]:
        return [m["content"] for m in self.meta if m.get("property") == name]

    def name(self, name: str) -> list[str]:
        return [m["content"] for m in self.meta if m.get("name") == name]

    def canonical(self) -> str:
        (link,) = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        return link


def head(data: bytes) -> Head:
    parser = Head()
    parser.feed(data.decode())
    return parser


@pytest.fixture(scope="module")
def rich(tmp_path_factory):
    result = load(copy_rich(tmp_path_factory.mktemp("rich") / "site"))
    assert result.rendered is not None, [d.format() for d in result.diagnostics]
    return result.rendered.files


def test_sitemap_lists_indexable_pages_with_lastmod(rich):
    root = ET.fromstring(rich["sitemap.xml"])
    assert root.tag == SITEMAP + "urlset"
    entries = {url.findtext(SITEMAP + "loc"): url.findtext(SITEMAP + "lastmod") for url in root}
    assert entries[BASE] == "2024-03-20T00:00:00-04:00"
    assert entries[BASE + "posts/why-images-get-big/"] == "2024-01-10T00:00:00-05:00"
    assert entries[BASE + "about/"] is None
    assert entries[BASE + "tags/debugging/"] == "2022-08-30T00:00:00-04:00"
    assert entries[BASE + "series/docker-image-diet/"] == "2024-03-20T00:00:00-04:00"
    assert BASE + "archive/" in entries and BASE + "series/" in entries
    # Cross-posted (canonical elsewhere), noindex pages and later list pages stay out.
    for absent in ("posts/alpine-or-distroless/", "search/", "404.html", "page/2/"):
        assert BASE + absent not in entries
    for lastmod in filter(None, entries.values()):
        assert dt.datetime.fromisoformat(lastmod).tzinfo is not None
    assert all(loc.startswith(BASE) for loc in entries)


def test_robots_txt_points_at_the_sitemap(rich, make_site):
    assert rich["robots.txt"] == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n".encode()
    root = make_site(
        {
            "content/posts/a.md": post("A"),
            "content/static/robots.txt": "User-agent: *\nDisallow: /private/\n",
        }
    )
    result = load(root)
    assert "robots.txt" not in result.rendered.files
    assert "robots.txt" in result.rendered.copies
    assert [d.format() for d in result.diagnostics if d.severity.value == "error"] == []


def test_canonical_url_from_front_matter_wins(rich):
    cross = head(rich["posts/alpine-or-distroless/index.html"])
    assert cross.canonical() == "https://dev.to/janedoe/alpine-or-distroless-4k2p"
    assert cross.property("og:url") == ["https://dev.to/janedoe/alpine-or-distroless-4k2p"]
    own = head(rich["posts/cache-mounts/index.html"])
    assert own.canonical() == BASE + "posts/cache-mounts/"
    assert head(rich["page/2/index.html"]).canonical() == BASE + "page/2/"


def test_open_graph_and_twitter_card(rich):
    page = head(rich["posts/why-images-get-big/index.html"])
    assert page.property("og:type") == ["article"]
    assert page.property("og:title") == ["Why Images Get Big: Layers, Caches & <Base> Images"]
    assert page.property("og:image") == [BASE + "images/layers.svg"]
    assert page.property("og:site_name") == ["Image Diet"]
    assert page.property("og:locale") == ["en_CA"]
    assert page.property("article:published_time") == ["2024-01-10T00:00:00-05:00"]
    assert page.property("article:tag") == ["Docker", "Image Size", "Layer Caching"]
    assert page.name("twitter:card") == ["summary_large_image"]
    assert page.name("twitter:site") == ["@imagediet"]
    assert page.name("twitter:image") == [BASE + "images/layers.svg"]
    assert page.name("description") == page.property("og:description")
    home = head(rich["index.html"])
    assert home.property("og:type") == ["website"]
    assert home.property("og:image") == [BASE + "images/share.png"]  # [social] image


def test_blog_posting_json_ld(rich):
    (raw,) = head(rich["posts/multi-stage-builds/index.html"]).json_ld
    data = json.loads(raw)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "BlogPosting"
    assert data["headline"] == "Multi-Stage Builds in Practice"
    assert data["datePublished"] == "2024-02-14T00:00:00-05:00"
    assert data["dateModified"] == "2024-02-14T00:00:00-05:00"
    assert data["keywords"] == ["Docker", "Multi-stage Builds", "Image Size"]
    assert data["author"] == {"@type": "Person", "name": "Jane Doe"}
    assert data["mainEntityOfPage"]["@id"] == BASE + "posts/multi-stage-builds/"
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Docker Image Diet",
        "url": BASE + "series/docker-image-diet/",
    }
    assert data["position"] == 2
    (home,) = head(rich["index.html"]).json_ld
    website = json.loads(home)
    assert website["@type"] == "WebSite"
    assert website["potentialAction"]["target"] == BASE + "search/?q={search_term_string}"
    (series,) = head(rich["series/docker-image-diet/index.html"]).json_ld
    parts = json.loads(series)["hasPart"]
    assert [(p["position"], p["url"]) for p in parts] == [
        (1, BASE + "posts/why-images-get-big/"),
        (2, BASE + "posts/multi-stage-builds/"),
        (3, BASE + "posts/cache-mounts/"),
    ]
    # The title's '&', '<' and '>' never appear raw inside the script element.
    (first,) = head(rich["posts/why-images-get-big/index.html"]).json_ld
    assert "<" not in first and "&" not in first
    assert json.loads(first)["headline"] == "Why Images Get Big: Layers, Caches & <Base> Images"


def test_json_ld_cannot_close_its_script(make_site):
    root = make_site(
        {
            "content/posts/x.md": """\
            ---
            title: "</script><script>alert(1)</script> \u2028 <!-- x"
            date: 2024-01-02
            tags: ["</script>"]
            ---

            Body.
            """,
        }
    )
    page = load(root).rendered.files["posts/x/index.html"].decode()
    assert page.count("</script>") == 3  # site.js, the theme choice in <head>, the JSON-LD
    (raw,) = head(page.encode()).json_ld
    data = json.loads(raw)
    assert data["headline"].startswith("</script><script>alert(1)</script>")
    assert data["keywords"] == ["</script>"]
    assert str(json_script({"a": "<&>\u2029"})) == '{\n "a": "\\u003c\\u0026\\u003e\\u2029"\n}'


def test_descriptions_are_cut_at_a_word(make_site):
    assert shorten("word " * 50) == ("word " * 31).strip() + "…"
    assert len(shorten("word " * 50)) <= 160
    assert shorten("short") == "short"
    root = make_site(
        {
            "content/posts/x.md": """\
            ---
            title: X
            date: 2024-01-02
            ---

            First paragraph with **bold** and `code` &amp; an entity.

            Second paragraph.
            """,
        }
    )
    page = head(load(root).rendered.files["posts/x/index.html"])
    assert page.name("description") == ["First paragraph with bold and code & an entity."]


def test_base_path_sites_use_the_full_address(make_site):
    root = make_site(
        {
            "content/posts/hello.md": post("Hello"),
            "site.toml": 'base_url = "https://x.example/blog/"\n',
        }
    )
    files = load(root).rendered.files
    page = head(files["posts/hello/index.html"])
    assert page.canonical() == "https://x.example/blog/posts/hello/"
    assert page.property("og:url") == ["https://x.example/blog/posts/hello/"]
    locs = [u.findtext(SITEMAP + "loc") for u in ET.fromstring(files["sitemap.xml"])]
    assert "https://x.example/blog/posts/hello/" in locs
    assert b"Sitemap: https://x.example/blog/sitemap.xml" in files["robots.txt"]


def test_noindex_for_search_404_and_drafts(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("A"),
            "content/posts/d.md": "---\ntitle: D\ndate: 2024-01-03\npublished: false\n---\n\nDraft.\n",
        }
    )
    from site_builder.pipeline.phases import BuildOptions

    files = load(root, BuildOptions(drafts=True)).rendered.files
    for name in ("search/index.html", "404.html", "posts/d/index.html"):
        assert head(files[name]).name("robots") == ["noindex"], name
    assert head(files["posts/a/index.html"]).name("robots") == []
    locs = [u.findtext(SITEMAP + "loc") for u in ET.fromstring(files["sitemap.xml"])]
    assert "http://localhost:8000/posts/a/" in locs and "http://localhost:8000/posts/d/" not in locs


def test_social_config_is_checked(tmp_path):
    (tmp_path / "site.toml").write_text(
        '[social]\ntwitter = "not a handle!"\n\n[feeds]\nlimit = 0\nfull_contnet = true\n'
        "\n[related]\nlimit = -1\n"
    )
    _config, problems = load_config(tmp_path)
    assert [d.format() for d in sorted(problems, key=lambda d: d.line)] == [
        "site.toml:2:1: error CFG003: 'social.twitter' must be a handle such as '@example' (letters, digits, '_')",
        "site.toml:5:1: error CFG003: 'feeds.limit' must be a whole number above 0",
        "site.toml:6:1: warning CFG002: unknown key 'feeds.full_contnet' (did you mean 'feeds.full_content'?)",
        "site.toml:9:1: error CFG003: 'related.limit' must be a whole number, 0 or more",
    ]

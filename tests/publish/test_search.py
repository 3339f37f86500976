"""Search: Pagefind runs over the staging folder before the swap; without a Pagefind that runs
the site has no search box and no search page; a reader typing into the search box in headless
Chromium finds the seed post."""

from __future__ import annotations

import gzip
import json
import os
import shutil

import pytest
from conftest import post, run_cli, tree_hash
from tools.harness import chromium, serve
from tools.sites import copy_bundled, copy_rich, serve_under_blog

from site_builder.pipeline.phases import build
from site_builder.publish.search_index import pagefind_binary
from site_builder.publish.swap import MARKER

SEED_TITLE = "Reduced Container Sizes With Multi-Stage Docker Builds"


def require_pagefind() -> None:
    if pagefind_binary() is None:
        message = "Pagefind cannot run (pip install 'pagefind[bin]')"
        if os.environ.get("SITE_BUILDER_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)


def codes(result) -> list[str]:
    return [d.format() for d in result.diagnostics if d.code.startswith("SRCH")]


@pytest.fixture
def no_pagefind(monkeypatch, tmp_path):
    """Pagefind's own override variable, pointing at nothing: as if it were not installed."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))


@pytest.fixture
def failing_pagefind(monkeypatch, tmp_path):
    """A Pagefind that starts (it answers --version) but fails to index."""
    script = tmp_path / "pagefind-fails"
    script.write_text(
        '#!/bin/sh\n[ "$1" = --version ] && echo "pagefind 1.0.0" && exit 0\nexit 1\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))


def fragments(output) -> dict[str, str]:
    """Each indexed page's URL and the text Pagefind keeps for its excerpts."""
    found = {}
    for path in (output / "pagefind/fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        found[record["url"]] = record["content"]
    return found


def test_index_is_published_with_the_pages(tmp_path):
    require_pagefind()
    root = copy_rich(tmp_path / "site")
    result = build(root)
    assert result.published, [d.format() for d in result.diagnostics]
    assert codes(result) == []
    output = root / "output"
    index = output / "pagefind"
    assert (index / "pagefind.js").is_file()
    entry = json.loads((index / "pagefind-entry.json").read_text())
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 6  # 5 posts, 1 page
    assert (output / MARKER).is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".output")]
    first = tree_hash(output)
    assert build(root).published
    assert tree_hash(output) == first  # the index is byte-identical from one build to the next


def test_heading_permalinks_stay_out_of_search_excerpts(make_site):
    require_pagefind()
    text = post("A") + '\n## RUN `export context="this"`\n\nIn my free time I build images.\n'
    root = make_site({"content/posts/a.md": text})
    assert build(root).published
    content = fragments(root / "output")["/posts/a/"]
    assert 'context="this" In my free time' in content
    assert "#" not in content


def test_without_pagefind_one_info_line_and_no_search_at_all(make_site, no_pagefind):
    root = make_site({"content/posts/a.md": post("A")})
    result = build(root)
    assert result.published
    assert codes(result) == [
        "site.toml:1:1: info SRCH001: Pagefind not found or cannot run: published without search "
        "(no search box, no search page)"
    ]
    output = root / "output"
    assert not (output / "search").exists() and not (output / "pagefind").exists()
    for page in ("index.html", "posts/a/index.html", "404.html"):
        html = (output / page).read_text()
        assert 'role="search"' not in html and "/search/" not in html, page
    check = run_cli("check", "--root", root, "--format", "json")
    assert check.returncode == 0
    assert [d["code"] for d in json.loads(check.stdout)].count("SRCH001") == 1


def test_a_pagefind_that_cannot_start_turns_search_off(make_site, monkeypatch):
    false = shutil.which("false")  # it exits 1 for --version too
    assert false is not None
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", false)
    root = make_site({"content/posts/a.md": post("A")})
    result = build(root)
    assert result.published and [d.code for d in result.diagnostics] == ["SRCH001"]
    assert not (root / "output/search").exists()


def test_build_says_what_it_did_about_search(make_site, monkeypatch, tmp_path):
    root = make_site(
        {"site.toml": 'base_url = "https://example.com/"\n', "content/posts/a.md": post("A")}
    )
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "none"))
    without = run_cli("--root", root).stderr.splitlines()[-1]
    assert without.endswith("(no problems; no search: Pagefind cannot run (SRCH001))"), without
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    require_pagefind()
    with_index = run_cli("--root", root).stderr.splitlines()[-1]
    assert with_index.endswith("(no problems; search index built)"), with_index
    off = make_site(
        {
            "site.toml": 'base_url = "https://example.com/"\n[search]\nenabled = false\n',
            "content/posts/a.md": post("A"),
        }
    )
    assert "search" not in run_cli("--root", off).stderr


def test_a_failing_pagefind_is_a_warning_and_leaves_no_half_index(make_site, failing_pagefind):
    root = make_site({"content/posts/a.md": post("A")})
    result = build(root)
    assert result.published
    assert codes(result) == [
        "site.toml:1:1: warning SRCH002: Pagefind could not build the search index: exit code 1; "
        "published without one"
    ]
    assert not (root / "output/pagefind").exists()


def test_search_can_be_turned_off(make_site, no_pagefind):
    root = make_site({"site.toml": "[search]\nenabled = false\n", "content/posts/a.md": post("A")})
    result = build(root)
    assert result.published and codes(result) == []
    output = root / "output"
    assert not (output / "search").exists() and not (output / "pagefind").exists()
    home = (output / "index.html").read_text()
    assert 'role="search"' not in home and "/search/" not in home


def test_search_page_works_without_javascript(make_site):
    require_pagefind()
    root = make_site({"content/posts/a.md": post("A")})
    build(root)
    page = (root / "output/search/index.html").read_text()
    assert '<form class="search-form" role="search" action="/search/" method="get"' in page
    assert '<label for="search-input">Search the posts</label>' in page
    assert "<noscript>" in page and 'href="/archive/"' in page


@pytest.mark.browser
@pytest.mark.slow
def test_typing_in_the_search_box_finds_the_seed_post(tmp_path):
    require_pagefind()
    root = copy_bundled(tmp_path / "bundled")
    result = build(root)
    assert result.published, [d.format() for d in result.diagnostics]
    with serve(root / "output") as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/search/")
        page.fill("#search-input", "telescope")  # a word of the seed post only
        result_link = page.locator(".search-result-title a").first
        result_link.wait_for(timeout=15_000)
        assert result_link.inner_text() == SEED_TITLE
        assert result_link.get_attribute("href") == (
            "/posts/reduced-container-sizes-with-multi-stage-docker-builds/"
        )
        assert "1 post matches “telescope”." in page.locator("#search-status").inner_text()
        assert page.url.endswith("/search/?q=telescope")
        # The header box of any page leads to the same results.
        page.goto(base + "/tags/")
        page.fill("#site-search-input", "alpine")
        page.press("#site-search-input", "Enter")
        page.wait_for_url("**/search/?q=alpine")
        page.locator(".search-result-title a").first.wait_for(timeout=15_000)
        assert page.locator(".search-result-title a").first.inner_text() == SEED_TITLE
        page.fill("#search-input", "kubernetes helm zzzz")
        page.wait_for_function(
            "document.getElementById('search-status').textContent.startsWith('No posts match')"
        )
        assert page.locator(".search-result").count() == 0
        page.close()


@pytest.mark.browser
def test_search_page_without_an_index_says_so(make_site, failing_pagefind):
    root = make_site({"content/posts/a.md": post("A")})
    assert build(root).published
    with serve(root / "output") as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/search/?q=docker")
        status = page.locator("#search-status")
        status.locator("a").wait_for(timeout=15_000)
        assert status.inner_text() == (
            "The search index is not part of this copy of the site. "
            "Every post is listed in the archive."
        )
        assert status.locator("a").get_attribute("href") == "/archive/"
        page.close()


@pytest.mark.browser
def test_search_works_under_a_base_path(tmp_path):
    require_pagefind()
    root = serve_under_blog(copy_rich(tmp_path / "site"))
    result = build(root)
    assert result.published, [d.format() for d in result.diagnostics]
    www = tmp_path / "www"
    www.mkdir()
    shutil.copytree(root / "output", www / "blog")
    with serve(www) as base, chromium() as browser:
        page = browser.new_page()
        page.goto(base + "/blog/")
        page.fill("#site-search-input", "cache mount")
        page.press("#site-search-input", "Enter")
        page.wait_for_url("**/blog/search/?q=cache+mount")
        first = page.locator(".search-result-title a").first
        first.wait_for(timeout=15_000)
        assert first.get_attribute("href") == "/blog/posts/cache-mounts/"
        first.click()
        page.wait_for_url("**/blog/posts/cache-mounts/")
        assert page.title() == "Faster Rebuilds With BuildKit Cache Mounts · Image Diet"
        page.close()

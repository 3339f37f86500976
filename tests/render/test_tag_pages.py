"""Each tag page and the home page list every post, newest first, none dropped or repeated: read
page by page, the lists put together are exactly the tag's posts (first and last included)."""

from __future__ import annotations

import re

import pytest
from conftest import post

from site_builder.pipeline.phases import load

TITLE = re.compile(r'<h2 class="post-item-title"><a href="/posts/([^/"]+)/">')


def site_files(make_site, count: int, per_page: int) -> dict[str, bytes]:
    files = {
        f"content/posts/p{n}.md": post(
            f"Post {n}", f"2024-01-{n + 1:02}", "Docker, Go" if n % 2 else "Docker"
        )
        for n in range(count)
    }
    files["site.toml"] = f'posts_per_page = {per_page}\n[dockerfile]\nhadolint = "off"\n'
    result = load(make_site(files))
    assert result.rendered is not None, [d.format() for d in result.diagnostics]
    return dict(result.rendered.files)


def listed(files: dict[str, bytes], first: str) -> list[list[str]]:
    """The post slugs of each page of the list whose first page is `first`, page by page."""
    pages = [
        first,
        *sorted(
            (p for p in files if p.startswith(first.replace("index.html", "page/"))),
            key=lambda p: int(p.split("/")[-2]),
        ),
    ]
    return [TITLE.findall(files[page].decode()) for page in pages]


@pytest.mark.parametrize(("count", "per_page"), [(1, 10), (5, 2), (6, 3), (7, 1)])
def test_every_tag_page_lists_all_its_posts_in_order(make_site, count: int, per_page: int) -> None:
    files = site_files(make_site, count, per_page)
    newest_first = [f"p{n}" for n in reversed(range(count))]
    docker = listed(files, "tags/docker/index.html")
    assert [slug for page in docker for slug in page] == newest_first
    assert [len(page) for page in docker[:-1]] == [per_page] * (len(docker) - 1)
    go = listed(files, "tags/go/index.html") if count > 1 else []
    assert [slug for page in go for slug in page] == [s for s in newest_first if int(s[1:]) % 2]


@pytest.mark.parametrize(("count", "per_page"), [(1, 10), (5, 2), (7, 3)])
def test_the_home_pages_list_every_post(make_site, count: int, per_page: int) -> None:
    files = site_files(make_site, count, per_page)
    home = listed(files, "index.html")
    assert [slug for page in home for slug in page] == [f"p{n}" for n in reversed(range(count))]
    assert len(home) == -(-count // per_page)

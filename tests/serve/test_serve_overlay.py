"""The overlay as the real `build-site serve` sends it: each page lists its own source's
problems first, with the excerpt, in the HTML it serves and from `/__reload/overlay`."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from html import unescape
from pathlib import Path

from conftest import run_cli
from serve_support import ServeProcess, post_text, write

MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def _listing(html: str) -> str:
    """The overlay's text, in order (style dropped, tags removed, entities decoded)."""
    start = html.index('<div id="__sb-overlay"')
    end = html.index("<script", start)
    part = re.sub(r"<style>.*?</style>", "", html[start:end], flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", part))


def _site(make_site: MakeSite) -> Path:
    return make_site(
        {
            "content/posts/hello.md": post_text("Hello", "Hello words."),
            "content/posts/other.md": post_text(
                "Other", "The other post.", date="2023-05-06", extra="tittle: typo\n"
            ),
        }
    )


def test_a_broken_post_lists_its_own_problem_first_with_the_excerpt(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        page = server.get("/posts/hello/").text.replace("&quot;", '"')
        stream = server.events(re.search(r'"token":"([^"]+)"', page).group(1))  # type: ignore[union-attr]
        assert stream.next().name == "hello"
        text = post_text("Hello", "Hello words.").replace("date: 2024-01-02", "date: 2024-13-01")
        write(root / "content/posts/hello.md", text)
        assert stream.next().data["ok"] is False
        hello = _listing(server.get("/posts/hello/").text)
        assert hello.index("This page") < hello.index("FM007") < hello.index("Elsewhere")
        assert "3 | date: 2024-13-01" in hello and "^" in hello
        assert "title: Hello" not in hello, "only the lines problems point at are quoted"
        assert hello.index("Elsewhere in the site (1)") < hello.index("FM009")
        other = _listing(server.get("/posts/other/").text)
        assert other.index("This page") < other.index("FM009") < other.index("Elsewhere")
        assert "6 | tittle: typo" in other
        assert other.index("Elsewhere") < other.index("FM007")
        tag = _listing(server.get("/tags/docker/").text)
        assert "This page" not in tag and "In the site (2)" in tag
        answer = json.loads(server.get("/__reload/overlay?page=/posts/other/index.html").body)
        assert answer["generation"] == 2
        assert _listing(answer["overlay"] + "<script").index("FM009") < _listing(
            answer["overlay"] + "<script"
        ).index("FM007")


def test_a_site_built_before_the_preview_still_knows_each_pages_source(
    make_site: MakeSite,
) -> None:
    root = _site(make_site)
    built = run_cli("build", "--root", root)
    assert built.returncode == 0, built.stderr
    with ServeProcess(root) as server:
        other = _listing(server.get("/posts/other/").text)
        assert other.index("This page") < other.index("FM009")
        assert "6 | tittle: typo" in other
        assert "No problems in this page's source." in _listing(server.get("/posts/hello/").text)

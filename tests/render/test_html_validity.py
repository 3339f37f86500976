"""Every page of the built bundled site and of the rich fixture site passes the Nu HTML Checker
(vnu-jar from the npm registry, run with the machine's Java) with zero errors.

vnu starts slowly, so it runs once, over every output folder at the same time, plus a control
folder holding one known-invalid page (which proves the run really checks).
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from tools.harness import require_java, require_tool
from tools.sites import (
    add_dockerfile_post,
    add_embeds_post,
    copy_bundled,
    copy_rich,
    serve_under_blog,
)

from site_builder.pipeline.phases import BuildOptions, build

pytestmark = pytest.mark.slow

VNU = "node_modules/vnu-jar/build/dist/vnu.jar"
CONTROL_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>control</title></head>'
    '<body><p id="a">1</p><p id="a">2</p></body></html>'
)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> dict[str, dict[str, list[dict[str, object]]]]:
    """`{site: {page path: [vnu error, ...]}}` for every HTML page of every site built here."""
    java = require_java()
    jar = require_tool(VNU)
    work = tmp_path_factory.mktemp("vnu")
    sites: dict[str, Path] = {}
    bundled = copy_bundled(work / "bundled")
    rich = copy_rich(work / "rich")
    drafts = serve_under_blog(copy_rich(work / "rich-drafts-base-path"))
    (drafts / "content/posts/draft.md").write_text(
        "---\ntitle: Draft\ndate: 2024-05-01\npublished: false\n"
        "description: An unpublished post, shown with its banner because of --drafts.\n---\n\n"
        "Not ready yet.\n"
    )
    add_dockerfile_post(rich)
    add_embeds_post(rich)
    for name, root, options in (
        ("bundled", bundled, BuildOptions()),
        ("rich", rich, BuildOptions()),
        ("rich-drafts-base-path", drafts, BuildOptions(drafts=True)),
    ):
        result = build(root, options)
        assert result.published, [d.format() for d in result.diagnostics]
        sites[name] = root / "output"
    control = work / "control"
    control.mkdir()
    (control / "index.html").write_text(CONTROL_PAGE)
    sites["control"] = control
    run = subprocess.run(
        [
            java,
            "-jar",
            str(jar),
            "--errors-only",
            "--format",
            "json",
            "--skip-non-html",
            *map(str, sites.values()),
        ],
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    data = json.loads(run.stderr or run.stdout)
    found: dict[str, dict[str, list[dict[str, object]]]] = {
        name: defaultdict(list) for name in sites
    }
    for name, folder in sites.items():
        for page in folder.rglob("*.html"):
            found[name][page.relative_to(folder).as_posix()] = []
    for message in data["messages"]:
        path = Path(unquote(urlsplit(str(message.get("url", ""))).path))
        for name, folder in sites.items():
            if path.is_relative_to(folder):
                found[name][path.relative_to(folder).as_posix()].append(message)
                break
        else:
            raise AssertionError(f"vnu message outside the checked folders: {message}")
    return found


# The one message we accept: the checker warns (as an error) about a sandbox that allows both
# scripts and the frame's own origin, a pair that lets a *same-origin* frame lift its sandbox.
# Video players are other sites' frames, which need both to play (YouTube's player fails with an
# opaque origin); the sandbox still keeps them from navigating the page. See markup/embeds.py.
_PLAYER_SANDBOX = "“allow-scripts” and “allow-same-origin”"


def describe(messages: list[dict[str, object]]) -> list[str]:
    return [
        f"{m.get('lastLine')}:{m.get('firstColumn')}: {m.get('message')}"
        for m in messages
        if _PLAYER_SANDBOX not in str(m.get("message"))
    ]


def test_the_checker_really_checks(report):
    assert describe(report["control"]["index.html"]) == ["1:88: Duplicate ID “a”."]


@pytest.mark.parametrize("site", ["bundled", "rich", "rich-drafts-base-path"])
def test_every_page_is_valid_html(report, site):
    pages = report[site]
    assert len(pages) >= 10
    errors = {page: describe(messages) for page, messages in pages.items() if describe(messages)}
    assert errors == {}


def test_the_rich_site_covers_what_it_should(report):
    pages = set(report["rich"])
    assert {
        "index.html",
        "page/2/index.html",
        "posts/why-images-get-big/index.html",
        "posts/multi-stage-builds/index.html",
        "series/docker-image-diet/index.html",
        "series/index.html",
        "archive/index.html",
        "search/index.html",
        "tags/docker/page/2/index.html",
        "about/index.html",
        "404.html",
    } <= pages

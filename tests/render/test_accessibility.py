"""axe-core in headless Chromium reports no serious or critical accessibility violations on the
home, post, tag and search pages (and the series and archive pages), in the light and the dark
colour scheme, for the bundled site and the rich fixture site.

axe-core comes from the npm registry (tests/tools/install_node_tools.sh); pages are served by a
real HTTP server on a free loopback port. A control page with unreadable text proves the
harness reports what it should.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import skip_or_fail
from tools.harness import chromium, require_chromium, require_tool, serve
from tools.sites import add_dockerfile_post, add_embeds_post, copy_bundled, copy_rich

from site_builder.pipeline.phases import build
from site_builder.publish.search_index import pagefind_binary

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = "node_modules/axe-core/axe.min.js"
SEED = "/posts/reduced-container-sizes-with-multi-stage-docker-builds/"
PAGES = {
    "bundled": ["/", SEED, "/tags/docker/", "/search/", "/archive/"],
    "rich": [
        "/",
        "/posts/why-images-get-big/",
        "/posts/multi-stage-builds/",
        "/tags/docker/",
        "/search/",
        "/series/docker-image-diet/",
        "/archive/",
        "/about/",
        "/404.html",
    ],
}
CONTROL = (
    '<!DOCTYPE html><html lang="en"><head><title>control</title></head><body><main>'
    '<p style="color:#ccc;background:#fff">faint text</p><img src="x.png"></main></body></html>'
)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[dict[str, str]]:
    """Base URL of each built site (and of the control folder), served for the whole module."""
    require_chromium()
    require_tool(AXE)
    work = tmp_path_factory.mktemp("axe")
    roots = {"bundled": copy_bundled(work / "bundled"), "rich": copy_rich(work / "rich")}
    dockerfile = add_dockerfile_post(roots["rich"])
    add_embeds_post(roots["rich"])
    for root in roots.values():
        result = build(root)
        assert result.published, [d.format() for d in result.diagnostics]
    control = work / "control"
    control.mkdir()
    (control / "index.html").write_text(CONTROL)
    with (
        serve(roots["bundled"] / "output") as bundled,
        serve(roots["rich"] / "output") as rich,
        serve(control) as control_base,
    ):
        yield {
            "bundled": bundled,
            "rich": rich,
            "control": control_base,
            "dockerfile": rich + "/posts/checked-dockerfile/" if dockerfile else "",
        }


@pytest.fixture(scope="module")
def tabs(served) -> Iterator[dict[str, Any]]:
    """One browser tab per colour scheme, reused by every audit of the module."""
    with chromium() as browser:
        contexts = {
            scheme: browser.new_context(color_scheme=scheme) for scheme in ("light", "dark")
        }
        yield {scheme: context.new_page() for scheme, context in contexts.items()}
        for context in contexts.values():
            context.close()


def audit(tabs: dict[str, Any], url: str, scheme: str, wait_for: str | None = None) -> list[str]:
    """Serious and critical axe violations of the page at `url`, as readable lines."""
    page = tabs[scheme]
    page.goto(url)
    if wait_for:
        page.locator(wait_for).first.wait_for(timeout=15_000)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    page.add_script_tag(path=str(Path(require_tool(AXE))))
    results = page.evaluate("axe.run()")
    assert results["passes"], "axe ran no checks"
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_harness_catches_violations(served, tabs):
    found = audit(tabs, served["control"] + "/", "light")
    assert any(line.startswith("serious color-contrast") for line in found), found
    assert any(line.startswith("critical image-alt") for line in found), found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    ("site", "path"), [(site, path) for site, paths in PAGES.items() for path in paths]
)
def test_no_serious_or_critical_violations(served, tabs, site, path, scheme):
    assert audit(tabs, served[site] + path, scheme) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_results_are_accessible(served, tabs, scheme):
    if pagefind_binary() is None:
        skip_or_fail("Pagefind not installed: no results to audit")
    url = served["rich"] + "/search/?q=cache"
    assert audit(tabs, url, scheme, wait_for=".search-result-title a") == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_dockerfile_check_notes_are_accessible(served, tabs, scheme):
    if not served["dockerfile"]:
        skip_or_fail("the Dockerfile checker is not importable")
    tab = tabs[scheme]
    assert audit(tabs, served["dockerfile"], scheme) == []
    assert tab.locator(".code-check").count() == 2
    tab.locator("details.code-check summary").first.click()  # opened, its list is audited too
    tab.add_script_tag(path=str(Path(require_tool(AXE))))
    results = tab.evaluate("axe.run()")
    assert [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")] == []

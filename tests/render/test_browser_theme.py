"""The default theme in headless Chromium at a desktop (1280×900) and a phone (390×844) size:
the copy button covers no code line, no archive row is taller than two lines of text, no request
fails on any page (the favicon included), the light/dark toggle switches and is remembered
across a reload, the table of contents sits beside the text at wide widths and the first
paragraph of a post is on the phone's first screen.

Screenshots of every page at both sizes are saved under the test's temporary folder (the path
is printed; `pytest -s` shows it), as artefacts to look at when a check fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tools.harness import chromium, require_chromium, serve
from tools.sites import add_dockerfile_post, copy_bundled, copy_rich

from site_builder.pipeline.phases import build

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
PAGES = {
    "rich": [
        "/",
        "/posts/why-images-get-big/",
        "/posts/multi-stage-builds/",
        "/posts/alpine-or-distroless/",
        "/tags/docker/",
        "/series/docker-image-diet/",
        "/archive/",
        "/search/",
        "/about/",
        "/404.html",
    ],
    "bundled": ["/", "/archive/", "/posts/measured-image-sizes/"],
}
CHECKED = "/posts/checked-dockerfile/"

# Every pair (copy button, code line) of the page whose boxes intersect.
OVERLAPS = """() => {
  const hits = [];
  for (const button of document.querySelectorAll('.copy-button')) {
    const b = button.getBoundingClientRect();
    for (const line of document.querySelectorAll('.code-block .line')) {
      const l = line.getBoundingClientRect();
      if (l.width === 0 || l.height === 0) continue;
      if (b.left < l.right && l.left < b.right && b.top < l.bottom && l.top < b.bottom) {
        hits.push(line.textContent.slice(0, 40));
      }
    }
  }
  return hits;
}"""
# Archive rows taller than two lines of their own text.
TALL_ROWS = """() => Array.from(document.querySelectorAll('.archive-list li')).filter(li => {
  const style = getComputedStyle(li);
  const content = li.getBoundingClientRect().height
    - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
  return content > 2 * parseFloat(style.lineHeight) + 1;
}).map(li => li.textContent.trim())"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Iterator[dict[str, str]]:
    require_chromium()
    work = tmp_path_factory.mktemp("theme")
    roots = {"rich": copy_rich(work / "rich"), "bundled": copy_bundled(work / "bundled")}
    if add_dockerfile_post(roots["rich"]):
        PAGES["rich"].append(CHECKED)
    for root in roots.values():
        result = build(root)
        assert result.published, [d.format() for d in result.diagnostics]
    with serve(roots["rich"] / "output") as rich, serve(roots["bundled"] / "output") as bundled:
        yield {"rich": rich, "bundled": bundled}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\ntheme screenshots: {folder}")
    return folder


def _page(browser: Any, size: str, scheme: str = "light") -> tuple[Any, Any, list[str]]:
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # a request cut short by the next navigation (the favicon, fetched late) is not a failure
    page.on(
        "requestfailed",
        lambda r: (
            None if "ERR_ABORTED" in (r.failure or "") else failed.append(f"{r.failure} {r.url}")
        ),
    )
    return context, page, failed


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", PAGES)
def test_pages_load_everything_and_the_copy_button_covers_no_code(
    sites, browser, shots, name, size
):
    context, page, failed = _page(browser, size)
    try:
        for path in PAGES[name]:
            page.goto(sites[name] + path)
            page.wait_for_load_state("load")
            page.screenshot(
                path=str(shots / f"{name}{path.replace('/', '_')}{size}.png"), full_page=True
            )
            assert page.evaluate(OVERLAPS) == [], (path, size)
            if "archive" in path:
                assert page.evaluate(TALL_ROWS) == [], (path, size)
            assert page.locator("link[rel=icon]").count() == 1
        assert failed == [], failed
    finally:
        context.close()


def test_the_copy_buttons_sit_in_the_header_row_with_the_language(sites, browser):
    context, page, _ = _page(browser, "phone")
    try:
        page.goto(sites["rich"] + "/posts/multi-stage-builds/")
        session = page.locator('.code-block[data-lang="console"] .code-title')
        assert session.locator(".copy-button").inner_text() == "Copy commands"
        assert session.locator(".code-lang").inner_text() == "Shell session"
        assert page.locator(".code-block > .copy-button").count() == 0
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_toggle_switches_and_is_remembered(sites, browser, scheme):
    context, page, _ = _page(browser, "desktop", scheme)
    try:
        page.goto(sites["rich"] + "/posts/multi-stage-builds/")
        toggle = page.locator(".theme-toggle")
        body = "getComputedStyle(document.body).backgroundColor"
        code = "getComputedStyle(document.querySelector('.highlight')).backgroundColor"
        before = page.evaluate(body), page.evaluate(code)
        assert toggle.get_attribute("aria-pressed") == ("true" if scheme == "dark" else "false")
        toggle.click()
        other = "light" if scheme == "dark" else "dark"
        assert page.evaluate("document.documentElement.dataset.theme") == other
        after = page.evaluate(body), page.evaluate(code)
        assert after[0] != before[0] and after[1] != before[1]
        page.reload()
        # applied by the inline script in <head>, before the stylesheet paints anything
        assert page.evaluate("document.documentElement.dataset.theme") == other
        assert (page.evaluate(body), page.evaluate(code)) == after
        assert toggle.get_attribute("aria-pressed") == ("true" if other == "dark" else "false")
        page.goto(sites["rich"] + "/archive/")
        assert page.evaluate(body) == after[0]
    finally:
        context.close()


def test_wide_screens_keep_the_contents_beside_the_text(sites, browser):
    context, page, _ = _page(browser, "desktop")
    try:
        page.goto(sites["rich"] + "/posts/multi-stage-builds/")
        toc = page.locator(".toc details")
        assert toc.evaluate("t => t.open")
        text = page.locator(".post-body").bounding_box()
        box = page.locator(".toc").bounding_box()
        assert box["x"] >= text["x"] + text["width"], (box, text)
        assert box["x"] + box["width"] <= SIZES["desktop"][0]
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(200)
        box = page.locator(".toc").bounding_box()
        assert 0 <= box["y"] < 100, box  # sticky: still in view after scrolling
    finally:
        context.close()


@pytest.mark.parametrize("name", PAGES)
def test_the_header_fits_one_row_at_1280(sites, browser, name):
    context, page, _ = _page(browser, "desktop")
    try:
        page.goto(sites[name] + "/")
        title = page.locator(".site-title").bounding_box()
        for part in (".site-search", ".theme-toggle", ".site-nav"):
            box = page.locator(part).bounding_box()
            assert box["y"] < title["y"] + title["height"], f"{part} wrapped under the title"
    finally:
        context.close()


def test_phones_show_the_first_paragraph_on_the_first_screen(sites, browser):
    context, page, _ = _page(browser, "phone")
    try:
        page.goto(sites["rich"] + "/posts/multi-stage-builds/")
        assert not page.locator(".toc details").evaluate("t => t.open")
        first = page.locator(".post-body > p").first.bounding_box()
        assert first["y"] + 24 < SIZES["phone"][1], first
        kicker = page.locator(".series-kicker .nowrap")
        assert kicker.evaluate("k => k.getClientRects().length") == 1, "PART n OF m wrapped"
    finally:
        context.close()

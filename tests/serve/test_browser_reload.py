"""Live reload in a real browser: headless Debian Chromium driven by Playwright.

Each test opens pages of a site served by the real `build-site serve`, changes a file on disk,
and waits for the browser to show the result with no action of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from serve_support import ServeProcess, post_text, write

from site_builder.render.templates import builtin_theme_dir

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 60_000

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MakeSite = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("SITE_BUILDER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and SITE_BUILDER_REQUIRE_BROWSER=1")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1000, "height": 700})
    ctx.set_default_timeout(WAIT_MS)
    yield ctx
    ctx.close()


LONG_BODY = "\n\n".join(
    f"Paragraph {n}: a long enough paragraph about image layers, build caches and slim bases "
    "so that the page is much taller than the browser window."
    for n in range(80)
)


def _site(make_site: MakeSite, **extra: str | bytes) -> Path:
    return make_site(
        {
            "content/posts/hello.md": post_text("Hello", "Original opening words.\n\n" + LONG_BODY),
            "content/posts/other.md": post_text("Other", "The other post.", date="2023-05-06"),
            **extra,
        }
    )


def test_editing_a_post_reloads_the_open_page_and_keeps_the_scroll(
    make_site: MakeSite, context: Any
) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        page = context.new_page()
        page.goto(server.url + "posts/hello/")
        assert "Original opening words." in page.inner_text("main")
        page.wait_for_function("() => document.documentElement.dataset.sbGeneration === '1'")
        page.evaluate("() => { window.scrollTo(0, 1500); window.__before_reload = true; }")
        page.wait_for_function("() => Math.abs(window.scrollY - 1500) < 2")
        write(
            root / "content/posts/hello.md",
            post_text("Hello", "Freshly edited opening words.\n\n" + LONG_BODY),
        )
        page.wait_for_function(
            "() => document.body.innerText.includes('Freshly edited opening words.')"
        )
        assert page.evaluate("() => window.__before_reload") is None, "the page itself reloaded"
        page.wait_for_function("() => Math.abs(window.scrollY - 1500) < 40")
        assert page.evaluate("() => document.documentElement.dataset.sbGeneration") == "2"


def test_a_stylesheet_change_is_swapped_in_without_a_reload(
    make_site: MakeSite, context: Any
) -> None:
    css = (builtin_theme_dir() / "static" / "style.css").read_text()
    root = _site(
        make_site,
        **{"themes/default/static/style.css": css + "\nbody { background-color: rgb(1, 2, 3); }\n"},
    )
    with ServeProcess(root) as server:
        page = context.new_page()
        page.goto(server.url + "posts/hello/")
        background = "() => getComputedStyle(document.body).backgroundColor"
        assert page.evaluate(background) == "rgb(1, 2, 3)"
        page.evaluate("() => { window.__kept = 'yes'; }")
        write(
            root / "themes/default/static/style.css",
            css + "\nbody { background-color: rgb(4, 5, 6); }\n",
        )
        page.wait_for_function(f"() => ({background})() === 'rgb(4, 5, 6)'")
        assert page.evaluate("() => window.__kept") == "yes", "no reload for a CSS-only change"
        hrefs = page.evaluate(
            "() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => l.href)"
        )
        assert any("style.css?__sb=" in href for href in hrefs)


def test_a_broken_post_shows_the_overlay_and_fixing_it_clears_it(
    make_site: MakeSite, context: Any
) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(server.url + "posts/hello/")
        write(
            root / "content/posts/hello.md",
            "---\ntitle: Hello\ndate: 2024-01-02\n"
            "slug: '<script>alert(1)</script><img src=x onerror=alert(2)>'\n"
            "---\n\nBroken.\n",
        )
        overlay = page.locator("#__sb-overlay")
        overlay.wait_for(state="visible")
        text = overlay.inner_text()
        assert "Build failed" in text
        assert "content/posts/hello.md:" in text
        assert "<script>alert(1)</script><img src=x onerror=alert(2)>" in text, "shown as text"
        assert page.locator("#__sb-overlay script, #__sb-overlay img").count() == 0
        assert "Original opening words." in page.inner_text("main"), "the last good page stays"
        page.reload()
        page.locator("#__sb-overlay").wait_for(state="visible")
        assert "Original opening words." in page.inner_text("main")
        page.click("[data-sb-dismiss]")
        assert page.locator("#__sb-overlay").count() == 0
        write(root / "content/posts/hello.md", post_text("Hello", "Repaired opening words."))
        page.wait_for_function("() => document.body.innerText.includes('Repaired opening words.')")
        assert page.locator("#__sb-overlay").count() == 0
        assert dialogs == []


def test_a_deleted_post_sends_its_page_home(make_site: MakeSite, context: Any) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        page = context.new_page()
        page.goto(server.url + "posts/other/")
        (root / "content/posts/other.md").unlink()
        page.wait_for_url(server.url)
        assert "Hello" in page.inner_text("main")


def test_many_open_tabs_all_load_and_reload(make_site: MakeSite, context: Any) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        pages = []
        for _ in range(9):  # more than the browser's six connections per host
            page = context.new_page()
            page.goto(server.url + "posts/hello/")
            pages.append(page)
        for page in pages:
            page.wait_for_function("() => document.documentElement.dataset.sbGeneration === '1'")
        write(
            root / "content/posts/hello.md",
            post_text("Hello", "Seen by every tab.\n\n" + LONG_BODY),
        )
        for page in pages:
            page.wait_for_function("() => document.body.innerText.includes('Seen by every tab.')")


def test_drafts_carry_a_visible_banner(make_site: MakeSite, context: Any) -> None:
    root = _site(
        make_site,
        **{
            "content/posts/draft.md": post_text(
                "Work in progress", "Not yet.", extra="published: false\n"
            )
        },
    )
    with ServeProcess(root, "--drafts") as server:
        page = context.new_page()
        page.goto(server.url + "posts/draft/")
        banner = page.get_by_text("DRAFT", exact=False).first
        banner.wait_for(state="visible")
        page.goto(server.url + "posts/hello/")
        assert page.get_by_text("DRAFT").count() == 0

"""The problem overlay in a real browser (headless Debian Chromium through Playwright): a broken
post opened in the preview lists its own problem first, with the source excerpt, and in both
colour schemes every text of the overlay has at least 4.5:1 contrast (computed from the
browser's computed styles), and axe finds no serious or critical violation in it."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from serve_support import ServeProcess, post_text, write
from tools.harness import chromium, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MakeSite = Callable[[Mapping[str, str | bytes]], Path]
AXE = "node_modules/axe-core/axe.min.js"
WAIT_MS = 60_000

# The lowest contrast of any text in the overlay: each element with its own text, its computed
# colour against the first opaque background up its ancestors (alpha blended over white/black
# is not needed: the overlay's backgrounds are opaque).
LOWEST_CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const found = [];
  for (const el of document.querySelectorAll('#__sb-overlay *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.tagName === 'STYLE' || !el.getClientRects().length) continue;
    const a = lum(rgb(getComputedStyle(el).color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    found.push([ratio, el.tagName + '.' + el.className + ': ' + el.textContent.slice(0, 40)]);
  }
  found.sort((x, y) => x[0] - y[0]);
  return found.slice(0, 3);
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def _broken_site(make_site: MakeSite) -> Path:
    return make_site(
        {
            "content/posts/hello.md": post_text("Hello", "Original opening words."),
            "content/posts/other.md": post_text(
                "Other", "The other post.", date="2023-05-06", extra="tittle: typo\n"
            ),
        }
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_broken_post_shows_its_own_problem_first_readably(
    make_site: MakeSite, browser: Any, scheme: str, tmp_path: Path
) -> None:
    root = _broken_site(make_site)
    with ServeProcess(root) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
        context.set_default_timeout(WAIT_MS)
        try:
            page = context.new_page()
            page.goto(server.url + "posts/hello/")
            page.wait_for_function("() => document.documentElement.dataset.sbGeneration === '1'")
            broken = post_text("Hello", "Original opening words.").replace(
                "date: 2024-01-02", "date: 2024-13-01 <img src=x onerror=alert(1)>"
            )
            write(root / "content/posts/hello.md", broken)
            page.locator("#__sb-overlay[data-state=failed]").wait_for(state="visible")
            page.wait_for_function(
                "() => document.querySelector('#__sb-overlay h2')?.textContent === 'This page'"
            )
            sections = page.locator("#__sb-overlay section")
            assert sections.count() == 2
            mine = sections.nth(0).inner_text()
            assert mine.startswith("THIS PAGE") or mine.startswith("This page")
            assert "content/posts/hello.md:3:7" in mine and "FM007" in mine
            assert "✕ ERROR" in mine or "✕ error" in mine
            source = sections.nth(0).locator("pre.sb-src").first.inner_text()
            assert source.startswith("3 | date: 2024-13-01 <img src=x onerror=alert(1)>")
            assert "^" in source.splitlines()[1]
            rest = sections.nth(1).inner_text()
            assert "Elsewhere in the site (1)" in rest.title() or "ELSEWHERE" in rest
            assert "content/posts/other.md" in rest and "⚠ warning" in rest
            assert page.locator("#__sb-overlay img, #__sb-overlay script").count() == 0
            dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
            assert dark == (scheme == "dark")
            lowest = page.evaluate(LOWEST_CONTRAST)
            assert lowest and lowest[0][0] >= 4.5, lowest
            page.screenshot(path=str(tmp_path / f"overlay-{scheme}.png"))
            page.add_script_tag(path=str(require_tool(AXE)))
            results = page.evaluate("axe.run('#__sb-overlay')")
            assert results["passes"], "axe ran no checks"
            serious = [
                f"{v['id']}: {v['help']}"
                for v in results["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert serious == []
        finally:
            context.close()

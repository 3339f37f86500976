"""The preview's problem overlay as HTML: this page's problems first, each with the terminal's
source excerpt and caret, a word and an icon for its severity, everything escaped, and colours
that keep AA contrast in the light and the dark scheme."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.diagnostics.diagnostic import Diagnostic, Severity
from site_builder.diagnostics.report import SourceLines, excerpt, write_report
from site_builder.serve.overlay import overlay_json, overlay_style, page_overlay, render
from site_builder.serve.problems import collect
from site_builder.serve.reload import SiteState

HELLO = "content/posts/hello.md"
OTHER = "content/posts/other.md"


def _site(tmp_path: Path) -> Path:
    (tmp_path / "content/posts").mkdir(parents=True)
    (tmp_path / HELLO).write_text(
        "---\ntitle: Hello\ntittle: typo\ndate: 2024-13-01\n---\n\nBody.\n", encoding="utf-8"
    )
    (tmp_path / OTHER).write_text("---\ntitle: Other\nslug: Bad Slug\n---\n", encoding="utf-8")
    return tmp_path


PROBLEMS = [
    Diagnostic(OTHER, 3, 7, Severity.ERROR, "URL002", "slug must match ^[a-z0-9][a-z0-9-]*$"),
    Diagnostic(HELLO, 3, 1, Severity.WARNING, "FM009", "unknown key 'tittle'", end_column=6),
    Diagnostic(HELLO, 4, 7, Severity.ERROR, "FM007", "invalid date", end_column=17),
    Diagnostic("site.toml", 1, 1, Severity.WARNING, "CFG010", "base_url is the local default"),
    Diagnostic(HELLO, 7, 1, Severity.INFO, "TXT001", "an info note"),
]


def _text(html: str) -> str:
    """The overlay's visible text (style and tags dropped, entities decoded)."""
    from html import unescape

    html = re.sub(r"<style>.*?</style>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_this_pages_problems_come_first_then_the_rest_of_the_site(tmp_path: Path) -> None:
    html = render(collect(PROBLEMS, False, _site(tmp_path)), HELLO)
    assert html is not None
    text = _text(html)
    here, elsewhere = text.index("This page"), text.index("Elsewhere in the site (2)")
    assert here < elsewhere
    mine = text[here:elsewhere]
    assert mine.index("FM007") < mine.index("FM009"), "errors before warnings within a group"
    assert "URL002" not in mine and "CFG010" not in mine
    rest = text[elsewhere:]
    assert rest.index("URL002") < rest.index("CFG010") and "FM00" not in rest
    assert "TXT001" not in text, "info is not listed"
    assert text.startswith("Build failed: 2 errors, 2 warnings. Showing the last good build.")


def test_a_page_without_a_source_lists_the_site_and_a_clean_page_says_so(
    tmp_path: Path,
) -> None:
    problems = collect(PROBLEMS[:1], False, _site(tmp_path))
    whole = _text(render(problems) or "")
    assert "In the site (1)" in whole and "This page" not in whole
    clean = _text(render(problems, HELLO) or "")
    assert "This page" in clean and "No problems in this page's source." in clean
    assert "Elsewhere in the site (1)" in clean


def test_each_problem_shows_the_terminals_excerpt_and_caret(tmp_path: Path) -> None:
    root = _site(tmp_path)
    html = render(collect(PROBLEMS, False, root), HELLO) or ""
    block = re.search(r'<li class="sb-error">.*?FM007.*?</li>', html, flags=re.S)
    assert block is not None
    pre = re.search(r'<pre class="sb-src">(.*?)</pre>', block.group(0), flags=re.S)
    assert pre is not None
    source, caret = _text(pre.group(1)).split("\n")
    assert source == "4 | date: 2024-13-01"
    assert caret == "  |       ^^^^^^^^^^"
    assert caret.index("^") == source.index("2024"), "the caret sits under the column"
    # The same lines the terminal report prints for it.
    report = io.StringIO()
    write_report([PROBLEMS[2]], report, root=root)
    assert f"4 | {source[4:]}" in report.getvalue() and caret[2:] in report.getvalue()


def test_excerpt_is_the_reports_own_snippet(tmp_path: Path) -> None:
    root = _site(tmp_path)
    lines = SourceLines(root).lines(HELLO)
    shown = excerpt(PROBLEMS[1], lines)
    assert shown is not None and (shown.line, shown.text, shown.caret) == (
        3,
        "tittle: typo",
        "^" * 6,
    )
    assert excerpt(PROBLEMS[1], None) is None
    assert excerpt(Diagnostic(HELLO, 99, 1, Severity.ERROR, "X", "m"), lines) is None
    assert SourceLines(root).lines("content/posts/missing.md") is None


def test_severity_has_an_icon_and_a_word_and_more_than_a_colour(tmp_path: Path) -> None:
    html = render(collect(PROBLEMS, False, _site(tmp_path)), HELLO) or ""
    text = _text(html)
    assert text.count("✕ error") == 2 and text.count("⚠ warning") == 2
    assert '<span aria-hidden="true">✕</span> error' in html, "the icon is not read aloud"
    style = overlay_style()
    assert "li.sb-error{border-left:4px solid" in style
    assert "li.sb-warning{border-left:4px dashed" in style
    assert ".sb-error .sb-sev{color:var(--sb-error);text-transform:uppercase}" in style


def test_a_passing_build_with_warnings_is_a_badge_that_counts_this_page(tmp_path: Path) -> None:
    problems = collect(PROBLEMS[1:], True, _site(tmp_path))
    badge = render(problems, HELLO) or ""
    assert 'data-state="warnings"' in badge
    assert "<summary>1 error, 2 warnings (this page: 1 error, 1 warning)</summary>" in badge
    other = render(problems, OTHER) or ""
    assert "(this page: none)" in other
    assert render(collect(PROBLEMS[4:], True, tmp_path), HELLO) is None


def test_each_served_page_gets_its_own_sources_problems_first(tmp_path: Path) -> None:
    problems = collect(PROBLEMS, False, _site(tmp_path))
    state = SiteState(
        "abc",
        3,
        tmp_path / "output",
        "/blog/",
        False,
        render(problems),
        problems=problems,
        sources={"posts/hello/index.html": HELLO, "posts/other/index.html": OTHER},
    )
    hello = _text(page_overlay(state, "posts/hello/index.html") or "")
    assert hello.index("FM007") < hello.index("Elsewhere") < hello.index("URL002")
    other = _text(page_overlay(state, "posts/other/index.html") or "")
    assert other.index("URL002") < other.index("Elsewhere") < other.index("FM007")
    assert "This page" not in _text(page_overlay(state, "tags/x/index.html") or "")
    assert "This page" not in _text(page_overlay(state, None) or "")
    answer = overlay_json(state, "/blog/posts/other/index.html").decode()
    assert answer.startswith('{"generation":3,"overlay":"<div id=\\"__sb-overlay\\"')
    assert (
        overlay_json(SiteState("abc", 3, None, problems=collect([], True)), "/x").decode()
        == '{"generation":3,"overlay":null}'
    )


# -- escaping --------------------------------------------------------------------------------

ATTACKS = [
    "<script>alert(1)</script>", "</script><script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", '" onmouseover="alert(1)', "' onfocus='alert(1)", "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>", "<style>*{display:none}</style>", "</pre>", "</li>",
    "</div>", "<!--", "-->", "&lt;script&gt;", "&#60;script&#62;", "{{ 7*7 }}", "\u202e", "\t", "é",
    "<iframe src=//evil.example>", "<base href=//evil.example>", "</textarea>", "<details open>",
]  # fmt: skip
OURS = {"div", "style", "p", "span", "button", "section", "h2", "ol", "li", "pre", "details"}
OURS |= {"summary", "code"}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


user_text = st.lists(st.sampled_from(ATTACKS) | st.text(max_size=4), max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(
    message=user_text,
    hint=user_text,
    name=user_text,
    line=user_text,
    ok=st.booleans(),
    here=st.booleans(),
)
def test_user_text_stays_text(
    tmp_path_factory, message: str, hint: str, name: str, line: str, ok: bool, here: bool
) -> None:
    root = tmp_path_factory.mktemp("attack")
    (root / "content").mkdir()
    (root / "content/post.md").write_text(f"---\ntitle: {line}\n---\n", encoding="utf-8")
    problems = [
        Diagnostic("content/post.md", 2, 3, Severity.ERROR, "FM003", message, hint=hint or None),
        Diagnostic(f"content/{name}.md", 1, 1, Severity.WARNING, "FM009", message + line),
    ]
    html = render(collect(problems, ok, root), "content/post.md" if here else None) or ""
    parsed = _Tags()
    parsed.feed(html)
    parsed.close()
    assert set(parsed.tags) <= OURS, parsed.tags
    assert parsed.tags.count("style") == 1 and parsed.styles == [overlay_style()]
    assert not any(a.startswith("on") for a in parsed.attributes), parsed.attributes
    assert "<script" not in html.lower() and "<img" not in html.lower()
    text = _text(html)
    assert message.replace("\t", "") in text.replace("\t", "") or not message


# -- colour ----------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _palettes() -> dict[str, dict[str, str]]:
    style = overlay_style()
    light, _, dark = style.partition("@media (prefers-color-scheme:dark)")
    assert dark, "the overlay has a dark scheme"
    return {
        scheme: dict(re.findall(r"--sb-([a-z-]+):(#[0-9a-f]{6})", text))
        for scheme, text in (("light", light), ("dark", dark))
    }


def test_every_text_colour_meets_aa_in_both_schemes() -> None:
    texts = ("fg", "muted", "error", "warning", "info")
    backgrounds = ("bg-failed", "bg-warnings", "code-bg")
    for scheme, palette in _palettes().items():
        assert set(texts + backgrounds) <= set(palette), scheme
        for text in texts:
            for background in backgrounds:
                ratio = contrast(palette[text], palette[background])
                assert ratio >= 4.5, f"{scheme}: {text} on {background} is {ratio:.2f}:1"
    assert _palettes()["dark"]["bg-failed"] != _palettes()["light"]["bg-failed"]

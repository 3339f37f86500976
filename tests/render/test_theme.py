"""The default theme: list summaries with "Read more", the archive, related posts, readable
code colours, the copy button (commands only for shell sessions) and no external requests."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from conftest import post
from hypothesis import given
from hypothesis import strategies as st
from pygments.styles import get_all_styles
from tools.harness import chromium, serve
from tools.sites import copy_rich

from site_builder.markup.highlight_css import _style_css, contrast, readable, stylesheet
from site_builder.markup.html_rewrite import rewrite
from site_builder.pipeline.phases import build, load

MORE_POST = """\
---
title: {title}
date: {date}
tags: [{tags}]
description: The description of {title}, which lists show only when there is no more marker.
---

The teaser of {title} with a footnote.[^1]

## Inside the teaser

<!-- more -->

The rest of {title}.

[^1]: The footnote of {title}.
"""


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]+)"', html)


def test_lists_show_the_more_summary_with_read_more(make_site):
    root = make_site(
        {
            "content/posts/a.md": MORE_POST.format(title="Alpha", date="2024-01-02", tags="Docker"),
            "content/posts/b.md": MORE_POST.format(title="Beta", date="2024-01-03", tags="Docker"),
            "content/posts/c.md": post("Gamma", "2024-01-01"),
        }
    )
    files = load(root).rendered.files
    home = files["index.html"].decode()
    assert "The teaser of Alpha" in home and "The rest of Alpha" not in home
    assert "The teaser of Beta" in home
    # one "Read more" per entry, with or without a more marker
    assert re.findall(r'<p class="read-more"><a href="([^"]+)">Read more', home) == [
        "/posts/b/",
        "/posts/a/",
        "/posts/c/",
    ]
    assert '<span class="visually-hidden"> of “Alpha”</span>' in home
    # Without a more marker the description is the summary.
    assert "A short description of this post that is long enough" in home
    assert home.count("Read more") == 3
    # Footnote links lead into the post; ids of summaries never repeat on one page.
    assert 'href="/posts/a/#fn1"' in home and 'href="/posts/b/#fn1"' in home
    assert [i for i, n in Counter(ids(home)).items() if n > 1] == []
    assert 'id="inside-the-teaser"' not in home and 'class="anchor"' not in home
    tag = files["tags/docker/index.html"].decode()
    assert "The teaser of Alpha" in tag and [i for i, n in Counter(ids(tag)).items() if n > 1] == []


def test_archive_groups_posts_by_year(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("Old", "2022-05-01"),
            "content/posts/b.md": post("Newer", "2023-01-15"),
            "content/posts/c.md": post("Newest", "2023-12-31"),
        }
    )
    page = load(root).rendered.files["archive/index.html"].decode()
    years = re.findall(r'<h2 id="year-(\d+)">\d+ <span class="count">(\d+) posts?</span>', page)
    assert years == [("2023", "2"), ("2022", "1")]
    assert re.findall(r'<time datetime="[^"]+">([\d-]+)</time> <a href="([^"]+)">', page) == [
        ("2023-12-31", "/posts/c/"),
        ("2023-01-15", "/posts/b/"),
        ("2022-05-01", "/posts/a/"),
    ]
    assert '<a href="/archive/" aria-current="page">Archive</a>' in page


def test_related_posts_share_the_most_tags(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("Base", "2024-01-01", "Docker, BuildKit, Caching"),
            "content/posts/b.md": post("Two shared", "2024-01-02", "BuildKit, Caching"),
            "content/posts/c.md": post("One shared, newer", "2024-01-04", "Docker"),
            "content/posts/d.md": post("One shared, older", "2024-01-03", "Caching"),
            "content/posts/e.md": post("Nothing shared", "2024-01-05", "Rust"),
            "site.toml": "[related]\nlimit = 2\n",
        }
    )
    result = load(root)
    site = result.site
    base = next(p for p in site.posts if p.title == "Base")
    assert [p.title for p in site.related_to(base)] == ["Two shared", "One shared, newer"]
    lonely = next(p for p in site.posts if p.title == "Nothing shared")
    assert site.related_to(lonely) == ()
    page = result.rendered.files["posts/a/index.html"].decode()
    assert re.findall(
        r'<li><a href="([^"]+)">', page.split('class="related"')[1].split("</aside>")[0]
    ) == [
        "/posts/b/",
        "/posts/c/",
    ]
    assert 'class="related"' not in result.rendered.files["posts/e/index.html"].decode()


def test_related_posts_can_be_turned_off(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("A", "2024-01-01"),
            "content/posts/b.md": post("B", "2024-01-02"),
            "site.toml": "[related]\nlimit = 0\n",
        }
    )
    result = load(root)
    assert all(result.site.related_to(p) == () for p in result.site.posts)
    assert 'class="related"' not in result.rendered.files["posts/a/index.html"].decode()


@pytest.mark.parametrize("name", sorted(get_all_styles()))
def test_every_pygments_style_is_made_readable(name):
    css = _style_css(name)
    background = re.search(r"\.highlight \{ background: (#[0-9a-fA-F]+)", css).group(1)
    highlight = re.search(r"\.highlight \.hll \{ background-color: (#[0-9a-fA-F]+)", css)
    backgrounds = [background] + ([highlight.group(1)] if highlight else [])
    for rule in re.findall(r"^\.highlight[^{]*\{[^}]*\}", css, re.M):
        color = re.search(r"(?<![-\w])color: (#[0-9a-fA-F]{3,6})\b", rule)
        if color is None:
            continue
        own = re.search(r"background-color: (#[0-9a-fA-F]{3,6})\b", rule)
        against = [own.group(1)] if own and ".hll" not in rule else backgrounds
        for bg in against:
            assert contrast(color.group(1), bg) >= 4.5, (name, rule, bg)


def test_readable_keeps_good_colours_and_fixes_faint_ones():
    assert readable("#000000", ("#ffffff",)) == "#000000"
    fixed = readable("#60a0b0", ("#f0f0f0", "#ffffcc"))  # friendly's comment colour
    assert contrast(fixed, "#f0f0f0") >= 4.5 and contrast(fixed, "#ffffcc") >= 4.5
    assert contrast(readable("#75715e", ("#272822",)), "#272822") >= 4.5  # monokai, dark
    css = stylesheet("friendly", "monokai")
    light, dark = css.split("@media (prefers-color-scheme: dark) {")
    assert (
        ".highlight { background: #f0f0f0" in light and ".highlight { background: #272822" in dark
    )


@given(st.text(alphabet="<>abc=\"' /-!#&;ixdhrefsc\n", max_size=80))
def test_rewrite_with_identity_changes_nothing(html):
    assert rewrite(html, lambda url: url) == html


@given(st.lists(st.sampled_from(["/a/", "#x", "b.png", "https://e.example/", "", "?q=1&r=2"])))
def test_rewrite_resolves_every_url_attribute(hrefs):
    html = "".join(
        f'<p id="p{i}"><a href="{h}">t</a><img src="{h}" alt=""></p>' for i, h in enumerate(hrefs)
    )
    out = rewrite(html, lambda url: "X" + url, drop_ids=True)
    assert ' id="' not in out
    assert out.count('href="X') == out.count('src="X') == len(hrefs)
    assert rewrite(out, lambda url: url) == out


def test_rewrite_leaves_code_and_comments_alone():
    html = '<!-- <a href="c"> --><pre><code>&lt;a href="x"&gt;</code></pre><a href=\'y\' id=z>'
    assert rewrite(html, lambda url: "/" + url, drop_ids=True) == (
        '<!-- <a href="c"> --><pre><code>&lt;a href="x"&gt;</code></pre><a href="/y">'
    )


FETCHED = re.compile(
    r"<(?:script|img|iframe|source|video|audio|embed|track|input)\b[^>]*\ssrc=\"(?:https?:)?//"
    r"|<link\b(?![^>]*\srel=\"(?:canonical|alternate)\")[^>]*\shref=\"(?:https?:)?//"
    r"|<object\b[^>]*\sdata=\"(?:https?:)?//",
    re.I,
)


def test_theme_makes_no_external_requests_in_markup(tmp_path):
    assert FETCHED.search('<link rel="stylesheet" href="https://cdn.example/x.css">')
    assert FETCHED.search('<img alt="" src="//cdn.example/x.png">')
    assert not FETCHED.search('<link rel="canonical" href="https://blog.example.com/">')
    root = copy_rich(tmp_path / "site")
    result = load(root)
    for name, data in result.rendered.files.items():
        if name.endswith(".html"):
            assert not FETCHED.search(data.decode()), name
        if name.endswith(".css"):
            assert "url(" not in data.decode() and "@import" not in data.decode(), name
    for name, path in result.rendered.copies.items():
        if name.endswith((".css", ".js")):
            text = path.read_text()
            assert (
                "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text
            ), name


@pytest.mark.browser
@pytest.mark.slow
def test_pages_only_request_their_own_origin(tmp_path):
    root = copy_rich(tmp_path / "site")
    assert build(root).published
    requested: list[str] = []
    with serve(root / "output") as base, chromium() as browser:
        context = browser.new_context()
        context.on("request", lambda request: requested.append(request.url))
        page = context.new_page()
        for path in (
            "/",
            "/posts/why-images-get-big/",
            "/posts/multi-stage-builds/",
            "/search/?q=cache",
        ):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        context.close()
    origins = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in requested}
    assert origins == {base}, origins
    assert any(u.endswith("/static/site.js") for u in requested)


@pytest.mark.browser
def test_copy_button_copies_commands_only_for_shell_sessions(tmp_path):
    root = copy_rich(tmp_path / "site")
    assert build(root).published
    html = (root / "output/posts/multi-stage-builds/index.html").read_text()
    assert "copy-button" not in html  # added by site.js: without JavaScript there is no button
    with serve(root / "output") as base, chromium() as browser:
        context = browser.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page = context.new_page()
        page.goto(base + "/posts/multi-stage-builds/")
        session = page.locator('.code-block[data-lang="console"] .copy-button')
        assert session.inner_text() == "Copy commands"
        session.click()
        page.wait_for_function(
            "document.querySelector('.code-block[data-lang=\"console\"] .copy-button').textContent === 'Copied'"
        )
        assert page.evaluate("navigator.clipboard.readText()") == (
            "docker build -t app:slim \\\n    --target runtime .\ndocker images app"
        )
        # the status line is filled 50 ms after it is cleared, so that screen readers speak it
        page.wait_for_function(
            "document.querySelector('p.visually-hidden[role=status]')?.textContent"
            " === 'Copied to the clipboard'"
        )
        titled = page.locator('.code-block[data-lang="python"] .code-title .copy-button')
        assert titled.inner_text() == "Copy"
        titled.click()
        page.wait_for_function(
            "document.querySelector('.code-block[data-lang=\"python\"] .copy-button').textContent === 'Copied'"
        )
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("import subprocess\n\ndef image_size(tag: str) -> str:\n")
        assert copied.endswith('print(image_size("app:slim"))')
        assert "1" not in copied.splitlines()[0]  # line numbers are CSS, never copied
        page.goto(base + "/posts/alpine-or-distroless/")
        page.locator(".copy-button").click()
        page.wait_for_function("document.querySelector('.copy-button').textContent === 'Copied'")
        assert page.evaluate("navigator.clipboard.readText()") == (
            "kubectl debug -it pod/app --image=busybox --target=app"
        )
        context.close()


def test_copy_can_be_turned_off_per_block(make_site):
    root = make_site(
        {
            "content/posts/a.md": (
                "---\ntitle: A\ndate: 2024-01-01\n---\n\n```console {copy=false}\n$ ls\n```\n"
            ),
        }
    )
    page = load(root).rendered.files["posts/a/index.html"].decode()
    assert '<div class="code-block" data-lang="console" data-copy="false">' in page
    js = (load(root).rendered.copies["static/site.js"]).read_text()
    assert 'getAttribute("data-copy") === "false"' in js


def test_navigation_marks_the_current_page(make_site):
    root = make_site(
        {
            "content/posts/a.md": post("A"),
            "content/pages/about.md": "---\ntitle: About\n---\n\nAbout us.\n",
        }
    )
    files = load(root).rendered.files
    assert '<a href="/" aria-current="page">Posts</a>' in files["index.html"].decode()
    assert '<a href="/about/" aria-current="page">About</a>' in files["about/index.html"].decode()
    assert 'aria-current="page">Tags</a>' in files["tags/index.html"].decode()
    assert "aria-current" not in files["posts/a/index.html"].decode().split("</nav>")[0]

"""Raw HTML in posts: what real writing keeps in the default "safe" mode, what attacks never get
through, the diagnostics, the three modes, and comments (dropped in every mode)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
import pytest
from html_audit import audit
from hypothesis import example, given, settings
from hypothesis import strategies as st

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer
from site_builder.markup.html_policy import ADDED, ALLOWED, VOID, judge


def renderer(mode: str = "safe") -> MarkdownRenderer:
    return MarkdownRenderer(MarkdownConfig(html=mode), CodeRenderer(CodeOptions()))


SAFE = renderer()


def render(body: str, mode: str = "safe"):
    return (SAFE if mode == "safe" else renderer(mode)).render("p.md", body, 0)


def messages(out) -> list[str]:
    return [f"{d.line}:{d.column} {d.code} {d.message}" for d in out.diagnostics]


YOUTUBE = (
    '<iframe width="560" height="315" src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=abc" '
    'title="YouTube video player" frameborder="0" allow="accelerometer; autoplay; '
    'clipboard-write; encrypted-media" referrerpolicy="strict-origin-when-cross-origin" '
    "allowfullscreen></iframe>"
)
REAL_WRITING = [
    (
        "details with Markdown inside",
        "<details>\n<summary>Show the full Dockerfile</summary>\n\n```dockerfile\nFROM alpine:3.20\n```\n\n"
        "It builds in **two** stages.\n\n</details>\n",
        '<details>\n<summary>Show the full Dockerfile</summary>\n<div class="code-block"',
        "<p>It builds in <strong>two</strong> stages.</p>\n</details>\n",
    ),
    (
        "keyboard keys",
        "Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop the container.\n",
        "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd> to stop the container.</p>\n",
        "",
    ),
    (
        "a figure",
        '<figure>\n  <img src="layers.png" alt="The image layers" width="640" height="360">\n'
        "  <figcaption>Each RUN adds a layer.</figcaption>\n</figure>\n",
        '<figure>\n  <img src="layers.png" alt="The image layers" width="640" height="360" '
        'loading="lazy">\n  <figcaption>Each RUN adds a layer.</figcaption>\n</figure>\n',
        "",
    ),
    (
        "a YouTube embed as YouTube hands it out",
        YOUTUBE + "\n",
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?si=abc" width="560" height="315" '
        'title="YouTube video player" sandbox="allow-scripts allow-same-origin allow-presentation'
        ' allow-popups allow-popups-to-escape-sandbox" loading="lazy" allowfullscreen="" referrerpolicy="strict-origin-when-cross-origin">'
        "</iframe>\n",
        "",
    ),
    (
        "a footnote mark in sup",
        "The image is 5 MB<sup>[1](#sizes)</sup>, H<sub>2</sub>O, <mark>new</mark>, "
        '<abbr title="Open Container Initiative">OCI</abbr>, <del>old</del> <ins>new</ins>, '
        "<small>fine print</small><br>next line\n",
        '<p>The image is 5 MB<sup><a href="#sizes">1</a></sup>, H<sub>2</sub>O, <mark>new</mark>, '
        '<abbr title="Open Container Initiative">OCI</abbr>, <del>old</del> <ins>new</ins>, '
        "<small>fine print</small><br>next line</p>\n",
        "",
    ),
    (
        "details open, collapsed by default",
        "<details open><summary>Why?</summary>Because.</details>\n",
        '<details open=""><summary>Why?</summary>Because.</details>\n',
        "",
    ),
]


@pytest.mark.parametrize(
    ("body", "start", "end"), [c[1:] for c in REAL_WRITING], ids=[c[0] for c in REAL_WRITING]
)
def test_real_writing_keeps_its_html_without_a_word(body, start, end):
    out = render(body)
    assert out.html.startswith(start) and out.html.endswith(end), out.html
    assert messages(out) == []


LIVE_URL = re.compile(r"<[^<>]*(javascript|vbscript|data):", re.IGNORECASE)  # inside a tag
ATTACKS = [
    ("<script>alert(1)</script>\n", "1:1 MD020 '<script>' is shown as text: scripts are not allowed in posts"),
    ("A <img src=x onerror=alert(1)> inline.\n", "1:3 MD020 '<img src onerror>' is shown as text: event handler attributes (onerror) are not allowed"),
    ('<a href="javascript:alert(1)">x</a>\n', "1:1 MD020 '<a href>' is shown as text: write a Markdown link instead: [text](https://…)"),
    ('<iframe src="data:text/html,<script>alert(1)</script>"></iframe>\n', "1:1 MD020 '<iframe src>' is shown as text: only video embeds from https://youtube.com/embed/…, https://youtube-nocookie.com/embed/…, https://player.vimeo.com/video/…, https://asciinema.org/a/… are kept"),
    ("<iframe src=https://evil.example/embed/x></iframe>\n", "1:1 MD020 '<iframe src>' is shown as text: only video embeds"),
    ("<iframe src=http://www.youtube.com/embed/x></iframe>\n", "1:1 MD020 '<iframe src>' is shown as text: only video embeds"),
    ("<svg onload=alert(1)>\n", "1:1 MD020 '<svg onload>' is shown as text: allowed inline HTML: details, summary, kbd"),
    ('<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></math>\n', "1:1 MD020 '<math>' is shown as text"),
    ("<details open ontoggle=alert(1)>x</details>\n", "1:1 MD020 '<details open ontoggle>' is shown as text: event handler attributes (ontoggle) are not allowed"),
    ('<img src="javascript:alert(1)">\n', "1:1 MD020 '<img src>' is shown as text: its src must be an http(s) or relative URL"),
    ('<img src="data:image/svg+xml,<svg onload=alert(1)>">\n', "1:1 MD020 '<img src>' is shown as text: its src must be an http(s) or relative URL"),
    ('<img src=" JaVa&#x09;ScRiPt:alert(1)">\n', "1:1 MD020 '<img src>' is shown as text: its src must be an http(s) or relative URL"),
    ("<img alt=x>\n", "1:1 MD020 '<img alt>' is shown as text: an <img> needs a src"),
    ("<kbd onclick=alert(1)>x</kbd>\n", "1:1 MD020 '<kbd onclick>' is shown as text: event handler attributes (onclick) are not allowed"),
    ("<style>body{display:none}</style>\n", "1:1 MD020 '<style>' is shown as text: style sheets are not allowed in posts"),
    ('<base href="//evil.example/">\n', "1:1 MD020 '<base href>' is shown as text"),
    ('<meta http-equiv="refresh" content="0;url=//evil.example">\n', "1:1 MD020 '<meta http-equiv content>' is shown as text"),
    ("<object data=x.swf></object>\n", "1:1 MD020 '<object data>' is shown as text"),
    ("<details><summary onmouseover=alert(1)>x</summary></details>\n", "1:10 MD020 '<summary onmouseover>' is shown as text: event handler"),
    ("<sup><script>alert(1)</script></sup>\n", "1:6 MD020 '<script>' is shown as text: scripts are not allowed in posts"),
    ("<![CDATA[<script>alert(1)</script>]]>\n", "1:1 MD020 '<![CDATA[<script>ale…' is shown as text"),
    ('<abbr title="x" style="position:fixed">y</abbr>\n', "1:1 MD021 'style' is dropped from <abbr>: attributes allowed on <abbr>: title"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "first"), ATTACKS, ids=[a[0][:40] for a in ATTACKS])
def test_attacks_never_survive_and_each_is_reported(body, first):
    out = render(body)
    page = f"<!DOCTYPE html><html><body>{out.html}</body></html>"
    assert audit(page) == []
    assert "<script" not in out.html.lower() and not LIVE_URL.search(out.html)
    assert re.search(r"<[^>]*\son\w+\s*=", out.html) is None
    assert messages(out)[0].startswith(first), messages(out)


def test_what_is_shown_as_text_reads_as_written():
    out = render("<script>alert(1)</script>\n\nA <img src=x onerror=alert(1)> inline.\n")
    assert out.html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n<p>A &lt;img src=x onerror=alert(1)&gt; inline.</p>\n"
    )


def test_one_diagnostic_per_element_not_per_tag():
    out = render('<div class="note">\n<kbd>x</kbd>\n</div>\n\n<span>a</span> and <b>b</b>\n')
    assert [m.split(" is ")[0] for m in messages(out)] == [
        "1:1 MD020 '<div class>'",
        "5:1 MD020 '<span>'",
        "5:20 MD020 '<b>'",
    ]
    assert "<kbd>x</kbd>" in out.html and "&lt;/div&gt;" in out.html


def test_unbalanced_html_is_closed_in_its_own_block():
    out = render(
        "- <kbd>Ctrl\n- next\n\n<details>\n\ninside\n\n</details>\n\n</details>\n\n<sup>a<sub>b</sup>\n"
    )
    assert out.html.startswith("<ul>\n<li><kbd>Ctrl</kbd></li>\n<li>next</li>\n</ul>\n")
    assert (
        "<details><summary>Details</summary>\n<p>inside</p>\n</details>\n<p>&lt;/details&gt;</p>\n"
        in out.html
    )
    assert "<p><sup>a<sub>b</sub></sup></p>" in out.html
    assert messages(out) == [
        "1:3 MD021 '<kbd>' is never closed: closed at the end of its paragraph",
        "10:1 MD020 '</details>' is shown as text: it closes no open <details> in this block",
        "12:7 MD021 '<sub>' is never closed: closed before </sup>",
        "4:1 MD021 '<details>' has no <summary>: titled \"Details\"",
    ]


def test_a_details_left_without_summary_gets_one():
    out = render("<details><summary onmouseover=alert(1)>Why</summary>Because.</details>\n")
    assert out.html == (
        "<details><summary>Details</summary>&lt;summary onmouseover=alert(1)&gt;Why"
        "&lt;/summary&gt;Because.</details>\n"
    )
    assert render("<details>\n<summary>Why</summary>\n</details>\n").diagnostics == ()


def test_block_elements_must_start_their_own_line_and_sit_in_their_parent():
    out = render(
        "Text <details>x</details>\n\n<summary>alone</summary>\n\n<figcaption>c</figcaption>\n"
    )
    assert (
        "<details" not in out.html and "<summary" not in out.html and "<figcaption" not in out.html
    )
    assert [m.split(": ", 1)[1] for m in messages(out)] == [
        "start <details> on a line of its own, outside a paragraph",
        "<summary> belongs directly inside <details>",
        "<figcaption> belongs directly inside <figure>",
    ]


def test_dropped_attributes_are_named_with_what_is_allowed():
    out = render('<img src="a.png" class="wide" width="50%" style="x">\n')
    assert out.html == '<img src="a.png" loading="lazy">\n'
    assert [m.split(" MD021 ")[1] for m in messages(out)] == [
        "'class' is dropped from <img>: attributes allowed on <img>: src, alt, width, height, title",
        "'width' is dropped from <img>: 'width' must be a whole number of pixels",
        "'style' is dropped from <img>: attributes allowed on <img>: src, alt, width, height, title",
    ]


def test_kept_images_are_links_of_the_outline():
    out = render('Intro.\n\n<figure>\n<img alt="Layers" src="missing.png">\n</figure>\n', "safe")
    link = out.outline.links[-1]
    assert (link.href, link.text, link.is_image, link.line, link.column) == (
        "missing.png",
        "Layers",
        True,
        4,
        24,
    )
    assert render('<img src="x.png">\n', "text").outline.links == ()


@pytest.mark.parametrize("mode", ["safe", "text", "trusted"])
def test_comments_never_reach_the_page_in_any_mode(mode):
    body = (
        "<!-- TODO: a better intro -->\n\nThe real first paragraph.<!-- inline note -->\n\n"
        "<!--\nseveral\n\nlines\n-->\n\nSecond.\n\n<!-- more -->\n\nThird.\n"
    )
    out = render(body, mode)
    assert "<!--" not in out.html and "TODO" not in out.html and "lines" not in out.html
    assert out.has_more
    assert out.summary_html == "<p>The real first paragraph.</p>\n<p>Second.</p>\n"
    assert out.html == "<p>The real first paragraph.</p>\n<p>Second.</p>\n<p>Third.</p>\n"
    assert out.diagnostics == ()


@pytest.mark.parametrize("mode", ["safe", "text", "trusted"])
def test_a_comment_first_is_never_the_summary(mode):
    out = render("<!-- draft: check the numbers -->\nReal first.\n\nNext.\n", mode)
    assert out.summary_html == "<p>Real first.</p>\n"


def test_the_modes():
    body = "<kbd>K</kbd> <span>s</span>\n"
    assert render(body, "safe").html == "<p><kbd>K</kbd> &lt;span&gt;s&lt;/span&gt;</p>\n"
    assert (
        render(body, "text").html == "<p>&lt;kbd&gt;K&lt;/kbd&gt; &lt;span&gt;s&lt;/span&gt;</p>\n"
    )
    assert render(body, "trusted").html == "<p><kbd>K</kbd> <span>s</span></p>\n"
    assert render(body, "text").diagnostics == () == render(body, "trusted").diagnostics
    old = MarkdownRenderer(MarkdownConfig(allow_html=True), CodeRenderer(CodeOptions()))
    assert old.render("p.md", body, 0).html == "<p><kbd>K</kbd> <span>s</span></p>\n"


# What Markdown itself writes: any other element in a page came from raw HTML.
MARKDOWN_TAGS = {
    "p", "em", "strong", "a", "code", "pre", "span", "div", "ul", "ol", "li", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "br", "img", "s", "table", "thead", "tbody", "tr",
    "th", "td", "section", "sup", "input", "label", "details", "summary",
}  # fmt: skip
PIECES = [
    "<details>", "</details>", "<details open>", "<summary>", "</summary>", "<kbd>", "</kbd>",
    "<figure>", "</figure>", "<figcaption>", "</figcaption>", "<sup>", "</sup>", "<sub>", "<br>",
    "<br/>", "</br>", "<mark>", "<abbr title='a\"b'>", "</abbr>", "<img src=a.png alt=x>",
    "<img src=x onerror=alert(1)>", "<img src=javascript:alert(1)>", "<img src='data:image/png;x'>",
    f"{YOUTUBE}", "<iframe src=//evil.example></iframe>", "<iframe>", "</iframe>",
    "<script>alert(1)</script>", "<script>", "</script>", "<svg onload=alert(1)>", "<math>",
    "<style>", "<div class=x>", "</div>", '<a href="javascript:alert(1)">', "</a>", "<p>", "</p>",
    "<!-- c -->", "<!--", "-->", "<!-- more -->", "<![CDATA[x]]>", "<?php ?>", "<!DOCTYPE html>",
    "<details ontoggle=alert(1)>", "<kbd/>", "<KBD>", "</KBD>", "<b>", "</b>", "&lt;script&gt;",
    "&amp;", "&", "<", ">", '"', "'", "text", " ", "\n", "\n\n", "- ", "> ", "**", "*", "[l](/x)",
    "`", "    ", "# ", "<img src=a.png width=10 height=x title=t class=c>",
]  # fmt: skip
bodies = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.starts: list[tuple[str, list[tuple[str, str | None]], str]] = []
        self.stack: list[str] = []
        self.misnested: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.starts.append((tag, attrs, self.get_starttag_text() or ""))
        if tag not in VOID and tag not in ("input", "hr"):
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.starts.append((tag, attrs, self.get_starttag_text() or ""))

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
        else:
            self.misnested.append(tag)


@settings(max_examples=300, deadline=None)
@given(bodies)
@example("<details>\n<summary>a</summary>\n\n- <kbd>x\n\n</details>\n</details>")
@example("<sup>[<kbd>a](/x)</kbd></sup>")
def test_only_the_allowlist_gets_through_and_the_page_stays_well_formed(body):
    out = SAFE.render("p.md", body, 0)
    html = out.html
    assert "<script" not in html.lower() and not LIVE_URL.search(html) and "<!--" not in html
    parser = _Tags()
    parser.feed(html)
    parser.close()
    assert parser.misnested == [] and parser.stack == [], html
    for tag, attrs, text in parser.starts:
        assert tag in MARKDOWN_TAGS or tag in ALLOWED, html
        assert not any(name.startswith("on") for name, _ in attrs), html
        if tag in ALLOWED and tag != "br":  # Markdown's own hard break is `<br />`
            allowed = set(ALLOWED[tag]) | {name for name, _ in ADDED.get(tag, ())}
            assert {name for name, _ in attrs} <= allowed, html
            # what nh3 keeps of the tag we wrote is the tag we wrote
            assert judge(text).html == text, (text, judge(text).html)


def test_what_we_write_is_what_nh3_keeps():
    """Pages of the real writing above, cleaned again by nh3 with the same allowlist (and
    Markdown's own tags), lose no element and no attribute of the allowlist."""
    for _title, body, *_ in REAL_WRITING:
        html = SAFE.render("p.md", body, 0).html
        html = re.sub(r'<div class="code-block".*?</div>\n', "", html, flags=re.DOTALL)
        attributes = {
            tag: set(ALLOWED[tag]) | {a for a, _ in ADDED.get(tag, ())} for tag in ALLOWED
        }
        attributes["a"] = {"href"}
        cleaned = nh3.clean(
            html, tags=set(ALLOWED) | {"p", "a", "strong"}, attributes=attributes, link_rel=None
        )

        def shape(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
            parser = _Tags()
            parser.feed(page)
            return [(tag, sorted(attrs, key=str)) for tag, attrs, _ in parser.starts]

        assert shape(cleaned) == shape(html)

"""Internal links against the site's real URL space: generated pages, a base path, raw HTML ids,
URL forms, pages; and the position helpers (property-tested) that put carets on destinations."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_builder.checks.positions import destination_span, link_span, value_span
from site_builder.checks.prose import prose_lines
from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer
from site_builder.markup.outline import Link
from site_builder.pipeline.phases import load

DESCRIPTION = "description: Notes on keeping Docker images small, with numbers from real builds.\n"


def article(title: str, body: str, day: int = 1, extra: str = "") -> str:
    return f"---\ntitle: {title}\ndate: 2024-07-{day:02d}\ntags: [Docker]\n{DESCRIPTION}{extra}---\n\n{body}"


def link_findings(root):
    return [
        (d.path, d.line, d.code, d.message, d.hint)
        for d in load(root).diagnostics
        if d.code.startswith("LNK")
    ]


TARGET = article("Target", "Intro.\n\n## Café au lait\n\nText.\n\n## Setup\n\nMore text here.\n", 1)


def test_generated_pages_and_theme_files_resolve(make_site):
    body = (
        "See [the archive](/archive/), [the feed](/atom.xml), [JSON](/feed.json), "
        "[the sitemap](/sitemap.xml), [robots](/robots.txt), [tag feed](/tags/docker/atom.xml), "
        "[the style](/static/style.css), [search](/search/), [all tags](/tags/), "
        "[home](/), [the 404 page](/404.html) and [the target](/posts/target/index.html).\n"
    )
    root = make_site(
        {"content/posts/target.md": TARGET, "content/posts/a.md": article("A", body, 2)}
    )
    assert link_findings(root) == []


def test_url_forms_that_resolve(make_site):
    body = (
        "[target 1](../target/) [target 2](../target) [target 3](/posts/target/?ref=home) [target 4](/posts/target/#setup) "
        "[target 5](#intro-section) [target 6](./) [target 7](.) [target 8](/posts/target/#caf%C3%A9-au-lait) "
        "[target 9](/posts/target/#café-au-lait) [target 10](#top) [target 11](#fn1).\n\n## Intro section\n\n"
        "Text with a note.[^1]\n\n[^1]: The note.\n"
    )
    root = make_site(
        {"content/posts/target.md": TARGET, "content/posts/a.md": article("A", body, 2)}
    )
    assert link_findings(root) == []


def test_base_path_is_part_of_root_relative_links(make_site):
    body = (
        "[good](/blog/posts/target/) [relative](../target/#setup) [bad](/posts/target/) "
        "[above](../../../elsewhere/).\n"
    )
    root = make_site(
        {
            "site.toml": 'base_url = "https://example.org/blog/"\n',
            "content/posts/target.md": TARGET,
            "content/posts/a.md": article("A", body, 2),
        }
    )
    assert [(f[2], f[3], f[4]) for f in link_findings(root)] == [
        (
            "LNK001",
            "link '/posts/target/' is outside the site, which is served under /blog/",
            "write /blog/posts/target/",
        ),
        (
            "LNK001",
            "link '../../../elsewhere/' is outside the site, which is served under /blog/",
            "start links to pages of this site with /blog/",
        ),
    ]


def test_raw_html_ids_count_only_when_html_is_allowed(make_site):
    body = '<a id="custom-anchor"></a>\n\nJump to [it](#custom-anchor).\n'
    files = {"content/posts/a.md": article("A", body)}
    assert [f[2] for f in link_findings(make_site(files))] == ["LNK002"]
    allowed = make_site({**files, "site.toml": "[markdown]\nallow_html = true\n"})
    assert link_findings(allowed) == []


def test_fragment_hints_name_the_close_heading(make_site):
    body = "[a](/posts/target/#set-up) [b](/posts/target/#Setup) [c](/about/#x)\n"
    root = make_site(
        {
            "content/posts/target.md": TARGET,
            "content/posts/a.md": article("A", body, 2),
            "content/pages/about.md": "---\ntitle: About\n---\n\nNo headings here at all.\n",
        }
    )
    assert [(f[3], f[4]) for f in link_findings(root)] == [
        ("'#set-up' matches no heading id on /posts/target/", "did you mean #setup?"),
        ("'#Setup' matches no heading id on /posts/target/", "did you mean #setup?"),
        (
            "'#x' matches no heading id on /about/",
            "/about/ has no headings to link to; link the page without '#x'",
        ),
    ]


def test_pages_are_checked_but_need_no_description(make_site):
    root = make_site(
        {
            "content/posts/target.md": TARGET,
            "content/pages/about.md": "---\ntitle: About\n---\n\nRead [the target](/posts/targett/).\n",
        }
    )
    found = [
        (d.path, d.code, d.hint) for d in load(root).diagnostics if d.path.endswith("about.md")
    ]
    assert found == [("content/pages/about.md", "LNK001", "did you mean /posts/target/?")]


def test_links_to_static_files_suggest_the_right_url(make_site):
    root = make_site(
        {
            "content/static/img/layers.png": b"\x89PNG\r\n\x1a\n",
            "content/posts/a.md": article(
                "A", "![Layers](img/layers.png) ![Layers](/img/layers.png)\n"
            ),
        }
    )
    assert [(f[2], f[4]) for f in link_findings(root)] == [
        ("LNK001", "did you mean /img/layers.png?")
    ]


# --- position helpers -------------------------------------------------------------------------

RENDERER = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))
text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="[]()<>\\`\n\r!*_&"), max_size=20
)
destination = st.from_regex(r"[A-Za-z0-9/._~:@#?=-]{1,30}", fullmatch=True)


@given(prefix=text, label=text.filter(lambda t: t.strip()), href=destination)
def test_destination_span_finds_what_was_written(prefix, label, href):
    line = f"{prefix}[{label}]({href}) and more"
    body = RENDERER.render("p.md", line + "\n", 4)
    links = [lk for lk in body.outline.links if not lk.is_image]
    if not links:
        return  # Markdown did not read it as a link (e.g. a label of spaces only)
    span = destination_span([""] * 4 + [line], links[0])
    assert (span.line, line[span.column - 1 : span.end_column]) == (5, href)
    whole = link_span([""] * 4 + [line], links[0])
    assert line[whole.column - 1 : whole.end_column] == f"[{label}]({href})"


@given(st.text(max_size=60), st.integers(min_value=1, max_value=80))
def test_spans_stay_on_the_line_for_any_input(line, column):
    link = Link("x", "t", 1, column)
    for span in (destination_span([line], link), link_span([line], link)):
        assert span.line == 1 and span.column >= 1
        assert span.end_column >= span.column - 1, "an empty destination may be a zero-width span"
        assert span.end_column <= max(len(line), column + 1)
    value = value_span([line], 1, column)
    assert value.line == 1 and value.column >= 1


@given(st.lists(st.text(alphabet="ab `[]()<>:/._-\n", max_size=40), min_size=1, max_size=4))
def test_prose_masking_keeps_every_column(paragraphs):
    source = "\n\n".join(p.replace("\n", " ") for p in paragraphs) + "\n"
    body = RENDERER.render("p.md", source, 0)
    lines = source.split("\n")
    for number, masked in prose_lines(lines, body.outline):
        original = lines[number - 1]
        assert len(masked) == len(original)
        assert all(m == o or m == " " for m, o in zip(masked, original, strict=True))


def test_prose_masks_code_urls_and_destinations():
    source = "Use `TODO` and [the TODO list](https://x.org/TODO) or <https://y.org/TODO> TODO.\n"
    body = RENDERER.render("p.md", source, 0)
    ((number, masked),) = list(prose_lines([source.rstrip("\n")], body.outline))
    assert number == 1 and masked.count("TODO") == 2, masked  # link text and the last word

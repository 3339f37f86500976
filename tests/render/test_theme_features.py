"""The default theme's page furniture, read from built pages: the favicon (and a site's own),
the author byline, the cover image, one link per neighbour post, the light/dark script, and the
Dockerfile note's links to the lines it cites."""

from __future__ import annotations

import re

from site_builder.pipeline.phases import load

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>\n'
)


def _post(title: str, date: str, extra: str = "", body: str = "Text.\n") -> str:
    return f"---\ntitle: {title}\ndate: {date}\n{extra}---\n\n{body}"


def test_every_page_links_the_themes_favicon_and_a_sites_own_file_wins(make_site):
    root = make_site({"content/posts/a.md": _post("A", "2024-01-01")})
    rendered = load(root).rendered
    assert rendered.copies["static/favicon.svg"].parent.parent.name == "default"
    for name in ("index.html", "posts/a/index.html", "archive/index.html", "404.html"):
        page = rendered.files[name].decode()
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    own = make_site(
        {"content/posts/a.md": _post("A", "2024-01-01"), "themes/default/static/favicon.svg": SVG}
    )
    source = load(own).rendered.copies["static/favicon.svg"]
    assert source.read_text() == SVG


def test_the_byline_names_the_posts_authors_else_the_sites_author(make_site):
    root = make_site(
        {
            "site.toml": 'title = "T"\nbase_url = "https://example.com/"\nauthor = "Site Owner"\n',
            "content/posts/a.md": _post("A", "2024-01-01"),
            "content/posts/b.md": _post(
                "B", "2024-01-02", "authors: [Ada Lovelace, Alan Turing]\n"
            ),
        }
    )
    files = load(root).rendered.files
    assert '· by <span class="byline">Site Owner</span>' in files["posts/a/index.html"].decode()
    b = files["posts/b/index.html"].decode()
    assert '· by <span class="byline">Ada Lovelace, Alan Turing</span>' in b
    assert "Site Owner</span>" not in b.split("<footer")[0]


def test_the_cover_image_is_shown_with_the_description_as_alt_text(make_site):
    extra = "cover_image: /images/c.png\ndescription: Layers of an image, stacked\n"
    root = make_site(
        {
            "content/posts/a.md": _post("A", "2024-01-01", extra),
            "content/static/images/c.png": "x",
        }
    )
    page = load(root).rendered.files["posts/a/index.html"].decode()
    assert (
        '<figure class="post-cover"><img src="/images/c.png" alt="Layers of an image, stacked">'
        in page
    )


def test_a_neighbour_that_is_also_the_next_part_is_linked_once(make_site):
    root = make_site(
        {
            "content/posts/a.md": _post("A", "2024-01-01", "series: S\n"),
            "content/posts/b.md": _post("B", "2024-01-02", "series: S\n"),
        }
    )
    a = load(root).rendered.files["posts/a/index.html"].decode()
    assert a.count('href="/posts/b/"') == 1 + a.count('<li><a href="/posts/b/">')
    assert "Part 2 →" in a and "Newer →" not in a
    assert '<nav class="post-nav"' not in a  # nothing left for it to show


def test_the_inline_head_script_only_reads_the_stored_choice(make_site):
    root = make_site({"content/posts/a.md": _post("A", "2024-01-01")})
    page = load(root).rendered.files["index.html"].decode()
    head = page.split("</head>")[0]
    scripts = re.findall(r"<script>(.*?)</script>", head)
    assert scripts == [
        'try{var t=localStorage.getItem("theme");if(t==="light"||t==="dark")'
        'document.documentElement.setAttribute("data-theme",t)}catch(e){}'
    ]
    assert head.index("<script>") < head.index('rel="stylesheet"')  # before the CSS paints


def test_the_dockerfile_note_links_its_lines_and_shows_backticks_as_code(make_site):
    body = "```dockerfile\nFROM alpine\nMAINTAINER me\n```\n"  # DH: FROM without a tag
    page = (
        load(make_site({"content/posts/a.md": _post("A", "2024-01-01", body=body)}))
        .rendered.files["posts/a/index.html"]
        .decode()
    )
    note = page.split('<details class="code-check')[1].split("</details>")[0]
    assert " open>" in note  # one to three findings are shown unfolded
    link = re.search(
        r'<a class="code-check-line" href="#(code-\d+-L2)">line 2 of the block</a>', note
    )
    assert link is not None, note
    assert f'<span class="line flag-hint" id="{link.group(1)}">' in page
    assert "Base image <code>alpine</code> has no tag" in note and "`" not in note


def test_backticks_become_code_after_escaping_and_an_unpaired_one_stays():
    from site_builder.markup.dockerfile_blocks import inline_code

    assert inline_code("use `a<b` & `x") == "use <code>a&lt;b</code> &amp; `x"
    assert inline_code("<script>`</script>`") == "&lt;script&gt;<code>&lt;/script&gt;</code>"

"""Raw HTML through a whole build: images the sanitizer keeps are checked like Markdown images,
prose checks skip tags, MD020 points into the post, and a comment never becomes a description."""

from __future__ import annotations

import re

from site_builder.pipeline.phases import load

HEAD = "---\ntitle: {title}\ndate: 2024-07-01\ntags: [Docker]\n{extra}---\n\n"
DESCRIPTION = "description: Notes on keeping Docker images small, with numbers from real builds.\n"


def post(body: str, title: str = "A", extra: str = DESCRIPTION) -> str:
    return HEAD.format(title=title, extra=extra) + body


def findings(root, prefix: str) -> list[str]:
    return [d.format() for d in load(root).diagnostics if d.code.startswith(prefix)]


def test_an_html_image_the_sanitizer_keeps_is_checked_like_a_markdown_image(make_site):
    body = 'Intro.\n\n<figure>\n<img src="missing.png" alt="Layers">\n</figure>\n\n![b](gone.png)\n'
    root = make_site({"content/posts/a.md": post(body), "static/there.png": b"png"})
    found = findings(root, "LNK")
    assert [line.split(": error ")[0] for line in found] == [
        "content/posts/a.md:11:11",
        "content/posts/a.md:14:6",
    ]
    assert all("LNK001" in line for line in found)
    text = make_site({"content/posts/a.md": post(body), "site.toml": '[markdown]\nhtml = "text"\n'})
    assert len(findings(text, "LNK")) == 1  # shown as text: no image to check


def test_prose_checks_skip_tags_unless_html_is_shown_as_text(make_site):
    body = 'Intro paragraph.\n\n<abbr title="TODO">OCI</abbr> images.\n'
    assert findings(make_site({"content/posts/a.md": post(body)}), "TXT001") == []
    shown = make_site(
        {"content/posts/a.md": post(body), "site.toml": '[markdown]\nhtml = "text"\n'}
    )
    assert len(findings(shown, "TXT001")) == 1


def test_html_shown_as_text_is_reported_at_its_line_in_the_post(make_site):
    root = make_site({"content/posts/a.md": post("Intro.\n\nA <span class=x>y</span> z.\n")})
    assert findings(root, "MD02") == [
        "content/posts/a.md:10:3: warning MD020: '<span class>' is shown as text: allowed inline "
        "HTML: details, summary, kbd, figure, figcaption, sup, sub, br, mark, abbr, small, del, "
        "ins, img, iframe (video embeds only)"
    ]


def test_a_comment_first_never_becomes_the_description(make_site):
    for mode in ("safe", "text", "trusted"):
        body = "<!-- TODO: rewrite this intro before publishing -->\n\nThe real first paragraph.\n"
        root = make_site(
            {
                "content/posts/a.md": post(body, extra=""),
                "site.toml": f'[markdown]\nhtml = "{mode}"\n',
            }
        )
        result = load(root)
        assert result.rendered is not None, [d.format() for d in result.diagnostics]
        page = result.rendered.files["posts/a/index.html"].decode()
        assert re.search(r'<meta name="description" content="The real first paragraph.">', page)
        assert "TODO" not in page and "<!-- TODO" not in page

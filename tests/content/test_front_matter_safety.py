"""What front matter can put into a page: only http(s) URLs and site paths, only text UTF-8 can
carry, only names the file system can hold; each refusal an FM010 at the author's own line,
from `check` as well as `build`, and nothing of it in output/."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import run_cli

SITE = 'title = "T"\nbase_url = "https://example.com/"\n'
DESCRIPTION = "A short description of this post that is long enough to be useful in search results."
ALLOWED = "an http(s) URL or a site path such as /images/c.png"
HINT = "http(s) URLs and paths on the site are published; other schemes never are"
ERROR_RE = re.compile(r"^\S+:\d+:\d+: error [A-Z]+\d+: .*$", re.M)

pytestmark = pytest.mark.timeout(300)


def page(*lines: str, title: str = "Hello") -> str:
    """A post whose front matter has `lines` from line 5 on."""
    keys = "\n".join(lines)
    return (
        f"---\ntitle: {title}\ndate: 2024-01-02\ndescription: {DESCRIPTION}\n{keys}\n---\n\nText.\n"
    )


def errors(result) -> list[str]:
    return ERROR_RE.findall(result.stdout + result.stderr)


def check_and_build(root: Path) -> tuple[list[str], list[str]]:
    checked, built = run_cli("check", "--root", root), run_cli("build", "--root", root)
    assert checked.returncode == 1 and built.returncode == 1, built.stderr
    return errors(checked), errors(built)


def output_text(root: Path) -> str:
    """Every page and feed a post's URLs show in (the search script has its own 'javascript:')."""
    output = root / "output"
    files = (
        sorted(output.rglob("*.html"))
        + sorted(output.glob("*.xml"))
        + sorted(output.glob("*.json"))
    )
    return "".join(p.read_text(encoding="utf-8") for p in files)


HOSTILE = [  # as written in YAML, as the message shows it, why it is refused
    ("javascript:alert(document.domain)", None, "'javascript:' is not http(s)"),
    ("JaVaScRiPt:alert(1)", None, "'JaVaScRiPt:' is not http(s)"),
    (
        "'data:text/html,<script>alert(1)</script>'",
        "data:text/html,<script>alert(1)</script>",
        "a URL cannot hold '<'",
    ),
    ("data:image/png;base64,iVBORw0KGgo=", None, "'data:' is not http(s)"),
    ("vbscript:msgbox(1)", None, "'vbscript:' is not http(s)"),
    ("file:///etc/passwd", None, "'file:' is not http(s)"),
    ("//evil.example/c.png", None, "'//' takes the scheme of the page; write https://"),
    ('"/\\\\evil.example/c.png"', "/\\evil.example/c.png", "a URL cannot hold '\\'"),
    (
        '"java\\tscript:alert(1)"',
        "java\\x09script:alert(1)",
        "a URL cannot hold \\x09 (a control character)",
    ),
    ("https:///nohost.png", None, "no host after the scheme"),
]


@pytest.mark.parametrize(("written", "shown", "reason"), HOSTILE)
def test_a_hostile_cover_image_is_refused_at_its_line_and_never_published(
    make_site, written, shown, reason
):
    root = make_site({"site.toml": SITE, "content/posts/a.md": page("cover_image: /c.png")})
    (root / "content/static").mkdir(parents=True)
    (root / "content/static/c.png").write_bytes(b"png")
    assert run_cli("build", "--root", root).returncode == 0
    before = output_text(root)
    (root / "content/posts/a.md").write_text(page(f"cover_image: {written}"), encoding="utf-8")
    expected = (
        f"content/posts/a.md:5:14: error FM010: 'cover_image' must be {ALLOWED};"
        f" got '{shown or written}' ({reason})"
    )
    assert check_and_build(root) == ([expected], [expected])
    assert f"hint: {HINT}" in run_cli("check", "--root", root).stdout
    after = output_text(root)
    assert after == before  # the build stopped: the last good site stays
    assert not re.search(r"(?i)java\s*script:|vbscript:|data:text|file:/|evil\.example", after)


def test_canonical_url_with_markup_is_refused_not_escaped(make_site):
    root = make_site(
        {
            "site.toml": SITE,
            "content/posts/a.md": page("canonical_url: 'https://dev.to/x\"><script>alert(1)'"),
        }
    )
    expected = (
        "content/posts/a.md:5:16: error FM010: 'canonical_url' must be an absolute http(s) URL;"
        " got 'https://dev.to/x\"><script>alert(1)' (a URL cannot hold '\"')"
    )
    assert check_and_build(root) == ([expected], [expected])
    assert not (root / "output").exists()


def test_urls_a_theme_may_use_go_through_the_same_validator(make_site):
    root = make_site(
        {
            "site.toml": SITE,
            "content/posts/a.md": page(
                "image: javascript:alert(1)",
                "author:",
                "  name: Ada",
                "  links: [https://ada.example/, 'data:text/html,x']",
                "  url: /about/",
            ),
        }
    )
    expected = [
        f"content/posts/a.md:5:8: error FM010: 'image' must be {ALLOWED};"
        " got 'javascript:alert(1)' ('javascript:' is not http(s))",
        f"content/posts/a.md:8:33: error FM010: 'author.links' must be {ALLOWED};"
        " got 'data:text/html,x' ('data:' is not http(s))",
    ]
    assert check_and_build(root) == (expected, expected)


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        key = named.get("property") or named.get("name") or named.get("rel")
        value = named.get("content") or named.get("href")
        if key and value:
            self.found[key] = value


def test_accepted_urls_are_published_exactly_as_written(make_site):
    cover = "https://cdn.example/i/c.png?w=1200&h=630&name=o'brien#x"
    canonical = "https://dev.to/ada/hello-1a2b?utm=a&b=c"
    root = make_site(
        {
            "site.toml": SITE + "[feeds]\njson_feed = true\n",
            "content/posts/a.md": page(f'cover_image: "{cover}"', f"canonical_url: {canonical}"),
        }
    )
    built = run_cli("build", "--root", root)
    assert built.returncode == 0, built.stderr
    meta = _Meta()
    meta.feed((root / "output/posts/a/index.html").read_text(encoding="utf-8"))
    assert meta.found["og:image"] == cover and meta.found["twitter:image"] == cover
    assert meta.found["canonical"] == canonical
    feed = json.loads((root / "output/feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["image"] == cover


def test_an_escaped_surrogate_pair_is_joined_into_its_character(make_site):
    root = make_site(
        {
            "site.toml": SITE,
            "content/posts/a.md": page(
                'tags: ["\\uD83D\\uDE80 rockets"]', title='"\\uD83D\\uDE00 Smile"'
            ),
        }
    )
    assert run_cli("check", "--root", root).returncode == 0
    built = run_cli("build", "--root", root)
    assert built.returncode == 0, built.stderr
    html = (root / "output/posts/a/index.html").read_text(encoding="utf-8")
    assert "<title>\U0001f600 Smile" in html and "\U0001f680 rockets" in html
    assert "TPL001" not in built.stderr


def test_a_lone_surrogate_is_refused_at_its_line_never_a_theme_error(make_site):
    root = make_site(
        {
            "site.toml": SITE,
            "content/posts/a.md": page('tags: [ok, "half \\uDE00"]', title='"Smile \\uD83D"'),
        }
    )
    message = (
        "text holds \\u{} alone, the {} half of a UTF-16 surrogate pair, which no page can"
        " carry; write the character itself, or both halves of its escape"
    )
    expected = [
        "content/posts/a.md:2:8: error FM010: " + message.format("D83D", "first"),
        "content/posts/a.md:5:12: error FM010: " + message.format("DE00", "second"),
    ]
    assert check_and_build(root) == (expected, expected)


def test_names_too_long_for_a_file_name_are_refused_by_check_and_build(make_site):
    long = "a" * 300
    root = make_site(
        {
            "site.toml": SITE,
            "content/posts/a.md": page(f"slug: {long}", f"tags: [ok, {long}]", f"series: {long}"),
        }
    )
    end = "makes a URL segment of 300 bytes, over 200 (it names a folder of output/)"
    expected = [
        f"content/posts/a.md:5:7: error FM010: 'slug' {end}",
        f"content/posts/a.md:6:12: error FM010: tag '{'a' * 59}…' {end}",
        f"content/posts/a.md:7:9: error FM010: 'series' {end}",
    ]
    assert check_and_build(root) == (expected, expected)


def test_the_longest_segment_allowed_builds(make_site):
    edge = "b" * 200
    root = make_site({"site.toml": SITE, "content/posts/a.md": page(f"slug: {edge}")})
    built = run_cli("build", "--root", root)
    assert built.returncode == 0, built.stderr
    assert (root / "output/posts" / edge / "index.html").is_file()
    (root / "content/posts/a.md").write_text(page(f"slug: {edge}b"), encoding="utf-8")
    expected = (
        "content/posts/a.md:5:7: error FM010: 'slug' makes a URL segment of 201 bytes,"
        " over 200 (it names a folder of output/)"
    )
    assert check_and_build(root) == ([expected], [expected])


def test_a_tag_counts_in_utf8_bytes(make_site):
    tag = "ж" * 101  # 101 characters, 202 bytes
    root = make_site({"site.toml": SITE, "content/posts/a.md": page(f"tags: [{tag}]")})
    checked, _ = check_and_build(root)
    assert checked == [
        f"content/posts/a.md:5:8: error FM010: tag '{'ж' * 59}…' makes a URL segment of"
        " 202 bytes, over 200 (it names a folder of output/)"
    ]

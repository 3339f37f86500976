"""URL rewriting of post HTML moved into feeds and summaries: `srcset` candidates included."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from site_builder.markup.html_rewrite import rewrite, rewrite_srcset


def absolute(url: str) -> str:
    return url if "://" in url or url.startswith("#") else "https://example.org/posts/a/" + url


def test_every_srcset_candidate_is_made_absolute_and_keeps_its_descriptor():
    html = '<img src="small.png" srcset="small.png 1x, large.png 2x" alt="A">'
    assert rewrite(html, absolute) == (
        '<img src="https://example.org/posts/a/small.png"'
        ' srcset="https://example.org/posts/a/small.png 1x, https://example.org/posts/a/large.png 2x"'
        ' alt="A">'
    )


def test_a_picture_source_and_width_descriptors():
    html = '<picture><source srcset="w-400.webp 400w,w-800.webp 800w" type="image/webp"></picture>'
    out = rewrite(html, absolute)
    assert (
        'srcset="https://example.org/posts/a/w-400.webp 400w, https://example.org/posts/a/w-800.webp 800w"'
        in out
    )


def test_srcset_parsing_follows_the_standard():
    def upper(url: str) -> str:
        return url.upper()

    assert rewrite_srcset("a.png", upper) == "A.PNG"
    assert rewrite_srcset("a.png, b.png 2x", upper) == "A.PNG, B.PNG 2x"
    assert rewrite_srcset("a.png,, b.png", upper) == "A.PNG, B.PNG"  # trailing commas end a URL
    assert rewrite_srcset("  a.png  1.5x ,  b.png  ", upper) == "A.PNG 1.5x, B.PNG"
    assert rewrite_srcset("a,b.png 1x", upper) == "A,B.PNG 1x"  # a comma inside a URL stays
    assert rewrite_srcset("a.png 1x (x, y), b.png", upper) == "A.PNG 1x (x, y), B.PNG"
    assert rewrite_srcset("", upper) == ""


_url = st.from_regex(r"[a-z0-9/_.-]*[a-z0-9/_-]", fullmatch=True)
_descriptor = st.sampled_from(["", "1x", "2x", "1.5x", "400w", "800w"])


@given(st.lists(st.tuples(_url, _descriptor), min_size=1, max_size=6))
def test_each_candidate_url_is_resolved_once_in_order(candidates):
    value = ", ".join(f"{url} {d}".strip() for url, d in candidates)
    seen: list[str] = []

    def record(url: str) -> str:
        seen.append(url)
        return url

    assert rewrite_srcset(value, record) == value
    assert seen == [url for url, _ in candidates]

"""Series: order, "Part N of M", the series box, prev/next within a series, series pages and
the SER001-SER006 diagnostics at the front matter line that causes them."""

from __future__ import annotations

import re

from site_builder.pipeline.phases import BuildOptions, load


def part(title: str, date: str, extra: str = "", tags: str = "Docker") -> str:
    return (
        f"---\ntitle: {title}\ndate: {date}\n{extra}tags: [{tags}]\n"
        f"description: The part called {title}, described at a length the checks accept.\n"
        f"---\n\nThe text of {title}.\n"
    )


def formatted(result) -> list[str]:
    return [d.format() for d in result.diagnostics if d.code.startswith("SER")]


def text_of(html: str, css_class: str) -> str:
    """The text inside the first element with `css_class` (tags removed, spaces collapsed)."""
    match = re.search(rf'<(\w+) class="{css_class}"[^>]*>(.*?)</\1>', html, re.S)
    assert match, css_class
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(2)).split())


def test_parts_follow_series_order_not_dates(make_site):
    root = make_site(
        {
            "content/posts/intro.md": part(
                "Intro", "2024-03-01", "series: Docker Diet\nseries_order: 1\n"
            ),
            "content/posts/layers.md": part(
                "Layers", "2024-01-01", "series: Docker Diet\nseries_order: 2\n"
            ),
            "content/posts/stages.md": part(
                "Stages", "2024-02-01", "series: Docker Diet\npart: 3\n"
            ),
            "content/posts/other.md": part("Other", "2024-04-01"),
        }
    )
    result = load(root)
    assert formatted(result) == []
    (series,) = result.site.series
    assert (series.name, series.slug, series.url) == (
        "Docker Diet",
        "docker-diet",
        "/series/docker-diet/",
    )
    assert [p.title for p in series.posts] == ["Intro", "Layers", "Stages"]
    files = result.rendered.files
    page = files["posts/layers/index.html"].decode()
    assert text_of(page, "series-kicker") == "Docker Diet · Part 2 of 3"
    assert text_of(page, "series-box-title") == "Part 2 of 3 in the series Docker Diet"
    box = re.search(r'<nav class="series-box".*?</nav>', page, re.S).group(0)
    assert re.findall(r"<li>(.*?)</li>", box) == [
        '<a href="/posts/intro/">Intro</a>',
        '<span class="current" aria-current="page">Layers</span>',
        '<a href="/posts/stages/">Stages</a>',
    ]
    nav = re.search(r'<nav class="series-nav".*?</nav>', page, re.S).group(0)
    assert 'class="series-prev" href="/posts/intro/"><span>← Part 1</span> Intro' in nav
    assert 'class="series-next" href="/posts/stages/"><span>Part 3 →</span> Stages' in nav
    first = files["posts/intro/index.html"].decode()
    assert "series-prev" not in first and 'class="series-next" href="/posts/layers/"' in first
    assert "series-box" not in files["posts/other/index.html"].decode()


def test_unnumbered_parts_follow_dates(make_site):
    root = make_site(
        {
            "content/posts/b.md": part("Second", "2024-02-01", "series: Caching\n"),
            "content/posts/a.md": part("First", "2024-01-01", "series: Caching\n"),
            "content/posts/c.md": part("Third", "2024-03-01", "series: Caching\n"),
        }
    )
    result = load(root)
    assert formatted(result) == []
    assert [p.title for p in result.site.series[0].posts] == ["First", "Second", "Third"]
    third = result.rendered.files["posts/c/index.html"].decode()
    assert text_of(third, "series-kicker") == "Caching · Part 3 of 3"


def test_series_pages_and_index(make_site):
    root = make_site(
        {
            "content/posts/a.md": part("First", "2024-01-01", "series: Caching\n"),
            "content/posts/b.md": part("Second", "2024-02-01", "series: Caching\n"),
            "content/posts/c.md": part("Alone", "2024-03-01", "series: Solo Series\n"),
        }
    )
    files = load(root).rendered.files
    page = files["series/caching/index.html"].decode()
    assert "<title>Caching · My Docker Blog</title>" in page
    assert re.findall(
        r'<p class="part-number">(.*?)</p>\s*<h2 class="post-item-title"><a href="(.*?)">', page
    ) == [
        ("Part 1", "/posts/a/"),
        ("Part 2", "/posts/b/"),
    ]
    assert 'href="/series/caching/atom.xml"' in page
    index = files["series/index.html"].decode()
    assert re.findall(r'<h2 class="series-index-title"><a href="(.*?)">(.*?)</a>', index) == [
        ("/series/caching/", "Caching"),
        ("/series/solo-series/", "Solo Series"),
    ]
    assert '<a href="/series/">Series</a>' in files["index.html"].decode()
    alone = files["posts/c/index.html"].decode()
    assert text_of(alone, "series-kicker") == "Solo Series · Part 1 of 1"
    assert "series-box" not in alone and "series-nav" not in alone


def test_lists_name_the_series_part(make_site):
    root = make_site(
        {
            "content/posts/a.md": part("First", "2024-01-01", "series: Caching\n"),
            "content/posts/b.md": part("Second", "2024-02-01", "series: Caching\n"),
        }
    )
    home = load(root).rendered.files["index.html"].decode()
    assert re.findall(r'<p class="series-label">(.*?)</p>', home) == [
        '<a href="/series/caching/">Caching</a>, part 2 of 2',
        '<a href="/series/caching/">Caching</a>, part 1 of 2',
    ]


def test_sites_without_series_have_no_series_pages(make_site):
    files = load(make_site({"content/posts/a.md": part("A", "2024-01-01")})).rendered.files
    assert not any(name.startswith("series/") for name in files)
    assert 'href="/series/"' not in files["index.html"].decode()


def test_duplicate_missing_and_unnumbered_parts_warn(make_site):
    root = make_site(
        {
            "content/posts/a.md": part("A", "2024-01-01", "series: Docker Diet\nseries_order: 1\n"),
            "content/posts/b.md": part("B", "2024-01-02", "series: Docker Diet\nseries_order: 1\n"),
            "content/posts/c.md": part("C", "2024-01-03", "series: Docker Diet\npart: 4\n"),
            "content/posts/d.md": part("D", "2024-01-04", "series: Docker Diet\n"),
            "content/posts/e.md": part(
                "E", "2024-01-05", "series: Docker Diet\npart: 3\npublished: false\n"
            ),
        }
    )
    result = load(root)
    assert formatted(result) == [
        "content/posts/a.md:5:1: warning SER001: part 1 of series 'Docker Diet' is also claimed by content/posts/b.md:5",
        "content/posts/b.md:5:1: warning SER001: part 1 of series 'Docker Diet' is also claimed by content/posts/a.md:5",
        "content/posts/c.md:5:1: warning SER002: series 'Docker Diet' has no parts 2-3 (parts: 1, 4) "
        "(content/posts/e.md is a draft)",
        "content/posts/d.md:4:1: warning SER003: no part number, while other parts of series "
        "'Docker Diet' have one; it is placed after them, by date",
    ]
    assert [p.title for p in result.site.series[0].posts] == ["A", "B", "C", "D"]
    assert result.rendered is not None  # warnings only: the site still builds
    with_drafts = load(root, BuildOptions(drafts=True))
    assert [d for d in formatted(with_drafts) if "SER002" in d] == [
        "content/posts/e.md:5:1: warning SER002: series 'Docker Diet' has no part 2 (parts: 1, 3, 4)"
    ]


def test_series_spellings_fold_like_tags(make_site):
    root = make_site(
        {
            "content/posts/a.md": part("A", "2024-01-01", "series: Docker Diet\n"),
            "content/posts/b.md": part("B", "2024-01-02", "series: Docker Diet\n"),
            "content/posts/c.md": part("C", "2024-01-03", "series: docker  diet\n"),
        }
    )
    result = load(root)
    assert formatted(result) == [
        "content/posts/c.md:4:1: warning SER004: series 'docker  diet' is folded into 'Docker Diet' "
        "(/series/docker-diet/)"
    ]
    assert [len(s.posts) for s in result.site.series] == [3]


def test_bad_series_names_and_stray_part_numbers(make_site):
    root = make_site(
        {
            "content/posts/a.md": part("A", "2024-01-01", 'series: "🐳"\n'),
            "content/posts/b.md": part("B", "2024-01-02", "series_order: 2\n"),
            "content/posts/c.md": part("C", "2024-01-03", "part: 1\n"),
        }
    )
    result = load(root)
    assert formatted(result) == [
        "content/posts/a.md:4:1: error SER005: series '🐳' slugifies to an empty path",
        "content/posts/b.md:4:1: warning SER006: 'series_order' is set but 'series' is not; the part number is ignored",
        "content/posts/c.md:4:1: warning SER006: 'part' is set but 'series' is not; the part number is ignored",
    ]
    assert result.rendered is None


def test_series_feed_and_related_posts_skip_the_series(make_site):
    root = make_site(
        {
            "content/posts/a.md": part("A", "2024-01-01", "series: Caching\n", "Docker, BuildKit"),
            "content/posts/b.md": part("B", "2024-01-02", "series: Caching\n", "Docker, BuildKit"),
            "content/posts/c.md": part("C", "2024-01-03", "", "Docker, BuildKit"),
        }
    )
    result = load(root)
    site = result.site
    a = next(p for p in site.posts if p.title == "A")
    assert [p.title for p in site.related_to(a)] == ["C"]
    page = result.rendered.files["posts/a/index.html"].decode()
    assert (
        'title="My Docker Blog: Caching" href="http://localhost:8000/series/caching/atom.xml"'
        in page
    )


def test_a_long_series_box_lists_the_ends_and_the_nearby_parts(make_site):
    """Every part listing all 40 parts would make the output grow with the square of the
    series; a long series' box lists the first and last parts and those near this one."""
    files = {
        f"content/posts/part-{n:02}.md": part(
            f"Part {n}", f"2024-01-{1 + n % 28:02}", f"series: Long Haul\npart: {n}\n"
        )
        for n in range(1, 41)
    }
    result = load(make_site(files))
    assert formatted(result) == []
    page = result.rendered.files["posts/part-20/index.html"].decode()
    box = re.search(r'<nav class="series-box".*?</nav>', page, re.S).group(0)
    items = re.findall(r"<li([^>]*)>(.*?)</li>", box)
    assert items == [
        ("", '<a href="/posts/part-01/">Part 1</a>'),
        (' class="series-gap"', '<a href="/series/long-haul/">… all 40 parts</a>'),
        (' value="17"', '<a href="/posts/part-17/">Part 17</a>'),
        ("", '<a href="/posts/part-18/">Part 18</a>'),
        ("", '<a href="/posts/part-19/">Part 19</a>'),
        ("", '<span class="current" aria-current="page">Part 20</span>'),
        ("", '<a href="/posts/part-21/">Part 21</a>'),
        ("", '<a href="/posts/part-22/">Part 22</a>'),
        ("", '<a href="/posts/part-23/">Part 23</a>'),
        (' class="series-gap"', '<a href="/series/long-haul/">… all 40 parts</a>'),
        (' value="40"', '<a href="/posts/part-40/">Part 40</a>'),
    ]
    assert text_of(page, "series-box-title") == "Part 20 of 40 in the series Long Haul"
    # near an end there is one gap, and no part is listed twice
    first = result.rendered.files["posts/part-02/index.html"].decode()
    box = re.search(r'<nav class="series-box".*?</nav>', first, re.S).group(0)
    titles = re.findall(r">(Part \d+)<", box)
    assert titles == ["Part 1", "Part 2", "Part 3", "Part 4", "Part 5", "Part 40"]
    assert box.count("series-gap") == 1 and 'value="40"' in box
    # the series page itself still lists every part
    series_page = result.rendered.files["series/long-haul/index.html"].decode()
    assert all(f'href="/posts/part-{n:02}/"' in series_page for n in range(1, 41))

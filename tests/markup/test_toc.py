"""The table of contents: headings nested by level, read back in order, and self-numbered posts."""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path

from conftest import write_site
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.markup.outline import Heading
from site_builder.markup.toc import TocEntry, nest, numbers_itself, walk
from site_builder.pipeline.phases import load

HEAD = (
    "---\ntitle: Contents\ndate: 2024-01-02\ntags: [docker]\n"
    "description: A short description of this post that is long enough to be useful.\n---\n\n"
    "Intro words for the post.\n\n"
)


def headings(levels: list[int], texts: list[str] | None = None) -> list[Heading]:
    texts = texts or [f"Heading {i}" for i in range(len(levels))]
    return [
        Heading(lv, t, f"h{i}", i + 1, 1)
        for i, (lv, t) in enumerate(zip(levels, texts, strict=True))
    ]


def shape(entries: tuple[TocEntry, ...]) -> list[object]:
    return [(e.level, shape(e.children)) if e.children else e.level for e in entries]


def test_h3_nests_under_h2_and_a_skipped_level_nests_one_step():
    assert shape(nest(headings([2, 3, 3, 2]))) == [(2, [3, 3]), 2]
    assert shape(nest(headings([2, 4, 3, 2]))) == [(2, [4, 3]), 2]
    assert shape(nest(headings([2, 3, 4, 2, 4]))) == [(2, [(3, [4])]), (2, [4])]
    assert shape(nest(headings([4, 3, 2, 3]))) == [4, 3, (2, [3])]  # nothing above: at the top
    assert nest([]) == ()


@given(st.lists(st.integers(min_value=1, max_value=6), max_size=40))
def test_the_tree_read_in_order_is_the_headings(levels):
    given_headings = headings(levels)
    tree = nest(given_headings)
    assert [entry.heading for entry in walk(tree)] == given_headings

    def check(entries: tuple[TocEntry, ...], above: int) -> None:
        for entry in entries:
            assert entry.level > above
            check(entry.children, entry.level)

    check(tree, 0)
    # a heading is at the top exactly when no heading before it has a smaller level
    for index, entry in enumerate(given_headings):
        at_top = entry in [e.heading for e in tree]
        assert at_top == all(h.level >= entry.level for h in given_headings[:index])


def test_a_post_that_numbers_its_headings_is_seen():
    numbered = ["1. Install", "2) Build", "Going further"]
    assert numbers_itself(nest(headings([2, 2, 2], numbered)))
    assert numbers_itself(nest(headings([2, 2], ["1.2 Layers", "1.3 Cache"])))
    # one year in a title is not numbering; nor are digits without a space after them
    assert not numbers_itself(nest(headings([2, 2, 2], ["2024 in review", "Plans", "Thanks"])))
    assert not numbers_itself(nest(headings([2, 2], ["3D images", "4K video"])))
    assert not numbers_itself(nest(headings([2, 2, 2, 2, 2], ["1. A", "2. B", "C", "D", "E"])))


class _TocShape(HTMLParser):
    """The contents nav of a page: well-formed nesting, and the link texts in order."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.stack: list[str] = []
        self.texts: list[str] = []
        self.depths: list[int] = []  # how many lists each link is in
        self.problems: list[str] = []
        self.nav_class = ""
        self._link = False
        self._item_has_link: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "nav" and ("aria-label", "Table of contents") in attrs:
            self.inside = True
            self.nav_class = dict(attrs).get("class") or ""
            return
        if not self.inside or tag not in ("ol", "li", "a"):
            return
        parent = self.stack[-1] if self.stack else None
        if tag == "li" and parent != "ol":
            self.problems.append(f"<li> inside {parent}")
        if tag == "ol" and parent not in (None, "li"):
            self.problems.append(f"<ol> inside {parent}")
        if tag == "a":
            if parent != "li" or self._item_has_link[-1]:
                self.problems.append("<a> not first in its <li>")
            self._item_has_link[-1] = True
            self._link = True
            self.texts.append("")
            self.depths.append(self.stack.count("ol"))
        if tag == "li":
            self._item_has_link.append(False)
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.inside:
            self.inside = False
            if self.stack:
                self.problems.append(f"unclosed {self.stack}")
            return
        if not self.inside or tag not in ("ol", "li", "a"):
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()
        if tag == "a":
            self._link = False
        if tag == "li" and not self._item_has_link.pop():
            self.problems.append("an empty <li>")

    def handle_data(self, data: str) -> None:
        if self._link:
            self.texts[-1] += data


def contents_of(levels: list[int], texts: list[str] | None = None) -> _TocShape:
    texts = texts or [f"Heading {i}" for i in range(len(levels))]
    body = "".join(
        f"{'#' * lv} {t}\n\nSome words of this section.\n\n"
        for lv, t in zip(levels, texts, strict=True)
    )
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(Path(folder), {"content/posts/contents.md": HEAD + body})
        result = load(root)
        assert result.rendered is not None, [d.format() for d in result.diagnostics]
        page = result.rendered.files["posts/contents/index.html"].decode()
    parsed = _TocShape()
    parsed.feed(page)
    return parsed


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=2, max_value=4), min_size=3, max_size=12))
def test_the_themes_contents_are_a_well_formed_nested_list_of_the_headings(levels):
    parsed = contents_of(levels)
    assert parsed.problems == []
    assert parsed.texts == [f"Heading {i}" for i in range(len(levels))]
    assert parsed.depths == depths(nest(headings(levels)))


def depths(entries: tuple[TocEntry, ...], depth: int = 1) -> list[int]:
    found: list[int] = []
    for entry in entries:
        found.append(depth)
        found.extend(depths(entry.children, depth + 1))
    return found


def test_the_theme_nests_h3_in_the_list_of_its_h2_and_leaves_out_h5():
    parsed = contents_of([2, 3, 5, 2, 4])
    assert parsed.problems == []
    assert parsed.texts == ["Heading 0", "Heading 1", "Heading 3", "Heading 4"]
    assert parsed.depths == [1, 2, 1, 2]
    assert parsed.nav_class == "toc"


def test_self_numbered_headings_get_contents_without_numbers_of_the_theme():
    parsed = contents_of([2, 3, 2, 2], ["1. Install", "Details", "2. Build", "3. Run"])
    assert parsed.texts == ["1. Install", "Details", "2. Build", "3. Run"]
    assert parsed.nav_class == "toc toc-unnumbered"

"""Front matter: every rule and diagnostic code, from fixture files that read like posts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fixture_cases import read_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.content.front_matter.read import parse_source
from site_builder.diagnostics.diagnostic import Severity

CASES = read_cases("frontmatter.txt")
UTC = ZoneInfo("UTC")


@pytest.mark.parametrize("case", CASES, ids=[c.title for c in CASES])
def test_fixture(case):
    parsed = parse_source("post.md", case.input, UTC)
    got = "\n".join(d.format() for d in sorted(parsed.diagnostics, key=lambda d: d.sort_key))
    assert got == case.expected


def test_valid_post_values():
    text = (
        "---\ntitle: '  Hi  '\ndate: 2024-01-02 10:30\nupdated: 2024-02-03T08:00:00Z\n"
        "tags: docker, Open Source\ndescription: d\nslug: my-post\nseries: S\npart: 2\n"
        "canonical_url: https://dev.to/x\ncover_image: /img/c.png\npublished: false\n---\nBody\n"
    )
    parsed = parse_source("p.md", text, ZoneInfo("America/Toronto"))
    fm = parsed.front_matter
    assert fm is not None and parsed.diagnostics == ()
    assert fm.title == "Hi"
    assert fm.date == dt.datetime(2024, 1, 2, 10, 30, tzinfo=ZoneInfo("America/Toronto"))
    assert fm.updated == dt.datetime(2024, 2, 3, 8, 0, tzinfo=dt.UTC)
    assert [t.value for t in fm.tags] == ["docker", "Open Source"]
    assert [(t.line, t.column) for t in fm.tags] == [(5, 7), (5, 15)]
    assert fm.slug is not None and (fm.slug.value, fm.slug.line) == ("my-post", 7)
    assert (fm.series, fm.series_order, fm.published) == ("S", 2, False)
    assert parsed.body == "Body\n" and parsed.body_line_offset == 13


def test_bom_and_crlf_are_handled_by_sources():
    from site_builder.content.sources import decode

    problems = []
    text = decode(
        "p.md", b"\xef\xbb\xbf---\r\ntitle: x\r\ndate: 2024-01-02\r\n---\r\nBody\r\n", problems
    )
    assert problems == [] and text is not None
    parsed = parse_source("p.md", text, UTC)
    assert parsed.front_matter is not None and parsed.front_matter.title == "x"


def test_timezone_offsets():
    parsed = parse_source("p.md", "---\ntitle: x\ndate: 2024-01-02 10:00 +02:00\n---\n", UTC)
    assert parsed.front_matter is not None
    assert parsed.front_matter.date.utcoffset() == dt.timedelta(hours=2)


@pytest.mark.timeout(30)  # a hang guard, not a speed test: expanded, this would never end
def test_alias_bomb_is_refused_without_being_expanded():
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 9):
        prev = chr(ord("a") + n - 1)
        levels.append(
            f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + ", ".join([f"*{prev}"] * 9) + "]"
        )
    text = "---\ntitle: x\ndate: 2024-01-02\n" + "\n".join(levels) + "\n---\n"
    parsed = parse_source("p.md", text, UTC)
    assert [d.code for d in parsed.diagnostics] == ["FM006"]


yaml_scalars = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "yes",
            "no",
            "null",
            "~",
            "3.10",
            "0x1F",
            "2024-02-30",
            "2024-01-02",
            "'q'",
            '"q',
            "[",
            "]",
            "{",
            "}",
            "&a x",
            "*a",
            "!!binary aGk=",
            "!!python/name:os.system",
            "|",
            ">",
            "- x",
            "? x",
            "%YAML 1.1",
            "@x",
            "`x",
        ]
    ),
    st.integers().map(str),
)


@settings(max_examples=300, deadline=None)
@given(
    keys=st.lists(
        st.sampled_from(
            [
                "title",
                "date",
                "tags",
                "slug",
                "published",
                "description",
                "series",
                "part",
                "updated",
                "x",
                "tittle",
                "",
            ]
        ),
        max_size=6,
    ),
    values=st.lists(yaml_scalars, min_size=6, max_size=6),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_never_raises_on_random_front_matter(keys, values, newline):
    lines = ["---"] + [f"{k}: {v}" for k, v in zip(keys, values, strict=False)] + ["---", "Body"]
    text = newline.join(lines).replace("\r\n", "\n")
    parsed = parse_source("p.md", text, UTC)
    for diagnostic in parsed.diagnostics:
        assert diagnostic.path == "p.md" and diagnostic.line >= 1 and diagnostic.column >= 1
        assert diagnostic.code.startswith("FM")
    if parsed.front_matter is None:
        assert any(d.severity is Severity.ERROR for d in parsed.diagnostics)

"""Series: posts that share a `series:` name, their reading order, and what is wrong with it.

A series is identified like a tag: by its slug (`slugs.tag_slug`), shown under its most frequent
spelling. Parts are ordered by `series_order` (or `part`) where given, numbered parts first,
then by date. Problems point at the front matter line of the key concerned:

- SER001 warning: two posts claim the same part number
- SER002 warning: a part number is missing (1, 2, 4); notes when the missing part is a draft
- SER003 warning: a post without a part number in a series whose other parts are numbered
- SER004 warning: a spelling of the series name folded into the most frequent one
- SER005 error: the series name gives an empty URL slug
- SER006 warning: `series_order` / `part` without `series`
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..diagnostics.diagnostic import Diagnostic, Severity
from .front_matter.record import FrontMatter
from .model import Post, Series, SeriesPlace
from .slugs import tag_key, tag_slug


@dataclass(frozen=True, slots=True)
class Member:
    """A published post and the front matter it came from (for positions)."""

    post: Post
    front_matter: FrontMatter


@dataclass(frozen=True, slots=True)
class Unpublished:
    """A post left out of this build (draft or future) that names a series part."""

    source: str
    series: str
    order: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class SeriesResult:
    series: tuple[Series, ...]
    places: dict[str, SeriesPlace]
    diagnostics: list[Diagnostic]


def assemble_series(
    members: Sequence[Member], unpublished: Sequence[Unpublished] = ()
) -> SeriesResult:
    """Group posts into series, order them, and report duplicate, missing or odd parts."""
    problems: list[Diagnostic] = []
    groups: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        fm = member.front_matter
        if fm.series is None:
            if fm.series_order is not None:
                key = _part_key(fm)
                line, column = _position(fm, key)
                problems.append(
                    _warn(
                        member,
                        line,
                        column,
                        "SER006",
                        f"'{key}' is set but 'series' is not; the part number is ignored",
                        "add 'series: <name>' or remove the part number",
                    )
                )
            continue
        slug = tag_slug(fm.series)
        if not slug:
            line, column = _position(fm, "series")
            problems.append(
                Diagnostic(
                    member.post.source,
                    line,
                    column,
                    Severity.ERROR,
                    "SER005",
                    f"series '{fm.series}' slugifies to an empty path",
                    hint="use letters or digits in the series name",
                )
            )
            continue
        groups[slug].append(member)
    skipped: dict[str, list[Unpublished]] = defaultdict(list)
    for item in unpublished:
        skipped[tag_slug(item.series)].append(item)
    built: list[Series] = []
    places: dict[str, SeriesPlace] = {}
    for slug, group in groups.items():
        name = _display_name(slug, group, problems)
        ordered = sorted(group, key=_order_key)
        _check_numbers(name, ordered, skipped.get(slug, []), problems)
        series = Series(name, slug, tuple(m.post for m in ordered))
        built.append(series)
        posts = series.posts
        for index, post in enumerate(posts):
            places[post.url] = SeriesPlace(
                series,
                index + 1,
                posts[index - 1] if index > 0 else None,
                posts[index + 1] if index + 1 < len(posts) else None,
            )
    built.sort(key=lambda s: (s.name.casefold(), s.slug))
    return SeriesResult(tuple(built), places, problems)


def _order_key(member: Member) -> tuple[bool, int, float, str, str]:
    post = member.post
    order = member.front_matter.series_order
    timestamp = post.date.timestamp() if post.date else math.inf
    return (order is None, order or 0, timestamp, post.title.casefold(), post.source)


def _display_name(slug: str, group: Sequence[Member], problems: list[Diagnostic]) -> str:
    spellings = Counter(tag_key(m.front_matter.series or "") for m in group)
    first_seen: dict[str, int] = {}
    for index, member in enumerate(sorted(group, key=lambda m: m.post.source)):
        first_seen.setdefault(tag_key(member.front_matter.series or ""), index)
    name = max(spellings, key=lambda n: (spellings[n], -first_seen[n]))
    for member in group:
        spelled = tag_key(member.front_matter.series or "")
        if spelled != name:
            line, column = _position(member.front_matter, "series")
            problems.append(
                _warn(
                    member,
                    line,
                    column,
                    "SER004",
                    f"series '{spelled}' is folded into '{name}' (/series/{slug}/)",
                    f"write it as '{name}'",
                )
            )
    return name


def _check_numbers(
    name: str,
    ordered: Sequence[Member],
    skipped: Sequence[Unpublished],
    problems: list[Diagnostic],
) -> None:
    numbered = [m for m in ordered if m.front_matter.series_order is not None]
    if not numbered:
        return
    by_number: dict[int, list[Member]] = defaultdict(list)
    for member in numbered:
        by_number[member.front_matter.series_order or 0].append(member)
    for number, claims in by_number.items():
        if len(claims) < 2:
            continue
        for member in claims:
            others = ", ".join(
                f"{o.post.source}:{_position(o.front_matter, _part_key(o.front_matter))[0]}"
                for o in claims
                if o is not member
            )
            line, column = _position(member.front_matter, _part_key(member.front_matter))
            problems.append(
                _warn(
                    member,
                    line,
                    column,
                    "SER001",
                    f"part {number} of series '{name}' is also claimed by {others}",
                    "give each part its own number",
                )
            )
    present = sorted(by_number)
    listing = ", ".join(map(str, present))
    for first, last in _gaps(present):
        after = by_number[last + 1][0]
        missing = f"part {first}" if first == last else f"parts {first}-{last}"
        notes = [
            f"{item.source} is {item.reason}"
            for item in sorted(skipped, key=lambda i: (i.order or 0, i.source))
            if item.order is not None and first <= item.order <= last
        ]
        note = f" ({'; '.join(notes)})" if notes else ""
        line, column = _position(after.front_matter, _part_key(after.front_matter))
        problems.append(
            _warn(
                after,
                line,
                column,
                "SER002",
                f"series '{name}' has no {missing} (parts: {listing}){note}",
                "number the parts 1, 2, 3, ... without gaps",
            )
        )
    for member in ordered:
        if member.front_matter.series_order is None:
            line, column = _position(member.front_matter, "series")
            problems.append(
                _warn(
                    member,
                    line,
                    column,
                    "SER003",
                    f"no part number, while other parts of series '{name}' have one; "
                    "it is placed after them, by date",
                    "add 'series_order: N'",
                )
            )


def _gaps(present: Iterable[int]) -> list[tuple[int, int]]:
    """Runs of missing numbers below the highest one: [1, 2, 5] → [(3, 4)]."""
    gaps: list[tuple[int, int]] = []
    expected = 1
    for number in present:
        if number > expected:
            gaps.append((expected, number - 1))
        expected = number + 1
    return gaps


def _part_key(fm: FrontMatter) -> str:
    return "series_order" if "series_order" in fm.key_positions else "part"


def _position(fm: FrontMatter, key: str) -> tuple[int, int]:
    return fm.key_positions.get(key, (fm.opening_line, 1))


def _warn(member: Member, line: int, column: int, code: str, message: str, hint: str) -> Diagnostic:
    return Diagnostic(member.post.source, line, column, Severity.WARNING, code, message, hint=hint)

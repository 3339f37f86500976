"""Bodies from the build cache: read when a page asks, and only the last few kept in memory."""

from __future__ import annotations

from site_builder.markup.body import RECENT_BODIES, BodyFacts, StoredBody
from site_builder.markup.outline import Outline

FACTS = BodyFacts("<p>Summary.</p>", False, 120, 0, 1, frozenset())


def stored(number: int, reads: list[int]) -> StoredBody:
    def load() -> tuple[str, Outline]:
        reads.append(number)
        return f"<p>Body of post {number}.</p>", Outline()

    return StoredBody(FACTS, load)


def test_a_page_reading_html_and_outline_reads_the_body_once() -> None:
    reads: list[int] = []
    body = stored(1, reads)
    assert body.facts is FACTS and reads == []  # the facts need no read
    assert body.html == "<p>Body of post 1.</p>"
    assert body.outline == Outline()
    assert body.html == "<p>Body of post 1.</p>"
    assert reads == [1]


def test_bodies_read_long_ago_are_not_kept() -> None:
    reads: list[int] = []
    bodies = [stored(n, reads) for n in range(RECENT_BODIES + 10)]
    for body in bodies:
        assert body.html.startswith("<p>Body of post")
    assert reads == list(range(RECENT_BODIES + 10))
    bodies[-1].outline  # noqa: B018 - still in memory
    assert len(reads) == RECENT_BODIES + 10
    assert bodies[0].html == "<p>Body of post 0.</p>"  # forgotten, so read again
    assert reads[-1] == 0 and len(reads) == RECENT_BODIES + 11

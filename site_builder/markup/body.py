"""A document's rendered body as the site sees it: small facts up front, HTML and outline on demand.

List pages, feeds' metadata, link checks and assembly need only the `BodyFacts` of every post;
a post's own page needs its full HTML. A body fresh from Markdown holds everything
(`LoadedBody`); a body from the build cache (`StoredBody`) reads its HTML and outline from the
cache's pack file when a page asks (only the last few read stay in memory), so an incremental
build of a large site loads only the bodies of the pages it renders.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from ..fingerprint import digest
from ..records import compact_pickle
from .outline import Link, Outline


@compact_pickle
@dataclass(frozen=True, slots=True)
class BodyFacts:
    summary_html: str
    has_more: bool
    word_count: int
    code_words: int
    reading_minutes: int
    anchors: frozenset[str]
    # the links the site checks resolve (`Link.routed`); the others are checked with the
    # document, so the cache does not keep every external link of every post
    links: tuple[Link, ...] = ()
    # `summary_key()` worked out once, where the body is rendered (a worker), and kept in the
    # cache: list-page signatures then never hash every post's summary HTML again.
    summary_digest: str = ""

    def summary_key(self) -> str:
        """A hash of what a list page shows of the body: its summary and reading time."""
        return self.summary_digest or summary_digest(
            self.summary_html, self.has_more, self.reading_minutes
        )


def summary_digest(summary_html: str, has_more: bool, reading_minutes: int) -> str:
    return digest(summary_html, has_more, reading_minutes)


class Body(Protocol):
    @property
    def facts(self) -> BodyFacts: ...

    @property
    def html(self) -> str: ...

    @property
    def outline(self) -> Outline: ...


@dataclass(frozen=True, slots=True)
class LoadedBody:
    """A body held in memory."""

    facts: BodyFacts
    html: str
    outline: Outline


class StoredBody:
    """A body whose HTML and outline are read from the build cache when needed.

    Only the last few bodies read stay in memory (`_RECENT`): a page reads its post's HTML and
    outline, a feed those of its entries, and then they are done with. Keeping every body once
    read made each render worker hold its share of the site's HTML (on 5,000 posts, about
    100 MiB per worker).
    """

    __slots__ = ("_load", "facts")

    def __init__(self, facts: BodyFacts, load: Callable[[], tuple[str, Outline]]) -> None:
        self.facts = facts
        self._load = load

    def _parts(self) -> tuple[str, Outline]:
        parts = _RECENT.get(self)
        if parts is None:
            parts = _RECENT[self] = self._load()
            if len(_RECENT) > RECENT_BODIES:
                _RECENT.popitem(last=False)
        else:
            _RECENT.move_to_end(self)
        return parts

    @property
    def html(self) -> str:
        return self._parts()[0]

    @property
    def outline(self) -> Outline:
        return self._parts()[1]


RECENT_BODIES = 32
_RECENT: OrderedDict[StoredBody, tuple[str, Outline]] = OrderedDict()

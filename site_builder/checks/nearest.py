""" "Did you mean": the closest of many names, found through an index rather than against all.

`difflib.get_close_matches` compares the word with every name, and one comparison costs a
sequence match: on a 370-post site with many broken links it took 5.8 of the 6.4 s of a
one-post rebuild. `Nearest` indexes the names by their three-letter pieces once, shortlists
the names that share the most uncommon pieces with the word (pieces in more than an eighth of
the names, or in more than COMMON, such as `/posts/`, say little and are skipped), and runs
difflib on the shortlist only: a lookup costs the same on any number of names. A word is looked
up once per index. For a small set of names the shortlist is every name,
so the answer is difflib's own.
"""

from __future__ import annotations

import difflib
import functools
from collections import Counter
from collections.abc import Iterable

SHORTLIST = 24
COMMON = 200  # a piece in more names than this (or than an eighth of them) is not looked at


def _pieces(text: str) -> set[str]:
    padded = f"\x00{text.casefold()}\x00"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Nearest:
    """An index of names answering "which name is closest to this word?"."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names: tuple[str, ...] = tuple(sorted(set(names)))
        self._postings: dict[str, list[int]] = {}
        if len(self.names) > SHORTLIST:
            for number, name in enumerate(self.names):
                for piece in _pieces(name):
                    self._postings.setdefault(piece, []).append(number)
        self._common = min(COMMON, max(SHORTLIST, len(self.names) // 8))
        self._answers: dict[tuple[str, float], str | None] = {}

    def closest(self, word: str, cutoff: float = 0.6) -> str | None:
        """The name difflib finds closest to `word` with a ratio of at least `cutoff`."""
        key = (word, cutoff)
        if key not in self._answers:
            found = difflib.get_close_matches(word, self._shortlist(word), n=1, cutoff=cutoff)
            self._answers[key] = found[0] if found else None
        return self._answers[key]

    def _shortlist(self, word: str) -> list[str]:
        if len(self.names) <= SHORTLIST:
            return list(self.names)
        shared: Counter[int] = Counter()
        for piece in _pieces(word):
            posting = self._postings.get(piece, ())
            if len(posting) <= self._common:
                shared.update(posting)
        return [self.names[number] for number, _ in shared.most_common(SHORTLIST)]


@functools.lru_cache(maxsize=256)
def nearest_of(names: frozenset[str]) -> Nearest:
    """The index of a set of names (a page's heading ids, the site's tags), built once."""
    return Nearest(names)

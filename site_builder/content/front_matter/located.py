"""A value read from a source file, with the line and column where it was written."""

from __future__ import annotations

from typing import Any, NamedTuple


class Located(NamedTuple):
    """A value with the 1-based line and column where it was written.

    A named tuple, not a dataclass: the cache holds one per tag of every post, and a tuple
    unpickles through `tuple.__new__` without running any Python code.
    """

    value: str
    line: int
    column: int

    def __reduce__(self) -> tuple[Any, ...]:
        return tuple.__new__, (Located, tuple(self))

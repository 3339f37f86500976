"""Fast pickling for the frozen dataclasses that cross process boundaries and fill the cache.

A `slots=True` dataclass pickles through a generated `__getstate__` that looks up its fields on
every call; pickling as `(class, field values)` is several times faster, and unpickles by
calling the class, which the cache's restricted unpickler allows for this package's classes.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

T = TypeVar("T")


def compact_pickle(cls: type[T]) -> type[T]:
    """Class decorator (outermost, above `@dataclass`): pickle as the constructor's arguments."""
    names = tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        return cls, tuple(getattr(self, name) for name in names)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls

"""Fast pickling for the frozen dataclasses that cross process boundaries and fill the cache.

A `slots=True` dataclass pickles through a generated `__getstate__` that looks up its fields on
every call; pickling as `(class, field values)`, the values gathered by one C-level
`attrgetter`, is several times faster, and unpickles by calling the class, which the cache's
restricted unpickler allows for this package's classes.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def compact_pickle(cls: type[T]) -> type[T]:
    """Class decorator (outermost, above `@dataclass`): pickle as the constructor's arguments."""
    names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
    values: Callable[[Any], tuple[Any, ...]]
    if len(names) == 1:  # attrgetter of one name gives the value, not a 1-tuple
        values = lambda self: (getattr(self, names[0]),)  # noqa: E731
    else:
        values = operator.attrgetter(*names)

    def __reduce__(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[method-assign]
    return cls

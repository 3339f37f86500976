"""Reading the build cache's pickles without trusting them.

The cache is a folder anyone with write access to the site can change, so it is read with an
unpickler that only builds the records listed here and a few standard types: a tampered file
fails to load (and the cache is ignored with a warning) instead of running code. The list names
classes, never a module: any other global of this package (a function, a class with side
effects, a module it imported such as `os`) is refused like any other.
"""

from __future__ import annotations

import io
import pickle
import zoneinfo
from typing import Any

# The cache's records: plain data classes whose construction does nothing but store values.
_RECORDS = {
    ("site_builder.markup.body", "BodyFacts"),
    ("site_builder.cache.state", "CacheState"),
    ("site_builder.cache.state", "DocumentIndex"),
    ("site_builder.cache.state", "JournalFrame"),
    ("site_builder.cache.state", "LastBuild"),
    ("site_builder.diagnostics.diagnostic", "Diagnostic"),
    ("site_builder.diagnostics.diagnostic", "Severity"),
    ("site_builder.content.front_matter.record", "FrontMatter"),
    ("site_builder.content.front_matter.located", "Located"),
    ("site_builder.content.model", "Skipped"),
    ("site_builder.markup.outline", "Block"),
    ("site_builder.markup.outline", "CodeBlock"),
    ("site_builder.markup.outline", "Heading"),
    ("site_builder.markup.outline", "Link"),
    ("site_builder.markup.outline", "Outline"),
    ("site_builder.cache.processed", "CachedDocument"),
    ("site_builder.publish.staging", "Entry"),
    ("site_builder.publish.staging", "OutputState"),
    ("site_builder.publish.staging", "TreeState"),
}
# Where the records lived before the package was laid out in stage folders: a cache written
# then still loads (and is then found stale, silently, by its key), instead of warning once.
_MOVED = {
    "site_builder.body": "site_builder.markup.body",
    "site_builder.cachefiles": "site_builder.cache.state",
    "site_builder.diagnostics": "site_builder.diagnostics.diagnostic",
    "site_builder.frontmatter_record": "site_builder.content.front_matter.record",
    "site_builder.located": "site_builder.content.front_matter.located",
    "site_builder.model": "site_builder.content.model",
    "site_builder.outline": "site_builder.markup.outline",
    "site_builder.processed": "site_builder.cache.processed",
    "site_builder.staging": "site_builder.publish.staging",
}
_ALLOWED_GLOBALS = _RECORDS | {
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("datetime", "datetime"),
    ("datetime", "date"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("zoneinfo", "ZoneInfo"),
    ("zoneinfo._zoneinfo", "ZoneInfo"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
    ("builtins", "tuple"),
}


def _restricted_getattr(owner: object, name: str) -> Any:
    """Pickle rebuilds a ZoneInfo through `getattr(ZoneInfo, "_unpickle")`, and our named
    tuples through `getattr(tuple, "__new__")` (which builds a tuple subclass's instance from
    its values and runs nothing else); any other attribute is refused."""
    if (owner is zoneinfo.ZoneInfo and name == "_unpickle") or (
        owner is tuple and name == "__new__"
    ):
        return getattr(owner, name)
    raise pickle.UnpicklingError(f"refusing getattr({owner!r}, {name!r}) in the build cache")


class _RecordsOnly(pickle.Unpickler):
    """Builds only our own records and plain standard types; anything else is an error."""

    def find_class(self, module: str, name: str) -> Any:
        module = _MOVED.get(module, module)
        if (module, name) == ("builtins", "getattr"):
            return _restricted_getattr
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name} in the build cache")


def safe_loads(data: bytes) -> Any:
    return _RecordsOnly(io.BytesIO(data)).load()

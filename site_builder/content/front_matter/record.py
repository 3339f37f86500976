"""The validated front matter of one source file, as the site model and the cache keep it.

Apart from `frontmatter` (which parses it with the YAML machinery) so that a build reusing
cached records never imports YAML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ...records import compact_pickle
from .located import Located


@compact_pickle
@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The validated front matter of one source file."""

    title: str
    date: dt.datetime | None
    updated: dt.datetime | None = None
    tags: tuple[Located, ...] = ()
    description: str | None = None
    published: bool = True
    slug: Located | None = None
    series: str | None = None
    series_order: int | None = None
    canonical_url: str | None = None
    cover_image: str | None = None
    authors: tuple[str, ...] = ()
    aliases: tuple[Located, ...] = ()  # old URLs, each served by a redirect page
    extra: Mapping[str, object] = field(default_factory=dict)
    key_positions: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    opening_line: int = 1
    # where each key's value is written (line, first and last column), filled in with the
    # document's lines by `documents`, so checks can point at a value without the file
    value_spans: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)


__all__ = ["FrontMatter"]

"""The front matter keys, as one table: each key's name, the `FrontMatter` field it fills, its
reader, whether `key: null` means "not set", and where the value shows.

`read` walks this table; the defaults are those of the `FrontMatter` record; the README's
front matter reference lists the same keys (a test holds the three together). A new key is one
row here, a field of `FrontMatter`, and whatever shows it (a template).

A reader turns the YAML value of its key into the field's value, or reports FM007/FM008/FM010
at the value's line and gives None.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..slugs import MAX_SEGMENT_BYTES, segment_overflow, tag_slug
from .dates import DateError, parse_date
from .located import Located
from .reading import Reading
from .redirects import read_aliases
from .tags import parse_tags, type_name
from .url_values import shown, url_message, url_problem

Reader = Callable[[Reading, str, object, Node], object]


def written(node: Node, value: object) -> str:
    """A value as the author wrote it, for a message: the scalar's text, else its kind."""
    if isinstance(node, ScalarNode) and value is not None:
        return f"{type_name(value)} {node.value}"
    return type_name(value)


def _text(reading: Reading, key: str, value: object, node: Node) -> str | None:
    if not isinstance(value, str):
        scalar = isinstance(node, ScalarNode) and value is not None
        reading.report(
            node,
            "FM010",
            f"'{key}' must be text; got {type_name(value)}" + (f" {node.value}" if scalar else ""),
            hint=f'quote it: {key}: "{node.value}"' if scalar else f"write text after '{key}:'",
        )
        return None
    return value.strip()


def _required_text(reading: Reading, key: str, value: object, node: Node) -> str | None:
    text = _text(reading, key, value, node)
    if text == "":
        reading.report(node, "FM010", f"'{key}' must not be empty")
        return None
    return text


def _date(reading: Reading, key: str, value: object, node: Node) -> dt.datetime | None:
    try:
        return parse_date(value, reading.tz)
    except DateError as error:
        hint = "write the date as YYYY-MM-DD or 'YYYY-MM-DD HH:MM'"
        reading.report(node, "FM007", str(error), hint=hint)
        return None


def _bool(reading: Reading, key: str, value: object, node: Node) -> bool | None:
    if isinstance(value, bool):
        return value
    reading.report(node, "FM010", f"'{key}' must be true or false; got {written(node, value)}")
    return None


def _slug(reading: Reading, key: str, value: object, node: Node) -> Located | None:
    text = _text(reading, key, value, node)
    if text is None or _too_long(
        reading, urllib.parse.unquote(text), f"'{key}'", reading.pos(node)
    ):
        return None
    return Located(text, *reading.pos(node))


def _series(reading: Reading, key: str, value: object, node: Node) -> str | None:
    if isinstance(value, list) and len(value) == 1 and isinstance(node, SequenceNode):
        value, node = value[0], node.value[0]  # `series: [Slim images]` (Hugo's taxonomy)
    text = _text(reading, key, value, node)
    if text is None or _too_long(reading, tag_slug(text), f"'{key}'", reading.pos(node)):
        return None
    return text


def _too_long(reading: Reading, segment: str, what: str, place: tuple[int, int]) -> bool:
    """FM010 when `segment`, a folder of output/ made from a value, is over the bytes a file
    name may have (`slugs.MAX_SEGMENT_BYTES`): `check` says so as well as `build`."""
    size = segment_overflow(segment)
    if size is None:
        return False
    reading.report_at(
        *place,
        "FM010",
        f"{what} makes a URL segment of {size:,} bytes, over {MAX_SEGMENT_BYTES}"
        " (it names a folder of output/)",
        hint="shorten it",
    )
    return True


def _part(reading: Reading, key: str, value: object, node: Node) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        reading.report(
            node, "FM010", f"'{key}' must be a whole number from 1 up; got {written(node, value)}"
        )
        return None
    return value


def _absolute_url(reading: Reading, key: str, value: object, node: Node) -> str | None:
    return _url(reading, key, value, node, absolute=True)


def _url_or_path(reading: Reading, key: str, value: object, node: Node) -> str | None:
    return _url(reading, key, value, node, absolute=False)


def _url(reading: Reading, key: str, value: object, node: Node, *, absolute: bool) -> str | None:
    """A URL-valued key, through the one validator (`url_values`): http(s), or a site path."""
    text = _text(reading, key, value, node)
    if text is None:
        return None
    return text if check_url(reading, key, text, node, absolute=absolute) else None


def check_url(reading: Reading, key: str, text: str, node: Node, *, absolute: bool) -> bool:
    """Whether `text` is an acceptable URL for `key`; FM010 at `node` when it is not."""
    reason = url_problem(text, absolute=absolute)
    if reason is None:
        return True
    reading.report(
        node,
        "FM010",
        url_message(key, text, reason, absolute=absolute),
        hint="http(s) URLs and paths on the site are published; other schemes never are",
    )
    return False


def _tags(reading: Reading, key: str, value: object, node: Node) -> tuple[Located, ...]:
    tags = parse_tags(value, node, reading.pos, reading.report)
    return tuple(
        tag
        for tag in tags
        if not _too_long(reading, tag_slug(tag.value), f"tag '{shown(tag.value)}'", tag[1:])
    )


def _authors(reading: Reading, key: str, value: object, node: Node) -> tuple[str, ...] | None:
    """A name, a list of names, or Docusaurus' list of mappings with a `name`."""
    items = list(zip(node.value, value, strict=True)) if isinstance(value, list) else None
    if isinstance(node, SequenceNode) and items is not None:
        pairs: list[tuple[Node, object]] = items
    else:
        pairs = [(node, value)]
    names: list[str] = []
    for item_node, item in pairs:
        if isinstance(item, dict) and isinstance(item_node, MappingNode):
            item = item.get("name")
        if not isinstance(item, str) or not item.strip():
            reading.report(
                item_node,
                "FM010",
                f"'{key}' must be a name, a list of names, or a list of mappings with 'name';"
                f" got {written(item_node, item)}",
            )
            return None
        names.append(item.strip())
    return tuple(names)


@dataclass(frozen=True, slots=True)
class Key:
    """One front matter key."""

    name: str
    reader: Reader
    shown: str  # where the value shows, for the documentation
    example: str  # a value as a writer would write it (YAML)
    field: str = ""  # the `FrontMatter` field it fills (default: the key's name)
    nullable: bool = True  # `key: null` (or a bare `key:`) means "not set"

    @property
    def target(self) -> str:
        return self.field or self.name


# In the order the keys are read (and their problems reported); the first of two keys that fill
# one field wins (`series_order` before its alias `part`).
KEYS = (
    Key(
        "title", _required_text, "the page, lists, feeds, <title>", "Smaller images", nullable=False
    ),
    Key("date", _date, "the post, lists, feeds, the archive", "2024-01-02 10:30", nullable=False),
    Key("updated", _date, "the post, feeds, the sitemap", "2024-02-01"),
    Key("description", _text, "lists, <meta name=description>, feeds", "Fewer layers."),
    Key("series", _series, "the series box and page", "Slim images"),
    Key("canonical_url", _absolute_url, "<link rel=canonical>, feeds", "https://dev.to/a/b"),
    Key("cover_image", _url_or_path, "Open Graph and Twitter card images, feeds", "/images/c.png"),
    Key("published", _bool, "nowhere: false makes a draft", "false", nullable=False),
    Key("slug", _slug, "the URL", "smaller-images"),
    Key("series_order", _part, "the series box and page", "2"),
    Key("part", _part, "the series box and page", "3", field="series_order"),
    Key("tags", _tags, "the post, lists, tag pages, feeds", "[Docker, Open Source]"),
    Key("authors", _authors, "the post, feeds", "[Ada Lovelace]"),
    Key("aliases", read_aliases, "redirect pages at the old URLs", "[/2019/03/old-name/]"),
)
BY_NAME = {key.name: key for key in KEYS}
REQUIRED = ("title", "date")  # `date` is optional on standalone pages

"""Front matter: split it from the body, parse it safely, validate it against the schema.

Every problem is a diagnostic at the line of the .md file (the YAML line plus the offset of the
opening `---`). The schema is the documented one: `title` and `date` are required; `tags`,
`description`, `published`, `slug`, `updated`, `series`, `series_order` (or `part`),
`canonical_url` and `cover_image` are optional; any other key is kept for templates and warned
about with a "did you mean". Tags are read by `tag_list`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ...diagnostics.diagnostic import Diagnostic, Severity
from .dates import DateError, parse_date
from .located import Located
from .record import FrontMatter
from .tags import parse_tags, type_name
from .yaml_loader import YamlProblem, check_duplicate_keys, compose, construct

KNOWN_KEYS = (
    "title",
    "date",
    "updated",
    "tags",
    "description",
    "published",
    "slug",
    "series",
    "series_order",
    "part",
    "canonical_url",
    "cover_image",
)
_STR = "tag:yaml.org,2002:str"
_FENCE_RE = re.compile(r"---[ \t]*")
_CLOSE_RE = re.compile(r"(?:---|\.\.\.)[ \t]*")


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """A source split into validated front matter (None when unusable) and its Markdown body."""

    front_matter: FrontMatter | None
    body: str
    body_line_offset: int
    diagnostics: tuple[Diagnostic, ...]


@dataclass(slots=True)
class _Split:
    yaml_text: str
    yaml_offset: int  # file line of YAML line 0, minus 1 (0-based YAML line + offset + 1 = line)
    body: str
    body_line_offset: int
    opening_line: int


def parse_source(path: str, text: str, tz: ZoneInfo, *, require_date: bool = True) -> ParsedSource:
    """Split and validate `text` (already decoded and LF-normalised) of the file at `path`."""
    problems: list[Diagnostic] = []

    def error(line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        problems.append(Diagnostic(path, line, column, Severity.ERROR, code, message, hint=hint))

    split = _split(text)
    if isinstance(split, Diagnostic):
        return ParsedSource(None, "", 0, (split.shifted(path, 0),))
    try:
        node = compose(split.yaml_text)
        if node is not None and isinstance(node, MappingNode):
            check_duplicate_keys(node)
    except YamlProblem as problem:
        message = problem.message
        if problem.first_line is not None:
            message += f" (first at line {problem.first_line + split.yaml_offset + 1})"
        error(
            problem.line + split.yaml_offset + 1,
            problem.column + 1,
            problem.code,
            message,
        )
        return _failed(split, problems)
    if node is None or not isinstance(node, MappingNode):
        kind = "empty" if node is None else _kind(node)
        line = split.opening_line if node is None else node.start_mark.line + split.yaml_offset + 1
        error(
            line,
            1,
            "FM004",
            f"front matter must be a mapping of keys to values; got {kind}",
        )
        return _failed(split, problems)
    front_matter = _validate(node, split, path, tz, problems, require_date)
    return ParsedSource(front_matter, split.body, split.body_line_offset, tuple(problems))


def _failed(split: _Split, problems: list[Diagnostic]) -> ParsedSource:
    return ParsedSource(None, split.body, split.body_line_offset, tuple(problems))


def _split(text: str) -> _Split | Diagnostic:
    lines = text.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines) or not _FENCE_RE.fullmatch(lines[index]):
        line = min(index, len(lines) - 1) + 1 if text.strip() else 1
        return Diagnostic(
            "",
            line,
            1,
            Severity.ERROR,
            "FM001",
            "missing front matter (title, date required)",
            hint="start the file with a '---' line, then 'title: ...' and 'date: YYYY-MM-DD', "
            "then '---'",
        )
    opening = index
    for close in range(opening + 1, len(lines)):
        if _CLOSE_RE.fullmatch(lines[close]):
            body = "\n".join(lines[close + 1 :])
            return _Split(
                yaml_text="\n".join(lines[opening + 1 : close]) + "\n",
                yaml_offset=opening + 1,
                body=body,
                body_line_offset=close + 1,
                opening_line=opening + 1,
            )
    return Diagnostic(
        "",
        opening + 1,
        1,
        Severity.ERROR,
        "FM002",
        f"front matter opened at line {opening + 1} is never closed",
        hint="add a line with '---' after the last front matter key",
    )


def _kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    return "a single value"


def _written(node: Node, value: object) -> str:
    """A value as the author wrote it, for a message: the scalar's text, else its kind."""
    if isinstance(node, ScalarNode) and value is not None:
        return f"{type_name(value)} {node.value}"
    return type_name(value)


def _validate(
    node: MappingNode,
    split: _Split,
    path: str,
    tz: ZoneInfo,
    problems: list[Diagnostic],
    require_date: bool,
) -> FrontMatter | None:
    def pos(n: Node) -> tuple[int, int]:
        return n.start_mark.line + split.yaml_offset + 1, n.start_mark.column + 1

    def report(
        n: Node,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
        hint: str | None = None,
    ) -> None:
        line, column = pos(n)
        problems.append(Diagnostic(path, line, column, severity, code, message, hint=hint))

    values: dict[str, object] = {}
    value_nodes: dict[str, Node] = {}
    positions: dict[str, tuple[int, int]] = {}
    before = len(problems)
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
            report(key_node, "FM010", "front matter keys must be plain words")
            continue
        key = key_node.value
        positions[key] = pos(key_node)
        value_nodes[key] = value_node
        try:
            values[key] = construct(value_node)
        except YamlProblem as problem:
            problems.append(
                Diagnostic(
                    path,
                    problem.line + split.yaml_offset + 1,
                    problem.column + 1,
                    Severity.ERROR,
                    problem.code,
                    problem.message,
                )
            )
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.75)
            suggestion = f" (did you mean '{close[0]}'?)" if close else ""
            report(
                key_node,
                "FM009",
                f"unknown key '{key}'{suggestion}",
                Severity.WARNING,
                hint=f"rename it to '{close[0]}'"
                if close
                else "remove it, or ignore this if a theme uses it",
            )
    if len(problems) > before and any(p.severity is Severity.ERROR for p in problems[before:]):
        return None

    opening = split.opening_line
    for required in ("title", "date") if require_date else ("title",):
        if required not in values:
            problems.append(
                Diagnostic(
                    path,
                    opening,
                    1,
                    Severity.ERROR,
                    "FM011",
                    f"missing required key '{required}'",
                    hint=f"add '{required}: ...' to the front matter",
                )
            )

    def text_value(key: str, *, required: bool = False) -> str | None:
        if key not in values:
            return None
        value = values[key]
        if value is None and not required:
            return None
        if not isinstance(value, str):
            node = value_nodes[key]
            scalar = isinstance(node, ScalarNode) and value is not None
            report(
                node,
                "FM010",
                f"'{key}' must be text; got {type_name(value)}"
                + (f" {node.value}" if scalar else ""),
                hint=f'quote it: {key}: "{node.value}"' if scalar else f"write text after '{key}:'",
            )
            return None
        if required and not value.strip():
            report(value_nodes[key], "FM010", f"'{key}' must not be empty")
            return None
        return value.strip()

    def date_value(key: str) -> dt.datetime | None:
        if key not in values or (values[key] is None and key != "date"):
            return None
        try:
            return parse_date(values[key], tz)
        except DateError as error:
            report(
                value_nodes[key],
                "FM007",
                str(error),
                hint="write the date as YYYY-MM-DD or 'YYYY-MM-DD HH:MM'",
            )
            return None

    title = text_value("title", required=True)
    date = date_value("date")
    updated = date_value("updated")
    description = text_value("description")
    series = text_value("series")
    canonical_url = text_value("canonical_url")
    cover_image = text_value("cover_image")

    published = True
    if "published" in values:
        raw = values["published"]
        if isinstance(raw, bool):
            published = raw
        else:
            report(
                value_nodes["published"],
                "FM010",
                f"'published' must be true or false; got {_written(value_nodes['published'], raw)}",
            )

    slug: Located | None = None
    if "slug" in values:
        slug_text = text_value("slug")
        if slug_text is not None:
            line, column = pos(value_nodes["slug"])
            slug = Located(slug_text, line, column)

    series_order: int | None = None
    for key in ("series_order", "part"):
        if key in values and values[key] is not None:
            raw = values[key]
            if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
                report(
                    value_nodes[key],
                    "FM010",
                    f"'{key}' must be a whole number from 1 up; "
                    f"got {_written(value_nodes[key], raw)}",
                )
            elif series_order is None:
                series_order = raw

    if canonical_url is not None and not re.match(r"https?://[^\s/]+", canonical_url):
        report(
            value_nodes["canonical_url"],
            "FM010",
            f"'canonical_url' must be an absolute http(s) URL; got '{canonical_url}'",
        )
        canonical_url = None

    tags = parse_tags(values.get("tags"), value_nodes.get("tags"), pos, report)
    extra = {key: value for key, value in values.items() if key not in KNOWN_KEYS}

    if (
        any(p.severity is Severity.ERROR for p in problems[before:])
        or title is None
        or (date is None and require_date)
    ):
        return None
    return FrontMatter(
        title=title,
        date=date,
        updated=updated,
        tags=tags,
        description=description,
        published=published,
        slug=slug,
        series=series,
        series_order=series_order,
        canonical_url=canonical_url,
        cover_image=cover_image,
        extra=extra,
        key_positions=positions,
        opening_line=opening,
    )

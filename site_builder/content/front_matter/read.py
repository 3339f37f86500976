"""Front matter: split it from the body, parse it safely, validate it against the key table.

Three dialects (`dialects`): YAML between `---` lines, TOML between `+++` lines, a JSON object
at the top. Every problem is a diagnostic at the line of the .md file (the block's line plus the
offset of its opening line). The keys are those of `keys.KEYS`, and the keys of other generators
that stand for them (`aliases.ALIASES`): `title` and `date` are required, the others optional;
any other key is kept for templates and warned about with a "did you mean" (or noted as a key of
another generator, `aliases.IGNORED`). A missing date is taken from the file's path
(`dates.path_date`), a missing title from the body's first `# H1` (`titles`); a file with no
front matter at all is a post with both, or FM001 when it has no H1 (FM011 when no date).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ...diagnostics.diagnostic import Diagnostic, Severity
from ..slugs import tag_slug
from .aliases import (
    ALIAS_BY_NAME,
    ALIASES,
    ALIASES_OF,
    IGNORED,
    conflict_note,
    ignored_note,
    mkdocs_updated,
    unwrapped,
)
from .dates import path_date
from .dialects import Block, Unclosed, json_tree, split_block, toml_tree
from .keys import BY_NAME, KEYS, REQUIRED, check_url
from .located import Located
from .reading import Reading
from .record import FrontMatter
from .surrogates import repair_scalars
from .titles import body_title
from .url_values import is_url_key
from .yaml_loader import YamlProblem, check_duplicate_keys, compose, construct

KNOWN_KEYS = tuple(BY_NAME)
SUGGESTED = (*KNOWN_KEYS, *(alias.name for alias in ALIASES))  # for "did you mean"
_STR = "tag:yaml.org,2002:str"


@dataclass(frozen=True, slots=True)
class ParsedSource:
    """A source split into validated front matter (None when unusable) and its Markdown body."""

    front_matter: FrontMatter | None
    body: str
    body_line_offset: int
    diagnostics: tuple[Diagnostic, ...]


def parse_source(path: str, text: str, tz: ZoneInfo, *, require_date: bool = True) -> ParsedSource:
    """Split and validate `text` (already decoded and LF-normalised) of the file at `path`."""
    problems: list[Diagnostic] = []

    def error(line: int, column: int, code: str, message: str, hint: str | None = None) -> None:
        problems.append(Diagnostic(path, line, column, Severity.ERROR, code, message, hint=hint))

    block = split_block(text)
    if block is None:
        return _without_front_matter(path, text, tz, require_date)
    if isinstance(block, Unclosed):
        error(
            block.line,
            1,
            "FM002",
            f"front matter opened at line {block.line} is never closed",
            hint=f"add a line with '{block.fence}' after the last front matter key",
        )
        return ParsedSource(None, "", 0, tuple(problems))
    values: dict[int, object] | None = None
    try:
        node: Node | None
        if block.dialect == "toml":
            node, values = toml_tree(block.text)
        elif block.dialect == "json":
            node, values = json_tree(block.text)
        else:
            node = compose(block.text)
        if node is not None and isinstance(node, MappingNode):
            check_duplicate_keys(node)
    except YamlProblem as problem:
        message = problem.message
        if problem.first_line is not None:
            message += f" (first at line {problem.first_line + block.offset + 1})"
        error(problem.line + block.offset + 1, problem.column + 1, problem.code, message)
        return _failed(block, problems)
    if node is None or not isinstance(node, MappingNode):
        kind = "empty" if node is None else _kind(node)
        line = block.opening_line if node is None else node.start_mark.line + block.offset + 1
        error(
            line,
            1,
            "FM004",
            f"front matter must be a mapping of keys to values; got {kind}",
        )
        return _failed(block, problems)
    known = values
    build: Callable[[Node], object] = construct if known is None else (lambda n: known[id(n)])
    front_matter, body = _validate(node, block, path, tz, problems, require_date, build)
    return ParsedSource(front_matter, body, block.body_line_offset, tuple(problems))


def _failed(block: Block, problems: list[Diagnostic]) -> ParsedSource:
    return ParsedSource(None, block.body, block.body_line_offset, tuple(problems))


def _without_front_matter(path: str, text: str, tz: ZoneInfo, require_date: bool) -> ParsedSource:
    """A source with no front matter: its title from its first `# H1`, its date from its path;
    FM001 when it has no H1, one FM011 when a post has no date either."""
    found = body_title(text)
    if found is None:
        lines = text.split("\n")
        index = next((n for n, line in enumerate(lines) if line.strip()), len(lines))
        line = min(index, len(lines) - 1) + 1 if text.strip() else 1
        problem = Diagnostic(
            path,
            line,
            1,
            Severity.ERROR,
            "FM001",
            "missing front matter (title, date required)",
            hint="start the file with a '---' line, then 'title: ...' and 'date: YYYY-MM-DD', "
            "then '---'",
        )
        return ParsedSource(None, "", 0, (problem,))
    date = path_date(path, tz)
    if date is None and require_date:
        problem = Diagnostic(
            path,
            1,
            1,
            Severity.ERROR,
            "FM011",
            f"no front matter: the title is taken from the '# H1' at line {found.line},"
            " but there is no date",
            hint="add front matter ('---', 'date: YYYY-MM-DD', '---'), or start the file name"
            " with the date (2024-01-02-title.md)",
        )
        return ParsedSource(None, found.body, 0, (problem,))
    front_matter = FrontMatter(
        title=found.title, date=date, key_positions={"title": (found.line, 1)}
    )
    return ParsedSource(front_matter, found.body, 0, ())


def _kind(node: Node) -> str:
    if isinstance(node, SequenceNode):
        return "a list"
    return "a single value"


def _validate(
    node: MappingNode,
    block: Block,
    path: str,
    tz: ZoneInfo,
    problems: list[Diagnostic],
    require_date: bool,
    build: Callable[[Node], object],
) -> tuple[FrontMatter | None, str]:
    """The front matter record of a mapping, each key read by its row of `keys.KEYS`, and the
    body (without its `# H1` when that gave the title)."""
    reading = Reading(path, block.offset, tz, problems)
    before = len(problems)
    repair_scalars(node, reading.report)  # a lone surrogate is reported, and every key read
    entries = _entries(node, reading, len(problems), build)
    body = block.body
    if entries is None:
        return None, body
    fields = _read_keys(entries, reading)
    positions = dict(entries.positions)
    if "date" not in fields and not _written(entries, "date"):
        fields["date"] = path_date(path, tz)
    if "title" not in fields and not _written(entries, "title"):
        found = body_title(block.body)
        if found is not None:
            fields["title"], body = found.title, found.body
            positions["title"] = (found.line + block.body_line_offset, 1)
    required = REQUIRED if require_date else REQUIRED[:1]
    for name in required:
        if fields.get(name) is None and not _written(entries, name):
            problems.append(
                Diagnostic(
                    path,
                    block.opening_line,
                    1,
                    Severity.ERROR,
                    "FM011",
                    f"missing required key '{name}'",
                    hint=f"add '{name}: ...' to the front matter",
                )
            )
    for name, value_node in entries.nodes.items():
        alias = ALIAS_BY_NAME.get(name)
        if name not in BY_NAME and (alias is None or alias.key != "cover_image"):
            _check_theme_urls(reading, name, value_node)  # `author: {url: ...}` as well
    if _failed_since(problems, before) or any(fields.get(name) is None for name in required):
        return None, body
    for name in entries.values:
        alias = ALIAS_BY_NAME.get(name)
        if alias is not None:
            positions.setdefault(alias.key, entries.positions[name])
    return FrontMatter(
        title=fields.pop("title"),
        date=fields.pop("date", None),
        **fields,
        extra={
            k: v for k, v in entries.values.items() if k not in BY_NAME and k not in ALIAS_BY_NAME
        },
        key_positions=positions,
        opening_line=block.opening_line,
    ), body


def _written(entries: _Entries, name: str) -> bool:
    """Whether `name`, or a key standing for it, is written (even with a bad value)."""
    return name in entries.values or any(a.name in entries.values for a in ALIASES_OF.get(name, ()))


def _read_keys(entries: _Entries, reading: Reading) -> dict[str, Any]:
    """Every field written, read by its key's reader under the name the writer used; an alias
    that disagrees with the key used gets FM012; a draft anywhere makes a draft."""
    fields: dict[str, Any] = {}
    used: dict[str, str] = {}
    for key in KEYS:
        for name in (key.name, *(alias.name for alias in ALIASES_OF.get(key.name, ()))):
            if name not in entries.values:
                continue
            alias = ALIAS_BY_NAME.get(name)
            value, node = unwrapped(name, entries.values[name], entries.nodes[name])
            if value is None and (key.nullable or alias is not None):
                continue
            read = key.reader(reading, name, value, node)
            if read is None:
                continue
            if alias is not None and alias.invert:
                read = not read
            target = key.target
            if target not in fields:
                fields[target], used[target] = read, name
            elif alias is not None and alias.merge:
                have = {tag_slug(tag.value) for tag in fields[target]}
                more = tuple(t for t in _located(read) if tag_slug(t.value) not in have)
                fields[target] += more
            elif alias is not None and _plain(read) != _plain(fields[target]):
                line, column = entries.positions[name]
                message = conflict_note(name, target, used[target])
                if target == "published":  # never publish what any key calls a draft
                    fields[target] = False
                    message = f"'{name}' and '{used[target]}' disagree; the post is a draft"
                reading.report_at(line, column, "FM012", message, Severity.WARNING)
    if "date" in entries.values and "updated" not in fields:
        extra = mkdocs_updated(entries.values["date"], entries.nodes["date"])
        if extra is not None:
            read = BY_NAME["updated"].reader(reading, "date.updated", *extra)
            if read is not None:
                fields["updated"] = read
    return fields


def _located(value: object) -> tuple[Located, ...]:
    return (
        tuple(item for item in value if isinstance(item, Located))
        if isinstance(value, tuple)
        else ()
    )


def _plain(value: object) -> object:
    """A read value without positions, to compare two keys' values."""
    if isinstance(value, Located):
        return value.value
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    return value


@dataclass(slots=True)
class _Entries:
    """The keys of a front matter mapping: each value, its node, and the key's position."""

    values: dict[str, object] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)


def _entries(
    node: MappingNode, reading: Reading, before: int, build: Callable[[Node], object]
) -> _Entries | None:
    """Every key and its value; FM010 for a key that is not a plain word, FM009 (with a "did
    you mean") for one that is in no table, FM013 for another generator's; None after an error."""
    entries = _Entries()
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
            reading.report(key_node, "FM010", "front matter keys must be plain words")
            continue
        key = key_node.value
        entries.positions[key] = reading.pos(key_node)
        entries.nodes[key] = value_node
        try:
            entries.values[key] = build(value_node)
        except YamlProblem as problem:
            reading.problems.append(
                Diagnostic(
                    reading.path,
                    problem.line + reading.yaml_offset + 1,
                    problem.column + 1,
                    Severity.ERROR,
                    problem.code,
                    problem.message,
                )
            )
        if key in IGNORED:
            reading.report(key_node, "FM013", ignored_note(key), Severity.INFO)
        elif key not in BY_NAME and key not in ALIAS_BY_NAME:
            _unknown(key_node, key, reading)
    return None if _failed_since(reading.problems, before) else entries


def _check_theme_urls(reading: Reading, key: str, node: Node) -> None:
    """The URLs among the keys a theme may use (`image:`, `author: {url: ...}`, `links: [...]`),
    named so, through the validator of `cover_image` (FM010 at each refused one)."""
    stack: list[tuple[str, str, Node]] = [(key, key, node)]  # shown as, last name, node
    while stack:
        shown, name, current = stack.pop()
        if isinstance(current, MappingNode):
            stack.extend(
                (f"{shown}.{k.value}", k.value, v)
                for k, v in reversed(current.value)
                if isinstance(k, ScalarNode)
            )
        elif isinstance(current, SequenceNode):
            stack.extend((shown, name, item) for item in reversed(current.value))
        elif current.tag == _STR and is_url_key(name) and current.value.strip():
            check_url(reading, shown, current.value.strip(), current, absolute=False)


def _unknown(key_node: Node, key: str, reading: Reading) -> None:
    close = difflib.get_close_matches(key, SUGGESTED, n=1, cutoff=0.75)
    suggestion = f" (did you mean '{close[0]}'?)" if close else ""
    reading.report(
        key_node,
        "FM009",
        f"unknown key '{key}'{suggestion}",
        Severity.WARNING,
        hint=f"rename it to '{close[0]}'"
        if close
        else "remove it, or ignore this if a theme uses it",
    )


def _failed_since(problems: list[Diagnostic], before: int) -> bool:
    return any(p.severity is Severity.ERROR for p in problems[before:])

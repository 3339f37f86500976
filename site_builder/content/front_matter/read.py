"""Front matter: split it from the body, parse it safely, validate it against the key table.

Every problem is a diagnostic at the line of the .md file (the YAML line plus the offset of the
opening `---`). The keys are those of `keys.KEYS`: `title` and `date` are required, the others
optional; any other key is kept for templates and warned about with a "did you mean".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ...diagnostics.diagnostic import Diagnostic, Severity
from .keys import BY_NAME, KEYS, REQUIRED, Reading, check_url
from .record import FrontMatter
from .surrogates import repair_scalars
from .url_values import is_url_key
from .yaml_loader import YamlProblem, check_duplicate_keys, compose, construct

KNOWN_KEYS = tuple(BY_NAME)
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


def _validate(
    node: MappingNode,
    split: _Split,
    path: str,
    tz: ZoneInfo,
    problems: list[Diagnostic],
    require_date: bool,
) -> FrontMatter | None:
    """The front matter record of a YAML mapping, each key read by its row of `keys.KEYS`."""
    reading = Reading(path, split.yaml_offset, tz, problems)
    before = len(problems)
    repair_scalars(node, reading.report)  # a lone surrogate is reported, and every key read
    entries = _entries(node, reading, len(problems))
    if entries is None:
        return None
    required = REQUIRED if require_date else REQUIRED[:1]
    for name in required:
        if name not in entries.values:
            problems.append(
                Diagnostic(
                    path,
                    split.opening_line,
                    1,
                    Severity.ERROR,
                    "FM011",
                    f"missing required key '{name}'",
                    hint=f"add '{name}: ...' to the front matter",
                )
            )
    fields: dict[str, Any] = {}
    for key in KEYS:
        if key.name not in entries.values:
            continue
        value = entries.values[key.name]
        if value is None and key.nullable:
            continue
        read = key.reader(reading, key.name, value, entries.nodes[key.name])
        if read is not None:
            fields.setdefault(key.target, read)
    for name, value_node in entries.nodes.items():
        if name not in BY_NAME:
            _check_theme_urls(reading, name, value_node)
    if _failed_since(problems, before) or any(name not in fields for name in required):
        return None
    return FrontMatter(
        title=fields.pop("title"),
        date=fields.pop("date", None),
        **fields,
        extra={k: v for k, v in entries.values.items() if k not in BY_NAME},
        key_positions=entries.positions,
        opening_line=split.opening_line,
    )


@dataclass(slots=True)
class _Entries:
    """The keys of a front matter mapping: each value, its YAML node, and the key's position."""

    values: dict[str, object] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)


def _entries(node: MappingNode, reading: Reading, before: int) -> _Entries | None:
    """Every key and its constructed value; FM010 for a key that is not a plain word, FM009
    (with a "did you mean") for one that is not in the table; None after such an error."""
    entries = _Entries()
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
            reading.report(key_node, "FM010", "front matter keys must be plain words")
            continue
        key = key_node.value
        entries.positions[key] = reading.pos(key_node)
        entries.nodes[key] = value_node
        try:
            entries.values[key] = construct(value_node)
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
        if key not in BY_NAME:
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
    close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.75)
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

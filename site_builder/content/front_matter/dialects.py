"""The three front matter dialects Hugo accepts, split from the body: YAML between `---` lines,
TOML between `+++` lines, and a JSON object at the top of the file.

`split_block` finds the block (None when the file has none); `toml_tree` and `json_tree` parse
TOML and JSON and give the same YAML node tree as the YAML path (each node marked with its line
and column in the block, so every later diagnostic points into the user's file), with the Python
value of each node beside it. From there, all three go through one key table and one set of
readers (`read`). Errors: FM002 for a block never closed, FM003 for a syntax error (at the .md
line and, when the parser says, column), FM005 for a JSON key written twice.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from dataclasses import dataclass

from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .yaml_loader import MAX_DEPTH, YamlProblem

_YAML_FENCE_RE = re.compile(r"---[ \t]*")
_YAML_CLOSE_RE = re.compile(r"(?:---|\.\.\.)[ \t]*")
_TOML_FENCE_RE = re.compile(r"\+\+\+[ \t]*")
_TOML_AT_RE = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_KEY_RE = re.compile(r"[ \t]*(?:\"([^\"]+)\"|'([^']+)'|([A-Za-z0-9_-]+))[ \t]*[.=]")
_TOML_TABLE_RE = re.compile(r"[ \t]*\[\[?[ \t]*(?:\"([^\"]+)\"|([A-Za-z0-9_-]+))")
_TAG = "tag:yaml.org,2002:"


@dataclass(slots=True)
class Block:
    """A front matter block: its dialect, its text, and where it and the body start."""

    dialect: str  # "yaml", "toml" or "json"
    text: str
    offset: int  # the file line of the block's line 0, minus 1
    body: str
    body_line_offset: int
    opening_line: int


@dataclass(slots=True)
class Unclosed:
    """A block opened at `line` and never closed (FM002)."""

    line: int
    fence: str


def split_block(text: str) -> Block | Unclosed | None:
    """The front matter block at the top of `text` (blank lines may come first), or None."""
    lines = text.split("\n")
    index = 0
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index == len(lines):
        return None
    first = lines[index]
    for dialect, fence, close_re in (
        ("yaml", _YAML_FENCE_RE, _YAML_CLOSE_RE),
        ("toml", _TOML_FENCE_RE, _TOML_FENCE_RE),
    ):
        if fence.fullmatch(first):
            for close in range(index + 1, len(lines)):
                if close_re.fullmatch(lines[close]):
                    return Block(
                        dialect,
                        "\n".join(lines[index + 1 : close]) + "\n",
                        index + 1,
                        "\n".join(lines[close + 1 :]),
                        close + 1,
                        index + 1,
                    )
            return Unclosed(index + 1, first.strip())
    if first.startswith("{") and not first.startswith(("{{", "{%")):
        return _json_block(lines, index)
    return None


def _json_block(lines: list[str], index: int) -> Block:
    """The JSON object from line `index` to the line its closing brace ends (Hugo's rule); a
    block that does not parse is given whole, so that `json_tree` reports where."""
    text = "\n".join(lines[index:])
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError:
        return Block("json", text, index, "", len(lines), index + 1)
    last = index + text.count("\n", 0, end)
    block = "\n".join(lines[index : last + 1])
    return Block("json", block, index, "\n".join(lines[last + 1 :]), last + 1, index + 1)


Values = dict[int, object]  # the Python value of each node, by the node's id


def toml_tree(text: str) -> tuple[MappingNode, Values]:
    """The node tree of a TOML block; `YamlProblem` (FM003) at the line tomllib names."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        at = _TOML_AT_RE.search(str(error))
        line, column = (int(at.group(1)) - 1, int(at.group(2)) - 1) if at else (0, 0)
        message = _TOML_AT_RE.sub("", str(error)).strip()
        raise YamlProblem("FM003", f"TOML syntax error: {message}", line, column) from None
    return _tree(data, text, _toml_key_lines(text), quoted_keys=False)


def json_tree(text: str) -> tuple[MappingNode, Values]:
    """The node tree of a JSON block; FM003 at the line of a syntax error, FM005 for a key
    written twice, FM004 (by the caller) when it is not an object."""

    def pairs(items: list[tuple[str, object]]) -> dict[str, object]:
        seen: dict[str, object] = {}
        for key, value in items:
            if key in seen:
                at = _json_key_positions(text).get(key, [(0, 0)])
                line, column = at[-1] if len(at) > 1 else at[0]
                first = at[0][0] if len(at) > 1 else None
                raise YamlProblem("FM005", f"duplicate key '{key}'", line, column, first)
            seen[key] = value
        return seen

    try:
        decoder = json.JSONDecoder(object_pairs_hook=pairs)
        data, end = decoder.raw_decode(text)
    except json.JSONDecodeError as error:
        raise YamlProblem(
            "FM003", f"JSON syntax error: {error.msg}", error.lineno - 1, error.colno - 1
        ) from None
    except RecursionError:
        raise YamlProblem("FM003", f"JSON nested more than {MAX_DEPTH} levels deep", 0, 0) from None
    rest = text[end:]
    if rest.strip():
        line = text.count("\n", 0, end)
        column = end - (text.rfind("\n", 0, end) + 1)
        raise YamlProblem(
            "FM003", "JSON syntax error: text after the closing '}' on its line", line, column
        )
    if not isinstance(data, dict):
        raise YamlProblem("FM004", "front matter must be a mapping of keys to values", 0, 0)
    positions = {key: spots[0] for key, spots in _json_key_positions(text).items()}
    return _tree(data, text, positions, quoted_keys=True)


def _toml_key_lines(text: str) -> dict[str, tuple[int, int]]:
    """The 0-based line and column of each top-level TOML key (a table's header line)."""
    found: dict[str, tuple[int, int]] = {}
    in_table = False
    for number, line in enumerate(text.split("\n")):
        table = _TOML_TABLE_RE.match(line)
        if table is not None:
            in_table = True
            name = table.group(1) or table.group(2)
            found.setdefault(name, (number, line.index("[")))
            continue
        key = None if in_table else _TOML_KEY_RE.match(line)
        if key is not None:
            name = key.group(1) or key.group(2) or key.group(3)
            column = len(line) - len(line.lstrip())
            found.setdefault(name, (number, column))
    return found


def _json_key_positions(text: str) -> dict[str, list[tuple[int, int]]]:
    """The 0-based line and column of each key of the outermost JSON object, in order."""
    found: dict[str, list[tuple[int, int]]] = {}
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = index + 1
            while end < len(text) and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            after = text[end + 1 :].lstrip()
            if depth == 1 and after.startswith(":"):
                try:
                    key = json.loads(text[index : end + 1])
                except json.JSONDecodeError:
                    key = None
                if isinstance(key, str):
                    line = text.count("\n", 0, index)
                    found.setdefault(key, []).append((line, index - text.rfind("\n", 0, index) - 1))
            index = end + 1
            continue
        if char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        index += 1
    return found


def _tree(
    data: dict[str, object], text: str, keys: dict[str, tuple[int, int]], *, quoted_keys: bool
) -> tuple[MappingNode, Values]:
    """The mapping node of `data`: each key at its position, each value at the first place
    after it where it is written (its key's line when it cannot be found)."""
    values: Values = {}
    lines = text.split("\n")
    starts = [0]
    for written in lines:
        starts.append(starts[-1] + len(written) + 1)

    def mark(line: int, column: int) -> Mark:
        return Mark("", 0, line, column, "", 0)

    def place(needle: str, cursor: int) -> tuple[int, tuple[int, int] | None]:
        found = text.find(needle, cursor) if needle else -1
        if found < 0:
            return cursor, None
        line = text.count("\n", 0, found)
        return found + len(needle), (line, found - starts[line])

    def node(value: object, at: tuple[int, int], cursor: int, level: int) -> tuple[Node, int]:
        if level > MAX_DEPTH:
            raise YamlProblem("FM003", f"nested more than {MAX_DEPTH} levels deep", *at)
        made: Node
        if isinstance(value, dict):
            pairs: list[tuple[Node, Node]] = []
            for key, item in value.items():
                cursor, spot = place(json.dumps(key) if quoted_keys else key, cursor)
                key_node = ScalarNode(_TAG + "str", key, mark(*(spot or at)), mark(*(spot or at)))
                values[id(key_node)] = key
                item_node, cursor = node(item, spot or at, cursor, level + 1)
                pairs.append((key_node, item_node))
            made = MappingNode(_TAG + "map", pairs, mark(*at), mark(*at))
        elif isinstance(value, list):
            items = []
            for item in value:
                item_node, cursor = node(item, at, cursor, level + 1)
                items.append(item_node)
            made = SequenceNode(_TAG + "seq", items, mark(*at), mark(*at))
        else:
            tag, shown = _scalar(value)
            style = None
            where = at
            if isinstance(value, str):
                for quote in ('"', "'"):
                    needle = json.dumps(value) if quote == '"' else f"'{value}'"
                    moved, found = place(needle, cursor)
                    if found is not None:
                        cursor, style, where = moved, quote, found
                        break
            elif not isinstance(value, dt.date | dt.time):
                moved, found = place(shown, cursor)
                if found is not None:
                    cursor, where = moved, found
            made = ScalarNode(tag, shown, mark(*where), mark(*where), style=style)
        values[id(made)] = value
        return made, cursor

    top: list[tuple[Node, Node]] = []
    for name, item in data.items():
        at = keys.get(name, (0, 0))
        name_node = ScalarNode(_TAG + "str", name, mark(*at), mark(*at))
        values[id(name_node)] = name
        row, column = at
        after = starts[row] + column + len(name) if row < len(lines) else 0
        value_node, _ = node(item, _value_spot(lines, at), after, 1)
        top.append((name_node, value_node))
    root = MappingNode(_TAG + "map", top, mark(0, 0), mark(0, 0))
    values[id(root)] = data
    return root, values


def _value_spot(lines: list[str], at: tuple[int, int]) -> tuple[int, int]:
    """Where a key's value starts: after the `=` or `:` that follows it on its line."""
    line, column = at
    if line >= len(lines):
        return at
    text = lines[line]
    match = re.compile(r"[^=:]*[=:][ \t]*").match(text, column)
    if match is None or match.end() >= len(text.rstrip()):
        return at
    return line, match.end()


def _scalar(value: object) -> tuple[str, str]:
    """The YAML tag and written form of a TOML/JSON scalar, as the readers' messages show it."""
    if isinstance(value, bool):
        return _TAG + "bool", "true" if value else "false"
    if value is None:
        return _TAG + "null", "null"
    if isinstance(value, int):
        return _TAG + "int", str(value)
    if isinstance(value, float):
        return _TAG + "float", repr(value)
    if isinstance(value, dt.date | dt.time):
        return _TAG + "timestamp", value.isoformat()
    return _TAG + "str", str(value)

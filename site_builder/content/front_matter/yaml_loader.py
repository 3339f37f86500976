"""A strict, safe YAML loader for front matter.

PyYAML's `SafeLoader` already refuses Python tags; on top of it this loader refuses anchors and
aliases (no alias bombs), duplicate keys, and keeps timestamps as text so that dates are parsed by
`dates.py` with the site's timezone and an error at the right line. Every failure is a
`YamlProblem` carrying the 0-based line and column inside the YAML text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass(frozen=True, slots=True)
class YamlProblem(Exception):
    """A problem in the YAML text at a 0-based (line, column)."""

    code: str
    message: str
    line: int
    column: int
    first_line: int | None = None


MAX_DEPTH = 50


class StrictSafeLoader(yaml.SafeLoader):
    """SafeLoader without anchors/aliases, nested at most `MAX_DEPTH` levels (deeper input
    would exhaust Python's recursion limit), and with timestamps left as strings."""

    _depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        aliased = isinstance(event, AliasEvent)
        anchored = (
            isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None
        )
        mark = event.start_mark
        line, column = (mark.line, mark.column) if mark is not None else (0, 0)
        if aliased or anchored:
            raise YamlProblem("FM006", "YAML anchors/aliases not allowed", line, column)
        if self._depth >= MAX_DEPTH:
            raise YamlProblem(
                "FM003", f"YAML nested more than {MAX_DEPTH} levels deep", line, column
            )
        self._depth += 1
        try:
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


def _construct_timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


StrictSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def compose(text: str) -> Node | None:
    """The YAML node tree of `text`, or None for an empty document; raises `YamlProblem`.

    libyaml composes (fast); an alias shows up there as a node seen twice, which is refused.
    Any problem is reported by the pure-Python composer, whose messages are PyYAML's own.
    """
    if _CLoader is not None:
        try:
            loader = _CLoader(text)
            try:
                node: Node | None = loader.get_single_node()
            finally:
                loader.dispose()
        except yaml.YAMLError:
            return _compose_strict(text)
        _refuse_aliases(node)
        return node
    return _compose_strict(text)


class _CStrictLoader(yaml.CSafeLoader):
    """libyaml's composer with our resolver rules (timestamps stay text)."""


_CLoader: type | None = _CStrictLoader if getattr(yaml, "__with_libyaml__", False) else None


def _refuse_aliases(node: Node | None) -> None:
    """FM006 at the anchor of the first node that appears twice (an alias to it)."""
    if node is None:
        return
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            mark = current.start_mark
            raise YamlProblem("FM006", "YAML anchors/aliases not allowed", mark.line, mark.column)
        seen.add(id(current))
        if isinstance(current, SequenceNode):
            stack.extend(reversed(current.value))
        elif isinstance(current, MappingNode):
            for key, value in reversed(current.value):
                stack.extend((value, key))


def _compose_strict(text: str) -> Node | None:
    try:
        loader = StrictSafeLoader(text)
    except yaml.reader.ReaderError as error:
        raise _reader_problem(text, error) from None
    try:
        return loader.get_single_node()
    except YamlProblem:
        raise
    except yaml.reader.ReaderError as error:
        raise _reader_problem(text, error) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line, mark.column) if mark else (0, 0)
        message = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            message = f"{error.context}: {error.problem}"
        raise YamlProblem("FM003", f"YAML syntax error: {message}", line, column) from None
    except yaml.YAMLError as error:
        raise YamlProblem("FM003", f"YAML error: {error}", 0, 0) from None
    finally:
        loader.dispose()


def _reader_problem(text: str, error: yaml.reader.ReaderError) -> YamlProblem:
    position = max(0, min(error.position, len(text)))
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    character = error.character
    shown = f"#x{ord(character):04x}" if isinstance(character, str) else repr(character)
    return YamlProblem("FM003", f"YAML does not allow the control character {shown}", line, column)


def check_duplicate_keys(node: MappingNode) -> None:
    """Raise FM005 for the second occurrence of a key in a mapping (recursively).

    The problem's `first_line` is the 0-based line of the first occurrence.
    """
    seen: dict[object, int] = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode):
            key = key_node.value
            if key in seen:
                mark = key_node.start_mark
                raise YamlProblem(
                    "FM005", f"duplicate key '{key}'", mark.line, mark.column, seen[key]
                )
            seen[key] = key_node.start_mark.line
        for child in (key_node, value_node):
            if isinstance(child, MappingNode):
                check_duplicate_keys(child)
            elif isinstance(child, SequenceNode):
                for item in child.value:
                    if isinstance(item, MappingNode):
                        check_duplicate_keys(item)


def construct(node: Node) -> Any:
    """The Python value of a node; unsupported tags raise FM003 at the node."""
    loader = StrictSafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as error:
        mark = error.problem_mark or node.start_mark
        tag = getattr(node, "tag", "")
        problem = error.problem or "cannot construct value"
        if "could not determine a constructor" in problem:
            problem = f"unsupported YAML tag '{tag}'"
            found = _find_unsupported_tag(node)
            if found is not None:
                problem = f"unsupported YAML tag '{found.tag}'"
                mark = found.start_mark
        raise YamlProblem("FM003", problem, mark.line, mark.column) from None
    except (ValueError, TypeError, OverflowError) as error:
        mark = node.start_mark
        raise YamlProblem("FM003", f"invalid value: {error}", mark.line, mark.column) from None
    finally:
        loader.dispose()


def _find_unsupported_tag(node: Node) -> Node | None:
    if node.tag not in StrictSafeLoader.yaml_constructors:
        return node
    children: list[Node] = []
    if isinstance(node, SequenceNode):
        children = list(node.value)
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            children += [key, value]
    for child in children:
        found = _find_unsupported_tag(child)
        if found is not None:
            return found
    return None

"""What a code block plainly is, when its label says otherwise or says nothing.

`wrong_language(code)`: a block labelled `dockerfile` whose text is plainly a compose file or
other YAML, JSON, or a shell session; it gets one diagnostic naming the label that fits, not a
Dockerfile error per line. `looks_like_dockerfile(code)`: an unlabelled block whose first line
(after comments) is `FROM <image>` and whose other lines are instructions. Both are cautious: a
guess needs every significant line to agree, so a real Dockerfile is never taken for another
language, and they read at most the first `_LINES` lines (a long block costs no more).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_LINES = 200
_INSTRUCTIONS = frozenset(
    {"ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL"}
    | {"MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
_INSTRUCTION_RE = re.compile(r"\s*([A-Za-z]+)(?:\s|$)")
_YAML_KEY_RE = re.compile(r"""(?:[\w.-]+|"[^"]*"|'[^']*'):(?:\s|$)""")
_YAML_ITEM_RE = re.compile(r"\s*-(?:\s|$)")
_JSON_LINE_RE = re.compile(r"""\s*(?:"[^"]*"\s*:|[\]\[{},]|"[^"]*",?$)""")
_COMPOSE_KEYS = frozenset({"services", "version", "volumes", "networks", "configs", "secrets"})
_PROMPT_RE = re.compile(r"\s*(?:\([\w.-]+\)\s*)?(?:[\w.-]+@[\w.-]+(?::[^$#\s]*)?\s*)?[$%] \S")
_COMMAND_RE = re.compile(r"\s*(?:sudo\s+)?(?:docker|podman|docker-compose|buildah|nerdctl)\s+\S")


@dataclass(frozen=True, slots=True)
class Guess:
    """What a block looks like (`"a compose file (YAML)"`) and the label it should have."""

    looks_like: str
    label: str


def _significant(code: str) -> list[str]:
    lines = code.split("\n", _LINES)[:_LINES]
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _is_instruction(line: str) -> bool:
    match = _INSTRUCTION_RE.match(line)
    return match is not None and match.group(1).upper() in _INSTRUCTIONS


def wrong_language(code: str) -> Guess | None:
    """What a block labelled `dockerfile` plainly is instead, or None if it may be a Dockerfile."""
    lines = _significant(code)
    if not lines:
        return None
    first = lines[0]
    if first.lstrip().startswith(("{", "[")):
        return _json(code, lines)
    if _PROMPT_RE.match(first):
        return Guess("a shell session (commands after a `$` prompt)", "console")
    if _COMMAND_RE.match(first) and not any(_is_instruction(line) for line in lines):
        return Guess("shell commands", "sh")
    if _YAML_KEY_RE.match(first) and first == first.lstrip():
        return _yaml(lines)
    return None


def _json(code: str, lines: list[str]) -> Guess | None:
    try:
        json.loads(code)
    except ValueError:
        # JSON with a mistake, or cut short: most lines are `"key": value` or brackets
        shaped = sum(1 for line in lines if _JSON_LINE_RE.match(line))
        if shaped * 10 < len(lines) * 8 or len(lines) < 2:
            return None
    return Guess("JSON", "json")


def _yaml_line(line: str) -> bool:
    return _YAML_KEY_RE.match(line) is not None or _YAML_ITEM_RE.match(line) is not None


def _yaml(lines: list[str]) -> Guess | None:
    if any(_is_instruction(line) for line in lines):
        return None
    top = [line for line in lines if line == line.lstrip()]
    if not all(_YAML_KEY_RE.match(line) or _YAML_ITEM_RE.match(line) for line in top):
        return None
    nested = [line for line in lines if line != line.lstrip()]
    shaped = sum(1 for line in nested if _yaml_line(line.lstrip()))
    if shaped * 10 < len(nested) * 8:
        return None
    keys = {line.split(":", 1)[0].strip("\"'") for line in top}
    if keys & _COMPOSE_KEYS and ("services" in keys or len(keys & _COMPOSE_KEYS) >= 2):
        return Guess("a compose file (YAML)", "yaml")
    return Guess("YAML", "yaml")


def looks_like_dockerfile(code: str) -> bool:
    """An unlabelled block that is plainly a Dockerfile: `FROM <image>` first, then instructions
    (continuation lines of an instruction and comments may come between)."""
    lines = _significant(code)
    if len(lines) < 2 or not re.match(r"FROM\s+[\w${][^\s]*(\s+AS\s+\S+)?\s*$", lines[0], re.I):
        return False
    if not lines[0].startswith("FROM"):
        return False
    later = [line for line in lines[1:] if line == line.lstrip()]  # continuations are indented
    return bool(later) and all(
        _is_instruction(line) and line.split(None, 1)[0].isupper() for line in later
    )

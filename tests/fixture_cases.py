"""Fixture files in the markdown-it-py style: title, `.`, input, `.`, expected, `.`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Case:
    title: str
    input: str
    expected: str
    line: int


def read_cases(name: str) -> list[Case]:
    """Cases of `tests/fixtures/<name>`; blocks are separated by lines holding a single '.'."""
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title, start = lines[index], index + 1
        assert lines[index + 1] == ".", f"{name}:{index + 2}: expected '.' after the title"
        index += 2
        parts: list[list[str]] = [[], []]
        for part in parts:
            while lines[index] != ".":
                part.append(lines[index])
                index += 1
            index += 1
        cases.append(Case(title, "\n".join(parts[0]) + "\n", "\n".join(parts[1]), start))
    return cases

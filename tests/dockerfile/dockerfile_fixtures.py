"""Loader for the fixture files in `fixtures/`, written like markdown-it-py's:

    title
    .
    <Dockerfile text>
    .
    <expected diagnostics, one `line:col: severity CODE: message` per line>
    .

Cases are separated by blank lines; a Dockerfile line may end in `\\r` (kept as is).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Case:
    file: str
    line: int
    title: str
    text: str
    expected: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


def load(name: str) -> list[Case]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title, start = lines[i], i + 1
        if lines[i + 1] != ".":
            raise ValueError(f"{name}:{start}: expected '.' after the title")
        j = i + 2
        while lines[j] != ".":
            j += 1
        k = j + 1
        while lines[k] != ".":
            k += 1
        text = "".join(line + "\n" for line in lines[i + 2 : j])
        cases.append(Case(name, start, title, text, tuple(lines[j + 1 : k])))
        i = k + 1
    return cases


def all_cases() -> list[Case]:
    return [
        case
        for name in ("syntax.txt", "checks.txt", "hints.txt", "clean.txt")
        for case in load(name)
    ]

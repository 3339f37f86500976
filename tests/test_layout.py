"""The package's layout is the pipeline: stage folders in order, no import loops, small modules.

Read from the code's own imports, inside functions too (`TYPE_CHECKING` imports aside, since
they never run): a stage may import only the stages below it in `STAGES`, never another stage's
`_private` names, and no two modules may import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "site_builder"

# Bottom to top: each stage imports only stages before it in this list. The package's own
# top-level modules are split in two: shared bottom modules, and the entry points on top.
STAGES = [
    "(base)",
    "diagnostics",
    "config",
    "dockerfile",
    "markup",
    "content",
    "render",
    "checks",
    "publish",
    "cache",
    "pipeline",
    "serve",
    "cli",
    "(entry)",
]
BASE_MODULES = {"version", "records", "fingerprint"}
ENTRY_MODULES = {"__init__", "__main__"}
MAX_TOP_LEVEL = 5
MAX_LINES = 400


@dataclass(frozen=True)
class Import:
    source: str  # dotted module name of the importing file
    target: str  # dotted module name imported (a module, not a name inside it)
    names: tuple[str, ...]  # names taken from `target` (empty for `import target`)
    line: int


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "(entry)"
    if len(parts) == 2 and not (PACKAGE / parts[1]).is_dir():
        return "(base)" if parts[1] in BASE_MODULES else "(entry)"
    return parts[1]


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) in {
            "TYPE_CHECKING",
            "typing.TYPE_CHECKING",
        }:
            for inner in node.body:
                skipped.update(id(n) for n in ast.walk(inner))
    return skipped


def imports_of(module: str) -> Iterator[Import]:
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "site_builder":
                    yield Import(module, alias.name, (), node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "site_builder":
                continue
            plain: list[str] = []
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:  # `from package import module`
                    yield Import(module, f"{target}.{alias.name}", (), node.lineno)
                else:
                    plain.append(alias.name)
            if plain:
                yield Import(module, target, tuple(plain), node.lineno)


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def test_every_import_names_a_module_of_the_package() -> None:
    unknown = [f"{i.source}:{i.line} -> {i.target}" for i in ALL_IMPORTS if i.target not in MODULES]
    assert unknown == []


def test_at_most_five_modules_at_the_top_level() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL, top
    assert {p.removesuffix(".py") for p in top} <= BASE_MODULES | ENTRY_MODULES


def test_every_module_is_in_a_known_stage() -> None:
    assert sorted({stage_of(m) for m in MODULES} - set(STAGES)) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_400_lines(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines"


def test_stages_import_only_the_stages_below_them() -> None:
    upward = [
        f"{i.source}:{i.line} ({stage_of(i.source)}) -> {i.target} ({stage_of(i.target)})"
        for i in ALL_IMPORTS
        if STAGES.index(stage_of(i.target)) > STAGES.index(stage_of(i.source))
    ]
    assert upward == []


def test_no_stage_reaches_into_another_stages_private_names() -> None:
    private: list[str] = []
    for module in MODULES:
        tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
        foreign_modules: set[str] = set()
        for i in imports_of(module):
            if stage_of(i.target) == stage_of(module):
                continue
            private += [
                f"{module}:{i.line} -> {i.target}.{n}"
                for n in i.names
                if n.startswith("_") and not n.startswith("__")
            ]
            if not i.names:
                foreign_modules.add(i.target.rpartition(".")[2])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in foreign_modules
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                private.append(f"{module}:{node.lineno} -> {node.value.id}.{node.attr}")
    assert private == []


def _loops(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan), and self-loops."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in edges.get(node, ()):
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_two_modules_import_each_other() -> None:
    edges: dict[str, set[str]] = {}
    for i in ALL_IMPORTS:
        if i.source != i.target:
            edges.setdefault(i.source, set()).add(i.target)
    assert _loops(edges) == []


def test_no_two_stages_import_each_other() -> None:
    edges: dict[str, set[str]] = {}
    for i in ALL_IMPORTS:
        source, target = stage_of(i.source), stage_of(i.target)
        if source != target:
            edges.setdefault(source, set()).add(target)
    assert _loops(edges) == []


def test_the_layout_test_sees_a_loop_and_an_upward_import() -> None:
    assert _loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert STAGES.index(stage_of("site_builder.cli.main")) > STAGES.index(
        stage_of("site_builder.pipeline.phases")
    )
    assert stage_of("site_builder.version") == "(base)"
    assert stage_of("site_builder") == "(entry)"

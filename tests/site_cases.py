"""Whole tiny sites as fixture cases, in the markdown-it-py style of `fixture_cases`.

A case's input lists the site's files, each under a `-- path --` line (Hugo's txtar); its
expected part lists outputs, each under a `== selector ==` line:

    == tags/docker/atom.xml ==         the whole file
    == posts/hello/index.html head ==  the head's title, meta, canonical/alternate links, JSON-LD
    == posts/hello/index.html main ==  the page's <main> element
    == files ==                        every generated file (static copies aside), sorted
    == diagnostics ==                  every diagnostic, formatted (else: there must be no error;
                                       warnings are the content checks', tested on their own)

Set UPDATE_FIXTURES=1 to rewrite the expected parts from what the build gives now; review the
diff, as for the golden site.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from conftest import write_site
from fixture_cases import FIXTURES, Case, read_cases

from site_builder.pipeline.phases import load

_FILE = re.compile(r"^-- (.+) --$")
_OUTPUT = re.compile(r"^== (.+?)(?: (head|main))? ==$")
_HEAD_LINE = re.compile(r'^<(title|meta (name|property)=|link rel="(canonical|alternate)")')
UPDATE = os.environ.get("UPDATE_FIXTURES") == "1"


def site_files(case: Case) -> dict[str, str]:
    """The `-- path --` files of a case's input."""
    files: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in case.input.rstrip("\n").split("\n"):
        match = _FILE.match(line)
        if match:
            current = files.setdefault(match[1], [])
        else:
            assert current is not None, f"line {case.line}: a case starts with '-- path --'"
            current.append(line)
    return {path: "\n".join(lines) + "\n" for path, lines in files.items()}


def selectors(case: Case) -> list[str]:
    return [line for line in case.expected.split("\n") if _OUTPUT.match(line)]


def select(selector: str, files: Mapping[str, bytes], diagnostics: list[str]) -> str:
    """What one `== selector ==` line of a case stands for, in the built site."""
    match = _OUTPUT.match(selector)
    assert match, selector
    name, part = match[1], match[2]
    if name == "diagnostics":
        return "\n".join(diagnostics)
    if name == "files":
        return "\n".join(sorted(p for p in files if not p.startswith("static/")))
    assert name in files, f"{name} is not an output file: {sorted(files)}"
    text = files[name].decode("utf-8")
    if part == "head":
        head = text[: text.index("</head>")]
        lines = [line for line in head.split("\n") if _HEAD_LINE.match(line)]
        if '<script type="application/ld+json">' in head:
            script = head.split('<script type="application/ld+json">', 1)[1]
            lines.append(script.split("</script>", 1)[0].strip())
        return "\n".join(lines)
    if part == "main":
        return text[text.index("<main") : text.index("</main>") + len("</main>")]
    return text.rstrip("\n")


def built(case: Case, root: Path) -> str:
    """The case's expected part as the build gives it now."""
    result = load(write_site(root, site_files(case)))
    diagnostics = [d.format() for d in result.diagnostics]
    files = result.rendered.files if result.rendered is not None else {}
    wanted = selectors(case)
    if "== diagnostics ==" not in wanted:
        errors = [d.format() for d in result.diagnostics if d.severity.value == "error"]
        assert errors == [], errors
    return "\n".join(f"{s}\n{select(s, files, diagnostics)}" for s in wanted)


def site_cases(name: str) -> list[Case]:
    return read_cases(f"render/{name}")


def update(name: str, case: Case, got: str) -> None:
    """Rewrite `case`'s expected part in `tests/fixtures/render/<name>` (UPDATE_FIXTURES=1)."""
    path = FIXTURES / "render" / name
    text = path.read_text(encoding="utf-8")
    old = f"\n.\n{case.input}.\n{case.expected}\n.\n"
    assert text.count(old) == 1, f"{case.title}: cannot find the case to update"
    path.write_text(text.replace(old, f"\n.\n{case.input}.\n{got}\n.\n"), encoding="utf-8")

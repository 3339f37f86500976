"""Differential test against BuildKit: its own Go code (the oracle) and our checker, file by file.

`gen_edge.py` (368 one-feature cases), five `gen_fuzz.py` seeds of 500 files and the cases of
`HANDWRITTEN` (ONBUILD triggers, heredoc positions, non-UTF-8 bytes) are written to a temporary
folder, the oracle runs once on all of them, and for every file we compare
(a) accept/reject (BuildKit rejects when `build_error` is set, we when we report any error),
(b) the AST dump on every file BuildKit parses, non-UTF-8 files included, and
(c) the build-check warnings, by rule and line, on the files both accept.
Any disagreement not in `KNOWN` fails the test; the lint agreement rate must be at least 97%.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SHARED, require_shared

from site_builder.dockerfile import check_dockerfile, dump, parse
from site_builder.dockerfile.cli import _read
from site_builder.dockerfile.codes import CODES

ORACLE_DIR = SHARED / "conformance" / "buildkit-oracle"
require_shared(ORACLE_DIR / "oracle", module=True)

FUZZ_SEEDS = (1, 2, 3, 4, 5)
FUZZ_FILES = 500
LINT_AGREEMENT = 0.97
CHECK_RULES = frozenset(code for code, entry in CODES.items() if entry.layer == "check")
# Rules the oracle can report but that need the real base image or build context.
OUT_OF_REACH = frozenset({"InvalidBaseImagePlatform", "CopyIgnoredFile"})

# Known differences: (corpus, file name) -> (aspect, reason); every other disagreement fails.
KNOWN: dict[tuple[str, str], tuple[str, str]] = {
    # BuildKit slips, where we keep the right answer:
    ("edge", "134.Dockerfile"): (
        "verdict",
        "a line over 64 KiB: BuildKit's scanner reports the line before it, we the long line",
    ),
    # Not done yet, so the gap is visible here rather than hidden by a lower bar:
    ("cases", "lone-backslash-then-unknown.Dockerfile"): (
        "verdict",
        "an instruction-layer error (unknown instruction) in an instruction that starts with a "
        "lone `\\` line: BuildKit reports that line, we the keyword's (parse errors agree)",
    ),
}

_ONBUILD = b"FROM alpine:3.19 AS a\n"
# Cases the generators do not make, one file each (bytes: some are not UTF-8).
HANDWRITTEN: dict[str, bytes] = {
    "onbuild-flag": _ONBUILD + b"ONBUILD COPY --nope a b\nFROM a\n",
    "onbuild-mount": _ONBUILD + b"ONBUILD RUN --mount=type=cache true\nFROM a\n",
    "onbuild-chmod-twice": _ONBUILD
    + b"ONBUILD COPY --chmod=u+q a b\nFROM a AS b\nONBUILD COPY --chmod=u+q a b\nFROM b\n",
    "onbuild-unreached": _ONBUILD + b"ONBUILD COPY --nope a b\nFROM a AS b\nFROM alpine\n",
    "onbuild-reached-by-copy": _ONBUILD
    + b"ONBUILD COPY --nope a b\nFROM a AS b\nFROM alpine\nCOPY --from=b / /\n",
    "onbuild-from-later": _ONBUILD
    + b"ONBUILD COPY --from=c x y\nFROM a AS b\nFROM alpine AS c\nCOPY --from=b / /\n",
    "onbuild-from-self": _ONBUILD + b"ONBUILD COPY --from=b a b\nFROM a AS b\n",
    "onbuild-unknown": _ONBUILD + b"ONBUILD FOO bar\nFROM \\\n a\n",
    "onbuild-expand": _ONBUILD + b"ONBUILD ENV X=${Y:?need}\nONBUILD VOLUME $V\nFROM a\n",
    "onbuild-lint": _ONBUILD
    + b"ONBUILD WORKDIR rel\nONBUILD USER $W\nONBUILD ENV k v\nONBUILD CMD echo\nFROM a\n",
    "onbuild-state": _ONBUILD
    + b"ONBUILD ENV X=1\nONBUILD WORKDIR /x\nFROM a\nENV Y=$X\nWORKDIR rel\n",
    "onbuild-heredoc": _ONBUILD + b"ONBUILD RUN <<EOF\necho hi\nEOF\nFROM a\n",
    "onbuild-escape": b"# escape=`\n" + _ONBUILD + b"ONBUILD RUN echo `\n hi\nFROM a\n",
    "lone-backslash-heredoc": b"FROM alpine:3.19\n\\\nRUN <<Q a\nENV\n",
    "lone-backslashes-comment-heredoc": b"FROM alpine:3.19\n\\\n\\\n# c\nRUN <<Q\nx\n",
    "continued-heredoc": b"FROM alpine:3.19\nRUN \\\n <<Q a\nx\n",
    "lone-backslash-json": b'FROM alpine:3.19\n\\\nRUN ["a", 1]\n',
    "lone-backslash-then-unknown": b"FROM alpine:3.19\n\\\nFOO bar\n",
    "latin1-comment": b"FROM alpine:3.19\n# caf\xe9\nRUN echo caf\xe9\n",
    "latin1-words": b'FROM alpine:3.19\nENV A=\xe9 B="x\xe9"\nARG C=\xe9\nCOPY --chown=\xe9 a b\n'
    b'CMD ["\xe9"]\nLABEL k=v\xe9\nHEALTHCHECK CMD ["\xe9"]\nUSER \xe9\nVOLUME /a\xe9 /b\n'
    b"ONBUILD ENV X=\xe9\n",
    "latin1-port": b"FROM alpine:3.19\nEXPOSE 8\xe9\n",
    "latin1-long-line": b"FROM alpine:3.19\nRUN echo " + b"\xe9" * 30000 + b"\n",
}


@dataclass(frozen=True)
class Verdict:
    """What one side says about one file."""

    rejects: bool
    lines: frozenset[int]  # BuildKit: the line it stops on (0: the file as a whole); we: all
    ast: str | None  # None: the parser failed
    lint: frozenset[tuple[str, int]]


def _generate(root: Path) -> dict[str, list[Path]]:
    corpora: dict[str, list[Path]] = {}
    runs = [("edge", ["gen_edge.py"], [])] + [
        (f"fuzz{seed}", ["gen_fuzz.py"], [str(seed), str(FUZZ_FILES)]) for seed in FUZZ_SEEDS
    ]
    for name, script, extra in runs:
        out = root / name
        subprocess.run(
            [sys.executable, *script, str(out), *extra],
            cwd=ORACLE_DIR,
            check=True,
            capture_output=True,
            timeout=120,
        )
        corpora[name] = sorted(p for p in out.iterdir() if p.name.endswith("Dockerfile"))
    cases = root / "cases"
    cases.mkdir()
    for name, data in HANDWRITTEN.items():
        (cases / f"{name}.Dockerfile").write_bytes(data)
    corpora["cases"] = sorted(cases.iterdir())
    return corpora


def _oracle(paths: list[Path]) -> dict[Path, Verdict]:
    listing = "".join(f"{p}\n" for p in paths)
    run = subprocess.run(
        [str(ORACLE_DIR / "oracle"), "-"],
        input=listing.encode(),
        capture_output=True,
        check=True,
        timeout=300,
    )
    verdicts: dict[Path, Verdict] = {}
    for raw in run.stdout.decode("utf-8", "replace").splitlines():
        row = json.loads(raw)
        error = row["build_error"]
        ast = None if row["parse_error"] else (row["ast"] or "").strip()
        lint = frozenset(
            (w["rule"], w["line"]) for w in row["lint"] or () if w["rule"] not in OUT_OF_REACH
        )
        lines = frozenset([error["line"]] if error else [])
        verdicts[Path(row["path"])] = Verdict(error is not None, lines, ast, lint)
    return verdicts


def _instruction_line(starts: list[tuple[int, int]], line: int) -> int:
    """BuildKit puts an instruction's error at its first line; we at the word at fault."""
    for first, last in starts:
        if first <= line <= last:
            return first
    return line


def _ours(path: Path) -> Verdict:
    text, problem = _read(str(path), sys.stdin)  # as `build-site dockerfile` reads it
    assert text is not None, problem
    report = check_dockerfile(text, path="", hints=False)
    errors = [d for d in report.diagnostics if d.severity.name == "ERROR"]
    result = parse(text)
    parsed = not any(d.severity.name == "ERROR" for d in result.diagnostics)
    lint = frozenset((d.code, d.line) for d in report.diagnostics if d.code in CHECK_RULES)
    starts = [(node.line, node.end_line) for node in result.root.children]
    lines = frozenset(_instruction_line(starts, d.line) for d in errors)
    return Verdict(bool(errors), lines, dump(result).strip() if parsed else None, lint)


def _says(verdict: Verdict) -> str:
    if not verdict.rejects:
        return "accept"
    return "reject at line " + ",".join(map(str, sorted(verdict.lines)))


@dataclass
class Tally:
    files: int = 0
    verdict_agree: int = 0
    parsed: int = 0
    ast_agree: int = 0
    lint_total: int = 0
    lint_agree: int = 0

    def line(self, name: str) -> str:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:.1f}%" if b else "-"

        return (
            f"{name}: accept/reject {self.verdict_agree}/{self.files} "
            f"({pct(self.verdict_agree, self.files)}), AST {self.ast_agree}/{self.parsed} "
            f"({pct(self.ast_agree, self.parsed)}), lint {self.lint_agree}/{self.lint_total} "
            f"({pct(self.lint_agree, self.lint_total)})"
        )


def compare(root: Path) -> tuple[dict[str, Tally], list[str]]:
    """Per-corpus figures, and every disagreement not in `KNOWN`, as readable lines."""
    corpora = _generate(root)
    theirs = _oracle([p for paths in corpora.values() for p in paths])
    tallies: dict[str, Tally] = {}
    problems: list[str] = []
    for name, paths in corpora.items():
        tally = tallies[name] = Tally()
        for path in paths:
            bk, us = theirs[path], _ours(path)
            known = KNOWN.get((name, path.name), ("", ""))[0]
            where = f"{name}/{path.name}"
            tally.files += 1
            # BuildKit stops at its first error, we report them all: its line must be one of ours.
            same = bk.rejects == us.rejects and bk.lines <= us.lines | {0}
            tally.verdict_agree += same
            if not same and known != "verdict":
                problems.append(f"{where}: BuildKit: {_says(bk)}; ours: {_says(us)}")
            if bk.ast is not None:
                tally.parsed += 1
                tally.ast_agree += bk.ast == us.ast
                if bk.ast != us.ast and known != "ast":
                    problems.append(f"{where}: AST differs")
            if not bk.rejects and not us.rejects:
                union = bk.lint | us.lint
                tally.lint_total += len(union)
                tally.lint_agree += len(bk.lint & us.lint)
                if bk.lint != us.lint and known != "lint":
                    problems.append(
                        f"{where}: lint only BuildKit {sorted(bk.lint - us.lint)}, "
                        f"only us {sorted(us.lint - bk.lint)}"
                    )
    return tallies, problems


@pytest.mark.timeout(300)
def test_we_agree_with_buildkit(tmp_path: Path) -> None:
    tallies, problems = compare(tmp_path)
    assert tallies["edge"].files >= 368
    assert all(tallies[f"fuzz{seed}"].files == FUZZ_FILES for seed in FUZZ_SEEDS)
    assert problems == [], "\n".join([*problems[:60], *(t.line(n) for n, t in tallies.items())])
    for name, tally in tallies.items():
        assert tally.lint_agree >= LINT_AGREEMENT * tally.lint_total, tally.line(name)


if __name__ == "__main__":  # figures for a commit message: python tests/dockerfile/test_...py DIR
    found, disagreements = compare(Path(sys.argv[1]))
    print("\n".join(disagreements))
    print("\n".join(t.line(n) for n, t in found.items()))

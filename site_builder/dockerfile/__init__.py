"""Our Dockerfile parser and checker: BuildKit's syntax, errors and build checks, plus size hints.

    parse(text) -> ParseResult           # never raises; .root, .diagnostics, .directives, .escape
    dump(result) -> str                  # BuildKit's parser-test dump, with the final newline
    check_dockerfile(text, path=..., hints=True) -> DockerfileReport

Codes: `DF…` build failures, BuildKit check names (`StageNameCasing`, …), `DH…` size hints;
see `codes.CODES` or `build-site dockerfile --list-rules`.
"""

from __future__ import annotations

from .api import DockerfileReport, check_dockerfile
from .dump import dump
from .nodes import ParseResult
from .parser import parse

__all__ = ["DockerfileReport", "ParseResult", "check_dockerfile", "dump", "parse"]

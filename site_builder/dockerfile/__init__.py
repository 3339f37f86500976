"""Our Dockerfile parser and checker: BuildKit's syntax, errors and build checks, plus size hints.

    parse(text) -> ParseResult           # never raises; .root, .diagnostics, .directives, .escape
    dump(result) -> str                  # BuildKit's parser-test dump, with the final newline
    check_dockerfile(text, path=..., hints=True) -> DockerfileReport

Codes: `DF…` build failures, BuildKit check names (`StageNameCasing`, …), `DH…` size hints;
see `codes.CODES` or `build-site dockerfile --list-rules`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# `dump` is both a submodule and a function: bind the function now, or the import system would
# set the package's `dump` to the submodule the first time it is loaded.
from .dump import dump

if TYPE_CHECKING:
    from .api import DockerfileReport, check_dockerfile
    from .nodes import ParseResult
    from .parser import parse

__all__ = ["DockerfileReport", "ParseResult", "check_dockerfile", "dump", "parse"]

_WHERE = {
    "DockerfileReport": "api",
    "check_dockerfile": "api",
    "ParseResult": "nodes",
    "parse": "parser",
}


def __getattr__(name: str) -> Any:
    """Import the parser and checker on first use (`site_builder.dockerfile.hadolint` alone
    stays cheap to import)."""
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The Pygments lexer used for Dockerfile blocks: ours when the Dockerfile package has one."""

from __future__ import annotations

from pygments.lexer import Lexer
from pygments.lexers import DockerLexer


def lexer_class() -> type[Lexer]:
    """Our improved Dockerfile lexer if available, else Pygments' own."""
    try:
        from .dockerfile.pygments_lexer import DockerfileLexer
    except ImportError:
        return DockerLexer
    return DockerfileLexer

"""markdown-it-pyrs as an optional accelerator: the token stream markdown-it-py would make.

markdown-it-py is the engine and the reference. With the `fast` extra installed
(`pip install '.[fast]'`) and `[markdown] accelerate` on (the default), each body is first
parsed by its Rust port in one call, and the tree is turned into the very tokens markdown-it-py's
block and inline rules would give: the same types, tags, line maps, texts, markup, levels and
hidden paragraphs of tight lists. The core rules after them (admonitions, raw HTML, shortcodes,
task lists, heading ids, ...) then run on those tokens as on markdown-it-py's own.

It declines (`None`: markdown-it-py parses the body) wherever the two could differ: syntax our
own block and inline rules read (shortcodes and Liquid tags, footnotes, admonitions, containers,
alerts), raw HTML, tabs, carriage returns, NULs, and the block and inline cases
`accelerator_blocks` and `accelerator_inline` decline (unclosed fences, lazy lines in quotes,
tables in lists, deep nesting, non-ASCII link hosts, ...). `tests/markup/test_accelerator.py`
holds both engines to the same tokens, on hypothesis-made bodies and on every Markdown file of
the project; `tests/markup/test_accelerator_corpus.py` to the same pages on the bench corpus.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable
from typing import Any, BinaryIO

from markdown_it.token import Token

from .accelerator_blocks import blocks
from .accelerator_inline import Declined
from .accelerator_text import Context, Source

# Text our own rules stand on (shortcodes and Liquid tags, footnotes, inline footnotes, alerts,
# MkDocs admonitions, `:::` containers) and what markdown-it-py normalises its own way (tabs,
# CR, NUL): a body holding any is left to markdown-it-py. (One `in` per needle: a regular
# expression of these alternatives is ten times slower.)
_DECLINE = ("{{", "{%", "[^", "^[", "[!", "!!!", "???", ":::", "\t", "\r", "\0")


def _declined(body: str) -> bool:
    """Whether `body` holds one of `_DECLINE` (a `for` over them costs five times as much)."""
    return (
        "{{" in body or "{%" in body or "[^" in body or "^[" in body or "[!" in body
        or "!!!" in body or "???" in body or ":::" in body
        or "\t" in body or "\r" in body or "\0" in body
    )  # fmt: skip


def available() -> bool:
    """Whether markdown-it-pyrs is installed (the `fast` extra)."""
    return importlib.util.find_spec("markdown_it_pyrs") is not None


class Accelerator:
    """The port's parser, set up like ours: CommonMark with tables and strikethrough."""

    def __init__(self) -> None:
        import markdown_it_pyrs

        self._parser = markdown_it_pyrs.MarkdownIt("commonmark").enable_many(
            ["table", "strikethrough"]
        )
        self._quiet = _QuietPanics()

    def tokens(self, body: str) -> list[Token] | None:
        """markdown-it-py's tokens for `body` after its block and inline rules, or None
        where the port's could differ."""
        if _declined(body):
            return None
        source = Source(body)
        out: list[Token] = []
        try:
            tree = self._quiet.call(self._parser.tree, body)
            blocks(tree, source, Context(0, 0, 0, source.line_max), out)
        except Declined:
            return None
        return out


class _QuietPanics:
    """Calls into the port with the process's stderr caught, so that a panic of the port
    (markdown-it-pyrs 0.4 panics on an unclosed code span inside a link's brackets, ``[a `b``)
    declines the body instead of printing Rust's panic message. Whatever else reached stderr
    meanwhile (another thread's output) is passed on."""

    def __init__(self) -> None:
        self._sink: BinaryIO | None = None
        self._owner = 0  # the process the sink belongs to (workers are forked)

    def call(self, function: Callable[[str], Any], argument: str) -> Any:
        try:
            if self._sink is None or self._owner != os.getpid():
                self._sink, self._owner = tempfile.TemporaryFile(), os.getpid()  # noqa: SIM115
            sink = self._sink.fileno()
            saved = os.dup(2)
        except OSError:  # no stderr to guard, or no temporary folder: the call runs unguarded
            return self._declining_panics(function, argument)
        os.dup2(sink, 2)
        panicked = False
        try:
            return self._declining_panics(function, argument)
        except Declined:
            panicked = True  # what was caught is Rust's panic message
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if os.lseek(sink, 0, os.SEEK_END):
                self._pass_on(sink, panicked)

    @staticmethod
    def _declining_panics(function: Callable[[str], Any], argument: str) -> Any:
        try:
            return function(argument)
        except BaseException as error:  # pyo3's PanicException is not an Exception
            if type(error).__name__ != "PanicException":
                raise
            raise Declined("the port panicked") from None

    @staticmethod
    def _pass_on(sink: int, panicked: bool) -> None:
        if not panicked:
            os.lseek(sink, 0, os.SEEK_SET)
            while chunk := os.read(sink, 65536):
                os.write(2, chunk)
        os.ftruncate(sink, 0)
        os.lseek(sink, 0, os.SEEK_SET)

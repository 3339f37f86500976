"""Syntax highlighting at build time with Pygments, and the HTML of a code block.

Lexers are looked up once per language name and kept. Tokens become Pygments' CSS classes
(`highlight_css` writes the light and the dark stylesheet) through `format_lines`, a lean
formatter. Each line is wrapped in `<span class="line">`, so line numbers (a CSS counter) and
highlighted lines never end up in copied text. Unknown languages are rendered as escaped plain
code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from html import escape

from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, _TokenType
from pygments.util import ClassNotFound

from ..dockerfile.pygments_lexer import DockerfileLexer
from .fence_info import FenceInfo

ALIASES = {
    "containerfile": "docker",
    "dockerfile": "docker",
    "plaintext": "text",
    "plain": "text",
    "txt": "text",
    "none": "text",
    "shell": "bash",
    "terminal": "console",
    "jsonc": "json",
    "yml": "yaml",
}
DOCKERFILE_LANGUAGES = frozenset({"dockerfile", "docker", "containerfile"})


def canonical_language(language: str) -> str:
    """The lower-case language name, with our aliases applied (`Dockerfile` → `docker`)."""
    name = language.strip().lower()
    return ALIASES.get(name, name)


def is_dockerfile(language: str) -> bool:
    return language.strip().lower() in DOCKERFILE_LANGUAGES


@functools.lru_cache(maxsize=256)
def lexer_for(language: str) -> Lexer | None:
    """A shared lexer for a canonical language name, or None when Pygments has none."""
    if not language or language == "text":
        return None
    if language == "docker":
        return DockerfileLexer(stripnl=False, ensurenl=False)
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


@functools.lru_cache(maxsize=4096)
def highlight_lines(code: str, language: str) -> tuple[str, ...]:
    """The code as HTML lines (spans balanced per line), highlighted when possible.

    Memoised: a snippet repeated across posts (a series' Dockerfile, a common command) is
    lexed once per process. The result depends only on the arguments.
    """
    return tuple(_highlight_lines(code, language))


def _highlight_lines(code: str, language: str) -> list[str]:
    if code.endswith("\n"):
        code = code[:-1]
    lexer = lexer_for(canonical_language(language))
    if lexer is None:
        return [escape(line, quote=False) for line in code.split("\n")]
    # Line-based lexers (console, shell-session) drop a last line that has no newline.
    lines = format_lines(lexer.get_tokens(code + "\n"))
    if lines and not lines[-1]:
        lines.pop()
    return lines


def format_lines(tokens: Iterable[tuple[_TokenType, str]]) -> list[str]:
    """Tokens as HTML lines: Pygments' CSS classes, one span per run of a class, split at newlines.

    The same markup as Pygments' HtmlFormatter (`nowrap`), without its per-line machinery.
    """
    lines: list[str] = []
    parts: list[str] = []  # the current line's finished spans
    run_class = ""
    run: list[str] = []  # the texts of the current run of one class
    classes = _CLASSES
    for ttype, value in tokens:
        css = classes.get(ttype)
        if css is None:
            css = classes[ttype] = _ttype_class(ttype)
        # most tokens hold no newline: no split, one piece that extends the run or starts one
        pieces = value.split("\n") if "\n" in value else (value,)
        for index, piece in enumerate(pieces):
            if index:  # a newline: the run and the line end here
                if run:
                    parts.append(_span(run_class, run))
                    run = []
                lines.append("".join(parts))
                parts = []
            if piece:
                if css != run_class and run:
                    parts.append(_span(run_class, run))
                    run = []
                run_class = css
                run.append(piece)
    if run:
        parts.append(_span(run_class, run))
    lines.append("".join(parts))
    return lines


def _span(css: str, texts: list[str]) -> str:
    text = escape("".join(texts), quote=False)
    return f'<span class="{css}">{text}</span>' if css else text


_CLASSES: dict[_TokenType, str] = {}


def _ttype_class(ttype: _TokenType) -> str:
    """Pygments' short CSS class of a token type, e.g. `String.Double` → `s2` (as HtmlFormatter)."""
    name = STANDARD_TYPES.get(ttype)
    if name is not None:
        return name
    suffix = ""
    current: _TokenType | None = ttype
    while name is None and current is not None:
        suffix = current[-1] + suffix
        current = current.parent
        name = STANDARD_TYPES.get(current) if current is not None else ""
    return (name or "") + suffix


def code_block_html(code: str, info: FenceInfo, footer: str = "") -> str:
    """The full HTML of one fenced code block: optional title, the code, an optional footer."""
    lines = highlight_lines(code, info.language)
    rendered = []
    for number, line in enumerate(lines, start=info.linenostart):
        css = "line hll" if number in info.hl_lines else "line"
        rendered.append(f'<span class="{css}">{line}</span>')
    language = canonical_language(info.language)
    classes = ["code-block"]
    if info.linenos:
        classes.append("linenos")
    attrs = f' class="{" ".join(classes)}"'
    if language:
        attrs += f' data-lang="{escape(language)}"'
    if not info.copy:
        attrs += ' data-copy="false"'
    if info.linenos and info.linenostart != 1:
        attrs += f' style="counter-reset: line {info.linenostart - 1}"'
    title = f'<div class="code-title">{escape(info.title)}</div>' if info.title else ""
    code_class = f' class="language-{escape(language)}"' if language else ""
    return (
        f'<div{attrs}>{title}<pre class="highlight"><code{code_class}>'
        + "\n".join(rendered)
        + f"</code></pre>{footer}</div>\n"
    )

"""Syntax highlighting at build time with Pygments, and the HTML of a code block.

Lexers are looked up once per language name and kept; one formatter serves every block. Output
uses CSS classes (`stylesheet()` emits the light and the dark style). Each line is wrapped in
`<span class="line">`, so line numbers (a CSS counter) and highlighted lines never end up in
copied text. Unknown languages are rendered as escaped plain code.
"""

from __future__ import annotations

import functools
from html import escape

from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from .dockerfile.pygments_lexer import DockerfileLexer
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
_FORMATTER = HtmlFormatter(nowrap=True)


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


def highlight_lines(code: str, language: str) -> list[str]:
    """The code as a list of HTML lines (spans balanced per line), highlighted when possible."""
    if code.endswith("\n"):
        code = code[:-1]
    lexer = lexer_for(canonical_language(language))
    if lexer is None:
        return [escape(line, quote=False) for line in code.split("\n")]
    # Line-based lexers (console, shell-session) drop a last line that has no newline.
    html = pygments_highlight(code + "\n", lexer, _FORMATTER)
    if html.endswith("\n"):
        html = html[:-1]
    return html.split("\n")


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


def stylesheet(light: str, dark: str) -> str:
    """CSS for the light style, and the dark style under `prefers-color-scheme: dark`."""
    light_css: str = HtmlFormatter(style=light).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    dark_css: str = HtmlFormatter(style=dark).get_style_defs(".highlight")  # type: ignore[no-untyped-call]
    indented = "\n".join("  " + line for line in dark_css.splitlines())
    return f"{light_css}\n@media (prefers-color-scheme: dark) {{\n{indented}\n}}\n"

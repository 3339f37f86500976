"""Syntax highlighting at build time with Pygments, and the HTML of a code block.

Lexers are looked up once per language name and kept. Tokens become Pygments' CSS classes
(`highlight_css` writes the light and the dark stylesheet): Pygments' own `HtmlFormatter`
(`nowrap`) writes a block's markup, or `format_lines`, our formatter of the same markup, where
Pygments' would differ: a block with placeholders (a token type of ours), or a Pygments whose
formatter does not give `format_lines`' markup for a probe (checked once per process). Each
line is wrapped in `<span class="line">`, so line numbers (a CSS counter) and highlighted
lines never end up in copied text. Unknown languages are rendered as escaped plain
code. Placeholders (character ranges the Dockerfile check found) become
`<span class="placeholder">`, so the reader sees what to fill in.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from html import escape

from pygments import format as pygments_format
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.token import STANDARD_TYPES, Token, _TokenType
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


Ranges = tuple[tuple[int, int], ...]
PLACEHOLDER_CLASS = "placeholder"


@functools.lru_cache(maxsize=4096)
def highlight_lines(
    code: str, language: str, placeholders: Ranges = (), escape_char: str = "\\"
) -> tuple[str, ...]:
    """The code as HTML lines (spans balanced per line), highlighted when possible.

    Memoised: a snippet repeated across posts (a series' Dockerfile, a common command) is
    lexed once per process. The result depends only on the arguments.
    """
    if escape_char != "\\" and canonical_language(language) == "docker":
        # a later part of a Dockerfile whose first part set `# escape=`: read it the same way
        directive = f"# escape={escape_char}\n"
        moved = tuple((a + len(directive), b + len(directive)) for a, b in placeholders)
        return tuple(_highlight_lines(directive + code, language, moved)[1:])
    return tuple(_highlight_lines(code, language, placeholders))


def _highlight_lines(code: str, language: str, placeholders: Ranges) -> list[str]:
    if code.endswith("\n"):
        code = code[:-1]
    lexer = lexer_for(canonical_language(language))
    if lexer is None and not placeholders:
        return [escape(line, quote=False) for line in code.split("\n")]
    # Line-based lexers (console, shell-session) drop a last line that has no newline.
    tokens: Iterable[tuple[_TokenType, str]] = (
        lexer.get_tokens(code + "\n") if lexer is not None else [(Token.Text, code + "\n")]
    )
    if placeholders:
        lines = format_lines(_mark(tokens, placeholders))
    elif _use_pygments_formatter():
        lines = pygments_format(tokens, _FORMATTER).split("\n")
    else:
        lines = format_lines(tokens)
    if lines and not lines[-1]:
        lines.pop()
    return lines


_FORMATTER: HtmlFormatter[str] = HtmlFormatter(nowrap=True)
# what `format_lines` must agree with: escaping (quotes stay as they are), a type Pygments
# does not list (its parents' classes too), runs of one class, and lines that end in a span
_PROBE: tuple[tuple[_TokenType, str], ...] = (
    (Token.Keyword, "RUN"),
    (Token.Text, " "),
    (Token.Literal.String.Double, "\"<a href='x'>&amp;\""),
    (Token.Literal.String.Double, "two\nlines"),
    (Token.Literal.Scalar.Plain, "plain"),
    (Token.Text.Whitespace, "\n"),
    (Token.Comment, "# end"),
    (Token.Text, "\n"),
)


def formatter_agrees(formatter: HtmlFormatter[str]) -> bool:
    """Whether `formatter` writes `format_lines`' markup for the probe (Pygments 2.21's does; a
    version that escapes quotes as `&quot;` and `&#39;` does not)."""
    return str(pygments_format(_PROBE, formatter)).split("\n") == format_lines(_PROBE)


@functools.cache
def _use_pygments_formatter() -> bool:
    return formatter_agrees(_FORMATTER)


def _mark(
    tokens: Iterable[tuple[_TokenType, str]], ranges: Ranges
) -> Iterator[tuple[_TokenType, str]]:
    """The tokens with each placeholder's characters given the placeholder token type."""
    position = 0
    index = 0
    for ttype, value in tokens:
        end = position + len(value)
        while index < len(ranges) and ranges[index][1] <= position:
            index += 1
        if index >= len(ranges) or ranges[index][0] >= end:
            yield ttype, value
            position = end
            continue
        cut = position
        while cut < end:
            while index < len(ranges) and ranges[index][1] <= cut:
                index += 1
            if index < len(ranges) and ranges[index][0] <= cut:
                stop = min(end, ranges[index][1])
                yield PLACEHOLDER, value[cut - position : stop - position]
            else:
                stop = min(end, ranges[index][0]) if index < len(ranges) else end
                yield ttype, value[cut - position : stop - position]
            cut = stop
        position = end


def format_lines(tokens: Iterable[tuple[_TokenType, str]]) -> list[str]:
    """Tokens as HTML lines: Pygments' CSS classes, one span per run of a class, split at newlines.

    The same markup as Pygments' HtmlFormatter (`nowrap`), for the tokens that formatter
    cannot take: placeholders (it would write the class ` -Placeholder`), or all of them with a
    Pygments whose formatter escapes quotes. Pygments' is about a third faster.
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


PLACEHOLDER = Token.Placeholder
_CLASSES: dict[_TokenType, str] = {PLACEHOLDER: PLACEHOLDER_CLASS}


def _ttype_class(ttype: _TokenType) -> str:
    """Pygments' CSS classes of a token type, as HtmlFormatter writes them.

    A standard type has its short class (`String.Double` → `s2`). A type Pygments does not list
    (YAML's `Literal.Scalar.Plain`) also carries the classes of its parents up to the nearest
    standard one (`l l-Scalar l-Scalar-Plain`): the stylesheets only have rules for standard
    types, so without the parents such a token has no colour.
    """
    classes = [_short_class(ttype)]
    current: _TokenType | None = ttype
    while current is not None and current not in STANDARD_TYPES:
        current = current.parent
        if current is not None:
            classes.append(_short_class(current))
    return " ".join(name for name in reversed(classes) if name)


def _short_class(ttype: _TokenType) -> str:
    """One token type's own class: the standard short name, or the nearest standard ancestor's
    name followed by the rest of the type's path, joined with `-` (`l-Scalar-Plain`)."""
    name = STANDARD_TYPES.get(ttype)
    if name is not None:
        return name
    suffix: list[str] = []
    current: _TokenType | None = ttype
    while name is None and current is not None:
        suffix.insert(0, current[-1])
        current = current.parent
        name = STANDARD_TYPES.get(current) if current is not None else ""
    return "-".join([name or "", *suffix]) if name else "-".join(suffix)


LANGUAGE_LABELS = {
    "docker": "Dockerfile",
    "yaml": "YAML",
    "json": "JSON",
    "toml": "TOML",
    "ini": "INI",
    "html": "HTML",
    "css": "CSS",
    "xml": "XML",
    "sql": "SQL",
    "bash": "Shell",
    "sh": "Shell",
    "zsh": "Shell",
    "console": "Shell session",
    "shell-session": "Shell session",
    "powershell": "PowerShell",
    "pwsh-session": "PowerShell session",
    "text": "Text",
    "diff": "Diff",
    "make": "Makefile",
    "makefile": "Makefile",
    "js": "JavaScript",
    "javascript": "JavaScript",
    "ts": "TypeScript",
    "typescript": "TypeScript",
    "py": "Python",
    "python": "Python",
    "go": "Go",
    "rust": "Rust",
}


def language_label(language: str) -> str:
    """The name a reader knows a fence language by (`dockerfile` → "Dockerfile", `yml` →
    "YAML", `console` → "Shell session"); Pygments' name for the others; "" for none and for
    a language Pygments does not know (the name could be anything a writer typed)."""
    name = canonical_language(language)
    if not name:
        return ""
    label = LANGUAGE_LABELS.get(name)
    if label is not None:
        return label
    lexer = lexer_for(name)
    return str(lexer.name) if lexer is not None else ""


def code_block_html(
    code: str,
    info: FenceInfo,
    footer: str = "",
    placeholders: Ranges = (),
    escape_char: str = "\\",
    anchor: str = "",
    marked: tuple[tuple[int, str], ...] = (),
) -> str:
    """The full HTML of one fenced code block: a header row (the title or file name, the
    language label, and the place site.js puts the copy button in, so the button never covers
    code), the code, an optional footer.

    With an `anchor`, each line has the id `{anchor}-L{n}` (n counted from 1 in the block), so
    a note under the block can link to it; `marked` gives lines (counted the same way) a class,
    `flag-error` or `flag-hint`, that the theme marks in the margin.
    """
    lines = highlight_lines(code, info.language, placeholders, escape_char)
    flags = dict(marked)
    rendered = []
    for index, line in enumerate(lines, start=1):
        css = "line hll" if index - 1 + info.linenostart in info.hl_lines else "line"
        flag = flags.get(index)
        if flag:
            css += f" flag-{flag}"
        ident = f' id="{escape(anchor)}-L{index}"' if anchor else ""
        rendered.append(f'<span class="{css}"{ident}>{line}</span>')
    language = canonical_language(info.language)
    classes = ["code-block"]
    if info.linenos:
        classes.append("linenos")
    attrs = f' class="{" ".join(classes)}"'
    if anchor:
        attrs += f' id="{escape(anchor)}"'
    if language:
        attrs += f' data-lang="{escape(language)}"'
    if not info.copy:
        attrs += ' data-copy="false"'
    if info.linenos and info.linenostart != 1:
        attrs += f' style="counter-reset: line {info.linenostart - 1}"'
    caption = info.title or info.file
    label = language_label(info.language)
    title = ""
    if caption or label or info.copy:
        parts = f'<span class="code-caption">{escape(caption)}</span>' if caption else ""
        if label and label != caption:
            parts += f'<span class="code-lang">{escape(label)}</span>'
        title = f'<div class="code-title">{parts}</div>'
    code_class = f' class="language-{escape(language)}"' if language else ""
    return (
        f'<div{attrs}>{title}<pre class="highlight"><code{code_class}>'
        + "\n".join(rendered)
        + f"</code></pre>{footer}</div>\n"
    )

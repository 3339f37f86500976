"""The block shortcodes and Liquid tags: a tag on a line of its own that holds the lines after it.

- `{% highlight python linenos %}` … `{% endhighlight %}` and `{{< highlight go "linenos=table"
  >}}` … `{{< /highlight >}}`: a code block of that language (a `code_block` token, so the one
  code renderer highlights it and checks a Dockerfile at the post's own lines). Jekyll's
  `{% raw %}` tags inside it are removed, as Jekyll does. Never closed: it runs to the end of
  the post, as an unclosed fence does, with MD023.
- `details` (Hugo, Hextra, Docsy, dev.to): an opening and a closing marker around Markdown;
  `shortcode_pass` pairs them.
- `{% raw %}` … `{% endraw %}`: the lines between are Markdown, with every tag in them shown as
  written. `{% comment %}` … `{% endcomment %}` (and Hugo's `comment`): dropped, with MD022.

Finding the closing line of `raw` and `comment` remembers, per container end, from which line
on there is none, so many unclosed tags cost linear time.
"""

from __future__ import annotations

import re
from typing import Any

from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

from ..diagnostics.diagnostic import Severity
from .shortcode_catalog import Problem, comment_problem, resolve, unclosed_problem
from .shortcode_syntax import Tag, hugo_tag, liquid_tag

RAW = "_shortcode_raw"  # env flag: inside a raw block, no tag is read as a block
RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_LANGUAGE = re.compile(r"[\w#+.-]+")
_STYLE_OPTIONS = frozenset(
    {"style", "noclasses", "anchorlinenos", "lineanchors", "linenostep", "hl_inline"}
    | {"linenumbersintable", "tabwidth", "guesssyntax", "codefences"}
)
_HOLDERS = frozenset({"highlight", "raw", "comment", "details_open", "details_close"})


def line_tag(text: str) -> Tag | None:
    """The tag when `text` (one line, stripped) is exactly one tag, else None."""
    if text.startswith(("{{<", "{{%")) and not text.startswith(("{{</*", "{{%/*")):
        close = ">}}" if text[2] == "<" else "%}}"
        if text.endswith(close) and text.find(close) == len(text) - 3 and len(text) >= 6:
            return hugo_tag(text)
    elif text.startswith("{%") and text.endswith("%}") and text.find("%}") == len(text) - 2:
        return liquid_tag(text) if len(text) >= 4 else None
    return None


def block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4 or state.env.get(RAW):
        return False
    first = state.bMarks[start] + state.tShift[start]
    if state.src[first : first + 1] != "{":
        return False
    tag = line_tag(state.src[first : state.eMarks[start]].rstrip())
    if tag is None:
        return False
    kind = resolve(tag).kind
    if kind not in _HOLDERS:
        return False
    if kind == "highlight":
        return silent or _highlight(state, tag, start, end)
    if kind in ("raw", "comment"):
        closer = _closing_line(state, tag, start, end)
        if closer is None:
            return False  # a paragraph: the inline rule reports it unclosed
        return silent or _held(state, tag, kind, start, closer)
    if not silent:
        _details_marker(state, tag, kind, start)
    return True


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].strip()


def _closing_line(state: StateBlock, tag: Tag, start: int, end: int) -> int | None:
    memo: dict[Any, int] = state.env.setdefault("_shortcode_no_closer", {})
    key = (tag.dialect, tag.name, end)
    if start >= memo.get(key, end):
        return None
    for line in range(start + 1, end):
        closing = line_tag(_line_text(state, line))
        if closing is not None and closing.closing and closing.name == tag.name:
            return line
    memo[key] = min(start, memo.get(key, end))
    return None


def _marker(
    state: StateBlock, kind: str, tag: Tag, start: int, problems: tuple[Problem, ...]
) -> Token:
    token = state.push(f"shortcode_{kind}", "", 0)
    token.block = True
    token.map = [start, start + 1]
    token.meta = {"tag": tag, "line": start, "problems": problems, "literal": tag.source}
    return token


def _held(state: StateBlock, tag: Tag, kind: str, start: int, closer: int) -> bool:
    if kind == "comment":
        _marker(state, "block", tag, start, (comment_problem(tag),))
        state.line = closer + 1
        return True
    _marker(state, "block", tag, start, ())
    before, old_max, was_raw = len(state.tokens), state.lineMax, state.env.get(RAW, False)
    state.lineMax, state.env[RAW] = closer, True
    try:
        state.md.block.tokenize(state, start + 1, closer)
    finally:
        state.lineMax, state.env[RAW] = old_max, was_raw
    for token in state.tokens[before:]:
        if token.type == "inline":
            token.meta["raw"] = True
    _marker(state, "block", tag, closer, ())
    state.line = closer + 1
    return True


def _details_marker(state: StateBlock, tag: Tag, kind: str, start: int) -> None:
    resolved = resolve(tag)
    token = _marker(state, kind, tag, start, ())
    token.meta["resolved"] = resolved
    state.line = start + 1
    if kind == "details_close":
        return
    summary = state.push("inline", "", 0)
    summary.content = getattr(resolved.data, "summary", "Details")
    summary.map = [start, start + 1]
    summary.children = []
    state.push("shortcode_summary_close", "", 0).block = True


def _highlight(state: StateBlock, tag: Tag, start: int, end: int) -> bool:
    line, closed = start, False
    while True:
        line += 1
        if line >= end:
            break
        text = _line_text(state, line)
        if text and state.sCount[line] < state.blkIndent:
            break  # a line less indented than the list item it is in ends the block
        closing = line_tag(text) if text.startswith("{") else None
        if closing is not None and closing.closing and closing.name == "highlight":
            closed = True
            break
    info, problems = highlight_info(tag)
    if not closed:
        problems.append(unclosed_problem(tag, "the rest of the post is shown as its code"))
    token = state.push("code_block", "code", 0)
    token.content = RAW_TAG.sub("", state.getLines(start + 1, line, state.sCount[start], True))
    token.info = info
    token.map = [start + 1, line]
    token.meta = {"tag": tag, "line": start, "problems": tuple(problems), "literal": tag.source}
    state.line = line + 1 if closed else line
    return True


def highlight_info(tag: Tag) -> tuple[str, list[Problem]]:
    """The fence info string of a highlight tag: `go {linenos=true hl_lines="2 4-6"}`."""
    problems: list[Problem] = []
    language = tag.positional[0].lower() if tag.positional else ""
    if not _LANGUAGE.fullmatch(language):
        problems.append(
            Problem("MD023", Severity.ERROR, f"{tag.written} names no language: shown as text",
                    "name it: {% highlight python %} or {{< highlight python >}}")
        )  # fmt: skip
        language = "text"
    options: dict[str, str] = {}
    words = [part for word in tag.positional[1:] for part in word.split(",") if part.strip()]
    for key, value in [(*w.split("=", 1),) if "=" in w else (w, "") for w in words] + list(
        tag.named
    ):
        key, value = key.strip().lower(), value.strip().strip("\"'")
        if key == "linenos":
            options["linenos"] = "false" if value.lower() in ("false", "0", "no") else "true"
        elif key in ("hl_lines", "mark_lines"):
            options["hl_lines"] = value
        elif key == "linenostart" and value.isdigit():
            options["linenostart"] = value
        elif key not in _STYLE_OPTIONS:
            problems.append(
                Problem("MD022", Severity.WARNING, f"{tag.written}: option '{key}' is ignored",
                        "highlight takes linenos, hl_lines (mark_lines) and linenostart", at=key)
            )  # fmt: skip
    if not options:
        return language, problems
    start = int(options.get("linenostart", "1"))
    if start != 1 and "hl_lines" in options:  # Hugo counts highlighted lines from linenostart
        options["hl_lines"] = _shifted(options["hl_lines"], start - 1)
    written = " ".join(f'{key}="{value}"' for key, value in options.items())
    return f"{language} {{{written}}}", problems


def _shifted(lines: str, by: int) -> str:
    """`hl_lines` counted from 1 → counted from `linenostart` (our fences count absolutely)."""
    return re.sub(r"\d+", lambda m: str(int(m.group(0)) + by), lines)

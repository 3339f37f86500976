"""After inline parsing: each shortcode's problems at its line and column, and the last touches.

A core rule over the whole token stream, once per post (the summary is rendered from the same
tokens and reports nothing twice):

- every problem `shortcodes` recorded is reported at the post line and column of its tag (or of
  the argument it is about: a bad video ID, an unsafe `src`); inline tags are found in the
  post's lines from a cursor that only moves forward, so this is linear;
- `details` markers are paired like brackets, within one container (a list item, a quote);
  an unpaired one is MD023 and shown as text;
- inside `{% raw %}` every tag goes back to being its own text, with no diagnostic;
- a figure alone in its paragraph stands outside the `<p>`, and its image gets its position,
  so the link checks report a missing image file where the figure is written;
- template text where no tag rule can see it is still reported (MD022): in a link address
  (`[x]({{ site.baseurl }}/a)`), in raw HTML, and Jekyll's `{% raw %}` inside code (shown as
  written there, since code is never read).
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from typing import Any
from urllib.parse import unquote

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..diagnostics.diagnostic import Diagnostic, Severity
from .shortcode_blocks import RAW_TAG
from .shortcode_catalog import Problem, unclosed_problem
from .shortcode_syntax import OUTPUT_RE

_TEMPLATE_IN_URL = ("%7B%7B", "%7B%25", "{{", "{%")
_OPENERS = ("{{<", "{{%", "{%")


class _Where:
    """The post's lines and where diagnostics go (nowhere when rendering quietly)."""

    def __init__(self, env: MutableMapping[str, Any], src: str) -> None:
        self.lines: list[str] = env.get("body_lines") or src.split("\n")
        self.offset: int = env.get("offset", 0)
        self.path: str = env.get("path", "")
        quiet = env.get("quiet") or "diagnostics" not in env
        self.out: list[Diagnostic] | None = None if quiet else env["diagnostics"]

    def report(self, problems: Sequence[Problem], line: int, column: int) -> None:
        if self.out is None:
            return
        for problem in problems:
            at = column
            if problem.at and line < len(self.lines):
                found = self.lines[line].find(problem.at, column)
                at = found if found >= 0 else column
            self.out.append(
                Diagnostic(
                    self.path,
                    line + self.offset + 1,
                    at + 1,
                    problem.severity,
                    problem.code,
                    problem.message,
                    hint=problem.hint,
                )
            )

    def find(self, cursor: tuple[int, int], last: int, needle: str) -> tuple[int, int] | None:
        line, column = cursor
        while line < min(last, len(self.lines)):
            found = self.lines[line].find(needle, column)
            if found >= 0:
                return line, found
            line, column = line + 1, 0
        return None

    def indent(self, line: int) -> int:
        text = self.lines[line] if line < len(self.lines) else ""
        return len(text) - len(text.lstrip())


def shortcode_pass(state: StateCore) -> None:
    where = _Where(state.env, state.src)
    tokens = state.tokens
    stack: list[tuple[bool, int]] = []  # open containers and details markers, innermost last
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "inline":
            if token.meta.get("raw"):
                _demote(token)
            else:
                _inline(where, tokens, index)
        elif kind == "shortcode_details_open":
            stack.append((True, index))
        elif kind == "shortcode_details_close":
            if stack and stack[-1][0]:
                _pair(tokens, stack.pop()[1], index)
            else:
                _unpaired_close(where, token)
        if "line" in token.meta and token.meta.get("problems"):
            _report_block(where, token, token.meta["problems"])
        if kind in ("fence", "code_block") and "tag" not in token.meta:
            _raw_in_code(where, token)
        elif kind == "html_block" and _has_template(token.content):
            _template_in_html(where, token.map[0] if token.map else 0)
        if token.nesting == 1:
            stack.append((False, index))
        elif token.nesting == -1:
            _close_container(where, tokens, stack)
    while stack:
        is_details, opened = stack.pop()
        if is_details:
            _unclosed(where, tokens, opened)


def _close_container(where: _Where, tokens: list[Token], stack: list[tuple[bool, int]]) -> None:
    while stack and stack[-1][0]:
        _unclosed(where, tokens, stack.pop()[1])
    if stack:
        stack.pop()


def _pair(tokens: list[Token], opened: int, closed: int) -> None:
    for token in (tokens[opened], tokens[opened + 2], tokens[closed]):
        token.meta["paired"] = True


def _unclosed(where: _Where, tokens: list[Token], opened: int) -> None:
    token = tokens[opened]
    tokens[opened + 1].children = []  # the summary is shown within the tag's own text
    _report_block(where, token, (unclosed_problem(token.meta["tag"], "shown as text"),))


def _unpaired_close(where: _Where, token: Token) -> None:
    written = token.meta["tag"].written
    problem = Problem(
        "MD023",
        Severity.ERROR,
        f"{written} closes no open details block: shown as text",
        "delete it, or open the block before it (in the same list item or quote)",
    )
    _report_block(where, token, (problem,))


def _report_block(where: _Where, token: Token, problems: Sequence[Problem]) -> None:
    line = token.meta["line"]
    needle = token.meta.get("literal", "").split("\n", 1)[0][:40]
    column = where.lines[line].find(needle) if needle and line < len(where.lines) else -1
    where.report(problems, line, column if column >= 0 else where.indent(line))


def _inline(where: _Where, tokens: list[Token], index: int) -> None:
    token = tokens[index]
    first, last = token.map if token.map else (0, len(where.lines))
    cursor = (first, 0)
    figure_at: tuple[int, int] | None = None
    for child in token.children or ():
        kind = child.type
        if kind in ("shortcode", "shortcode_figure_open"):
            needle = child.meta.get("literal", "").split("\n", 1)[0][:40]
            found = where.find(cursor, last, needle) if needle else None
            at = found if found is not None else cursor
            if found is not None:
                cursor = (found[0], found[1] + len(needle))
            where.report(child.meta.get("problems", ()), *at)
            figure_at = at if kind == "shortcode_figure_open" else None
        elif kind == "image" and figure_at is not None:
            child.meta["source_position"] = figure_at
            figure_at = None
        elif kind in ("link_open", "image"):
            href = str(child.attrGet("href") or child.attrGet("src") or "")
            if any(mark in href for mark in _TEMPLATE_IN_URL):
                _template_in_link(where, cursor, last, href)
        elif kind == "code_inline" and RAW_TAG.search(child.content):
            _raw_in_code(where, child, where.find(cursor, last, "{%") or cursor)
        elif kind == "html_inline" and _has_template(child.content):
            _template_in_html(where, (where.find(cursor, last, "{") or cursor)[0])
    _lone_figure(tokens, index)


def _lone_figure(tokens: list[Token], index: int) -> None:
    """A figure that is all its paragraph holds is a block: no `<p>` around the `<figure>`."""
    if not (0 < index < len(tokens) - 1 and tokens[index - 1].type == "paragraph_open"):
        return
    children = [
        c
        for c in tokens[index].children or ()
        if c.type not in ("softbreak", "hardbreak")
        and not (c.type == "text" and not c.content.strip())
    ]
    if not children or children[0].type != "shortcode_figure_open":
        return
    if children[-1].type != "shortcode_figure_close":
        return
    if sum(c.type == "shortcode_figure_open" for c in children) != 1:
        return
    tokens[index - 1].hidden = tokens[index + 1].hidden = True
    for child in children:
        if child.type.startswith(("shortcode_figure", "shortcode_figcaption")):
            child.meta["block"] = True


def _demote(token: Token) -> None:
    """Inside `{% raw %}`: every tag is its own text again."""
    out: list[Token] = []
    in_figure = False
    for child in token.children or ():
        if in_figure:
            in_figure = child.type != "shortcode_figure_close"
            continue
        if child.type in ("shortcode", "shortcode_figure_open"):
            text = Token("text", "", 0)
            text.content = child.meta.get("literal", "")
            out.append(text)
            in_figure = child.type == "shortcode_figure_open"
            continue
        out.append(child)
    token.children = out


def _has_template(text: str) -> bool:
    return any(opener in text for opener in _OPENERS) or OUTPUT_RE.search(text) is not None


def _template_in_link(where: _Where, cursor: tuple[int, int], last: int, href: str) -> None:
    shown = unquote(href)
    at = where.find(cursor, last, shown[:30]) or where.find(cursor, last, "{{") or cursor
    problem = Problem(
        "MD022",
        Severity.WARNING,
        f"the link address '{shown[:60]}' holds template text, which is not evaluated here: "
        "it leads nowhere",
        "write the address itself: a path starting with '/', or https://…",
    )
    where.report((problem,), *at)


def _template_in_html(where: _Where, line: int) -> None:
    problem = Problem(
        "MD022",
        Severity.WARNING,
        "a shortcode or Liquid tag inside raw HTML is shown as written",
        "move it out of the HTML, onto a line of its own",
    )
    where.report((problem,), line, where.indent(line))


def _raw_in_code(where: _Where, token: Token, at: tuple[int, int] | None = None) -> None:
    if at is None:
        if not RAW_TAG.search(token.content) or token.map is None:
            return
        line = token.map[0]
        at = (line, where.indent(line))
    problem = Problem(
        "MD022",
        Severity.WARNING,
        "Jekyll's {% raw %} inside code is shown as written here",
        "delete the {% raw %} and {% endraw %} tags: code is never a template here",
    )
    where.report((problem,), *at)

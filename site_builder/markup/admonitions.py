"""Admonitions: GitHub alerts, `:::type Title` containers and MkDocs `!!!`/`???`, as one component.

Writers arrive with three spellings of "a boxed note":

- GitHub alerts, `> [!NOTE]` (NOTE, TIP, IMPORTANT, WARNING, CAUTION): markdown-it-py's own
  `alerts` option;
- Docusaurus and VitePress containers, `:::tip Title` … `:::`: mdit-py-plugins' container rule;
- MkDocs Material, `!!! warning "Title"` and the collapsible `??? note` / `???+ note`:
  mdit-py-plugins' admon rule.

A core rule turns the three token families into one (`admonition_open`, `admonition_title_*`,
`admonition_close`) before inline parsing, so titles are Markdown like any text (escaped the same
way) and the theme styles one thing: `<div class="admonition admonition-KIND" role="note">` with
a `<p class="admonition-title">`, or for a collapsible one `<details class="admonition …">` with
a `<summary>`. The ten or so type names of each tool fold into five kinds (note, tip, important,
warning, danger); an unknown type is MD010 at its line and shown as a note, titled as written.
A `> [!WORD]` that is not a GitHub alert type is MD010 too (GitHub shows it as a plain quote).
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from html import escape
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.container import container_plugin

from ..diagnostics.diagnostic import Diagnostic, Severity

KINDS = ("note", "tip", "important", "warning", "danger")
# Every type name of GitHub, Docusaurus, VitePress and MkDocs Material, to the kind it shows as.
_KIND_OF = {
    **dict.fromkeys(("note", "info", "abstract", "summary", "tldr", "todo", "seealso"), "note"),
    **dict.fromkeys(("quote", "cite", "example", "question", "help", "faq"), "note"),
    **dict.fromkeys(("tip", "hint", "success", "check", "done"), "tip"),
    "important": "important",
    **dict.fromkeys(("warning", "caution", "attention"), "warning"),
    **dict.fromkeys(("danger", "error", "failure", "fail", "missing", "bug"), "danger"),
}
_CONTAINER = "admonition"
_GITHUB_TYPES = frozenset({"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"})
_ALERT_LIKE = re.compile(r"\[!([A-Za-z]+)\]")
_STRAY_FENCE = re.compile(r"(?m)^:{3,}[ \t]*$")


def admonitions_plugin(md: MarkdownIt) -> None:
    """Parse the three admonition syntaxes and render them as one component."""
    md.options["alerts"] = True
    md.use(admon_plugin)
    md.use(container_plugin, name=_CONTAINER, validate=_is_container)
    md.core.ruler.after("block", "admonitions", _unify)
    for kind in ("open", "close", "title_open", "title_close"):
        rule = f"admonition_{kind}"
        md.add_render_rule(rule, lambda _r, tokens, idx, *_a, _k=kind: _render(tokens, idx, _k))


def _is_container(params: str, *_args: Any) -> bool:
    return re.match(r"\s*[A-Za-z][\w-]*", params) is not None


def _unify(state: StateCore) -> None:
    tokens: list[Token] = []
    stack: list[Token] = []  # the open admonitions, innermost last
    source = state.tokens
    for index, token in enumerate(source):
        if token.type == "alert_open":
            written = token.info.lower()
            kind = "danger" if written == "caution" else written
            tokens.append(_opening(token, written, kind, collapsible=""))
            stack.append(tokens[-1])
        elif token.type == "alert_title_open":
            tokens.append(_title_token(token, "admonition_title_open", 1))
        elif token.type == "alert_title_close":
            tokens.append(_title_token(token, "admonition_title_close", -1))
        elif token.type == "admonition_open":  # MkDocs
            written = str(token.meta.get("tag", "note"))
            classes = str(token.attrGet("class") or "")
            collapsible = "open" if "collapsible-open" in classes else ""
            if "is-collapsible" in classes and not collapsible:
                collapsible = "closed"
            tokens.append(_opening(token, written, _known(state, token, written), collapsible))
            stack.append(tokens[-1])
        elif token.type == "admonition_title_open" or token.type == "admonition_title_close":
            tokens.append(token)
        elif token.type == f"container_{_CONTAINER}_open":
            written, _, title = token.info.strip().partition(" ")
            opening = _opening(token, written.lower(), _known(state, token, written), "")
            tokens.append(opening)
            stack.append(opening)
            tokens.extend(_title(token, title.strip() or _default_title(written)))
        elif token.type in ("alert_close", "admonition_close", f"container_{_CONTAINER}_close"):
            opened = stack.pop() if stack else None
            closing = Token("admonition_close", "div", -1)
            closing.meta = dict(opened.meta) if opened is not None else {}
            closing.block = True
            tokens.append(closing)
        else:
            if token.type == "blockquote_open":
                _check_alert_like(state, source, index)
            elif token.type == "inline" and _STRAY_FENCE.search(token.content):
                _report(
                    state.env,
                    token,
                    "a ':::' line that opens or closes no admonition: shown as text",
                    "open with ':::note' (or tip, warning, …) and close with ':::'; an admonition "
                    "inside another takes more colons outside: '::::note' … '::::'",
                )
            tokens.append(token)
    state.tokens = tokens


def _opening(token: Token, written: str, kind: str, collapsible: str) -> Token:
    opening = Token("admonition_open", "div", 1)
    opening.map = token.map
    opening.block = True
    opening.markup = token.markup
    opening.meta = {"kind": kind, "written": written, "collapsible": collapsible}
    return opening


def _title_token(token: Token, kind: str, nesting: Literal[-1, 1]) -> Token:
    made = Token(kind, "p", nesting)
    made.map = token.map
    made.block = True
    return made


def _title(token: Token, title: str) -> list[Token]:
    opening = _title_token(token, "admonition_title_open", 1)
    inline = Token("inline", "", 0)
    inline.content = title
    inline.map = token.map
    inline.children = []
    inline.block = True
    return [opening, inline, _title_token(token, "admonition_title_close", -1)]


def _default_title(written: str) -> str:
    return written[:1].upper() + written[1:].lower()


def _known(state: StateCore, token: Token, written: str) -> str:
    kind = _KIND_OF.get(written.lower())
    if kind is not None:
        return kind
    _report(
        state.env,
        token,
        f"unknown admonition type '{written}': shown as a note",
        "use note, tip, important, warning or danger (or info, caution, …: see README)",
    )
    return "note"


def _check_alert_like(state: StateCore, tokens: Sequence[Token], index: int) -> None:
    """`> [!WORD]` whose WORD is no GitHub alert type: GitHub shows a quote; say so."""
    if index + 2 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
        return
    match = _ALERT_LIKE.match(tokens[index + 2].content)
    if match is not None and match.group(1).upper() not in _GITHUB_TYPES:
        _report(
            state.env,
            tokens[index],
            f"'[!{match.group(1)}]' is not a GitHub alert type: shown as a plain quote",
            "write [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION]",
        )


def _report(env: MutableMapping[str, Any], token: Token, message: str, hint: str) -> None:
    if env.get("quiet") or "diagnostics" not in env:
        return
    line = (token.map[0] if token.map else 0) + env.get("offset", 0) + 1
    env["diagnostics"].append(
        Diagnostic(env["path"], line, 1, Severity.WARNING, "MD010", message, hint=hint)
    )


def _render(tokens: Sequence[Token], idx: int, part: str) -> str:
    token = tokens[idx]
    meta = token.meta or {}
    if part == "open":
        kind, collapsible = meta.get("kind", "note"), meta.get("collapsible", "")
        css = f"admonition admonition-{escape(kind)}"
        if collapsible:
            opened = " open" if collapsible == "open" else ""
            return f'<details class="{css}"{opened}>\n'
        return f'<div class="{css}" role="note">\n'
    opening = _opening_of(tokens, idx)
    collapsible = bool(opening is not None and opening.meta.get("collapsible"))
    if part == "close":
        return "</details>\n" if token.meta.get("collapsible") else "</div>\n"
    if part == "title_open":
        return (
            '<summary class="admonition-title">' if collapsible else '<p class="admonition-title">'
        )
    return "</summary>\n" if collapsible else "</p>\n"


def _opening_of(tokens: Sequence[Token], idx: int) -> Token | None:
    """The admonition a title token belongs to: the nearest opening before it."""
    for index in range(idx - 1, -1, -1):
        if tokens[index].type == "admonition_open":
            return tokens[index]
    return None

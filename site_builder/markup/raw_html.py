"""Raw HTML in a post body, in the three `[markdown] html` modes, and HTML comments in all of them.

- `safe` (the default): markdown-it splits HTML into pieces (an `html_block` holds some lines,
  an `html_inline` one tag; the `<details>` and `</details>` around Markdown are two tokens), so
  no piece can be cleaned alone. A core rule walks the whole token tree instead: each start tag
  is judged by `html_policy` (nh3 decides its attributes), kept tags are matched with their end
  tags inside the same Markdown block (a paragraph, a list item, the post), tags left open are
  closed where their block ends, and everything else is shown as text. Each element shown as
  text is one MD020 at its line; each attribute dropped, or element closed for the writer, one
  MD021. A block of HTML with no allowed tag is parsed as Markdown, as in `text` mode.
- `text` (`allow_html = false`): HTML is shown as text, as CommonMark with raw HTML off does.
- `trusted` (`allow_html = true`): HTML is published as written.

Comments (`<!-- … -->`) are dropped from the page in every mode, so none becomes a summary or a
description; the first `<!-- more -->` block of the post is left for `convert` to cut at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from .html_balance import COMMENT_RE, MORE_RE, Balancer
from .html_policy import ALLOWED

_ONLY_COMMENTS = re.compile(rf"\s*(?:(?:{COMMENT_RE.pattern})\s*)*")
_ALLOWED_TAG = re.compile(r"</?(?i:" + "|".join(ALLOWED) + r")(?=[\s/>])")

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlineRule = Callable[[StateInline, bool], bool]


def raw_html_plugin(md: MarkdownIt, mode: str = "safe") -> None:
    """Parse raw HTML (markdown-it's `html` option) and treat it as `mode` says."""
    md.options["html"] = True
    if mode != "trusted":
        block = _rule(md.block.ruler, "html_block")
        accept = _comments_only if mode == "text" else _has_allowed_tag
        md.block.ruler.at("html_block", _block_rule(block, accept), {"alt": _alt(md, "html_block")})
    if mode == "text":
        md.inline.ruler.at("html_inline", _comment_rule(_rule(md.inline.ruler, "html_inline")))
    md.core.ruler.after("inline", "raw_html", lambda state: _core(state, mode))


def _rule(ruler: Any, name: str) -> Any:
    return next(rule.fn for rule in ruler.__rules__ if rule.name == name)


def _alt(md: MarkdownIt, name: str) -> list[str]:
    return next(list(rule.alt) for rule in md.block.ruler.__rules__ if rule.name == name)


def _comments_only(content: str) -> bool:
    return _ONLY_COMMENTS.fullmatch(content) is not None


def _has_allowed_tag(content: str) -> bool:
    return _comments_only(content) or _ALLOWED_TAG.search(content) is not None


def _block_rule(original: BlockRule, accept: Callable[[str], bool]) -> BlockRule:
    """markdown-it's HTML block, taken only when `accept` likes its content; otherwise the lines
    are left to the other rules (a paragraph, whose tags are then inline HTML)."""

    def rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent and not original(state, start, end, True):
            return False
        line, count = state.line, len(state.tokens)
        if not original(state, start, end, False):
            return False
        taken = accept(state.tokens[-1].content)
        if silent or not taken:
            del state.tokens[count:]
            state.line = line
        return taken

    return rule


def _comment_rule(original: InlineRule) -> InlineRule:
    """markdown-it's inline HTML, for comments only."""

    def rule(state: StateInline, silent: bool) -> bool:
        if not state.src.startswith("<!--", state.pos):
            return False
        return original(state, silent)

    return rule


def _core(state: StateCore, mode: str) -> None:
    if not any(t.type == "html_block" or (t.children and _has_html(t)) for t in state.tokens):
        return
    if mode == "safe":
        env: MutableMapping[str, Any] = state.env
        state.tokens = Balancer(env, env.get("body_lines", []), env.get("offset", 0)).run(
            state.tokens
        )
        return
    _drop_comments(state)


def _has_html(token: Any) -> bool:
    return any(child.type == "html_inline" for child in token.children or ())


def _drop_comments(state: StateCore) -> None:
    """`text` and `trusted` modes: comments go; in `text` they are all the HTML there is."""
    kept = []
    more_seen = False
    for token in state.tokens:
        if token.type == "html_block":
            if not more_seen and token.level == 0 and MORE_RE.fullmatch(token.content.strip()):
                more_seen = True
                kept.append(token)
                continue
            token.content = without_comments(token.content)
            if not token.content.strip():
                continue
        elif token.children:
            token.children = [
                child
                for child in token.children
                if not (child.type == "html_inline" and COMMENT_RE.fullmatch(child.content))
            ]
        kept.append(token)
    state.tokens = kept


def without_comments(html: str) -> str:
    """`html` without its comments (only where markdown-it would see a tag or a comment)."""
    parts: list[str] = []
    position = 0
    while (start := html.find("<", position)) >= 0:
        match = HTML_TAG_RE.match(html, start)
        if match is None:
            parts.append(html[position : start + 1])
            position = start + 1
            continue
        parts.append(html[position:start])
        if not COMMENT_RE.fullmatch(match.group(0)):
            parts.append(match.group(0))
        position = match.end()
    parts.append(html[position:])
    return "".join(parts)

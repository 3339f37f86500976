"""Hugo shortcodes and Liquid tags in posts: parsed outside code, rendered or reported, never raw.

Writers arrive with `{{< youtube ID >}}`, `{{% details %}}`, `{% include youtube.html id=… %}`,
`{% embed URL %}` or `{% highlight python %}` in their posts. An inline rule reads every
`{{<`, `{{%`, `{%` and template-only output (`{{ site.baseurl }}`, see `shortcode_syntax`)
outside code spans; a block rule takes the tags that stand on a line of their own and hold
lines: `highlight` (its lines become a code block, rendered and checked exactly like a fence of
that language), `details` (a `<details>` around Markdown), `raw` (its text shown as written) and
`comment` (dropped). Code blocks and code spans are never read.

What each tag means is `shortcode_catalog`; its HTML is `embeds`; `shortcode_pass` puts the
problems at their lines and columns, pairs `details`, and lets a lone figure stand outside a
`<p>`. Whatever is not rendered is shown as its own text, escaped, in a `<span
class="unsupported">`, and always with a diagnostic.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from ..diagnostics.diagnostic import Severity
from .shortcode_blocks import block_rule
from .shortcode_catalog import (
    Figure,
    Problem,
    Resolved,
    comment_problem,
    own_line_problem,
    resolve,
    unclosed_problem,
)
from .shortcode_pass import shortcode_pass
from .shortcode_render import RENDERERS
from .shortcode_syntax import OUTPUT_RE, Tag, hugo_tag, liquid_tag, output_tag

# The longest tag read: a `{{<` with no `>}}` within this many characters is unterminated, so
# a post full of unclosed tags costs linear time.
MAX_TAG = 2000
MAX_CAPTION_DEPTH = 3


def shortcodes_plugin(md: MarkdownIt) -> None:
    """Read shortcodes and Liquid tags (inline and block), report them, render the native ones."""
    md.inline.ruler.after("text", "shortcodes", _inline)
    md.block.ruler.before(
        "fence",
        "shortcode_blocks",
        block_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.core.ruler.after("inline", "shortcodes", shortcode_pass)
    for name, render in RENDERERS.items():
        md.add_render_rule(name, lambda _r, tokens, idx, *_a, _f=render: _f(tokens, idx))


def _inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "{" or pos + 1 >= state.posMax:
        return False
    second = src[pos + 1]
    if second == "%":
        return _liquid(state, silent)
    if second != "{":
        return False
    third = src[pos + 2 : pos + 3]
    if third in ("<", "%"):
        return _hugo(state, silent, third)
    match = OUTPUT_RE.match(src, pos, state.posMax)
    if match is None:
        return False
    return _emit(state, silent, output_tag(match.group(0)), match.end())


def _hugo(state: StateInline, silent: bool, delimiter: str) -> bool:
    src, pos = state.src, state.pos
    limit = min(state.posMax, pos + MAX_TAG)
    close = ">}}" if delimiter == "<" else "%}}"
    if src.startswith("/*", pos + 3):  # `{{</* name */>}}`: Hugo's own way to show one as text
        end = src.find("*/" + close, pos + 5, limit)
        if end >= 0:
            if not silent:
                token = state.push("text", "", 0)
                token.content = src[pos : pos + 3] + src[pos + 5 : end] + close
            state.pos = end + 2 + len(close)
            return True
    end = src.find(close, pos + 3, limit)
    if end < 0:
        return _unterminated(state, silent, src[pos : pos + 3], close)
    return _emit(state, silent, hugo_tag(src[pos : end + 3]), end + 3)


def _liquid(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    end = src.find("%}", pos + 2, min(state.posMax, pos + MAX_TAG))
    if end < 0:
        return _unterminated(state, silent, "{%", "%}")
    return _emit(state, silent, liquid_tag(src[pos : end + 2]), end + 2)


def _unterminated(state: StateInline, silent: bool, opener: str, close: str) -> bool:
    if not silent:
        problem = Problem(
            "MD023",
            Severity.ERROR,
            f"'{opener}' opens a tag that is never closed with '{close}': shown as text",
            f"close it with '{close}' on the same paragraph, or put it in `code`",
        )
        _push(
            state, Tag("hugo", "", False, (), (), opener), Resolved("malformed", None, (problem,))
        )
    state.pos += len(opener)
    return True


def _emit(state: StateInline, silent: bool, tag: Tag, end: int) -> bool:
    resolved = resolve(tag)
    kind = resolved.kind
    if kind in ("raw", "comment"):
        return _span(state, silent, tag, end, kind)
    if kind in ("details_open", "details_close", "highlight"):
        resolved = Resolved("malformed", None, (own_line_problem(tag),))
    if not silent:
        if kind == "figure":
            _push_figure(state, tag, resolved)
        else:
            _push(state, tag, resolved)
    state.pos = end
    return True


def _span(state: StateInline, silent: bool, tag: Tag, end: int, kind: str) -> bool:
    """`{% raw %}…{% endraw %}` or a comment within a paragraph: up to its closing tag."""
    closer = _closer_in(state, tag, end)
    if closer is None:
        if not silent:
            what = "shown as text" if kind == "raw" else "nothing of it is dropped"
            _push(state, tag, Resolved("malformed", None, (unclosed_problem(tag, what),)))
        state.pos = end
        return True
    start, stop = closer
    if not silent:
        if kind == "raw":
            token = state.push("text", "", 0)
            token.content = state.src[end:start]
        else:
            _push(state, tag, Resolved("comment", None, (comment_problem(tag),)))
            state.tokens[-1].meta["literal"] = state.src[state.pos : stop]
    state.pos = stop
    return True


def _closer_in(state: StateInline, tag: Tag, end: int) -> tuple[int, int] | None:
    """The first closing tag of `tag` at or after `end` within the paragraph (each paragraph's
    closing tags are found once, so many unclosed openers stay linear)."""
    memo: dict[Any, list[tuple[int, int]]] = state.env.setdefault("_shortcode_closers", {})
    key = (state.src, tag.dialect, tag.name)
    found = memo.get(key)
    if found is None:
        found = memo[key] = [m.span() for m in closer_re(tag).finditer(state.src)]
    index = bisect.bisect_left(found, (end, -1))
    if index < len(found) and found[index][1] <= state.posMax:
        return found[index]
    return None


def closer_re(tag: Tag) -> re.Pattern[str]:
    name = re.escape(tag.name)
    if tag.dialect == "liquid":
        return re.compile(rf"\{{%-?\s*end{name}\s*-?%\}}", re.IGNORECASE)
    return re.compile(rf"\{{\{{[<%]\s*/\s*{name}\s*[>%]\}}\}}", re.IGNORECASE)


def _push(state: StateInline, tag: Tag, resolved: Resolved) -> Token:
    token = state.push("shortcode", "", 0)
    token.meta = {"tag": tag, "resolved": resolved, "problems": resolved.problems}
    token.meta["literal"] = tag.source
    data = resolved.data
    if resolved.kind == "card" and data is not None and hasattr(data, "url"):
        token.meta["href"] = state.md.normalizeLink(data.url)
    return token


def _push_figure(state: StateInline, tag: Tag, resolved: Resolved) -> None:
    figure = resolved.data
    assert isinstance(figure, Figure)
    caption_tokens = _caption(state, figure.caption) if figure.caption else []
    alt = figure.alt or "".join(t.content for t in caption_tokens if t.type == "text")
    link = state.md.normalizeLink(figure.link) if figure.link else ""
    meta = {"figure": figure, "link": link}
    opening = state.push("shortcode_figure_open", "", 0)
    opening.meta = {**meta, "tag": tag, "resolved": resolved, "problems": resolved.problems}
    opening.meta["literal"] = tag.source
    image = state.push("image", "img", 0)
    image.attrs = {"src": state.md.normalizeLink(figure.src), "alt": ""}
    for key in ("title", "width", "height"):
        if getattr(figure, key):
            image.attrs[key] = getattr(figure, key)
    text = Token("text", "", 0)
    text.content = alt
    image.children, image.content = [text], alt
    state.push("shortcode_figure_image_end", "", 0).meta = dict(meta)
    if caption_tokens:
        state.push("shortcode_figcaption_open", "", 0).meta = dict(meta)
        state.tokens.extend(caption_tokens)
        state.tokens_meta.extend([None] * len(caption_tokens))
        state.push("shortcode_figcaption_close", "", 0).meta = dict(meta)
    state.push("shortcode_figure_close", "", 0).meta = dict(meta)


def _caption(state: StateInline, caption: str) -> list[Token]:
    """A caption is Markdown, as Hugo renders it (a caption in a caption stops at a depth)."""
    depth = state.env.get("_figure_depth", 0)
    if depth >= MAX_CAPTION_DEPTH:
        text = Token("text", "", 0)
        text.content = caption
        return [text]
    tokens: list[Token] = []
    state.env["_figure_depth"] = depth + 1
    try:
        state.md.inline.parse(caption, state.md, state.env, tokens)
    finally:
        state.env["_figure_depth"] = depth
    return tokens

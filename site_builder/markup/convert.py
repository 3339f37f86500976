"""Markdown to HTML with markdown-it-py: the parser setup, heading ids, summaries, the outline.

One `MarkdownRenderer` per process serves every post. CommonMark plus tables, strikethrough,
footnotes and task lists; raw HTML is sanitized, shown as text or kept as `[markdown] html`
says (`raw_html`), and comments never reach the page. Headings get GitHub-compatible ids
(`heading_ids`) and a permalink; fenced code goes through `code.CodeRenderer`, which
highlights it and checks Dockerfiles.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from ..config.schema import MarkdownConfig
from ..diagnostics.diagnostic import Diagnostic
from . import accelerator
from .admonitions import admonitions_plugin
from .body import BodyFacts, LoadedBody, summary_digest
from .code_blocks import CodeRenderer
from .heading_ids import heading_ids_plugin
from .image_sizes import image_size_plugin, image_size_problems, lock_input
from .nesting import nesting_plugin
from .outline import Block, CodeBlock, Heading, Link, Outline
from .post_variables import variables_to_set
from .raw_html import raw_html_plugin
from .shortcodes import shortcodes_plugin
from .title_heading import drop_title_heading

_MORE_RE = re.compile(r"<!--\s*more\s*-->")
# Counts words as structure.py's `[^\W_](?:[\w'’.-]*\w)?` does (same number of matches: a
# word never ends in the punctuation it may contain) without backtracking at each word's end.
_WORD_COUNT_RE = re.compile(r"[^\W_][\w'’.-]*")


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """A post body rendered to HTML, with its outline and what the checks found."""

    html: str
    summary_html: str
    has_more: bool
    outline: Outline
    word_count: int
    code_words: int
    reading_minutes: int
    diagnostics: tuple[Diagnostic, ...]
    dockerfiles: tuple[CodeBlock, ...] = ()  # Dockerfile blocks our checker accepted
    inputs: tuple[tuple[str, tuple[int, int, int]], ...] = ()  # site files shown (stat facts)

    @property
    def facts(self) -> BodyFacts:
        return BodyFacts(
            self.summary_html,
            self.has_more,
            self.word_count,
            self.code_words,
            self.reading_minutes,
            self.outline.anchors,
            tuple(link for link in self.outline.links if link.routed),
            summary_digest(self.summary_html, self.has_more, self.reading_minutes),
        )

    def loaded(self) -> LoadedBody:
        """The part of this body the site keeps: its facts, HTML and outline."""
        return LoadedBody(self.facts, self.html, self.outline)


class MarkdownRenderer:
    """The configured markdown-it-py parser and renderer, reused for every post."""

    def __init__(self, config: MarkdownConfig, code: CodeRenderer) -> None:
        self.config = config
        self.code = code
        md = MarkdownIt("commonmark", {"typographer": False})
        md.enable(["table", "strikethrough"])
        md.use(footnote_plugin)
        md.use(tasklists_plugin)
        md.use(heading_ids_plugin)
        md.use(admonitions_plugin)
        # `{{< image-size "x" >}}` is ours: its rule must see the tag before the generic
        # shortcode rule (which reports every shortcode it does not render)
        image_size_plugin(md, code.options.measurements)
        md.use(shortcodes_plugin)
        md.use(nesting_plugin)
        md.use(raw_html_plugin, config.html_mode)
        # markdown-it-py binds rules to its renderer, so pass plain functions, not our methods.
        md.add_render_rule("fence", lambda _r, *args: self._render_fence(*args))
        md.add_render_rule("code_block", lambda _r, *args: self._render_fence(*args))
        md.add_render_rule("heading_close", lambda _r, *args: _render_heading_close(*args))
        # Link normalisation is pure and costly (URL parsing and percent-encoding); the same
        # links recur across posts, so each distinct one is normalised once per process.
        md.normalizeLink = functools.lru_cache(maxsize=8192)(md.normalizeLink)  # type: ignore[method-assign]
        md.normalizeLinkText = functools.lru_cache(maxsize=8192)(md.normalizeLinkText)  # type: ignore[method-assign]
        md.validateLink = functools.lru_cache(maxsize=8192)(md.validateLink)  # type: ignore[method-assign]
        self.md = md
        self.accelerator: accelerator.Accelerator | None = None
        if config.accelerate and accelerator.available():
            self.accelerator = accelerator.Accelerator()
        # the core rules that run on the tokens of the block and inline parse
        self._after_parse = [
            rule.fn
            for rule in md.core.ruler.__rules__
            if rule.enabled and rule.name not in ("normalize", "block", "inline")
        ]

    def render(
        self, path: str, body: str, line_offset: int, title: str | None = None
    ) -> RenderedBody:
        """Render `body`, whose first line is line `line_offset + 1` of the file at `path`;
        a first `# H1` equal to `title` is left out (`title_heading`)."""
        diagnostics: list[Diagnostic] = []
        lines = body.split("\n")
        env: dict[str, Any] = {
            "path": path,
            "offset": line_offset,
            "diagnostics": diagnostics,
            "body_lines": lines,
            "dockerfiles": [],
            "inputs": [],
        }
        tokens = self._parse(body, env)
        measurements = self.code.options.measurements
        sizes, cited = image_size_problems(tokens, measurements, path, lines, line_offset)
        diagnostics.extend(sizes)
        if cited:
            env["inputs"].extend(lock_input(measurements))
        if title:
            drop_title_heading(self.md, tokens, title)
        more_index = _take_more_marker(tokens)
        outline = _outline(tokens, lines, line_offset)
        names = variables_to_set(tokens, outline.code_blocks)
        env["code_plan"] = self.code.plan(path, outline.code_blocks, names)
        html = self.md.renderer.render(tokens, self.md.options, env)
        quiet_env: dict[str, Any] = {**env, "diagnostics": [], "quiet": True}
        if more_index is not None:
            summary = self.md.renderer.render(tokens[:more_index], self.md.options, quiet_env)
        else:
            summary = _first_paragraph_html(self.md, tokens, quiet_env)
        words = _count_words(tokens)
        code_words = sum(len(block.code.split()) for block in outline.code_blocks)
        minutes = max(1, math.ceil((words + code_words / 2) / self.config.words_per_minute))
        return RenderedBody(
            html=html,
            summary_html=summary,
            has_more=more_index is not None,
            outline=outline,
            word_count=words,
            code_words=code_words,
            reading_minutes=minutes,
            diagnostics=tuple(diagnostics),
            dockerfiles=tuple(env["dockerfiles"]),
            inputs=tuple(dict.fromkeys(env["inputs"])),
        )

    def _parse(self, body: str, env: dict[str, Any]) -> list[Token]:
        """markdown-it-py's tokens: from the accelerator where it takes the body."""
        fast = self.accelerator.tokens(body) if self.accelerator is not None else None
        if fast is None:
            return self.md.parse(body, env)
        state = StateCore(body, self.md, env, fast)
        for rule in self._after_parse:
            rule(state)
        return state.tokens

    def _render_fence(
        self,
        tokens: Sequence[Token],
        idx: int,
        options: Any,
        env: dict[str, Any],
    ) -> str:
        token = tokens[idx]
        block = _code_block(token, env["body_lines"], env["offset"])
        rendered = self.code.render(env["path"], block, env.get("code_plan"))
        if not env.get("quiet"):
            env["diagnostics"].extend(rendered.diagnostics)
            env["inputs"].extend(rendered.inputs)
            if rendered.accepted_dockerfile:
                env["dockerfiles"].append(block)
        return rendered.html


def _render_heading_close(tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    level = tokens[idx].tag
    index = idx - 1
    while index >= 0 and not (tokens[index].type == "heading_open" and tokens[index].tag == level):
        index -= 1
    anchor = tokens[index].attrGet("id") if index >= 0 else None
    if not anchor:
        return f"</{level}>\n"
    href = escape(f"#{anchor}")
    # data-pagefind-ignore: the `#` stays out of search excerpts ("this"# In my free time).
    return (
        f'<a class="anchor" href="{href}" aria-label="Permalink to this section"'
        f" data-pagefind-ignore>#</a></{level}>\n"
    )


def _take_more_marker(tokens: list[Token]) -> int | None:
    """Remove a `<!-- more -->` paragraph (or HTML block) and return where it stood."""
    for index, token in enumerate(tokens):
        if token.level != 0:
            continue
        if token.type == "html_block" and _MORE_RE.fullmatch(token.content.strip()):
            del tokens[index]
            return index
        if (
            token.type == "paragraph_open"
            and index + 2 < len(tokens)
            and tokens[index + 1].type == "inline"
            and _MORE_RE.fullmatch(tokens[index + 1].content.strip())
        ):
            del tokens[index : index + 3]
            return index
    return None


def _first_paragraph_html(md: MarkdownIt, tokens: list[Token], env: dict[str, Any]) -> str:
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.level == 0:
            return str(md.renderer.render(tokens[index : index + 3], md.options, env))
    return ""


def _count_words(tokens: Sequence[Token]) -> int:
    words = 0
    for token in tokens:
        if token.type == "inline":
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    words += len(_WORD_COUNT_RE.findall(child.content))
    return words


def _code_block(token: Token, lines: list[str], offset: int) -> CodeBlock:
    start = (token.map[0] if token.map else 0) + offset + 1
    fenced = token.type == "fence"
    closed = True
    if fenced and token.map:
        last = lines[token.map[1] - 1].strip() if token.map[1] - 1 < len(lines) else ""
        closed = (
            token.map[1] - 1 > token.map[0]
            and last.startswith(token.markup)
            and not last.strip(token.markup[0])
        )
    column = 1
    if token.map and token.map[0] < len(lines):
        source = lines[token.map[0]]
        column = len(source) - len(source.lstrip()) + 1
    return CodeBlock(
        language=token.info.strip().split(maxsplit=1)[0] if token.info.strip() else "",
        info=token.info,
        code=token.content,
        line=start,
        body_line=start + 1 if fenced else start,
        column=column,
        closed=closed,
        fenced=fenced,
    )


def _outline(tokens: Sequence[Token], lines: list[str], offset: int) -> Outline:
    headings: list[Heading] = []
    links: list[Link] = []
    code_blocks: list[CodeBlock] = []
    blocks: list[Block] = []
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        line = token.map[0] + offset + 1
        end_line = token.map[1] + offset
        if token.type in ("fence", "code_block"):
            block = _code_block(token, lines, offset)
            code_blocks.append(block)
            blocks.append(Block("fence", line, end_line, token.content))
        elif token.type == "heading_open":
            inline = tokens[index + 1]
            text = _plain_text(inline)
            source = lines[token.map[0]] if token.map[0] < len(lines) else ""
            column = len(source) - len(source.lstrip()) + 1
            headings.append(
                Heading(int(token.tag[1]), text, str(token.attrGet("id") or ""), line, column)
            )
            blocks.append(Block("heading", line, end_line, text, int(token.tag[1])))
        elif token.type in (
            "paragraph_open",
            "list_item_open",
            "blockquote_open",
            "table_open",
            "hr",
            "html_block",
        ):
            kind = token.type.removesuffix("_open")
            text = _block_text(tokens, index) if token.type.endswith("_open") else token.content
            blocks.append(Block(kind, line, end_line, text))
        if token.type == "inline" and token.children:
            links.extend(_links(token, lines, offset))
        links.extend(token.meta.get("html_links", ()))  # images kept by `raw_html`
    return Outline(tuple(headings), tuple(links), tuple(code_blocks), tuple(blocks))


def _plain_text(inline: Token) -> str:
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline"))


def _block_text(tokens: Sequence[Token], index: int) -> str:
    """The inline text directly inside the block opened at `index` (nested blocks included)."""
    depth = 0
    parts: list[str] = []
    for position in range(index, len(tokens)):  # not tokens[index:]: a copy per block is O(n²)
        token = tokens[position]
        depth += token.nesting
        if token.type in ("inline", "fence", "code_block"):
            parts.append(token.content)
        if depth <= 0 and token.nesting <= 0:
            break
    return "\n".join(parts)


def _links(inline: Token, lines: list[str], offset: int) -> list[Link]:
    assert inline.map is not None and inline.children is not None
    first, last = inline.map
    found: list[Link] = []
    cursor = (first, 0)
    children = inline.children
    index = 0
    while index < len(children):
        child = children[index]
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            title = str(child.attrGet("title") or "")
            text_parts: list[str] = []
            index += 1
            while index < len(children) and children[index].type != "link_close":
                text_parts.append(children[index].content)
                index += 1
            text = "".join(text_parts)
            needle = "<" if child.markup == "autolink" else "["
            cursor, (line, column) = _locate(lines, cursor, last, needle, text)
            found.append(Link(href, text, line + offset + 1, column + 1, False, title))
        elif child.type == "image":
            src = str(child.attrGet("src") or "")
            title = str(child.attrGet("title") or "")
            if "source_position" in child.meta:  # an image not written ![…] (a figure shortcode)
                line, column = child.meta["source_position"]
            else:
                cursor, (line, column) = _locate(lines, cursor, last, "![", child.content)
            found.append(Link(src, child.content, line + offset + 1, column + 1, True, title))
        index += 1
    return found


def _locate(
    lines: list[str], cursor: tuple[int, int], last: int, opener: str, text: str
) -> tuple[tuple[int, int], tuple[int, int]]:
    """Find the next `opener + text` from `cursor`; returns the new cursor and the 0-based spot."""
    needles = [opener + text[:30], opener] if text else [opener]
    for needle in needles:
        line, column = cursor
        while line < min(last, len(lines)):
            position = lines[line].find(needle, column)
            if position >= 0:
                return (line, position + len(opener)), (line, position)
            line, column = line + 1, 0
    return cursor, cursor

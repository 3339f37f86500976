"""Heading ids: GitHub-style slugs from mdit-py-plugins' anchors, made unique in linear time.

The plugin makes a slug unique by trying `slug-1`, `slug-2`, … against every id taken so far,
so n headings with one title cost n²/2 lookups (16,000 identical headings took 18 s). The slug
function given to it here already returns the next free `slug-k`, remembering per slug where
it left off, so the plugin's own check finds it free at once. The ids are the plugin's own:
`a`, `a-1`, `a-2`, … (our parser has no explicit `{#id}` syntax, so every id is generated).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify


class _UniqueSlugs:
    """The slug function of one parser: unique within the document being parsed."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.next_suffix: dict[str, int] = {}

    def reset(self, _state: StateCore) -> None:
        self.taken.clear()
        self.next_suffix.clear()

    def __call__(self, title: str) -> str:
        base = slugify(title)
        candidate, suffix = base, self.next_suffix.get(base, 0)
        if suffix:
            candidate = f"{base}-{suffix}"
        while candidate in self.taken:
            suffix += 1
            candidate = f"{base}-{suffix}"
        self.next_suffix[base] = suffix + 1
        self.taken.add(candidate)
        return candidate


def heading_ids_plugin(md: MarkdownIt) -> None:
    """Give every heading (levels 1 to 6) a unique id."""
    slugs = _UniqueSlugs()
    anchors_plugin(md, min_level=1, max_level=6, slug_func=slugs)
    md.core.ruler.before("anchor", "anchor_reset", slugs.reset)

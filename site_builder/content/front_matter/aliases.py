"""The keys other generators write, mapped onto ours: one table, read by `read` through the
readers of the keys they stand for (so a bad value is reported under the name the writer used).

- `ALIASES`: a Hugo, Jekyll, Docusaurus, MkDocs or dev.to key and the key of ours it fills
  (`draft: true` is `published: false`; `categories` are merged into `tags`).
- `IGNORED`: keys those generators use that mean nothing here (`layout`, `toc`, ...): an FM013
  note, not an "unknown key" warning; they are kept for themes.
- `unwrapped`: the shapes of a value the readers do not take as written: PaperMod's
  `cover: {image: ...}`, MkDocs Material's `date: {created: ..., updated: ...}`.

When an alias and the key it stands for (or two aliases of one key) are both written with
different values, the first in `KEYS` order (ours before aliases) is used and the other gets
one FM012 warning at its line; except for drafts: `draft: true` or `published: false` anywhere
makes the post a draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode


@dataclass(frozen=True, slots=True)
class Alias:
    """A key of another generator and the key of ours it fills."""

    name: str
    key: str
    generators: str
    invert: bool = False  # a boolean that means the opposite of ours (`draft`)
    merge: bool = False  # its values are added to ours (`categories` to `tags`)


ALIASES = (
    Alias("draft", "published", "Hugo, Jekyll, Docusaurus, MkDocs", invert=True),
    Alias("created_at", "date", "dev.to"),
    Alias("published_at", "date", "dev.to"),
    Alias("lastmod", "updated", "Hugo"),
    Alias("last_modified_at", "updated", "Jekyll"),
    Alias("summary", "description", "Hugo"),
    Alias("excerpt", "description", "Jekyll"),
    Alias("image", "cover_image", "Hugo, Jekyll, Docusaurus"),
    Alias("cover", "cover_image", "Hugo (PaperMod: `cover: {image: ...}`)"),
    Alias("categories", "tags", "Hugo, Jekyll, MkDocs", merge=True),
    Alias("author", "authors", "Hugo, Jekyll"),
    Alias("redirect_from", "aliases", "Jekyll (jekyll-redirect-from)"),
)
ALIAS_BY_NAME = {alias.name: alias for alias in ALIASES}
ALIASES_OF: dict[str, tuple[Alias, ...]] = {}
for _alias in ALIASES:
    ALIASES_OF[_alias.key] = (*ALIASES_OF.get(_alias.key, ()), _alias)

# Keys of other generators with nothing to do here, and whose they are.
IGNORED = {
    "layout": "Jekyll",
    "permalink": "Jekyll",
    "comments": "Jekyll, MkDocs",
    "toc": "Hugo, Jekyll",
    "showToc": "Hugo",
    "TocOpen": "Hugo",
    "ShowToc": "Hugo",
    "hidemeta": "Hugo",
    "weight": "Hugo",
    "type": "Hugo",
    "menu": "Hugo",
    "keywords": "Hugo, Docusaurus",
    "math": "Hugo",
    "hide_table_of_contents": "Docusaurus",
    "sidebar_position": "Docusaurus",
    "sidebar_label": "Docusaurus",
    "unlisted": "Docusaurus",
    "readtime": "MkDocs",
    "pin": "MkDocs",
    "links": "MkDocs",
    "hide": "MkDocs",
    "search": "MkDocs",
    "id": "dev.to",
    "organization": "dev.to",
    "edited_at": "dev.to",
    "positive_reactions_count": "dev.to",
}


def ignored_note(name: str) -> str:
    """The FM013 message for a key of `IGNORED`."""
    return f"'{name}' is a {IGNORED[name]} key this site does not use; ignored (kept for themes)"


def conflict_note(name: str, key: str, used: str) -> str:
    """The FM012 message for an alias whose value differs from the one used."""
    alias = ALIAS_BY_NAME[name]
    by = "is also written" if used == key else f"'{used}' already sets"
    return f"'{name}' ({alias.generators}) stands for '{key}', which {by} with another value;" + (
        f" '{used}' is used"
    )


def unwrapped(name: str, value: object, node: Node) -> tuple[object, Node]:
    """The value (and node) a reader takes, from the mapping some generators write; Jekyll's
    space-separated `categories: docker alpine` as a comma-separated list (same columns)."""
    if name == "categories" and isinstance(value, str) and "," not in value:
        return " ".join(value.split()) and re.sub(r"\s", ",", value), node
    if not isinstance(value, dict) or not isinstance(node, MappingNode):
        return value, node
    wanted = {"cover": "image", "date": "created"}.get(name)
    if wanted is None:
        return value, node
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == wanted and wanted in value:
            return value[wanted], value_node
    return value, node


def mkdocs_updated(value: object, node: Node) -> tuple[object, Node] | None:
    """The `updated` of MkDocs Material's `date: {created: ..., updated: ...}`, if written."""
    if isinstance(value, dict) and isinstance(node, MappingNode) and "updated" in value:
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == "updated":
                return value["updated"], value_node
    return None

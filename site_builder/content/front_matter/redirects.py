"""`aliases:` (Hugo) and `redirect_from:` (Jekyll): the old URLs of a post, each to become a
redirect page there (`render.redirects`).

An alias is a plain path on the site: `/2019/03/old-name/`, `/old.html`, or `old-name.html`
(read from the site's root, as if it began with `/`). A path without a file extension is a
folder: `/old/name` is served at `/old/name/`. Anything else is FM010 at the alias's own line:
another scheme (`javascript:`, `https://...`: a redirect page serves this site's URLs only),
`//`, a `..` or `.` segment (it would leave the site or name another path), a query or
fragment, and any character outside letters, digits and `-._~%/` (no quotes, `<`, spaces).
"""

from __future__ import annotations

import re

from yaml.nodes import Node, ScalarNode, SequenceNode

from .located import Located
from .reading import Reading
from .url_values import shown

_PATH_RE = re.compile(r"[A-Za-z0-9._~%/-]+")
_HAS_EXTENSION_RE = re.compile(r"\.[A-Za-z0-9]{1,8}$")


def alias_problem(text: str) -> str | None:
    """Why `text` is not a plain site path for a redirect, or None."""
    if text.startswith("//"):
        return "'//' names another host"
    if not _PATH_RE.fullmatch(text):
        return "only letters, digits, '-', '.', '_', '~', '%' and '/' may be used"
    if any(part in (".", "..") for part in text.split("/")):
        return "a '.' or '..' segment would leave the path"
    if "%2f" in text.lower() or "%2e" in text.lower() or "%00" in text:
        return "an escaped '/', '.' or NUL would name another path"
    if not text.strip("/"):
        return "that is the home page"
    return None


def alias_url(text: str) -> str:
    """The site URL an accepted alias is served at (`old/name` → `/old/name/`)."""
    url = "/" + text.lstrip("/")
    if url.endswith("/") or _HAS_EXTENSION_RE.search(url.rsplit("/", 1)[-1]):
        return url
    return url + "/"


def read_aliases(
    reading: Reading, key: str, value: object, node: Node
) -> tuple[Located, ...] | None:
    """The aliases of a post, each as its URL with the line and column where it is written."""
    if isinstance(node, SequenceNode) and isinstance(value, list):
        pairs: list[tuple[Node, object]] = list(zip(node.value, value, strict=True))
    else:
        pairs = [(node, value)]
    found: list[Located] = []
    failed = False
    for item_node, item in pairs:
        if not isinstance(item, str) or not isinstance(item_node, ScalarNode):
            reading.report(item_node, "FM010", f"'{key}' must be a list of paths on the site")
            failed = True
            continue
        text = item.strip()
        reason = alias_problem(text)
        if reason is not None:
            reading.report(
                item_node,
                "FM010",
                f"'{key}' must be paths on this site such as /old/path/ or old.html;"
                f" got '{shown(text)}' ({reason})",
                hint="write the old URL's path, without the scheme and host",
            )
            failed = True
            continue
        found.append(Located(alias_url(text), *reading.pos(item_node)))
    return None if failed else tuple(found)

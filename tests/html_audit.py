"""An HTML audit for the attack suite and the fuzz tests: does a published page contain anything
that can run script, other than what the theme itself ships?

The page is parsed with the standard library's HTML parser (the way a browser tokenises it, not
with a regex over the text, so escaped text such as `&lt;img onerror=...&gt;` is not a finding).
Findings: an event-handler attribute (`on...=`); a URL attribute whose scheme can run code
(`javascript:`, `vbscript:`, `data:` other than images, `file:`); an element that loads or runs
active content (`iframe`, `object`, `embed`, `base`, `meta http-equiv`); a `<script>` other than
the theme's own (its `/static/site.js`, the inline script in the default theme's <head> that
applies the reader's light/dark choice, and JSON-LD whose text is valid JSON).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

_BASE = Path(__file__).parent.parent / "themes/default/templates/base.html"
THEME_SCRIPT = re.search(r"<script>(.*?)</script>", _BASE.read_text(encoding="utf-8")).group(1)  # type: ignore[union-attr]

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "xlink:href",
    "data",
    "srcset",
    "background",
    "cite",
    "longdesc",
    "ping",
}
ACTIVE = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}
_SCHEME = re.compile(r"^(javascript|vbscript|file|data):", re.IGNORECASE)
_SAFE_DATA = re.compile(r"^data:image/(gif|png|jpeg|webp);", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value:
                url = _INVISIBLE.sub("", value)
                if _SCHEME.match(url) and not _SAFE_DATA.match(url):
                    self.findings.append(f"<{tag} {name}={value!r}>")
        if tag in ACTIVE or (tag == "meta" and any(n == "http-equiv" for n, _ in attrs)):
            self.findings.append(f"<{tag}> element")
        if tag == "script":
            self._script = dict(attrs)
            self._script_text = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        attrs, text = self._script, "".join(self._script_text)
        self._script = None
        src = attrs.get("src")
        if src is not None:
            if not (src.startswith("/") and not src.startswith("//")) or not src.endswith(
                "/static/site.js"
            ):
                self.findings.append(f"<script src={src!r}>")
        elif attrs.get("type") == "application/ld+json":
            try:
                json.loads(text)
            except ValueError:
                self.findings.append(f"JSON-LD that is not JSON: {text[:80]!r}")
        elif text != THEME_SCRIPT or attrs:
            self.findings.append(f"<script> {text[:80]!r}")


def audit(page: str) -> list[str]:
    """Everything in `page` that could run script and is not the theme's own."""
    parser = _Audit()
    parser.feed(page)
    parser.close()
    return parser.findings

"""The inline HTML a post may use in the default `[markdown] html = "safe"` mode, judged one tag
at a time by nh3 (the binding of Rust's ammonia sanitizer).

The allowlist is harmless markup that writers on other generators rely on: `details`/`summary`,
`kbd`, `figure`/`figcaption`, `sup`, `sub`, `br`, `mark`, `abbr title`, `small`, `del`, `ins`,
`img` (an http(s) or relative `src`) and `iframe` for video embeds from a few hosts (its `src`
checked by nh3's attribute filter, and given `sandbox`, `loading="lazy"`, `allowfullscreen` and
`referrerpolicy` of our own). nh3 decides which attributes of a tag stay; this module rebuilds
the tag from nh3's answer, attributes in a fixed order (nh3's own order can change from one call
to the next), and says in words why a tag is shown as text or an attribute dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from .embeds import SANDBOX

# Element: the attributes a writer may give it, in the order they are written out.
ALLOWED: dict[str, tuple[str, ...]] = {
    "details": ("open",),
    "summary": (),
    "kbd": (),
    "figure": (),
    "figcaption": (),
    "sup": (),
    "sub": (),
    "br": (),
    "mark": (),
    "abbr": ("title",),
    "small": (),
    "del": (),
    "ins": (),
    "img": ("src", "alt", "width", "height", "title"),
    "iframe": ("src", "width", "height", "title"),
}
# Attributes we set ourselves, after the writer's.
ADDED: dict[str, tuple[tuple[str, str], ...]] = {
    "img": (("loading", "lazy"),),
    "iframe": (
        ("sandbox", SANDBOX),
        ("loading", "lazy"),
        ("allowfullscreen", ""),
        ("referrerpolicy", "strict-origin-when-cross-origin"),
    ),
}
# Attributes of the embed code YouTube and Vimeo hand out, replaced by ours without a word.
_SUPERSEDED = {"iframe": frozenset({"frameborder", "allow", "allowfullscreen", "referrerpolicy"})}
_SUPERSEDED_ALWAYS = frozenset({"loading", "sandbox"})
VOID = frozenset({"br", "img"})
BLOCK_ONLY = frozenset({"details", "summary", "figure", "figcaption"})
PARENT = {"summary": "details", "figcaption": "figure"}
# Host: the path an embed URL must start with.
VIDEO_HOSTS: dict[str, str] = {
    "www.youtube.com": "/embed/",
    "youtube.com": "/embed/",
    "www.youtube-nocookie.com": "/embed/",
    "youtube-nocookie.com": "/embed/",
    "player.vimeo.com": "/video/",
    "asciinema.org": "/a/",
}
ALLOWED_WORDS = ", ".join(ALLOWED) + " (video embeds only)"
VIDEO_WORDS = "only video embeds from " + ", ".join(
    f"https://{host}{path}…" for host, path in VIDEO_HOSTS.items() if not host.startswith("www.")
)
_NUMBER = re.compile(r"[0-9]{1,5}")

_INSTEAD: dict[str, str] = {
    "script": "scripts are not allowed in posts",
    "noscript": "scripts are not allowed in posts",
    "style": "style sheets are not allowed in posts; the theme styles the page",
    "link": "style sheets are not allowed in posts; the theme styles the page",
    "a": "write a Markdown link instead: [text](https://…)",
    "b": "write **bold** instead",
    "strong": "write **bold** instead",
    "i": "write *emphasis* instead",
    "em": "write *emphasis* instead",
    "code": "write `code` instead",
    "tt": "write `code` instead",
    "pre": "write a fenced code block instead",
    "s": "write ~~struck~~ instead",
    "strike": "write ~~struck~~ instead",
    "p": "leave a blank line between paragraphs instead",
    "hr": "write --- on a line of its own instead",
    "blockquote": "write a quote with > instead",
    "ul": "write a Markdown list instead",
    "ol": "write a Markdown list instead",
    "li": "write a Markdown list instead",
    "video": "embed a video from YouTube or Vimeo with an <iframe>, or link the file",
    "audio": "link the file instead",
    **dict.fromkeys(
        ("h1", "h2", "h3", "h4", "h5", "h6"), "write a Markdown heading instead (## Title)"
    ),
    **dict.fromkeys(
        ("table", "thead", "tbody", "tr", "td", "th"), "write a Markdown table instead"
    ),
}


def _keep_value(element: str, attribute: str, value: str) -> str | None:
    """nh3's attribute filter: iframes only from the video hosts; sizes only in pixels."""
    if attribute in ("width", "height"):
        return value if _NUMBER.fullmatch(value.strip()) else None
    if element == "iframe" and attribute == "src":
        parts = urlsplit(value.strip())
        path = VIDEO_HOSTS.get((parts.hostname or "").lower())
        ok = parts.scheme == "https" and path is not None and parts.path.startswith(path)
        return value if ok else None
    return value


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED),
        attributes={name: set(attrs) for name, attrs in ALLOWED.items() if attrs},
        attribute_filter=_keep_value,
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    )


class _FirstTag(HTMLParser):
    """The first start tag of a piece of HTML: its name and attributes, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tag: tuple[str, list[tuple[str, str | None]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            self.tag = (tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def start_tag(text: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    """The name and attributes of the start tag `text`, or None if it is none."""
    parser = _FirstTag()
    parser.feed(text)
    parser.close()
    return parser.tag


@dataclass(frozen=True, slots=True)
class Verdict:
    """What becomes of one start tag: `html` to write, or None to show it as text (`reason`)."""

    name: str
    shown: str  # the tag as diagnostics name it: `<img src alt>`
    html: str | None
    reason: str = ""
    dropped: tuple[str, ...] = ()
    links: tuple[tuple[str, str, str], ...] = ()  # (src, alt, title) of a kept image


def judge(text: str) -> Verdict:
    """Judge the start tag `text` (one tag, as markdown-it found it)."""
    parsed = start_tag(text)
    if parsed is None:
        return Verdict("", text[:40], None, "this is not an HTML tag")
    name, attrs = parsed
    names = list(dict.fromkeys(attr for attr, _ in attrs))
    shown = "<" + " ".join([name, *names]) + ">"
    if name not in ALLOWED:
        return Verdict(
            name, shown, None, _INSTEAD.get(name, f"allowed inline HTML: {ALLOWED_WORDS}")
        )
    handlers = [attr for attr in names if attr.startswith("on")]
    if handlers:
        what = ", ".join(handlers)
        return Verdict(name, shown, None, f"event handler attributes ({what}) are not allowed")
    closing = "" if name in VOID else f"</{name}>"
    kept_tag = start_tag(_clean(text + closing))
    if kept_tag is None or kept_tag[0] != name:
        return Verdict(name, shown, None, f"allowed inline HTML: {ALLOWED_WORDS}")
    kept = {attr: value or "" for attr, value in kept_tag[1]}
    if name == "iframe" and "src" not in kept:
        return Verdict(name, shown, None, VIDEO_WORDS + " are kept")
    if name == "img" and "src" not in kept:
        wrote = "src" in names
        reason = "its src must be an http(s) or relative URL" if wrote else "an <img> needs a src"
        return Verdict(name, shown, None, reason)
    superseded = _SUPERSEDED.get(name, frozenset()) | _SUPERSEDED_ALWAYS
    dropped = tuple(a for a in names if a not in kept and a not in superseded)
    pairs = [(attr, kept[attr]) for attr in ALLOWED[name] if attr in kept]
    pairs += ADDED.get(name, ())
    written = "".join(f' {attr}="{escape(value)}"' for attr, value in pairs)
    links = ((kept["src"], kept.get("alt", ""), kept.get("title", "")),) if name == "img" else ()
    return Verdict(name, shown, f"<{name}{written}>", "", dropped, links)


def dropped_reason(name: str, attribute: str) -> str:
    """Why `attribute` was taken off a kept `<name>`."""
    if attribute in ("width", "height") and attribute in ALLOWED[name]:
        return f"'{attribute}' must be a whole number of pixels"
    allowed = ", ".join(ALLOWED[name]) or "none"
    return f"attributes allowed on <{name}>: {allowed}"


def clean_text(text: str) -> str:
    """Text between tags, escaped for the page (entity references read as a browser would)."""
    return escape(unescape(text), quote=False)

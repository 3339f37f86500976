"""What each shortcode and Liquid tag means here: rendered natively, or said what to write.

`resolve(tag)` gives a `Resolved`: its kind (`video`, `card`, `figure`, `details_open`,
`details_close`, `highlight`, `raw`, `comment`, or `unsupported` / `malformed`, shown as
escaped text), the data the kind renders from, and the problems to report:

- `MD022` (warning): a construct the site does not render (`{{< tweet >}}`, `{% include %}`,
  `{{% param %}}`, `{{ site.baseurl }}`…): shown as text in a `<span class="unsupported">`; the
  hint says what to write instead. A `{% comment %}` block is dropped, with the same code.
- `MD023` (error): one its own generator rejects too: a bad video ID, a figure without a `src`,
  a URL that is not http(s) (or relative, for an image), a closing tag with no opening one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..diagnostics.diagnostic import Severity
from .embeds import Card, Video, card_of, safe_url, valid_id, video_of_url
from .shortcode_syntax import Tag


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: Severity
    message: str
    hint: str
    at: str = ""  # the text inside the tag to point at (a bad ID), else the tag's start


@dataclass(frozen=True, slots=True)
class Figure:
    src: str
    alt: str
    caption: str
    title: str
    link: str
    width: str
    height: str


@dataclass(frozen=True, slots=True)
class Details:
    summary: str
    open: bool


@dataclass(frozen=True, slots=True)
class Resolved:
    kind: str
    data: Video | Card | Figure | Details | str | None = None
    problems: tuple[Problem, ...] = ()


PAIRED = frozenset({"details", "highlight", "raw", "comment"})
_DETAILS = frozenset({"details", "spoiler", "collapsible", "accordion"})
_CARDS = {
    "embed": "Link", "github": "GitHub", "gist": "Gist", "link": "Link", "codepen": "CodePen",
    "stackblitz": "StackBlitz", "codesandbox": "CodeSandbox", "replit": "Replit",
    "jsfiddle": "JSFiddle", "glitch": "Glitch", "speakerdeck": "Speaker Deck",
    "twitter": "Post", "tweet": "Post", "medium": "Medium",
}  # fmt: skip
_FIGURE_KEYS = {"src", "alt", "caption", "title", "link", "width", "height", "attr", "attrlink"}
_FIGURE_STYLE = {"class", "target", "rel", "loading", "align", "name"}
_ADMONITION = "use an admonition: ':::note' … ':::' (or tip, warning, …), or '> [!NOTE]'"
_POST_LINK = "link the page's own URL: [text](/posts/its-slug/)"
_TEMPLATE = "write the text it produces: a post is never a template here"
_HINTS = {
    **dict.fromkeys(("ref", "relref", "post_url"), _POST_LINK),
    **dict.fromkeys(("param", "site", "var"), "write the value itself"),
    **dict.fromkeys(("tweet", "x", "twitter", "instagram", "bluesky", "mastodon"),
                    "link the post instead: [what it says](https://…); no third-party script"),
    **dict.fromkeys(("include", "include_relative", "readfile", "load", "snippet", "render",
                     "include-code", "include_code", "code"),
                    "paste the file's content here (in a fenced code block, if it is code)"),
    **dict.fromkeys(("callout", "alert", "notice", "admonition", "hint", "note", "tip", "info",
                     "warning", "caution", "important", "danger"), _ADMONITION),
    **dict.fromkeys(("tabs", "tab", "tabpane", "tabbed", "codetabs"),
                    "write each tab as a section of its own, under a '###' heading"),
    **dict.fromkeys(("img", "image", "imgproc", "picture"), "use a Markdown image: ![alt](src)"),
    **dict.fromkeys(("mermaid", "diagram", "plantuml"),
                    "use a Markdown image of the diagram: ![what it shows](diagram.svg)"),
    "qr": "use a Markdown image of the QR code: ![what it links to](qr.png)",
    **dict.fromkeys(("assign", "capture", "if", "unless", "case", "when", "else", "elsif", "for",
                     "break", "continue", "cycle", "increment", "decrement", "tablerow",
                     "liquid", "echo", "with", "range"), _TEMPLATE),
    **dict.fromkeys(("seo", "feed_meta"), "delete it: the theme writes the page's metadata"),
}  # fmt: skip
_DIALECT = {"hugo": "Hugo shortcode", "liquid": "Liquid tag", "output": "Liquid output"}


def resolve(tag: Tag) -> Resolved:
    """What `tag` is here, and what to tell its writer."""
    name = tag.name
    if tag.dialect == "output":
        return _output(tag)
    if tag.closing:
        if name in _DETAILS:
            return Resolved("details_close")
        if name in PAIRED:
            return _malformed(
                tag, f"{tag.written} closes a '{name}' that was never opened", "delete it"
            )
        return _unsupported(tag)
    if name in ("youtube", "vimeo"):
        return _video(tag, name, tag.get("id", "url", index=0) or "")
    if name == "figure" and tag.dialect == "hugo":
        return _figure(tag)
    if name in _DETAILS:
        summary = tag.get("summary", "title") or " ".join(tag.positional) or "Details"
        opened = (tag.get("open") or "").lower() in ("true", "open", "1") or (
            (tag.get("closed") or "").lower() == "false"
        )
        return Resolved("details_open", Details(summary, opened))
    if name in ("highlight", "raw", "comment"):
        return Resolved(name)
    if name == "gist" and tag.dialect == "hugo" and len(tag.positional) >= 2:
        user, gist = tag.positional[0], tag.positional[1]
        return _card(tag, f"https://gist.github.com/{user}/{gist}", "Gist")
    if name == "gist" and tag.positional and "://" not in tag.positional[0]:
        return _card(tag, f"https://gist.github.com/{tag.positional[0]}", "Gist")
    if name == "include" and tag.positional and tag.positional[0].lower().startswith("youtube"):
        return _video(tag, "youtube", tag.get("id", "video", "youtube_id", index=1) or "")
    if name in _CARDS and tag.positional and "://" in tag.positional[0]:
        url = tag.positional[0]
        if name == "embed" and video_of_url(url) is not None:
            return _video(tag, "url", url)
        host_label = {"github.com": "GitHub", "gist.github.com": "Gist"}
        label = _CARDS[name]
        if name in ("embed", "link"):
            label = host_label.get(urlsplit(url.strip()).netloc.lower().removeprefix("www."), label)
        return _card(tag, url, label)
    return _unsupported(tag)


def _video(tag: Tag, provider: str, value: str) -> Resolved:
    found = video_of_url(value) if "://" in value or provider == "url" else None
    if found is None:
        found = Video(provider if provider != "url" else "youtube", value.strip(), "")
    start = (tag.get("start") or "").strip()
    seconds = int(start) if start.isdigit() else found.start
    label = "YouTube" if found.provider == "youtube" else "Vimeo"
    if not valid_id(found.provider, found.id):
        rule = "11 letters, digits, '-' or '_'" if found.provider == "youtube" else "digits"
        shown = found.id or "nothing"
        return _malformed(
            tag,
            f"{tag.written}: '{shown}' is not a {label} video ID ({rule})",
            "use the 11-character ID in the video's address (youtube.com/watch?v=ID)"
            if found.provider == "youtube"
            else "use the number in the video's address (vimeo.com/ID)",
            at=found.id or value,
        )
    title = tag.get("title") or f"{label} video {found.id}"
    return Resolved("video", Video(found.provider, found.id, title, seconds))


def _figure(tag: Tag) -> Resolved:
    src = tag.get("src") or ""
    problems = [
        Problem("MD022", Severity.WARNING, f"{tag.written}: argument '{key}' is ignored",
                "figure takes src, alt, caption, title, link, width and height", at=key)
        for key in tag.argument_names() if key not in _FIGURE_KEYS | _FIGURE_STYLE
    ]  # fmt: skip
    if not src.strip():
        return _malformed(tag, f"{tag.written} has no src", 'write src="image.png" (or a URL)')
    safe = safe_url(src, relative=True)
    if safe is None:
        return _malformed(
            tag,
            f"{tag.written}: src '{src[:40]}' is not an http(s) or relative URL",
            "give the image's path (diagram.png, /images/x.png) or an https:// URL",
            at=src,
        )
    link = tag.get("link") or ""
    safe_link = safe_url(link, relative=True) if link else ""
    if safe_link is None:
        safe_link = ""
        problems.append(
            Problem("MD023", Severity.ERROR,
                    f"{tag.written}: link '{link[:40]}' is not an http(s) or relative URL",
                    "link a page of the site or an https:// URL; the figure is shown unlinked",
                    at=link)
        )  # fmt: skip
    caption = tag.get("caption") or ""
    attribution = " ".join(part for part in (tag.get("attr"), tag.get("attrlink")) if part)
    if attribution:
        caption = f"{caption} {attribution}".strip()
    width, height = (tag.get(key) or "" for key in ("width", "height"))
    figure = Figure(
        safe,
        tag.get("alt") or "",
        caption,
        tag.get("title") or "",
        safe_link,
        width if width.isdigit() else "",
        height if height.isdigit() else "",
    )
    return Resolved("figure", figure, tuple(problems))


def _card(tag: Tag, url: str, label: str) -> Resolved:
    card = card_of(url, label)
    if card is None:
        return _malformed(
            tag,
            f"{tag.written}: '{url[:60]}' is not an http(s) URL",
            "give the page's https:// address",
            at=url,
        )
    return Resolved("card", card)


def _output(tag: Tag) -> Resolved:
    name = tag.name.lower()
    if name in ("site.baseurl", "site.url") or {"relative_url", "absolute_url"} & set(
        tag.positional
    ):
        hint = "write the path itself, starting with '/' (the site's base URL is added for you)"
    elif name.startswith(("page.", "site.", "include.", "post.")):
        hint = "write the value itself"
    else:
        hint = _TEMPLATE
    message = f"the Liquid output '{tag.written}' is not evaluated here: shown as text"
    return Resolved("unsupported", None, (Problem("MD022", Severity.WARNING, message, hint),))


def _unsupported(tag: Tag) -> Resolved:
    what = _DIALECT[tag.dialect]
    shown = tag.name or "(no name)"
    hint = _HINTS.get(tag.name, "write what it shows in Markdown")
    if tag.name in ("link", "gist") and tag.positional:
        hint = _POST_LINK if tag.name == "link" else "give the gist's https:// address"
    if tag.closing:
        message = f"the closing {what} '{tag.written}' is not supported: shown as text"
    else:
        message = f"the {what} '{shown}' is not supported: shown as text"
    return Resolved("unsupported", None, (Problem("MD022", Severity.WARNING, message, hint),))


def _malformed(tag: Tag, message: str, hint: str, at: str = "") -> Resolved:
    problem = Problem("MD023", Severity.ERROR, message + ": shown as text", hint, at=at)
    return Resolved("malformed", None, (problem,))


def comment_problem(tag: Tag) -> Problem:
    return Problem(
        "MD022",
        Severity.WARNING,
        f"{tag.written} … block: dropped from the page",
        "delete the block, or write an HTML comment <!-- … --> (never shown either)",
    )


def unclosed_problem(tag: Tag, what: str) -> Problem:
    closer = f"{{% end{tag.name} %}}" if tag.dialect == "liquid" else f"{{{{< /{tag.name} >}}}}"
    return Problem(
        "MD023",
        Severity.ERROR,
        f"{tag.written} is never closed: {what}",
        f"close it with {closer} on a line of its own",
    )


def own_line_problem(tag: Tag) -> Problem:
    return Problem(
        "MD023",
        Severity.ERROR,
        f"{tag.written} must stand on a line of its own: shown as text",
        "put the opening tag, the content and the closing tag on lines of their own",
    )

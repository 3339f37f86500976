"""Native embeds of shortcodes and Liquid tags: video players, link cards, and their URLs.

A video is an `<iframe>` of the provider's privacy-friendly player (youtube-nocookie.com,
Vimeo with `dnt=1`), lazy, sandboxed, titled; a gist, a repository or any `{% embed URL %}` is
a link card (`<a class="embed-card">` showing the host and the path), never a third-party
script. Every attribute value is escaped; a URL is used only when it is http(s) (or, where an
image may be local, relative), never `javascript:`, `data:` or another scheme.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, urlsplit

YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
VIMEO_ID = re.compile(r"[0-9]{1,12}")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com"}
    | {"www.youtube-nocookie.com", "music.youtube.com"}
)
# The players need scripts and their own origin (YouTube's shows an error with an opaque one);
# the frame is another site's, so allow-same-origin gives it nothing of ours, and the sandbox
# still stops it navigating the page, opening forms or downloads. The HTML checker warns about
# the pair for same-origin frames (see tests/render/test_html_validity.py).
SANDBOX = (
    "allow-scripts allow-same-origin allow-presentation allow-popups allow-popups-to-escape-sandbox"
)
_ALLOW = "accelerometer; encrypted-media; gyroscope; picture-in-picture; fullscreen"


@dataclass(frozen=True, slots=True)
class Video:
    provider: str  # "youtube" or "vimeo"
    id: str
    title: str
    start: int = 0


@dataclass(frozen=True, slots=True)
class Card:
    url: str
    host: str
    path: str
    label: str  # what it is: "Gist", "GitHub", "Link"


def safe_url(url: str, *, relative: bool) -> str | None:
    """`url` stripped, when it is http(s) (or relative, if allowed); None for any other scheme.

    Browsers ignore tabs, newlines and control characters inside a scheme (`java\\tscript:`),
    so the scheme is read with them removed."""
    url = url.strip()
    if not url:
        return None
    scheme = _SCHEME.match(_INVISIBLE.sub("", url))
    if scheme is None:
        return url if relative and not url.startswith("//") else None
    if scheme.group(1).lower() not in ("http", "https"):
        return None
    parts = urlsplit(url)
    return url if parts.hostname else None


def video_of_url(url: str) -> Video | None:
    """The video a YouTube or Vimeo URL shows (its ID and `t=`/`start=` time), else None."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    query = parse_qs(parts.query)
    start = _seconds((query.get("t") or query.get("start") or ["0"])[0])
    segments = [s for s in parts.path.split("/") if s]
    if host in _YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            candidate = (query.get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            candidate = segments[1]
        else:
            return None
        return Video("youtube", candidate, "", start)
    if host == "youtu.be" and segments:
        return Video("youtube", segments[0], "", start)
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com") and segments:
        return Video("vimeo", segments[-1], "", start)
    return None


def is_video_url(url: str) -> bool:
    return video_of_url(url) is not None


def valid_id(provider: str, video_id: str) -> bool:
    pattern = YOUTUBE_ID if provider == "youtube" else VIMEO_ID
    return pattern.fullmatch(video_id) is not None


def _seconds(text: str) -> int:
    """`90`, `90s`, `1m30s` or `1h2m3s` as seconds; 0 when it is none of those."""
    match = re.fullmatch(r"(?:(\d{1,3})h)?(?:(\d{1,4})m)?(?:(\d{1,6})s?)?", text.strip())
    if match is None:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def card_of(url: str, label: str) -> Card | None:
    """A link card for an http(s) `url`, else None."""
    safe = safe_url(url, relative=False)
    if safe is None:
        return None
    parts = urlsplit(safe)
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    if len(path) > 80:
        path = path[:79] + "…"
    return Card(safe, host, path, label)


def video_html(video: Video) -> str:
    """The player: a 16:9 box (`.video-embed`, styled by the theme) holding the iframe."""
    if video.provider == "youtube":
        src = f"https://www.youtube-nocookie.com/embed/{video.id}"
        if video.start:
            src += f"?start={video.start}"
    else:
        src = f"https://player.vimeo.com/video/{video.id}?dnt=1"
        if video.start:
            src += f"#t={video.start}s"
    return (
        f'<span class="video-embed"><iframe src="{escape(src)}" title="{escape(video.title)}" '
        f'loading="lazy" sandbox="{SANDBOX}" allow="{_ALLOW}" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen></iframe></span>'
    )


def card_html(card: Card, normalize: str) -> str:
    """The link card; `normalize` is the URL as the Markdown renderer normalises links."""
    return (
        f'<a class="embed-card" href="{escape(normalize)}">'
        f'<span class="embed-card-label">{escape(card.label)}</span> '
        f'<span class="embed-card-host">{escape(card.host)}</span>'
        f'<span class="embed-card-path">{escape(card.path)}</span></a>'
    )


def unsupported_html(source: str) -> str:
    """What is shown of a construct the site cannot render: its text, escaped and marked."""
    return f'<span class="unsupported">{escape(source, quote=False)}</span>'

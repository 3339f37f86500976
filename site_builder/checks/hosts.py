"""Host names in links: bare domains, public versus local hosts, and social-media handles."""

from __future__ import annotations

import re
import urllib.parse

from .addresses import literal_address, refusal

# Top-level domains common in links, minus those that are also file extensions in a code blog
# (md, py, sh, rs, pl, so, zip, mov, in): `notes.md` is a file, `twitter.com` is a site.
_TLD_TEXT = """com org net io dev app co me info biz edu gov mil int ai xyz tech blog cloud page
site online ly gg tv fm to us uk de fr ca eu nl se no fi dk ch at be it es ru jp cn br au nz ie kr
tw hk sg za mx ar cl pt cz gr hu ro ua is social codes run works tools network space news wiki
systems engineering studio design"""
WEB_TLDS = frozenset(_TLD_TEXT.split())
_LABEL_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_HOST_PORT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]*:\d{1,5}(?:[/?#].*)?")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".test", ".example", ".invalid", ".lan")
_DOC_DOMAINS = ("example.com", "example.org", "example.net")
_PROFILE_FIRST = frozenset(
    {
        "twitter.com",
        "x.com",
        "instagram.com",
        "threads.net",
        "tiktok.com",
        "dev.to",
        "github.com",
        "gitlab.com",
        "codeberg.org",
    }
)
_REPO_HOSTS = frozenset({"github.com", "gitlab.com", "codeberg.org"})
_NOT_HANDLES = frozenset(
    {"i", "intent", "search", "hashtag", "home", "share", "explore", "settings", "about"}
)
_TEXT_HANDLE_RE = re.compile(r"@([A-Za-z0-9_.-]+?)(?:@[A-Za-z0-9.-]+)?")


def host_of(href: str) -> str:
    """The host part of a scheme-less `href` ('twitter.com' in 'twitter.com/@x'), lower case."""
    host = re.split(r"[/?#]", href, maxsplit=1)[0]
    return host.rsplit("@", 1)[-1].split(":")[0].lower()


def looks_like_domain(href: str) -> bool:
    """Whether a scheme-less `href` starts with what is clearly a host name."""
    host = host_of(href)
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL_RE.fullmatch(label) for label in labels):
        return False
    return host.startswith("www.") or labels[-1] in WEB_TLDS


def is_host_with_port(href: str) -> bool:
    """`localhost:8080/x` parses as scheme 'localhost'; it is really a host and a port."""
    return _HOST_PORT_RE.fullmatch(href) is not None


def is_local(host: str) -> bool:
    """Loopback, private, link-local, CGNAT, multicast and reserved addresses in any spelling
    (`127.1`, `0177.0.0.1`, `[::ffff:7f00:1]`), single-label and reserved test names."""
    host = host.strip("[]").lower().rstrip(".")
    if not host:
        return True
    address = literal_address(host)
    if address is None:
        return (
            "." not in host
            or host.endswith(_LOCAL_SUFFIXES)
            or host == "host.docker.internal"
            or any(host == d or host.endswith("." + d) for d in _DOC_DOMAINS)
        )
    return refusal(address) is not None


def is_public_name(host: str) -> bool:
    """A public DNS name (not an IP address, not local): where https is the norm."""
    if literal_address(host) is None:
        return not is_local(host)
    return False


def url_handle(url: str) -> str | None:
    """The account a profile URL names: '@x' paths, twitter.com/x, linkedin.com/in/x, ..."""
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    for prefix in ("www.", "mobile.", "m."):
        host = host.removeprefix(prefix)
    segments = [urllib.parse.unquote(s) for s in parts.path.split("/") if s]
    for segment in segments:
        if segment.startswith("@") and len(segment) > 1:
            return segment[1:].split("@")[0]
    if host == "linkedin.com" and len(segments) > 1 and segments[0] == "in":
        return segments[1]
    if host == "bsky.app" and len(segments) > 1 and segments[0] == "profile":
        return segments[1]
    if host in _PROFILE_FIRST and segments and segments[0].lower() not in _NOT_HANDLES:
        if host in _REPO_HOSTS and len(segments) != 1:
            return None
        return segments[0]
    return None


def text_handle(text: str) -> str | None:
    """The handle a link text names when it is just '@name' (or '@name@instance')."""
    match = _TEXT_HANDLE_RE.fullmatch(text.strip())
    return match.group(1) if match else None

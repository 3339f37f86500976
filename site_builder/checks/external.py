"""External links (`build-site check --external`): every http(s) link of the site, checked
concurrently with a timeout, a cache of good answers, and skip prefixes.

Each URL is fetched once however often it is linked: HEAD first (GET when the server refuses
HEAD, or when a link needs the page's ids for its #fragment). Links to local and private
hosts (by their text, in any spelling of the address) are skipped unless `external_local` is
set; any other host is resolved, and refused (EXT002, nothing sent) when it or a redirect hop
resolves to such an address (`addresses.Reach`). EXT001 error status, EXT002 unreachable, EXT003
(info) permanent redirect, EXT004 #fragment not on the page, EXT005 (info) the site refuses
automated checks.
"""

from __future__ import annotations

import re
import threading
import urllib.parse
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..config.schema import SiteConfig
from ..content.model import Post, Site
from ..diagnostics.diagnostic import Diagnostic, by_position
from ..diagnostics.levels import apply_levels
from ..version import __version__
from .addresses import Reach
from .codes import CODES, diagnostic
from .fetch import Answer, fetch, page_ids
from .hosts import is_local
from .link_cache import CACHE_DIR, CACHE_FILE, Entry, LinkCache
from .positions import Span, destination_span, value_span

_REFUSING = (401, 403, 429, 999)


@dataclass(frozen=True, slots=True)
class Place:
    path: str
    span: Span
    fragment: str | None


def external_links(site: Site, root: Path) -> dict[str, list[Place]]:
    """http(s) URLs (without fragment) of every post and page, with where each is linked."""
    found: dict[str, list[Place]] = defaultdict(list)
    for post in (*site.posts, *site.pages):
        lines = _lines(root / post.source)
        for link in post.outline.links:
            url = _absolute(link.href.strip())
            if url is not None:
                base, _, fragment = url.partition("#")
                place = Place(post.source, destination_span(lines, link), fragment or None)
                found[base].append(place)
        _cover(post, lines, found)
    return found


def _cover(post: Post, lines: list[str], found: dict[str, list[Place]]) -> None:
    cover = _absolute((post.cover_image or "").strip())
    if cover is None:
        return
    position = _cover_position(post, lines)
    found[cover.partition("#")[0]].append(Place(post.source, position, None))


def _cover_position(post: Post, lines: list[str]) -> Span:
    for number, line in enumerate(lines, start=1):
        if line.startswith("cover_image:"):
            return value_span(lines, number, 1)
    return Span(1, 1, 1)


def _absolute(href: str) -> str | None:
    if href.startswith("//"):
        href = "https:" + href
    scheme = href.partition(":")[0].lower()
    if scheme not in ("http", "https") or "://" not in href:
        return None
    return href


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig", errors="replace").split("\n")
    except OSError:
        return []


def check_external(
    config: SiteConfig, site: Site, *, now: float, reach: Reach | None = None
) -> list[Diagnostic]:
    """Check every external link of `site`; reads and refreshes the cache file.

    `reach` says which addresses may be fetched: by default public ones, and local ones too
    under `external_local`."""
    checks = config.checks
    reach = reach or Reach(allow_local=checks.external_local)
    links = external_links(site, config.root)
    cache = LinkCache(config.root / CACHE_DIR / CACHE_FILE, checks.external_cache_hours, now)
    cache.load()
    wanted: dict[str, bool] = {}
    for url, places in links.items():
        if _skipped(url, config, reach):
            continue
        needs_ids = any(p.fragment for p in places)
        entry = _cached(cache, url, reach)
        if entry is None or (needs_ids and entry.ids is None):
            wanted[url] = needs_ids
    answers = _fetch_all(wanted, config, reach)
    fetched: dict[str, Entry] = {}
    for url, answer in answers.items():
        if answer.ok:
            ids = page_ids(answer.body) if answer.body is not None else None
            status, final, moved = answer.status or 0, answer.final_url, answer.moved_to
            fetched[url] = Entry(now, status, final, moved, ids, local=answer.local)
            cache.put(url, fetched[url])
        else:
            cache.drop(url)
    cache.save()
    found: list[Diagnostic] = []
    for url, places in links.items():
        if _skipped(url, config, reach):
            continue
        entry = fetched.get(url) or _cached(cache, url, reach)
        if entry is not None:
            found.extend(_good(url, entry, places))
        elif url in answers:
            found.extend(_bad(url, answers[url], places, checks.external_timeout))
    return found


def _skipped(url: str, config: SiteConfig, reach: Reach) -> bool:
    """Skipped prefixes, and links whose host is local by its text alone."""
    if any(url.startswith(prefix) for prefix in config.checks.external_skip_prefixes):
        return True
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError:
        return False
    return is_local(host) and not reach.allows_literal(host, port)


def _cached(cache: LinkCache, url: str, reach: Reach) -> Entry | None:
    """The cached answer, unless it came through a local address `reach` no longer allows."""
    entry = cache.get(url)
    if entry is None or (entry.local and not reach.allow_local):
        return None
    return entry


def _fetch_all(wanted: dict[str, bool], config: SiteConfig, reach: Reach) -> dict[str, Answer]:
    checks = config.checks
    agent = f"site_builder-linkcheck/{__version__} (+{config.base_url})"
    hosts: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(2))
    lock = threading.Lock()

    def one(url: str) -> tuple[str, Answer]:
        host = urllib.parse.urlsplit(url).netloc.lower()
        with lock:
            gate = hosts[host]
        with gate:
            timeout, body = checks.external_timeout, wanted[url]
            return url, fetch(url, timeout=timeout, agent=agent, body=body, reach=reach)

    if not wanted:
        return {}
    with ThreadPoolExecutor(max_workers=min(checks.external_workers, len(wanted))) as pool:
        return dict(pool.map(one, sorted(wanted)))


def _emit(code: str, place: Place, message: str, hint: str) -> Diagnostic:
    return diagnostic(code, place.path, place.span, message, hint)


def _good(url: str, entry: Entry, places: Sequence[Place]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for place in places:
        if entry.moved_to:
            found.append(
                _emit(
                    "EXT003",
                    place,
                    f"{url} redirects permanently to {entry.moved_to}",
                    f"link {entry.moved_to} directly",
                )
            )
        fragment = place.fragment
        if fragment and entry.ids is not None and not _fragment_ok(fragment, entry.ids):
            found.append(
                _emit(
                    "EXT004",
                    place,
                    f"'#{fragment}' matches no id on {url}",
                    "check the heading on that page and copy its link again",
                )
            )
    return found


def _fragment_ok(fragment: str, ids: frozenset[str]) -> bool:
    decoded = urllib.parse.unquote(fragment)
    line_anchor = re.fullmatch(r"L\d+(?:-L\d+)?", decoded) is not None
    if decoded in ("", "top") or decoded.startswith(":~:") or line_anchor:
        return True
    return decoded in ids or f"user-content-{decoded}" in ids


def _bad(url: str, answer: Answer, places: Sequence[Place], timeout: int) -> list[Diagnostic]:
    if answer.refused is not None:
        return [
            _emit(
                "EXT002",
                p,
                f"{url} is not checked: {answer.refused}",
                "local and private addresses are never fetched; set external_local = true in "
                "[checks] to check them from a trusted network",
            )
            for p in places
        ]
    if answer.status is None:
        reason = answer.error or "no answer"
        return [
            _emit(
                "EXT002",
                p,
                f"{url} cannot be reached: {reason}",
                "check the address; if the site is gone, link an archived copy or remove the link",
            )
            for p in places
        ]
    status = answer.status
    if status in _REFUSING:
        return [
            _emit(
                "EXT005",
                p,
                f"{url} answers {status} {answer.reason}: the site refuses automated checks",
                "open it in a browser; add its prefix to external_skip_prefixes to stop checking",
            )
            for p in places
        ]
    return [
        _emit(
            "EXT001",
            p,
            f"{url} answers {status} {answer.reason}",
            "find the page's new address, link an archived copy, or remove the link",
        )
        for p in places
    ]


def with_external(
    config: SiteConfig, site: Site, diagnostics: Sequence[Diagnostic], *, now: float
) -> list[Diagnostic]:
    """`diagnostics` plus the external-link findings, re-levelled, in report order."""
    try:
        found = check_external(config, site, now=now)
    except OSError as error:
        found = [
            Diagnostic(
                f"{CACHE_DIR}/{CACHE_FILE}",
                1,
                1,
                CODES["EXT006"].severity,
                "EXT006",
                f"cannot write the external-link cache: {error.strerror or error}",
                hint=f"make {CACHE_DIR}/ a writable folder in the site root, or set "
                "external_cache_hours = 0",
            )
        ]
    levelled = apply_levels(found, config.checks.levels)
    return sorted([*diagnostics, *levelled], key=by_position)

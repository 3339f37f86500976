"""The reload channel: generations of the served site, and the hub that tells pages about them.

Every build outcome that pages must hear about (a new site, a failed build, a fixed one) is a
new *generation* with an id. A page is served with its generation's token (`<session>-<id>`)
and asks `GET /__reload?since=<token>` (server-sent events); the hub answers with what changed
since that generation (the union over the missed ones, so nothing is lost between a page load
and its connection), then one event per new generation, and a heartbeat comment every 15 s.
A token from another session (the server restarted) or older than the remembered history asks
for a full reload. Events: `hello` (up to date), `reload`, `css`, `status` (only the problem
overlay changed); each carries the whole decision data as JSON.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .changes import EVERYTHING, NOTHING, Change
from .problems import Problems

HEARTBEAT = 15.0
_EVENT_NAMES = {"reload": "reload", "css": "css", "none": "status"}
MAX_PAGES_LISTED = 500


@dataclass(frozen=True, slots=True)
class SiteState:
    """What the server shows now: the build folder, its base path, and the problem overlay.

    `overlay` is the site-wide overlay (the one events carry); `problems` and `sources` (served
    file below the build → its source file, such as `posts/a/index.html` →
    `content/posts/a.md`) let each page put its own source's problems first.
    """

    session: str
    generation: int
    output: Path | None
    base_path: str = "/"
    ok: bool = True
    overlay: str | None = None
    drafts: frozenset[str] = field(default_factory=frozenset)
    problems: Problems | None = None
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def token(self) -> str:
        return f"{self.session}-{self.generation}"


class Closed(Exception):
    """The hub was closed: the server is stopping."""


class Hub:
    """Holds the current `SiteState`, remembers recent changes, and wakes waiting streams."""

    def __init__(self, state: SiteState, history: int = 100, max_streams: int = 64) -> None:
        self._state = state
        self._history: deque[tuple[int, Change]] = deque(maxlen=history)
        self._condition = threading.Condition()
        self._closed = False
        self._streams = 0
        self._max_streams = max_streams

    @property
    def state(self) -> SiteState:
        return self._state

    @property
    def closed(self) -> bool:
        return self._closed

    def advance(self, state: SiteState, change: Change) -> None:
        """Publish the next generation and wake every waiting stream."""
        with self._condition:
            if (
                state.generation != self._state.generation + 1
                or state.session != self._state.session
            ):
                raise ValueError("generations must advance one at a time within a session")
            self._history.append((state.generation, change))
            self._state = state
            self._condition.notify_all()

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()

    def wait_after(self, generation: int, timeout: float) -> bool:
        """Block until a generation newer than `generation` exists (True) or `timeout` (False)."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._closed or self._state.generation > generation, timeout=timeout
            )
            if self._closed:
                raise Closed
            return self._state.generation > generation

    def open_stream(self) -> bool:
        """Count one more event stream; False when too many are open already."""
        with self._condition:
            if self._streams >= self._max_streams or self._closed:
                return False
            self._streams += 1
            return True

    def close_stream(self) -> None:
        with self._condition:
            self._streams -= 1

    def change_since(self, token: str | None) -> tuple[SiteState, int, Change]:
        """The current state, the generation the change is counted from, and the change."""
        with self._condition:
            state = self._state
            if not token:  # a fresh observer (curl, a test): nothing to catch up on
                return state, state.generation, NOTHING
            since = parse_token(token, state.session)
            if since is None or since > state.generation:
                return state, state.generation - 1, EVERYTHING
            if since == state.generation:
                return state, since, NOTHING
            oldest = self._history[0][0] if self._history else state.generation + 1
            if since < oldest - 1:
                return state, since, EVERYTHING
            change = NOTHING
            for generation, step in self._history:
                if generation > since:
                    change = change.union(step)
            return state, since, change

    def event(self, token: str | None) -> tuple[str, str, str]:
        """`(event name, id, JSON data)` telling a page at `token` what to do now."""
        state, since, change = self.change_since(token)
        up_to_date = since == state.generation
        name = "hello" if up_to_date else _EVENT_NAMES[change.kind]
        return name, state.token, json.dumps(payload(state, since, change), separators=(",", ":"))


def payload(state: SiteState, since: int, change: Change) -> dict[str, object]:
    """The JSON a page decides with: see `client.js`."""
    pages = change.pages
    listed = None if pages is None or len(pages) > MAX_PAGES_LISTED else sorted(pages)
    return {
        "session": state.session,
        "generation": state.generation,
        "since": since,
        "ok": state.ok,
        "home": state.base_path,
        "pages": listed,
        "css": sorted(change.css),
        "assets": change.assets,
        "overlay": state.overlay,
    }


def parse_token(token: str | None, session: str) -> int | None:
    """The generation in a `<session>-<generation>` token of this session, else None."""
    if not token:
        return None
    owner, _, number = token.strip().rpartition("-")
    if owner != session or not number.isdigit() or len(number) > 12:
        return None
    return int(number)


def sse(name: str, event_id: str, data: str) -> bytes:
    """One server-sent event; `data` is a single JSON line."""
    return f"event: {name}\nid: {event_id}\ndata: {data}\n\n".encode()


HEARTBEAT_COMMENT = b": ping\n\n"
RETRY = b"retry: 1000\n\n"

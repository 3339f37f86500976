"""A preview session: first build, the server, the watcher, the build loop, and a clean stop.

The first build runs before the server listens. If it fails and no earlier build exists, pages
show the problems until a build passes. Each later outcome becomes a new generation in the hub
when something visible changed (pages, stylesheets, the problem overlay). SIGINT, SIGTERM and SIGHUP
stop the watcher, close the event streams and the server, wait for a publish in progress, remove
any staging folder, and exit 0 without a traceback.
"""

from __future__ import annotations

import errno
import signal
import socket
import sys
import threading
import uuid
import webbrowser
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TextIO

from ..diagnostics.diagnostic import Diagnostic
from ..diagnostics.printable import printable
from ..diagnostics.report import summary, write_text
from ..pipeline.phases import BuildOptions
from ..publish.swap import MARKER, recover
from .changes import Change, Fingerprint, compare
from .hosts import WILDCARDS, is_loopback
from .overlay import render
from .problems import Problems, collect
from .rebuild import Builder, Outcome
from .reload import HEARTBEAT, Hub, SiteState
from .server import PreviewServer
from .watch import WATCH_STEP_MS, BuildLoop, Watcher

DEFAULT_PORT = 8000
PORT_TRIES = 20

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass(frozen=True, slots=True)
class ServeOptions:
    root: Path
    build: BuildOptions = field(default_factory=BuildOptions)
    host: str = "127.0.0.1"
    port: int | None = None
    open_browser: bool = False
    heartbeat: float = HEARTBEAT
    step_ms: int = WATCH_STEP_MS


class Preview:
    """One `build-site serve` run."""

    def __init__(self, options: ServeOptions, log: TextIO | None = None) -> None:
        self.options = options
        self.root = options.root.resolve()
        self.log = log if log is not None else sys.stderr
        self.stop_event = threading.Event()
        self._serving = False
        self._fingerprint: Fingerprint | None = None
        self._base_path = "/"
        self._last_diagnostics: tuple[Diagnostic, ...] = ()
        self.server: PreviewServer | None = None
        self.url = ""

    def say(self, text: str) -> None:
        self.log.write(f"build-site: {printable(text)}\n")
        self.log.flush()

    # -- the run --------------------------------------------------------------------------

    def run(self) -> int:
        handlers = self._install_signals()
        try:
            return self._run()
        finally:
            self._restore_signals(handlers)

    def _run(self) -> int:
        builder: Builder | None = None
        try:
            builder = Builder(self.root, self.options.build, self.log)
            for output in builder.outputs:
                recover(output)
            self.say(f"building {self.root} ...")
            first = builder()
        except KeyboardInterrupt:  # Ctrl-C during the first build: phase 1 wrote nothing
            if builder is not None:
                builder.stop()
                self._recover(builder)
            self.say("stopped")
            return 0
        # From here on a signal only sets stop_event; the finally below undoes what started.
        self._serving = True
        self._report_first(first)
        hub = Hub(self._first_state(first))
        loop: BuildLoop[Outcome] = BuildLoop(builder, lambda o: self._done(hub, o), self.log)
        watcher = Watcher(
            self.root,
            lambda: [*builder.outputs, self.root / ".site-cache"],
            lambda paths: self._changed(loop, paths),
            self.log,
            step_ms=self.options.step_ms,
        )
        server: PreviewServer | None = None
        listening = False
        try:
            try:
                server = self._bind(hub)
            except OSError as error:
                self.say(f"error: cannot listen on {self.options.host}: {error.strerror or error}")
                return 1
            self.server = server
            threading.Thread(target=server.serve_forever, args=(0.25,), daemon=True).start()
            listening = True
            threading.Thread(target=loop.run, daemon=True, name="site-builder-build").start()
            if not watcher.start():
                self.say("warning: the file watcher is slow to start; early saves may be missed")
            self.say(
                f"serving {self.url} (watching content/, themes/ and site.toml; Ctrl-C to stop)"
            )
            if self.options.open_browser:
                threading.Thread(target=webbrowser.open, args=(self.url,), daemon=True).start()
            while not self.stop_event.wait(0.5):
                pass
        finally:
            self._serving = False
            watcher.stop()
            loop.stop()
            hub.close()
            if server is not None:
                if listening:
                    server.shutdown()
                server.server_close()
            builder.stop()
            self._recover(builder)
        self.say("stopped")
        return 0

    def _recover(self, builder: Builder) -> None:
        for output in sorted(builder.outputs):
            try:
                recover(output)
            except OSError as error:
                self.say(f"warning: could not clean up beside {output}: {error.strerror}")

    # -- signals --------------------------------------------------------------------------

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if not self._serving:
            raise KeyboardInterrupt
        self.stop_event.set()

    def _install_signals(self) -> dict[int, object]:
        if threading.current_thread() is not threading.main_thread():
            return {}
        return {sig: signal.signal(sig, self._on_signal) for sig in _STOP_SIGNALS}

    def _restore_signals(self, handlers: dict[int, object]) -> None:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]

    # -- binding --------------------------------------------------------------------------

    def _bind(self, hub: Hub) -> PreviewServer:
        host = self.options.host
        family = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][0]
        ports = (
            [self.options.port]
            if self.options.port is not None
            else list(range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES))
        )
        names = frozenset({socket.gethostname(), socket.getfqdn(), socket.gethostname() + ".local"})
        for port in ports:
            try:
                server = PreviewServer(
                    (host, port),
                    hub,
                    bound_host=host,
                    machine_names=names,
                    heartbeat=self.options.heartbeat,
                    log=self.log,
                    family=family,
                )
            except OSError as error:
                if error.errno == errno.EADDRINUSE and port != ports[-1]:
                    self.say(f"port {port} is in use; trying {port + 1}")
                    continue
                raise
            break
        bound_port = server.server_address[1]
        shown = "localhost" if host.strip("[]") in WILDCARDS else host
        shown = f"[{shown}]" if ":" in shown else shown
        self.url = f"http://{shown}:{bound_port}{hub.state.base_path}"
        if not is_loopback(host):
            self.say(
                f"warning: listening on {host}, so other machines can open this preview "
                "(drafts and the source lines of reported problems included); it is a "
                "development server, not hardened for the internet"
            )
        return server

    # -- builds ---------------------------------------------------------------------------

    def _first_state(self, first: Outcome) -> SiteState:
        output: Path | None = first.output
        if not first.ok and not (first.output / MARKER).is_file():
            output = None
        self._fingerprint = first.fingerprint
        self._base_path = first.base_path
        self._last_diagnostics = first.diagnostics
        problems = collect(first.diagnostics, first.ok, self.root)
        return SiteState(
            uuid.uuid4().hex[:12],
            1,
            output,
            first.base_path,
            first.ok,
            render(problems),
            first.drafts,
            problems,
            first.sources,
        )

    def _report_first(self, first: Outcome) -> None:
        write_text(first.diagnostics, self.log, limit=first.max_diagnostics)
        build = self.options.build
        if first.ok:
            self.say(f"built in {first.seconds:.2f} s ({summary(first.diagnostics)})")
        elif (first.output / MARKER).is_file():
            self.say(
                f"build failed: {summary(first.diagnostics)}; serving the previous build in "
                f"{_display(self.root, first.output)}/ with the problems shown on every page"
            )
        else:
            self.say(f"build failed: {summary(first.diagnostics)}; pages show the problems")
        hidden = first.skipped.drafts
        if hidden and not build.drafts:  # `build-site new` makes a draft: say why it is not shown
            posts = "draft is" if hidden == 1 else "drafts are"
            self.say(
                f"{hidden} {posts} hidden (published: false); --drafts shows them, marked DRAFT"
            )
        if build.drafts or build.future:
            what = " and ".join(
                w for w, on in (("drafts", build.drafts), ("future posts", build.future)) if on
            )
            self.say(
                f"note: {_display(self.root, first.output)}/ now holds {what}; "
                "run 'build-site build' before deploying it"
            )

    def _changed(self, loop: BuildLoop[Outcome], paths: list[str]) -> None:
        shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
        self.say(f"changed: {shown}")
        loop.request()

    def _done(self, hub: Hub, outcome: Outcome) -> None:
        state = hub.state
        if outcome.diagnostics != self._last_diagnostics or not outcome.ok:
            write_text(outcome.diagnostics, self.log, limit=outcome.max_diagnostics)
        self._last_diagnostics = outcome.diagnostics
        problems = collect(outcome.diagnostics, outcome.ok, self.root)
        overlay = render(problems)
        if not outcome.ok:
            # Said before pages hear of it: whoever sees the overlay finds the terminal's word.
            self.say(
                f"build failed in {outcome.seconds:.2f} s: {summary(outcome.diagnostics)}; "
                "still serving the last good build"
            )
            if overlay != state.overlay or state.ok or outcome.sources != state.sources:
                hub.advance(_next(state, problems, outcome.sources), Change())
            return
        change = compare(
            self._fingerprint,
            outcome.fingerprint or {},
            self._base_path,
            outcome.base_path,
        )
        self._fingerprint = outcome.fingerprint
        self._base_path = outcome.base_path
        new = SiteState(
            state.session,
            state.generation + 1,
            outcome.output,
            outcome.base_path,
            True,
            overlay,
            outcome.drafts,
            problems,
            outcome.sources,
        )
        visible = change.kind != "none" or (
            (new.output, new.base_path, new.ok, new.overlay, new.drafts, new.sources)
            != (state.output, state.base_path, state.ok, state.overlay, state.drafts, state.sources)
        )
        if visible:
            hub.advance(new, change)
        self.say(f"rebuilt in {outcome.seconds:.2f} s: {_describe(change, visible)}")


def _next(state: SiteState, problems: Problems, sources: Mapping[str, str]) -> SiteState:
    """The state after a failed build: the last good site, with the new problems."""
    return SiteState(
        state.session,
        state.generation + 1,
        state.output,
        state.base_path,
        problems.ok,
        render(problems),
        state.drafts,
        problems,
        sources,
    )


def _describe(change: Change, visible: bool) -> str:
    if not visible:
        return "no visible change"
    if change.pages is None:
        return "every page reloads"
    parts = []
    if change.pages:
        count = len(change.pages)
        parts.append(f"{count} page{'s' if count != 1 else ''} changed")
    if change.css:
        parts.append("stylesheets swapped")
    if change.assets:
        parts.append("assets changed")
    return ", ".join(parts) or "problems updated"


def _display(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)

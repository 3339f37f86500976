"""The preview server under load: 50 concurrent clients on loopback, each holding a live-reload
event stream and fetching pages in a loop, through 20 rebuilds triggered by editing a post.

Asserted: zero failed requests; every client's stream saw reload events and caught up with the
last generation; the whole run is bounded (pytest-timeout and explicit deadlines); and the server
process (`build-site serve`, a real subprocess) has the same threads and file descriptors after
the clients have gone as before they came (counted in /proc, after a short settle time).
"""

from __future__ import annotations

import os
import random
import threading
import time
from pathlib import Path

import pytest
from conftest import write_site
from serve_support import EventStream, ServeProcess, post_text

CLIENTS = 50
REBUILDS = 20
POSTS = 30


def site_files() -> dict[str, str]:
    return {
        f"content/posts/post-{i:02}.md": post_text(
            f"Post number {i}", f"The body of post {i}.", date=f"2024-01-{1 + i % 28:02}"
        )
        for i in range(POSTS)
    }


def counts(pid: int) -> tuple[int, int]:
    """(open file descriptors, threads) of process `pid`."""
    return len(os.listdir(f"/proc/{pid}/fd")), len(os.listdir(f"/proc/{pid}/task"))


def settle(pid: int, limit: tuple[int, int], seconds: float) -> tuple[int, int]:
    """Wait up to `seconds` for the counts to drop to `limit`; the last counts seen."""
    deadline = time.monotonic() + seconds
    now = counts(pid)
    while time.monotonic() < deadline and (now[0] > limit[0] or now[1] > limit[1]):
        time.sleep(0.1)
        now = counts(pid)
    return now


class Client(threading.Thread):
    """One browser tab: an open event stream, and page fetches until told to stop."""

    def __init__(self, server: ServeProcess, pages: list[str], stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.server, self.pages, self.stop = server, pages, stop
        self.fetched = 0
        self.failures: list[str] = []
        self.stream: EventStream | None = None
        self.ready = threading.Event()

    def run(self) -> None:
        try:
            self.stream = self.server.events()
            assert self.stream.status == 200
            hello = self.stream.next(30)
            assert hello.name == "hello", hello
        except Exception as error:  # noqa: BLE001 - recorded and asserted by the test
            self.failures.append(f"event stream: {type(error).__name__}: {error}")
            return
        finally:
            self.ready.set()
        chooser = random.Random(self.ident)
        while not self.stop.is_set():
            page = chooser.choice(self.pages)
            try:
                response = self.server.get(page)
                complete = int(response.headers.get("content-length", -1)) == len(response.body)
                if (
                    response.status != 200
                    or not complete
                    or not response.body.rstrip().endswith((b"</html>", b"</feed>", b"}"))
                ):
                    self.failures.append(f"{page}: {response.status}, {len(response.body)} bytes")
            except Exception as error:  # noqa: BLE001 - recorded and asserted by the test
                self.failures.append(f"{page}: {type(error).__name__}: {error}")
            self.fetched += 1

    def events(self) -> list[object]:
        assert self.stream is not None
        found = []
        while not self.stream.queue.empty():
            event = self.stream.queue.get_nowait()
            if event is not None:
                found.append(event)
        return found


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_fifty_clients_through_twenty_rebuilds(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", site_files())
    pages = [
        "/",
        "/posts/post-00/",
        "/posts/post-17/",
        "/tags/docker/",
        "/static/style.css",
        "/atom.xml",
    ]
    pages += [f"/posts/post-{i:02}/" for i in range(0, POSTS, 3)]
    with ServeProcess(root) as server:
        pid = server.process.pid
        # warm up what starts lazily (a stream, a page, one rebuild), then take the baseline
        warm = server.events()
        warm.next(30)
        assert server.get("/").status == 200
        mark = server.mark()
        write_site(root, {"content/posts/post-29.md": post_text("Post number 29", "Warm-up edit.")})
        server.wait_for(r"rebuilt in", 60, start=mark)
        warm.close()
        before = settle(pid, (0, 0), 2.0)

        stop = threading.Event()
        clients = [Client(server, pages, stop) for _ in range(CLIENTS)]
        for client in clients:
            client.start()
        for client in clients:
            assert client.ready.wait(60)
        during = counts(pid)
        assert during[1] >= before[1] + CLIENTS, "each open stream holds a server thread"

        started = time.monotonic()
        for n in range(REBUILDS):
            mark = server.mark()
            write_site(
                root, {"content/posts/post-00.md": post_text("Post number 0", f"Edit number {n}.")}
            )
            server.wait_for(r"rebuilt in", 60, start=mark)
        rebuild_seconds = time.monotonic() - started
        time.sleep(0.5)  # let the last events reach every stream
        stop.set()
        for client in clients:
            client.join(30)
            assert not client.is_alive()

        failures = [f for client in clients for f in client.failures]
        assert failures == [], failures[:10]
        fetched = sum(client.fetched for client in clients)
        assert fetched >= CLIENTS * 2, fetched
        last = server.get("/__reload/state")
        final = int(last.text.split('"generation":')[1].split(",")[0])
        for client in clients:
            events = client.events()
            reloads = [e for e in events if e.name in ("reload", "css", "status")]
            assert reloads, "every client heard about the rebuilds"
            assert events[-1].generation == final, (events[-1].generation, final)
            assert client.stream is not None
            client.stream.close()

        after = settle(pid, before, 5.0)
        assert after[0] <= before[0], f"file descriptors: {before[0]} before, {after[0]} after"
        assert after[1] <= before[1], f"threads: {before[1]} before, {after[1]} after"
        assert server.get("/").status == 200
        assert "Traceback" not in server.output and "connection error" not in server.output
        print(
            f"\n{CLIENTS} clients, {REBUILDS} rebuilds in {rebuild_seconds:.1f} s, {fetched} pages fetched; "
            f"server fds/threads: {before} before, {during} during, {after} after"
        )

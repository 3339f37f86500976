"""Helpers for the preview-server tests: the real `build-site serve` in a subprocess, raw HTTP
requests (path sent exactly as written, like `curl --path-as-is`), and a server-sent-events
reader. Nothing here is mocked: every request crosses a real loopback socket."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from conftest import REPO

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def parse_response(raw: bytes, head: bool = False) -> Response:
    header_blob, _, body = raw.partition(b"\r\n\r\n")
    lines = header_blob.decode("iso-8859-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return Response(status, headers, b"" if head else body)


class ServeProcess:
    """`python -m site_builder serve --port 0 ...` with its stderr collected line by line."""

    def __init__(self, root: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "site_builder",
                "serve",
                "--root",
                str(root),
                "--port",
                "0",
                *args,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        match = self.wait_for(r"serving (http://\S+)", START_TIMEOUT)
        self.url = match.group(1)
        found = re.match(r"http://(\[[^\]]+\]|[^:/]+):(\d+)(/.*)", self.url)
        assert found, self.url
        self.host = found.group(1).strip("[]")
        self.port = int(found.group(2))
        self.base = found.group(3)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        with self._changed:
            return "\n".join(self.lines)

    def count(self, pattern: str) -> int:
        with self._changed:
            return sum(1 for line in self.lines if re.search(pattern, line))

    def wait_for(self, pattern: str, timeout: float = 60.0, start: int = 0) -> re.Match[str]:
        """The first stderr line (from line `start` on) matching `pattern`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[start:]:
                    match = re.search(pattern, line)
                    if match:
                        return match
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (
                    self.process.poll() is not None and not self._reader.is_alive()
                ):
                    raise AssertionError(
                        f"no line matching {pattern!r} in:\n" + "\n".join(self.lines)
                    )
                self._changed.wait(min(remaining, 0.5))

    def mark(self) -> int:
        with self._changed:
            return len(self.lines)

    def raw(self, data: bytes, timeout: float = 10.0) -> bytes:
        """Send bytes, read until the server closes (requests should say Connection: close)."""
        with socket.create_connection((self.host, self.port), timeout=timeout) as sock:
            sock.sendall(data)
            chunks = []
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)

    def get(
        self, target: str, method: str = "GET", headers: dict[str, str] | None = None
    ) -> Response:
        """A request with `target` sent as-is on the request line."""
        lines = [f"{method} {target} HTTP/1.1", f"Host: {self.host_header}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        raw = self.raw(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        return parse_response(raw, head=method == "HEAD")

    @property
    def host_header(self) -> str:
        return f"{'[' + self.host + ']' if ':' in self.host else self.host}:{self.port}"

    def events(self, since: str | None = None) -> EventStream:
        return EventStream(self.host, self.port, self.host_header, since)

    def stop(self, sig: int = signal.SIGINT, timeout: float = 30.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        code = self.process.wait(timeout)
        self._reader.join(5)
        return code

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass(frozen=True)
class Event:
    name: str
    id: str
    data: dict[str, object]

    @property
    def generation(self) -> int:
        return int(self.id.rpartition("-")[2])


class EventStream:
    """A server-sent-events client over a raw socket; events are queued by a reader thread."""

    def __init__(self, host: str, port: int, host_header: str, since: str | None) -> None:
        self.sock = socket.create_connection((host, port), timeout=60)
        target = "/__reload" + (f"?since={since}" if since else "")
        self.sock.sendall(
            f"GET {target} HTTP/1.1\r\nHost: {host_header}\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        self.file = self.sock.makefile("rb")
        status = self.file.readline().decode()
        self.status = int(status.split()[1])
        self.headers: dict[str, str] = {}
        while True:
            line = self.file.readline().decode("iso-8859-1").rstrip("\r\n")
            if not line:
                break
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()
        self.queue: queue.Queue[Event | None] = queue.Queue()
        self.comments: list[str] = []
        self.retry: int | None = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        fields: dict[str, str] = {}
        try:
            for raw in self.file:
                line = raw.decode("utf-8").rstrip("\r\n")
                if not line:
                    if "data" in fields:
                        self.queue.put(
                            Event(
                                fields.get("event", "message"),
                                fields.get("id", ""),
                                json.loads(fields["data"]),
                            )
                        )
                    fields = {}
                elif line.startswith(":"):
                    self.comments.append(line)
                else:
                    name, _, value = line.partition(":")
                    if name == "retry":
                        self.retry = int(value.strip())
                    else:
                        fields[name] = value.removeprefix(" ")
        except (OSError, ValueError):
            pass
        self.queue.put(None)

    def next(self, timeout: float = 60.0) -> Event:
        event = self.queue.get(timeout=timeout)
        if event is None:
            raise AssertionError("event stream closed")
        return event

    def until(self, predicate: object, timeout: float = 60.0) -> Event:
        """The next event for which `predicate(event)` is true (skipping others)."""
        deadline = time.monotonic() + timeout
        while True:
            event = self.next(max(0.1, deadline - time.monotonic()))
            if callable(predicate) and predicate(event):
                return event

    def closed(self, timeout: float = 30.0) -> bool:
        """Whether the stream ends (the server closed it) within `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.queue.get(timeout=max(0.1, deadline - time.monotonic())) is None:
                    return True
            except queue.Empty:
                return False
        return False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def write(path: Path, text: str) -> None:
    """Write a file the way an editor saving in place does, and make its mtime move."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def staging_leftovers(output: Path) -> list[str]:
    if not output.parent.exists():
        return []
    return sorted(
        p.name
        for p in output.parent.iterdir()
        if p.name.startswith((f".{output.name}.staging-", f".{output.name}.old-"))
    )


def post_text(title: str, body: str, *, date: str = "2024-01-02", extra: str = "") -> str:
    """A post with enough text that content checks stay quiet."""
    return (
        f"---\ntitle: {title}\ndate: {date}\ntags: [Docker]\n"
        "description: A short description of this post that is long enough to be useful in search results.\n"
        f"{extra}---\n\n{body}\n\n## Details\n\n"
        "This section has enough words in it to count as a real section of a real post, "
        "so that no content check complains about an almost empty section here.\n"
    )

#!/usr/bin/env python3
"""Save-to-reload latency of `build-site serve`: file write → reload event at the browser's socket.

    python bench/reload_latency.py [--posts 1000] [--edits 10] [--json] [--keep]

Generates the shared benchmark corpus (`../shared/bench/gen_corpus.py`) into a scratch site
under /tmp, starts the real server as a subprocess on a free loopback port, waits for the first
build, subscribes to `/__reload` like a page does, then edits one post `--edits` times. Each
sample is the time from just before the write to the arrival of the event announcing the new
generation (watch debounce + rebuild + publish + fingerprint + event). Between edits it waits
for the server to be idle. Prints the median, min and max (and the server's own build times).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GEN_CORPUS = REPO.parent / "shared" / "bench" / "gen_corpus.py"


class Server:
    """The real `build-site serve` subprocess, with its stderr lines collected."""

    def __init__(self, root: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder", "serve", "--root", str(root), "--port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                self.changed.notify_all()

    def wait_for(self, pattern: str, start: int = 0, timeout: float = 1800) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for line in self.lines[start:]:
                    if match := re.search(pattern, line):
                        return match
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit("server output:\n" + "\n".join(self.lines))
                self.changed.wait(0.5)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(60)


class Events:
    """A minimal server-sent-events reader on a raw socket."""

    def __init__(self, host: str, port: int) -> None:
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(f"GET /__reload HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        while self.file.readline() not in (b"\r\n", b""):
            pass

    def next(self) -> tuple[str, int, dict[str, object]]:
        """The next event: (name, generation, data); comments and retry lines are skipped."""
        fields: dict[str, str] = {}
        for raw in self.file:
            line = raw.decode().rstrip("\r\n")
            if not line:
                if "data" in fields:
                    data = json.loads(fields["data"])
                    return fields.get("event", "message"), int(data["generation"]), data
                fields = {}
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                fields[name] = value.strip()
        raise SystemExit("event stream closed")


def run(posts: int, edits: int, keep: bool) -> dict[str, object]:
    scratch = Path(tempfile.mkdtemp(prefix="reload-bench-", dir="/tmp"))
    site = scratch / "site"
    try:
        subprocess.run(
            [sys.executable, str(GEN_CORPUS), str(site / "content"), "--posts", str(posts)],
            check=True,
            capture_output=True,
        )
        (site / "site.toml").write_text('title = "Reload benchmark"\n')
        target = sorted((site / "content" / "posts").glob("*.md"))[posts // 2]
        original = target.read_text()
        started = time.perf_counter()
        server = Server(site)
        try:
            url = server.wait_for(r"serving (http://\S+)").group(1)
            startup = time.perf_counter() - started
            first_build = float(server.wait_for(r"built in ([\d.]+) s").group(1))
            host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()  # type: ignore[union-attr]
            events = Events(host, int(port))
            name, generation, _data = events.next()
            assert name == "hello", name
            samples: list[float] = []
            rebuilds: list[float] = []
            for n in range(edits):
                mark = len(server.lines)
                edit = f"\n---\n\nEdit number {n} of the benchmark.\n"
                text = original.replace("\n---\n", edit, 1)
                begin = time.perf_counter()
                target.write_text(text)
                while True:
                    name, new_generation, data = events.next()
                    if new_generation > generation:
                        break
                samples.append(time.perf_counter() - begin)
                generation = new_generation
                if data.get("ok") is not True:
                    log = "\n".join(server.lines[mark:])
                    raise SystemExit(f"edit {n} failed to build:\n{log}")
                rebuilt = server.wait_for(r"rebuilt in ([\d.]+) s", start=mark)
                rebuilds.append(float(rebuilt.group(1)))
                time.sleep(0.3)  # let the watcher go quiet so edits are not coalesced
        finally:
            code = server.stop()
        return {
            "posts": posts,
            "edits": edits,
            "startup_s": round(startup, 3),
            "first_build_s": first_build,
            "latency_ms": {
                "median": round(statistics.median(samples) * 1000, 1),
                "min": round(min(samples) * 1000, 1),
                "max": round(max(samples) * 1000, 1),
                "samples": [round(s * 1000, 1) for s in samples],
            },
            "rebuild_s_median": round(statistics.median(rebuilds), 3),
            "server_exit_code": code,
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
        }
    finally:
        if keep:
            print(f"kept {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the scratch site")
    args = parser.parse_args()
    result = run(args.posts, args.edits, args.keep)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    latency = result["latency_ms"]
    assert isinstance(latency, dict)
    rows = [
        ("posts", result["posts"]),
        ("edits", result["edits"]),
        ("first build (s)", result["first_build_s"]),
        ("start to listening (s)", result["startup_s"]),
        ("rebuild, server-reported median (s)", result["rebuild_s_median"]),
        ("save → reload event, median (ms)", latency["median"]),
        ("save → reload event, min (ms)", latency["min"]),
        ("save → reload event, max (ms)", latency["max"]),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"{'samples (ms)':<{width}}  {' '.join(str(s) for s in latency['samples'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`build-site check --external` against a real HTTP server on a free loopback port.

Covers every outcome (good, 404, refused, timeout, permanent redirect, missing #fragment,
refusing robots), HEAD-less servers, the cache file (the only file written), skip prefixes,
skipping local hosts by default, and the per-host concurrency limit.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import run_cli, snapshot

from site_builder.checks.fetch import fetch

PAGE = b'<html><body><h2 id="install">Install</h2><a name="legacy"></a></body></html>'


class Server:
    """A tiny site with one route per outcome; counts hits and concurrent requests."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.inflight = 0
        self.max_inflight = 0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_HEAD(self) -> None:
                self.answer(body=False)

            def do_GET(self) -> None:
                self.answer(body=True)

            def answer(self, body: bool) -> None:
                path = self.path
                with owner.lock:
                    owner.hits[path] = owner.hits.get(path, 0) + 1
                    owner.inflight += 1
                    owner.max_inflight = max(owner.max_inflight, owner.inflight)
                try:
                    self.route(path, body)
                finally:
                    with owner.lock:
                        owner.inflight -= 1

            def route(self, path: str, body: bool) -> None:
                if path.startswith("/slow"):
                    time.sleep(3)
                if path.startswith("/busy"):
                    time.sleep(0.5)
                if path == "/nohead" and not body:
                    return self.send(405)
                if path == "/gone":
                    return self.send(404)
                if path == "/forbidden":
                    return self.send(403)
                if path == "/moved":
                    return self.send(301, location="/page")
                if path == "/temp":
                    return self.send(302, location="/page")
                return self.send(200, PAGE if body else b"")

            def send(self, status: int, content: bytes = b"", location: str | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(content)))
                if location:
                    self.send_header("Location", location)
                self.end_headers()
                if content:
                    self.wfile.write(content)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def total(self) -> int:
        return sum(self.hits.values())


@pytest.fixture
def server():
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_with(make_site, body: str, checks: str = "external_local = true\nexternal_timeout = 1\n"):
    post = (
        "---\ntitle: Links Out\ndate: 2024-08-01\ntags: [Docker]\n"
        "description: A post that links to other sites, to check them all over the network.\n"
        f"---\n\n{body}"
    )
    return make_site({"content/posts/out.md": post, "site.toml": f"[checks]\n{checks}"})


def external(stdout: str) -> list[tuple[int, str, str]]:
    return [
        (r["line"], r["code"], r["message"])
        for r in json.loads(stdout)
        if r["code"].startswith("EXT")
    ]


@pytest.mark.slow
def test_every_outcome_at_its_link(make_site, server):
    dead = f"http://127.0.0.1:{closed_port()}/x"
    u = server.url
    body = (
        f"[good]({u}/page) and [anchor]({u}/page#install) and [legacy]({u}/page#legacy)\n"
        f"[gone]({u}/gone)\n[dead]({dead})\n[slow]({u}/slow)\n[moved]({u}/moved)\n"
        f"[temporary]({u}/temp)\n[missing anchor]({u}/page#nowhere)\n[forbidden]({u}/forbidden)\n"
        f"[no HEAD]({u}/nohead)\n"
    )
    root = site_with(make_site, body)
    result = run_cli("check", "--external", "--format", "json", "--root", root)
    assert result.returncode == 0, result.stderr
    assert external(result.stdout) == [
        (9, "EXT001", f"{u}/gone answers 404 Not Found"),
        (10, "EXT002", f"{dead} cannot be reached: connection refused"),
        (11, "EXT002", f"{u}/slow cannot be reached: no answer within 1 s"),
        (12, "EXT003", f"{u}/moved redirects permanently to {u}/page"),
        (14, "EXT004", f"'#nowhere' matches no id on {u}/page"),
        (15, "EXT005", f"{u}/forbidden answers 403 Forbidden: the site refuses automated checks"),
    ]
    assert run_cli("check", "--external", "--strict", "--root", root).returncode == 1


def test_text_report_puts_the_caret_under_the_url(make_site, server):
    root = site_with(make_site, f"See [the old page]({server.url}/gone) for details.\n")
    result = run_cli("check", "--external", "--root", root)
    url = f"{server.url}/gone"
    assert (
        f"content/posts/out.md:8:20: warning EXT001: {url} answers 404 Not Found" in result.stdout
    )
    assert (
        f"8 | See [the old page]({url}) for details.\n  | {' ' * 19}{'^' * len(url)}\n"
        in result.stdout
    )


def test_cache_keeps_good_answers_only_and_is_the_only_file_written(make_site, server):
    u = server.url
    root = site_with(make_site, f"[good]({u}/page) [anchor]({u}/page#install) [gone]({u}/gone)\n")
    before = snapshot(root)
    assert run_cli("check", "--external", "--root", root).returncode == 0
    assert snapshot(root) - before == {".site-cache", ".site-cache/external-links.json"}
    cache = json.loads((root / ".site-cache/external-links.json").read_text())
    assert list(cache["entries"]) == [f"{u}/page"]
    assert "install" in cache["entries"][f"{u}/page"]["ids"]
    first = dict(server.hits)
    assert first == {"/page": 1, "/gone": 2}, "one GET for the page, HEAD then GET for the 404"
    run_cli("check", "--external", "--root", root)
    assert server.hits == {"/page": 1, "/gone": 4}, "the good page came from the cache"


def test_expired_cache_entries_are_checked_again(make_site, server):
    u = server.url
    root = site_with(make_site, f"[good]({u}/page)\n")
    (root / ".site-cache").mkdir()
    stale = {
        "version": 1,
        "entries": {
            f"{u}/page": {
                "checked": 1.0,
                "status": 200,
                "final_url": f"{u}/page",
                "moved_to": None,
                "ids": None,
            }
        },
    }
    (root / ".site-cache/external-links.json").write_text(json.dumps(stale))
    run_cli("check", "--external", "--root", root)
    assert server.hits == {"/page": 1}
    fresh = json.loads((root / ".site-cache/external-links.json").read_text())
    assert fresh["entries"][f"{u}/page"]["checked"] > 1.0


def test_no_cache_when_hours_is_zero_and_a_damaged_cache_is_ignored(make_site, server):
    u = server.url
    root = site_with(
        make_site, f"[good]({u}/page)\n", "external_local = true\nexternal_cache_hours = 0\n"
    )
    run_cli("check", "--external", "--root", root)
    assert not (root / ".site-cache").exists()
    damaged = site_with(make_site, f"[good]({u}/page)\n")
    (damaged / ".site-cache").mkdir()
    (damaged / ".site-cache/external-links.json").write_text("{not json")
    assert run_cli("check", "--external", "--root", damaged).returncode == 0
    assert json.loads((damaged / ".site-cache/external-links.json").read_text())["version"] == 1


def test_skip_prefixes_and_local_hosts(make_site, server):
    u = server.url
    skipped = site_with(
        make_site,
        f"[a]({u}/gone) [b]({u}/page)\n",
        f'external_local = true\nexternal_skip_prefixes = ["{u}/gone"]\n',
    )
    result = run_cli("check", "--external", "--format", "json", "--root", skipped)
    assert external(result.stdout) == [] and server.hits == {"/page": 1}
    local = site_with(make_site, f"[a]({u}/gone)\n", "")
    result = run_cli("check", "--external", "--format", "json", "--root", local)
    assert external(result.stdout) == [] and server.hits == {"/page": 1}, "loopback is skipped"


def test_no_network_without_the_flag(make_site, server):
    root = site_with(make_site, f"[gone]({server.url}/gone)\n")
    assert run_cli("check", "--root", root).returncode == 0
    assert run_cli("--root", root).returncode == 0
    assert server.total() == 0 and not (root / ".site-cache" / "external-links.json").exists()


@pytest.mark.slow
def test_each_url_is_fetched_once_and_hosts_get_two_requests_at_a_time(make_site, server):
    u = server.url
    links = " ".join(f"[busy {n}]({u}/busy{n}) [again {n}]({u}/busy{n})" for n in range(6))
    root = site_with(make_site, links + "\n")
    assert run_cli("check", "--external", "--root", root).returncode == 0
    assert server.hits == {f"/busy{n}": 1 for n in range(6)}
    assert server.max_inflight == 2


def test_fetch_reports_dns_failures_without_raising():
    answer = fetch("http://no-such-host.invalid/", timeout=2, agent="test")
    assert answer.status is None and answer.error


def test_a_symlinked_cache_folder_is_refused(make_site, server, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = site_with(make_site, f"[good]({server.url}/page)\n")
    (root / ".site-cache").symlink_to(elsewhere)
    result = run_cli("check", "--external", "--format", "json", "--root", root)
    assert result.returncode == 0
    records = json.loads(result.stdout)
    assert [(r["path"], r["code"]) for r in records] == [
        (".site-cache/external-links.json", "EXT006")
    ]
    assert "symlink" in records[0]["message"]
    assert list(elsewhere.iterdir()) == [], "nothing is written through the link"

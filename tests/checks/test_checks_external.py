"""`build-site check --external` against a real HTTP server on a free loopback port.

Covers every outcome (good, 404, refused, timeout, permanent redirect, missing #fragment,
refusing robots), HEAD-less servers, the cache file (the only file written), skip prefixes,
skipping local hosts by default, and the per-host concurrency limit. Local addresses in any
spelling are never fetched, nor is a redirect hop to one (the server stands in for a public
site through `Reach.exempt`, which allows its one address and port); connections go to the
checked address, with the name kept for Host, SNI and the certificate check.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import run_cli, snapshot

from site_builder.checks.addresses import Reach
from site_builder.checks.fetch import fetch

LOCAL_OK = Reach(allow_local=True)

PAGE = b'<html><body><h2 id="install">Install</h2><a name="legacy"></a></body></html>'


class Server:
    """A tiny site with one route per outcome; counts hits and concurrent requests."""

    def __init__(self) -> None:
        self.hits: dict[str, int] = {}
        self.hosts: list[str] = []
        self.redirects: dict[str, tuple[int, str]] = {}
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
                    owner.hosts.append(self.headers.get("Host", ""))
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
                if path in owner.redirects:
                    status, location = owner.redirects[path]
                    return self.send(status, location=location)
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
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def total(self) -> int:
        return sum(self.hits.values())


def _serve():
    running = Server()
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture
def server():
    yield from _serve()


@pytest.fixture
def internal():
    """A second server: the internal page a public one might redirect to."""
    yield from _serve()


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
        "version": 3,
        "entries": {
            f"{u}/page": {
                "checked": 1.0,
                "status": 200,
                "final_url": f"{u}/page",
                "moved_to": None,
                "ids": None,
                "local": True,
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
    result = run_cli("check", "--external", "--format", "json", "--root", root)
    assert external(result.stdout) == [], "a good answer is good without the cache"
    assert server.hits == {"/page": 1}
    assert not (root / ".site-cache").exists()
    damaged = site_with(make_site, f"[good]({u}/page)\n")
    (damaged / ".site-cache").mkdir()
    (damaged / ".site-cache/external-links.json").write_text("{not json")
    assert run_cli("check", "--external", "--root", damaged).returncode == 0
    assert json.loads((damaged / ".site-cache/external-links.json").read_text())["version"] == 3


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
        (".site-cache", "CACHE002"),  # the build cache refuses the folder
        (".site-cache/external-links.json", "EXT006"),  # and so does the link cache
    ]
    assert all("symlink" in record["message"] for record in records)
    assert list(elsewhere.iterdir()) == [], "nothing is written through the link"


LOOPBACK_SPELLINGS = ["127.1", "0177.0.0.1", "127.000.000.001", "0x7f.1", "2130706433"]


def test_loopback_in_any_spelling_is_never_fetched(server):
    spellings = [*LOOPBACK_SPELLINGS, "localhost", "[::ffff:7f00:1]"]
    for spelling in spellings:
        url = f"http://{spelling}:{server.port}/page"
        answer = fetch(url, timeout=2, agent="test")
        assert answer.status is None and answer.refused, spelling
        assert "a loopback address" in answer.refused
    assert server.total() == 0
    reached = [
        fetch(f"http://{s}:{server.port}/page", timeout=2, agent="test", reach=LOCAL_OK).status
        for s in spellings
    ]
    assert reached == [200] * len(spellings), "each spelling reaches it when local is allowed"


def test_local_spellings_are_skipped_by_the_cli_unless_external_local(make_site, server):
    links = " ".join(
        f"[{n}](http://{s}:{server.port}/page)" for n, s in enumerate(LOOPBACK_SPELLINGS)
    )
    root = site_with(make_site, links + "\n", "external_timeout = 2\n")
    result = run_cli("check", "--external", "--format", "json", "--root", root)
    assert external(result.stdout) == [] and server.total() == 0
    allowed = site_with(make_site, links + "\n", "external_local = true\nexternal_timeout = 2\n")
    result = run_cli("check", "--external", "--format", "json", "--root", allowed)
    assert external(result.stdout) == [] and server.hits == {"/page": len(LOOPBACK_SPELLINGS)}


def _check(root, reach):
    from site_builder.checks.external import check_external
    from site_builder.pipeline.phases import BuildOptions, load

    loaded = load(root, BuildOptions())
    assert loaded.site is not None
    found = check_external(loaded.config, loaded.site, now=time.time(), reach=reach)
    return [(d.line, d.code, d.message) for d in found]


def test_a_redirect_to_a_local_address_is_refused_and_never_fetched(make_site, server, internal):
    u, port = server.url, internal.port
    server.redirects = {
        "/docs": (302, f"http://127.0.0.1:{port}/admin"),
        "/guide": (301, "/guide-v2"),
        "/guide-v2": (307, f"http://0177.0.0.1:{port}/admin"),
        "/wiki": (302, f"http://localhost:{port}/admin"),
    }
    body = f"[a]({u}/docs#nowhere)\n[b]({u}/guide#nowhere)\n[c]({u}/wiki)\n[d]({u}/page#install)\n"
    root = site_with(make_site, body, "external_timeout = 2\n")
    public_stand_in = Reach(exempt=frozenset({("127.0.0.1", server.port)}))
    found = _check(root, public_stand_in)
    assert [(line, code) for line, code, _ in found] == [
        (8, "EXT002"),
        (9, "EXT002"),
        (10, "EXT002"),
    ]
    assert found[0][2] == (
        f"{u}/docs is not checked: it redirects to http://127.0.0.1:{port}/admin, "
        "and 127.0.0.1 is a loopback address"
    )
    assert found[1][2] == (
        f"{u}/guide is not checked: it redirects to http://0177.0.0.1:{port}/admin, "
        "and 0177.0.0.1 is 127.0.0.1, a loopback address"
    )
    assert (
        f"it redirects to http://localhost:{port}/admin, and localhost resolves to" in found[2][2]
    )
    assert internal.total() == 0, "the internal page was never asked for"
    cache = json.loads((root / ".site-cache/external-links.json").read_text())
    assert list(cache["entries"]) == [f"{u}/page"], "refused links are not cached"
    assert cache["entries"][f"{u}/page"]["local"] is True

    # With local addresses allowed the same links reach the internal page: the oracle that was.
    found = _check(root, Reach(allow_local=True))
    assert [(line, code) for line, code, _ in found] == [
        (8, "EXT004"),
        (9, "EXT003"),
        (9, "EXT004"),
    ]
    assert internal.hits == {"/admin": 3}

    # Its ids are now cached, marked local: refusing local addresses again ignores them.
    found = _check(root, public_stand_in)
    assert [(line, code) for line, code, _ in found] == [
        (8, "EXT002"),
        (9, "EXT002"),
        (10, "EXT002"),
    ]
    assert internal.hits == {"/admin": 3}


def test_redirect_chains_are_limited(server):
    server.redirects = {f"/r{n}": (302, f"/r{n + 1}") for n in range(20)}
    answer = fetch(f"{server.url}/r0", timeout=2, agent="test", reach=LOCAL_OK)
    assert answer.status is None and answer.error == "more than 10 redirects"
    assert server.total() == 11


def test_the_connection_goes_to_the_checked_address_with_the_name_in_host(server):
    from ipaddress import IPv4Address

    from site_builder.checks.fetch import pinned_connection

    name = "no-such-host.invalid"
    connection = pinned_connection("http", name, server.port, [IPv4Address("127.0.0.1")], 2)
    connection.request("GET", "/page")
    response = connection.getresponse()
    assert response.status == 200 and b'id="install"' in response.read()
    connection.close()
    assert server.hosts == [f"{name}:{server.port}"], "no lookup of the name, which has none"


@pytest.fixture
def tls_server(tmp_path, monkeypatch):
    """An HTTPS server on loopback whose certificate names `pinned.test`, trusted here."""
    import subprocess

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=pinned.test"),
            *("-addext", "subjectAltName=DNS:pinned.test"),
        ],
        check=True,
        capture_output=True,
    )
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    names: list[str | None] = []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    running = Server()
    running.httpd.socket = context.wrap_socket(running.httpd.socket, server_side=True)
    running.names = names
    running.thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.mark.timeout(30)
def test_tls_is_verified_against_the_name_not_the_address(tls_server):
    from ipaddress import IPv4Address

    from site_builder.checks.fetch import pinned_connection

    loopback = [IPv4Address("127.0.0.1")]
    good = pinned_connection("https", "pinned.test", tls_server.port, loopback, 5)
    good.request("GET", "/page")
    assert good.getresponse().status == 200
    good.close()
    assert tls_server.names == ["pinned.test"]
    assert tls_server.hosts == [f"pinned.test:{tls_server.port}"]
    wrong = pinned_connection("https", "other.test", tls_server.port, loopback, 5)
    with pytest.raises(ssl.SSLCertVerificationError, match=r"other\.test"):
        wrong.request("GET", "/page")
    wrong.close()
    assert tls_server.hosts == [f"pinned.test:{tls_server.port}"]


@pytest.mark.parametrize("target", ["ftp://files.example.com/x.tar", "file:///etc/passwd"])
def test_a_redirect_to_another_scheme_is_a_broken_link_not_a_success(server, target):
    server.redirects = {"/to-ftp": (301, target)}
    answer = fetch(f"{server.url}/to-ftp", timeout=2, agent="test", reach=LOCAL_OK)
    assert not answer.ok
    assert answer.error == f"it redirects to {target}, which is not an http(s) address"
    assert server.total() == 1


def test_page_ids_are_the_anchors_a_browser_would_scroll_to():
    from site_builder.checks.fetch import page_ids

    html = b"""<!doctype html><html><head>
    <meta name="description" content="x"><script>var s = '<h2 id="in-script">';</script>
    </head><body>
    <!-- <h2 id="in-comment">old</h2> -->
    <h2 id="install">Install</h2><h3 id='q&amp;a'>Q&A</h3><a name="legacy"></a>
    <input name="q"><section id=bare>s</section><img id="self-closed"/>
    </body></html>"""
    assert page_ids(html) == {"install", "q&a", "legacy", "bare", "self-closed"}

"""The preview server over real sockets: types, safety rules, the traversal list, base paths."""

from __future__ import annotations

import io
import re
import signal
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from conftest import run_cli
from serve_support import Response, ServeProcess, parse_response, post_text, staging_leftovers

from site_builder.serve.reload import Hub, SiteState
from site_builder.serve.server import PreviewHandler, PreviewServer

MakeSite = Callable[[Mapping[str, str | bytes]], Path]

SITE = {
    "content/posts/hello.md": post_text("Hello preview", "The first paragraph of the hello post."),
    "content/posts/second.md": post_text("Second post", "Another post body.", date="2024-02-03"),
    "content/static/images/dot.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 16,
    "content/static/notes.txt": "plain notes\n",
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServeProcess, Path]]:
    root = tmp_path_factory.mktemp("served")
    for rel, content in SITE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    evil = root / "output-evil"
    evil.mkdir()
    (evil / "secret").write_text("SIBLING-SECRET")
    (root / "secret.txt").write_text("ROOT-SECRET")
    with ServeProcess(root) as server:
        # planted after the build: a symlink inside the served folder must not be followed
        (root / "output" / "leak").symlink_to(evil / "secret")
        (root / "output" / "posts" / "linked").symlink_to(evil, target_is_directory=True)
        yield server, root


def test_pages_and_assets_have_the_right_types(served: tuple[ServeProcess, Path]) -> None:
    server, _root = served
    cases = {
        "/": "text/html; charset=utf-8",
        "/posts/hello/": "text/html; charset=utf-8",
        "/static/style.css": "text/css; charset=utf-8",
        "/static/pygments.css": "text/css; charset=utf-8",
        "/images/dot.png": "image/png",
        "/notes.txt": "text/plain; charset=utf-8",
    }
    for target, expected in cases.items():
        response = server.get(target)
        assert response.status == 200, (target, response.status)
        assert response.headers["content-type"] == expected, target
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert int(response.headers["content-length"]) == len(response.body)
    page = server.get("/posts/hello/").text
    assert "The first paragraph of the hello post." in page
    assert 'id="__sb-reload"' in page and page.index('id="__sb-reload"') < page.rindex("</body>")
    assert "__sb-reload" not in server.get("/static/style.css").text


def test_head_matches_get_without_a_body(served: tuple[ServeProcess, Path]) -> None:
    server, _root = served
    get, head = server.get("/posts/hello/"), server.get("/posts/hello/", "HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["content-length"] == get.headers["content-length"]


def test_missing_pages_get_the_sites_404_page(served: tuple[ServeProcess, Path]) -> None:
    server, root = served
    response = server.get("/posts/nope/")
    assert response.status == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    theirs = (root / "output" / "404.html").read_text()
    title = re.search(r"<title>(.*?)</title>", theirs)
    assert title and title.group(1) in response.text
    assert '"status":404' in response.text.replace("&quot;", '"')


def test_folders_redirect_to_the_slash_and_are_never_listed(
    served: tuple[ServeProcess, Path],
) -> None:
    server, root = served
    response = server.get("/posts/hello")
    assert response.status == 301 and response.headers["location"] == "/posts/hello/"
    assert (root / "output" / "posts").is_dir() and not (
        root / "output" / "posts" / "index.html"
    ).exists()
    listing = server.get("/posts/")
    assert (
        listing.status == 404
        and "hello" not in listing.text.split("<script")[0].lower().split("</h1>")[-1]
    )
    assert server.get("/static/style.css/").status == 404


@pytest.mark.parametrize(
    "method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO"]
)
def test_only_get_and_head_are_allowed(served: tuple[ServeProcess, Path], method: str) -> None:
    server, _root = served
    target = "localhost:1" if method == "CONNECT" else "/"
    response = server.get(target, method)
    assert response.status == 405
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:80", "localhost.evil.example", "127.0.0.1.nip.io"]
)
def test_foreign_host_headers_are_refused(served: tuple[ServeProcess, Path], host: str) -> None:
    server, _root = served
    raw = server.raw(f"GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
    response = parse_response(raw)
    assert response.status == 403
    assert "Hello preview" not in response.text


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "[::1]"])
def test_local_host_headers_are_served(served: tuple[ServeProcess, Path], host: str) -> None:
    server, _root = served
    raw = server.raw(
        f"GET / HTTP/1.1\r\nHost: {host}:{server.port}\r\nConnection: close\r\n\r\n".encode()
    )
    assert parse_response(raw).status == 200


TRAVERSALS = [
    "/../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%252e%252e/%252e%252e/secret.txt",
    "/%2e%2e%2fx",
    "/..%2f..%2fx",
    "/..%5c..%5cwin.ini",
    "/%c0%ae%c0%ae/x",
    "/..%20/x",
    "/%00",
    "/a/../../b",
    "//evil.example/%2f..",
    "/../output-evil/secret",
    "/%2e%2e/output-evil/secret",
    "/..%2foutput-evil%2fsecret",
    "/../secret.txt",
    "/leak",
    "/posts/linked/secret",
    "/posts/hello/../../../secret.txt",
    "/.site-builder-output",
    "//",
    "/\\..\\secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_traversal_never_escapes_the_build(
    served: tuple[ServeProcess, Path], target: str, method: str
) -> None:
    server, _root = served
    raw = server.raw(
        f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nConnection: close\r\n\r\n".encode(
            "latin-1"
        )
    )
    response = parse_response(raw)
    assert response.status in (400, 404, 405), (target, response.status)
    for secret in (
        b"SIBLING-SECRET",
        b"ROOT-SECRET",
        b"root:x:0:0",
        b"marker",
        b"built by site_builder",
    ):
        assert secret not in raw
    location = response.headers.get("location")
    assert location is None or (location.startswith("/") and not location.startswith("//"))
    assert server.get("/").status == 200


def test_traversal_with_http_10_and_no_host_header(served: tuple[ServeProcess, Path]) -> None:
    server, _root = served
    for target in TRAVERSALS:
        raw = server.raw(f"GET {target} HTTP/1.0\r\n\r\n".encode("latin-1"))
        assert parse_response(raw).status in (400, 404), target
        assert b"SECRET" not in raw
    assert server.get("/").status == 200


def test_malformed_requests_are_answered_and_survived(served: tuple[ServeProcess, Path]) -> None:
    server, _root = served
    assert parse_response(server.raw(b"GET /\r\n\r\n")).status == 400  # HTTP/0.9
    assert parse_response(server.raw(b"GET / HTTP/9.9\r\n\r\n")).status in (400, 505)
    assert parse_response(server.raw(b"GARBAGE\r\n\r\n")).status == 400
    assert parse_response(server.raw(b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n")).status == 414
    socket.create_connection((server.host, server.port)).close()  # connect, say nothing
    with socket.create_connection((server.host, server.port)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")  # and hang up half-way
    assert server.get("/").status == 200


def test_keep_alive_serves_several_requests_on_one_connection(
    served: tuple[ServeProcess, Path],
) -> None:
    server, _root = served
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        reader = sock.makefile("rb")
        for target in ("/", "/static/style.css", "/posts/hello/"):
            sock.sendall(f"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            status = reader.readline()
            assert b" 200 " in status
            length = 0
            while (line := reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            assert len(reader.read(length)) == length


def test_output_folder_never_contains_the_reload_script(served: tuple[ServeProcess, Path]) -> None:
    server, root = served
    assert "__sb-reload" in server.get("/").text
    for path in (root / "output").rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            assert b"__reload" not in data and b"__sb-" not in data, path


def test_an_error_in_a_handler_is_an_escaped_500_and_the_server_lives_on(tmp_path: Path) -> None:
    class Exploding(PreviewHandler):
        def route(self) -> None:
            if self._target().startswith("/boom"):
                raise RuntimeError("<script>alert('boom')</script>")
            super().route()

    output = tmp_path / "output"
    output.mkdir()
    (output / "index.html").write_text("<html><body>home</body></html>")
    hub = Hub(SiteState("s", 1, output))
    log = io.StringIO()
    server = PreviewServer(("127.0.0.1", 0), hub, bound_host="127.0.0.1", log=log)
    server.RequestHandlerClass = Exploding
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        port = server.server_address[1]

        def get(target: str) -> Response:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
                sock.sendall(
                    f"GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
                )
                return parse_response(b"".join(iter(lambda: sock.recv(65536), b"")))

        for _ in range(3):
            boom = get("/boom")
            assert boom.status == 500
            assert "<script>alert" not in boom.text
            assert "&lt;script&gt;alert(&#x27;boom&#x27;)&lt;/script&gt;" in boom.text
            assert boom.headers["cache-control"] == "no-store"
        assert get("/").status == 200
        assert "RuntimeError" in log.getvalue() and "Traceback" in log.getvalue()
    finally:
        server.shutdown()
        server.server_close()


def test_a_site_under_a_base_path_is_served_there(make_site: MakeSite) -> None:
    root = make_site(
        {
            "site.toml": 'title = "Sub"\nbase_url = "https://someone.github.io/blog/"\n',
            "content/posts/hello.md": post_text("Hello base", "Served below /blog/."),
        }
    )
    with ServeProcess(root) as server:
        assert server.base == "/blog/"
        home = server.get("/")
        assert home.status == 302 and home.headers["location"] == "/blog/"
        bare = server.get("/blog")
        assert bare.status == 301 and bare.headers["location"] == "/blog/"
        page = server.get("/blog/posts/hello/")
        assert page.status == 200 and "Served below /blog/." in page.text
        assert 'href="/blog/static/style.css"' in page.text
        assert server.get("/blog/static/style.css").status == 200
        assert server.get("/posts/hello/").status == 404
        assert server.get("/blogx/").status == 404
        assert '"home":"/blog/"' in page.text.replace("&quot;", '"')


def test_first_build_failing_without_output_shows_the_problems(make_site: MakeSite) -> None:
    root = make_site({"content/posts/broken.md": "---\ntitle: [unclosed\n---\n\nBody.\n"})
    with ServeProcess(root) as server:
        response = server.get("/")
        assert response.status == 503
        assert 'id="__sb-overlay"' in response.text
        assert "content/posts/broken.md:" in response.text
        assert not (root / "output").exists()
        assert server.get("/static/style.css").status == 503


def test_binding_a_non_loopback_address_warns(make_site: MakeSite) -> None:
    root = make_site({"content/posts/a.md": post_text("A", "Body.")})
    with ServeProcess(root, "--host", "0.0.0.0") as server:
        assert "warning: listening on 0.0.0.0" in server.output
        server.host = "127.0.0.1"
        assert server.get("/").status == 200
        raw = server.raw(b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        assert parse_response(raw).status == 403


def test_a_busy_explicit_port_is_a_clear_error(make_site: MakeSite) -> None:
    root = make_site({"content/posts/a.md": post_text("A", "Body.")})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--root", root, "--port", str(port), timeout=60)
    assert result.returncode == 1
    assert "cannot listen on 127.0.0.1" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_port_is_a_usage_error(make_site: MakeSite) -> None:
    root = make_site({"content/posts/a.md": post_text("A", "Body.")})
    result = run_cli("serve", "--root", root, "--port", "99999")
    assert result.returncode == 2 and "not a port number" in result.stderr


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_stopping_is_clean(make_site: MakeSite, sig: int) -> None:
    root = make_site({"content/posts/a.md": post_text("A", "Body.")})
    server = ServeProcess(root)
    with server:
        stream = server.events()
        assert stream.next().name == "hello"
        assert server.stop(sig) == 0
        assert stream.closed()
    assert "Traceback" not in server.output
    assert server.output.rstrip().endswith("build-site: stopped")
    assert staging_leftovers(root / "output") == []
    assert (root / "output" / "index.html").is_file()


def test_drafts_get_a_ribbon_when_the_theme_shows_no_banner(make_site: MakeSite) -> None:
    draft = post_text("Draft post", "Unfinished.", extra="published: false\n")
    plain_theme = (
        '{% extends "base.html" %}\n{% block content %}<article>{{ post.html | safe }}</article>'
        "{% endblock %}\n"
    )
    themed = make_site(
        {"content/posts/a.md": post_text("A", "Body."), "content/posts/draft.md": draft}
    )
    custom = make_site(
        {
            "content/posts/a.md": post_text("A", "Body."),
            "content/posts/draft.md": draft,
            "themes/default/templates/post.html": plain_theme,
        }
    )
    with ServeProcess(themed, "--drafts") as server:
        page = server.get("/posts/draft/").text
        assert "draft-banner" in page and 'id="__sb-draft"' not in page
        assert "output/ now holds drafts" in server.output
    with ServeProcess(custom, "--drafts") as server:
        assert 'id="__sb-draft"' in server.get("/posts/draft/").text
        assert 'id="__sb-draft"' not in server.get("/posts/a/").text
    with ServeProcess(custom) as server:
        assert server.get("/posts/draft/").status == 404


def test_serve_hides_drafts_and_says_so(make_site: MakeSite) -> None:
    """A preview is a build of output/ like any other, so a draft stays out unless asked for
    (never published by accident); `build-site new` makes a draft, so serve says it hides one."""
    draft = post_text("Draft post", "Unfinished.", extra="published: false\n")
    root = make_site(
        {"content/posts/a.md": post_text("A", "Body."), "content/posts/draft.md": draft}
    )
    with ServeProcess(root) as server:
        assert server.get("/posts/draft/").status == 404
        assert "1 draft is hidden (published: false); --drafts shows them, marked DRAFT" in (
            server.output
        )
        assert "CFG005" not in server.output, "the preview is local by design"
    with ServeProcess(root, "--drafts") as server:
        assert "draft-banner" in server.get("/posts/draft/").text
        assert "is hidden" not in server.output
        assert "output/ now holds drafts; run 'build-site build' before deploying it" in (
            server.output
        )
    built = run_cli("--root", root)
    assert "1 draft skipped (--drafts)" in built.stderr
    assert not (root / "output/posts/draft").exists(), "build drops the drafts serve showed"

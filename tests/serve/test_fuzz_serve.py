"""Request targets fuzzed against the REAL preview server (`build-site serve` in a subprocess,
raw request lines over a loopback socket, sent as written, like `curl --path-as-is`).

Around the served build sit files no request may ever reach: a secret in the site root, one in
the folder above, one in a sibling folder that shares the output's name as a prefix
(`output-evil/`, Eleventy #152), the sources (a post and `site.toml` holding secrets that are
never rendered), the build cache, and `/etc/passwd`. Properties, for any target:
- the server answers (a status line), never with a 500 (a handler that threw, Eleventy #150);
- no byte of any secret is ever in a response;
- a 200 is a file of the build; a redirect stays on this host (CVE-2021-28861);
- afterwards the server still serves `/`.
"""

from __future__ import annotations

import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import post, write_site
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from serve_support import ServeProcess, parse_response

TOKEN = uuid.uuid4().hex[:12]
SECRETS = {
    "root": f"ROOT-SECRET-{TOKEN}",
    "above": f"ABOVE-SECRET-{TOKEN}",
    "sibling": f"SIBLING-SECRET-{TOKEN}",
    "source": f"SOURCE-SECRET-{TOKEN}",
    "config": f"CONFIG-SECRET-{TOKEN}",
    "passwd": "root:x:0:0:",
}
SEGMENTS = ["", ".", "..", "...", "%2e", "%2E", "%2e%2e", ".%2e", "%2e.", "%2f", "%2F", "%5c", "%5C",
            "\\", "..\\", "%00", "\x00", "%c0%ae", "%c0%ae%c0%ae", "%c0%af", "%e0%80%ae", "..%2f",
            "..%5c", "%252e%252e", "%25", "~", "output", "output-evil", "secret", "secret.txt",
            "site.toml", "content", "posts", "hello", "hello.md", "index.html", "static",
            "style.css", ".site-cache", "state.pickle", ".site-builder-output", ".output.spare",
            "etc", "passwd", "..%20", ".. ", "%20", "a", "é", "%e9", "%ff", "__reload", "state",
            "?x=1", "#f", ";", "%3b", "*", "%2e%2e%2f%2e%2e%2f", "..;", "%u002e", "０", "．．"]  # fmt: skip
PREFIXES = ["/", "//", "///", "", "http://localhost", "http://evil.example/", "/..", "\\\\"]
GOOD = [
    "posts",
    "hello",
    "static",
    "style.css",
    "notes.txt",
    "tags",
    "docker",
    "index.html",
    "404.html",
    "atom.xml",
    "feed.json",
    "sitemap.xml",
    "search",
    "pagefind",
    "archive",
    "",
]
near_valid = st.tuples(
    st.lists(st.sampled_from(GOOD), min_size=1, max_size=4),
    st.sampled_from(SEGMENTS),
    st.integers(0, 4),
).map(lambda t: "/" + "/".join([*t[0][: t[2]], t[1], *t[0][t[2] :]]))
targets = st.one_of(
    near_valid,
    st.lists(st.sampled_from(GOOD), max_size=4).map(lambda parts: "/" + "/".join(parts)),
    st.tuples(
        st.sampled_from(PREFIXES), st.lists(st.sampled_from(SEGMENTS), max_size=8), st.booleans()
    ).map(lambda t: t[0] + "/".join(t[1]) + ("/" if t[2] else "")),
    st.text(st.characters(blacklist_characters="\r\n", max_codepoint=0x2FFF), max_size=40).map(
        lambda t: "/" + t
    ),
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServeProcess, Path]]:
    workspace = tmp_path_factory.mktemp("fuzz-serve")
    root = write_site(
        workspace / "site",
        {
            # A YAML comment: no diagnostic points at it, so the overlay (which shows the lines
            # that problems point at, as the terminal does) has no reason to quote it.
            "content/posts/hello.md": post("Hello").replace(
                "---\n\n", f"# internal: {SECRETS['source']}\n---\n\n", 1
            ),
            "content/static/notes.txt": "plain notes\n",
            "site.toml": f'# {SECRETS["config"]}\ntitle = "Fuzzed"\n',
            "secret.txt": SECRETS["root"],
            "output-evil/secret": SECRETS["sibling"],
        },
    )
    (workspace / "secret.txt").write_text(SECRETS["above"])
    with ServeProcess(root) as server:
        yield server, root


def send(server: ServeProcess, request: bytes) -> bytes:
    """The raw response: read until the server closes, or, for a stream that stays open (the
    reload events), until it has been quiet for a second."""
    with socket.create_connection((server.host, server.port), timeout=10) as sock:
        sock.sendall(request)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                assert b"text/event-stream" in b"".join(chunks)[:1024], b"".join(chunks)[:300]
                break
            if not chunk:
                break
            chunks.append(chunk)
            if b"text/event-stream" in chunks[0][:1024]:
                sock.settimeout(1.0)
    return b"".join(chunks)


def build_files(root: Path) -> set[bytes]:
    return {p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(targets)
@example("/../secret.txt")
@example("/%2e%2e/%2e%2e/secret.txt")
@example("/../output-evil/secret")
@example("/%2e%2e%2foutput-evil%2fsecret")
@example("//evil.example/%2f..")
@example("/..%5c..%5csecret.txt")
@example("/%c0%ae%c0%ae/secret.txt")
@example("/..%20/secret.txt")
@example("/../../etc/passwd")
@example("/../content/posts/hello.md")
@example("/../.site-cache/state.pickle")
def test_no_target_ever_reaches_outside_the_build(
    served: tuple[ServeProcess, Path], target: str
) -> None:
    server, root = served
    request = f"GET {target} HTTP/1.1\r\nHost: {server.host_header}\r\nConnection: close\r\n\r\n"
    raw = send(server, request.encode("utf-8", "surrogateescape"))
    assert raw.startswith(b"HTTP/1."), raw[:200]
    response = parse_response(raw)
    event(f"status {response.status}")
    assert response.status != 500, (target, response.text[:500])
    for name, secret in SECRETS.items():
        assert secret.encode() not in raw, (name, target)
    if response.status == 200 and not response.headers["content-type"].startswith(
        "text/event-stream"
    ):
        body = response.body
        if response.headers["content-type"].startswith("text/html"):
            body = body.split(b"<script id=", 1)[0]  # the injected reload script and overlay
            assert any(content.startswith(body[:512]) for content in build_files(root)), target
        else:
            assert body in build_files(root), target
    if response.status in (301, 302, 303, 307, 308):
        location = response.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (
            target,
            location,
        )


def test_the_server_still_serves_after_the_fuzzing(served: tuple[ServeProcess, Path]) -> None:
    server, _root = served
    assert server.get("/").status == 200
    assert server.get("/posts/hello/").status == 200
    assert server.process.poll() is None
    assert "Traceback" not in server.output

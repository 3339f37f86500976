"""The preview server's request-path rules (paths, files, hosts), without a server."""

from __future__ import annotations

import os
import socket
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from site_builder.publish.swap import MARKER
from site_builder.serve.files import Found, NeedsSlash, content_type, locate
from site_builder.serve.hosts import host_allowed, host_name, is_loopback
from site_builder.serve.paths import Refusal, RequestPath, base_segments, normalise, url_for

# -- normalise: the design note's list, and the obvious good cases ------------------------------


@pytest.mark.parametrize(
    ("target", "segments", "trailing"),
    [
        ("/", (), True),
        ("/index.html", ("index.html",), False),
        ("/posts/hello/", ("posts", "hello"), True),
        ("/posts/hello", ("posts", "hello"), False),
        ("/static/style.css?v=3#top", ("static", "style.css"), False),
        ("/static/caf%C3%A9.png", ("static", "café.png"), False),
        ("/a%20b/", ("a b",), True),
        ("/100%25/", ("100%",), True),
        ("/%2e%2e.txt", ("...txt",), False),
        ("/a+b", ("a+b",), False),
    ],
)
def test_good_targets_become_segments(
    target: str, segments: tuple[str, ...], trailing: bool
) -> None:
    result = normalise(target)
    assert result == RequestPath(
        segments, trailing, result.query if isinstance(result, RequestPath) else ""
    )


@pytest.mark.parametrize(
    "target",
    [
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e%2fx",
        "/..%2f..%2fx",
        "/..%2F..%2Fx",
        "/..%5c..%5cwin.ini",
        "/%c0%ae%c0%ae/x",
        "/..%20/x",
        "/%00",
        "/a%00b",
        "/a/../../b",
        "//evil.example/%2f..",
        "//evil.example/",
        "/../output-evil/secret",
        "/./a",
        "/a/./b",
        "/a//b",
        "/a\\b",
        "/x.",
        "/x%2e",
        "/x%20",
        "/%zz",
        "/%",
        "/%e9",
        "/a%0d%0aSet-Cookie:x=1",
        "http://evil.example/",
        "*",
        "",
        "/" + "a" * 9000,
    ],
)
def test_attacks_and_malformed_targets_are_refused(target: str) -> None:
    result = normalise(target)
    assert isinstance(result, Refusal), result
    assert result.status in (400, 414)


def test_query_is_kept_and_fragment_dropped() -> None:
    assert normalise("/__reload?since=abc-3#x") == RequestPath(("__reload",), False, "since=abc-3")


def test_url_for_has_one_leading_slash_and_reencodes() -> None:
    assert url_for(("posts", "a b"), True) == "/posts/a%20b/"
    assert url_for((), True) == "/"
    assert url_for(("café",), False) == "/caf%C3%A9"
    assert base_segments("/blog/") == ("blog",)
    assert base_segments("/") == ()


# -- properties ------------------------------------------------------------------------------

SAFE_SEGMENT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
    min_size=1,
    max_size=12,
).filter(lambda s: s not in (".", "..") and not s.endswith((".", " ")))


@settings(max_examples=400)
@given(st.text(max_size=60))
def test_any_target_is_refused_or_stays_below_the_root(target: str) -> None:
    result = normalise(target)
    if isinstance(result, Refusal):
        assert result.status in (400, 414)
        return
    root = PurePosixPath("/srv/output")
    for segment in result.segments:
        assert segment not in ("", ".", "..")
        assert not set(segment) & {"/", "\\", "\0"}
    joined = root.joinpath(*result.segments)
    assert joined == root or root in joined.parents


@settings(max_examples=400)
@given(st.text(alphabet="/.%2fF5cC0e\\ a?#", max_size=40))
def test_dot_and_percent_soup_never_yields_a_dot_segment(target: str) -> None:
    result = normalise("/" + target)
    if isinstance(result, RequestPath):
        assert all(s not in (".", "..") and "/" not in s for s in result.segments)


@given(st.lists(SAFE_SEGMENT, max_size=5), st.booleans())
def test_encoded_segments_round_trip(segments: list[str], trailing: bool) -> None:
    target = url_for(segments, trailing)
    result = normalise(target)
    assert result == RequestPath(tuple(segments), trailing or not segments, "")
    assert isinstance(result, RequestPath) and result.url == target


# -- locate: real folders, symlinks, the sibling sharing the prefix -------------------------


@pytest.fixture
def served(tmp_path: Path) -> Path:
    output = tmp_path / "output"
    (output / "posts" / "hello").mkdir(parents=True)
    (output / "posts" / "hello" / "index.html").write_text("<p>hello</p>")
    (output / "empty").mkdir()
    (output / "index.html").write_text("<p>home</p>")
    (output / MARKER).write_text("marker")
    evil = tmp_path / "output-evil"
    evil.mkdir()
    (evil / "secret").write_text("SECRET")
    (output / "leak").symlink_to(evil / "secret")
    (output / "linkdir").symlink_to(evil, target_is_directory=True)
    (output / "posts" / "inner").symlink_to(output / "posts" / "hello", target_is_directory=True)
    return output


def test_locate_serves_files_and_folder_indexes(served: Path) -> None:
    assert locate(served, (), True) == Found(served / "index.html", "index.html")
    found = locate(served, ("posts", "hello"), True)
    assert found == Found(served / "posts" / "hello" / "index.html", "posts/hello/index.html")
    assert locate(served, ("posts", "hello"), False) == NeedsSlash()


def test_locate_lists_no_folder_and_hides_the_marker(served: Path) -> None:
    assert locate(served, ("empty",), True) is None
    assert locate(served, (MARKER,), False) is None
    assert locate(served, ("index.html",), True) is None
    assert locate(served, ("missing.html",), False) is None


@pytest.mark.parametrize(
    "segments",
    [
        ("..", "output-evil", "secret"),
        ("leak",),
        ("linkdir", "secret"),
        ("posts", "inner"),
        ("posts", "inner", "index.html"),
        ("/etc/passwd",),
        ("a\\..\\..\\b",),
        ("x\0",),
    ],
)
def test_locate_refuses_escapes_and_symlinks(served: Path, segments: tuple[str, ...]) -> None:
    assert locate(served, segments, False) is None
    assert locate(served, segments, True) is None


def test_locate_refuses_a_symlinked_root(tmp_path: Path, served: Path) -> None:
    alias = tmp_path / "alias"
    alias.symlink_to(served, target_is_directory=True)
    assert locate(alias, ("index.html",), False) is None


def test_locate_refuses_fifos_and_sockets(served: Path) -> None:
    os.mkfifo(served / "pipe")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(served / "sock"))
        assert locate(served, ("pipe",), False) is None
        assert locate(served, ("sock",), False) is None


def test_content_types() -> None:
    assert content_type("a/index.html") == "text/html; charset=utf-8"
    assert content_type("static/style.css") == "text/css; charset=utf-8"
    assert content_type("x.JS") == "text/javascript; charset=utf-8"
    assert content_type("feed.xml") == "application/xml"
    assert content_type("logo.svg") == "image/svg+xml"
    assert content_type("font.woff2") == "font/woff2"
    assert content_type("photo.webp") == "image/webp"
    assert content_type("no-extension") == "application/octet-stream"


# -- hosts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "bound", "allowed"),
    [
        (None, "127.0.0.1", True),
        ("localhost:8000", "127.0.0.1", True),
        ("LOCALHOST", "127.0.0.1", True),
        ("preview.localhost:8000", "127.0.0.1", True),
        ("127.0.0.1:8000", "127.0.0.1", True),
        ("127.0.0.2", "127.0.0.1", True),
        ("[::1]:8000", "127.0.0.1", True),
        ("evil.example", "127.0.0.1", False),
        ("evil.example:8000", "127.0.0.1", False),
        ("localhost.evil.example", "127.0.0.1", False),
        ("127.0.0.1.nip.io", "127.0.0.1", False),
        ("", "127.0.0.1", False),
        ("a b", "127.0.0.1", False),
        ("[::1", "127.0.0.1", False),
        ("devbox:8000", "devbox", True),
        ("devbox.", "devbox", True),
        ("other", "devbox", False),
        ("192.168.1.20:8000", "0.0.0.0", True),
        ("[fe80::1]:8000", "::", True),
        ("evil.example", "0.0.0.0", False),
    ],
)
def test_host_header_rules(header: str | None, bound: str, allowed: bool) -> None:
    assert host_allowed(header, bound) is allowed


def test_machine_names_are_allowed_on_a_wildcard_bind() -> None:
    assert host_allowed("mybox.local:8000", "0.0.0.0", frozenset({"mybox.local"}))
    assert not host_allowed("mybox.local:8000", "127.0.0.1", frozenset({"mybox.local"}))


def test_loopback_and_host_names() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    assert host_name("[::1]:80") == "::1"
    assert host_name("Example.COM.:80") == "example.com"


def test_refusal_reasons_are_readable() -> None:
    result = normalise("/%2e%2e/x")
    assert isinstance(result, Refusal) and "dot segment" in result.reason

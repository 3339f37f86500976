"""Live reload: edits become events, errors become an overlay, the build loop never piles up.

The end-to-end tests run the real `build-site serve` and read `/__reload` as a browser would;
the hub, loop and watcher tests drive those pieces directly with real threads and files.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from conftest import REPO
from serve_support import (
    Event,
    EventStream,
    ServeProcess,
    parse_response,
    post_text,
    staging_leftovers,
    write,
)

from site_builder.serve.changes import EVERYTHING, NOTHING, Change, changed_files, classify, compare
from site_builder.serve.overlay import overlay_html
from site_builder.serve.reload import Closed, Hub, SiteState, parse_token
from site_builder.serve.server import PreviewServer
from site_builder.serve.watch import BuildLoop, Watcher

MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def _token(server: ServeProcess, target: str) -> str:
    page = server.get(target).text.replace("&quot;", '"')
    start = page.index('"token":"') + len('"token":"')
    return page[start : page.index('"', start)]


def _site(make_site: MakeSite, **extra: str) -> Path:
    return make_site(
        {
            "content/posts/hello.md": post_text("Hello", "Original words of the hello post."),
            "content/posts/other.md": post_text("Other", "The other post.", date="2023-05-06"),
            "content/static/custom.css": "body { color: black; }\n",
            **extra,
        }
    )


# -- end to end ------------------------------------------------------------------------------


def test_an_edit_is_served_and_announced(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        token = _token(server, "/posts/hello/")
        stream = server.events(token)
        hello = stream.next()
        assert hello.name == "hello" and hello.data["since"] == hello.generation == 1
        assert stream.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert stream.headers["cache-control"] == "no-store"
        assert stream.retry == 1000
        write(root / "content/posts/hello.md", post_text("Hello", "Edited words, served fresh."))
        event = stream.next()
        assert event.name == "reload"
        assert event.generation == 2 and event.data["since"] == 1
        pages = event.data["pages"]
        assert isinstance(pages, list) and "/posts/hello/index.html" in pages
        assert "/posts/other/index.html" not in pages
        assert event.data["overlay"] is None and event.data["ok"] is True
        page = server.get("/posts/hello/").text
        assert "Edited words, served fresh." in page
        assert "Original words" not in page
        stream.close()


def test_a_late_page_catches_up_on_what_it_missed(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        old_token = _token(server, "/posts/hello/")
        mark = server.mark()
        write(root / "content/posts/hello.md", post_text("Hello", "First edit."))
        server.wait_for(r"rebuilt in", start=mark)
        catch_up = server.events(old_token).next()
        assert catch_up.name == "reload" and catch_up.generation == 2
        state = parse_response(
            server.raw(
                f"GET /__reload/state?since={old_token} HTTP/1.1\r\nHost: localhost\r\n"
                "Connection: close\r\n\r\n".encode()
            )
        )
        assert state.status == 200 and state.headers["content-type"] == "application/json"
        assert '"generation":2' in state.text and "/posts/hello/index.html" in state.text
        foreign = server.events("0123456789ab-1").next()
        assert foreign.name == "reload" and foreign.data["pages"] is None


def test_a_broken_post_shows_the_overlay_and_fixing_it_clears_it(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        stream = server.events(_token(server, "/posts/hello/"))
        stream.next()
        broken = (
            "---\ntitle: Hello\ndate: 2024-01-02\ntags: [Docker]\n"
            '"<script>alert(1)</script>": typo key\n'
            "slug: <script>alert(2)</script>\n"
            "description: A short description of this post that is long enough to be useful.\n"
            "---\n\nBroken words.\n"
        )
        write(root / "content/posts/hello.md", broken)
        failed = stream.next()
        assert failed.name == "status"
        assert failed.data["ok"] is False and failed.data["pages"] == []
        overlay = failed.data["overlay"]
        assert isinstance(overlay, str) and 'id="__sb-overlay"' in overlay
        assert "content/posts/hello.md:" in overlay
        assert "&lt;script&gt;alert(" in overlay and "<script>alert(" not in overlay
        page = server.get("/posts/hello/").text
        assert "Original words of the hello post." in page
        assert "Broken words." not in page
        assert 'data-state="failed"' in page and "<script>alert(" not in page
        assert "still serving the last good build" in server.output
        write(root / "content/posts/hello.md", post_text("Hello", "Fixed words."))
        fixed = stream.next()
        assert fixed.name == "reload" and fixed.data["ok"] is True and fixed.data["overlay"] is None
        page = server.get("/posts/hello/").text
        assert "Fixed words." in page and 'id="__sb-overlay"' not in page


def test_fixing_back_to_the_same_site_clears_the_overlay_without_reloading(
    make_site: MakeSite,
) -> None:
    root = _site(make_site)
    original = (root / "content/posts/hello.md").read_text()
    with ServeProcess(root) as server:
        stream = server.events(_token(server, "/"))
        stream.next()
        write(root / "content/posts/hello.md", "---\ntitle: [unclosed\n---\n")
        assert stream.next().data["ok"] is False
        write(root / "content/posts/hello.md", original)
        cleared = stream.next()
        assert cleared.name == "status"
        assert cleared.data["ok"] is True and cleared.data["overlay"] is None
        assert cleared.data["pages"] == [] and cleared.data["css"] == []


def test_a_stylesheet_change_is_a_css_event(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        stream = server.events(_token(server, "/"))
        stream.next()
        write(root / "content/static/custom.css", "body { color: rebeccapurple; }\n")
        event = stream.next()
        assert event.name == "css"
        assert event.data["css"] == ["/custom.css"] and event.data["pages"] == []
        assert "rebeccapurple" in server.get("/custom.css?__sb=2").text


def test_a_deleted_post_is_announced_and_gone(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        stream = server.events(_token(server, "/posts/other/"))
        stream.next()
        (root / "content/posts/other.md").unlink()
        event = stream.next()
        assert event.name == "reload"
        assert "/posts/other/index.html" in event.data["pages"]  # type: ignore[operator]
        assert server.get("/posts/other/", "HEAD").status == 404
        assert event.data["home"] == "/"


def test_saving_without_changes_and_editor_temp_files_announce_nothing(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        stream = server.events(_token(server, "/"))
        stream.next()
        mark = server.mark()
        (root / "content/posts/hello.md").write_text((root / "content/posts/hello.md").read_text())
        server.wait_for(r"rebuilt in .*no visible change", start=mark)
        for name in (".hello.md.swp", "hello.md~", ".#hello.md", "4913", "#hello.md#"):
            (root / "content/posts" / name).write_text("editor noise")
        (root / ".site-cache").mkdir(exist_ok=True)
        (root / ".site-cache" / "x").write_text("cache")
        write(root / "content/posts/hello.md", post_text("Hello", "A real change."))
        event = stream.next()
        assert event.generation == 2, "the unchanged save and the temp files made no generation"
        assert server.count(r"changed: .*(swp|~|4913|#|site-cache)") == 0


def test_config_changes_are_watched(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        stream = server.events(_token(server, "/"))
        stream.next()
        write(root / "site.toml", 'title = "Renamed Site"\n')
        event = stream.next()
        assert event.name == "reload"
        assert "Renamed Site" in server.get("/").text
        write(root / "site.toml", "title = [broken\n")
        failed = stream.next()
        assert failed.data["ok"] is False and "site.toml:1:" in str(failed.data["overlay"])


def test_an_included_example_and_new_measurements_are_watched(make_site: MakeSite) -> None:
    """A post that shows `examples/app/Dockerfile` reloads when that file changes, and when
    `build-site measure` writes `measurements.json` (both outside content/)."""
    root = make_site(
        {
            "content/posts/hello.md": post_text("Hello", "")
            + '\n```dockerfile {include="examples/app/Dockerfile"}\n```\n\n'
            + 'It weighs {{< image-size "app" >}}.\n',
            "examples/app/Dockerfile": "FROM scratch\nCOPY app /app\n",
            "measurements.json": '{"app": {"size": 1000, "inputs": "x", "layers": [],'
            ' "measured_at": "2024-01-01T00:00:00+00:00"}}\n',
        }
    )
    with ServeProcess(root) as server:
        path = "/posts/hello/"
        stream = server.events(_token(server, path))
        stream.next()
        write(root / "examples/app/Dockerfile", "FROM scratch\nCOPY server /server\n")
        assert stream.next().name == "reload"
        assert "server" in server.get(path).text
        write(
            root / "measurements.json",
            '{"app": {"size": 4190000, "inputs": "x", "layers": [],'
            ' "measured_at": "2024-01-02T00:00:00+00:00"}}\n',
        )
        assert stream.next().name == "reload"
        assert "4.19MB" in server.get(path).text


def test_a_theme_created_while_serving_is_watched(make_site: MakeSite) -> None:
    root = _site(make_site)
    with ServeProcess(root) as server:
        stream = server.events(_token(server, "/"))
        stream.next()
        write(root / "themes/default/static/style.css", "body { background: papayawhip; }\n")
        event = stream.until(lambda e: "/static/style.css" in e.data["css"])  # type: ignore[operator]
        assert event.name == "css"
        assert "papayawhip" in server.get("/static/style.css").text


def _big_site(count: int) -> dict[str, str]:
    paragraph = " ".join(f"Word{n} about container layers and caches." for n in range(60))
    body = "\n\n".join([paragraph] * 6)
    return {
        f"content/posts/post-{n:03d}.md": post_text(
            f"Post {n}", body, date=f"2023-01-{1 + n % 28:02d}"
        )
        for n in range(count)
    }


@pytest.mark.slow
def test_a_burst_of_saves_and_many_tabs_cost_few_builds(make_site: MakeSite) -> None:
    root = make_site(_big_site(30))
    with ServeProcess(root) as server:
        token = _token(server, "/")
        streams = [server.events(token) for _ in range(24)]
        for stream in streams:
            assert stream.next().name == "hello"
        mark = server.mark()
        for n in range(15):
            write(
                root / "content/posts/post-000.md", post_text("Post 0", f"Burst save number {n}.")
            )
        server.wait_for(r"rebuilt in", start=mark)
        final = None
        for stream in streams:
            final = stream.until(lambda e: e.data["generation"] >= 2)
        assert final is not None
        page = server.get("/posts/post-000/").text
        deadline = time.monotonic() + 60
        while "Burst save number 14." not in page and time.monotonic() < deadline:
            time.sleep(0.2)
            page = server.get("/posts/post-000/").text
        assert "Burst save number 14." in page
        builds = server.count(r"rebuilt in|build failed in")
        assert 1 <= builds <= 2, server.output
        for stream in streams:
            stream.close()


@pytest.mark.slow
def test_requests_during_a_rebuild_get_the_previous_complete_build(make_site: MakeSite) -> None:
    root = make_site(_big_site(40))
    with ServeProcess(root) as server:
        before = server.get("/posts/post-001/").text
        mark = server.mark()
        write(
            root / "content/posts/post-001.md", post_text("Post 1", "The new version of post one.")
        )
        server.wait_for(r"changed: content/posts/post-001.md", start=mark)
        answered = 0
        while server.count(r"rebuilt in") == 0:
            response = server.get("/posts/post-001/")
            answered += 1
            assert response.status == 200
            assert response.text == before or (
                "The new version of post one." in response.text
                and response.text.rstrip().endswith("</html>")
            )
        assert answered > 0
        assert "The new version of post one." in server.get("/posts/post-001/").text


@pytest.mark.slow
def test_ctrl_c_during_a_rebuild_leaves_no_staging_folder(make_site: MakeSite) -> None:
    root = make_site(_big_site(40))
    server = ServeProcess(root)
    with server:
        mark = server.mark()
        write(
            root / "content/posts/post-002.md", post_text("Post 2", "Changed just before Ctrl-C.")
        )
        server.wait_for(r"changed: content/posts/post-002.md", start=mark)
        assert server.stop(signal.SIGINT) == 0
    assert "Traceback" not in server.output
    assert server.output.rstrip().endswith("build-site: stopped")
    assert staging_leftovers(root / "output") == []
    assert (root / "output" / ".site-builder-output").is_file()
    assert (root / "output" / "posts" / "post-002" / "index.html").is_file()


@pytest.mark.slow
def test_ctrl_c_during_the_first_build_is_clean(make_site: MakeSite) -> None:
    root = make_site(_big_site(40))
    process = subprocess.Popen(
        [sys.executable, "-m", "site_builder", "serve", "--root", str(root), "--port", "0"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert process.stderr is not None
    assert "building" in process.stderr.readline()
    process.send_signal(signal.SIGINT)  # inside the first build: 40 posts take seconds
    _out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert staging_leftovers(root / "output") == []


# -- the hub ---------------------------------------------------------------------------------


def _state(generation: int, **kw: object) -> SiteState:
    return SiteState("abc123", generation, Path("/srv/out"), **kw)  # type: ignore[arg-type]


def test_hub_unions_what_a_page_missed() -> None:
    hub = Hub(_state(1), history=3)
    hub.advance(_state(2), Change(frozenset({"/a/index.html"})))
    hub.advance(_state(3), Change(css=frozenset({"/s.css"})))
    hub.advance(_state(4), Change(frozenset({"/b/index.html"})))
    _state_now, since, change = hub.change_since("abc123-2")
    assert since == 2 and change == Change(frozenset({"/b/index.html"}), frozenset({"/s.css"}))
    assert hub.change_since("abc123-4")[2] == NOTHING
    assert hub.change_since("abc123-1")[2] == Change(
        frozenset({"/a/index.html", "/b/index.html"}), frozenset({"/s.css"})
    )
    hub.advance(_state(5), NOTHING)
    assert hub.change_since("abc123-1")[2] == EVERYTHING  # older than the history kept
    assert hub.change_since("other-4")[2] == EVERYTHING
    assert hub.change_since("abc123-99")[2] == EVERYTHING
    assert hub.change_since(None)[2] == NOTHING
    name, event_id, data = hub.event("abc123-4")
    assert (name, event_id) == ("status", "abc123-5") and '"since":4' in data
    with pytest.raises(ValueError, match="one at a time"):
        hub.advance(_state(7), NOTHING)


def test_hub_wakes_waiters_and_closes() -> None:
    hub = Hub(_state(1))
    assert hub.wait_after(1, 0.01) is False
    woke: list[bool] = []
    waiter = threading.Thread(target=lambda: woke.append(hub.wait_after(1, 30)))
    waiter.start()
    hub.advance(_state(2), NOTHING)
    waiter.join(10)
    assert woke == [True]
    hub.close()
    with pytest.raises(Closed):
        hub.wait_after(2, 30)
    assert hub.open_stream() is False


def test_tokens_and_changes() -> None:
    assert parse_token("abc-12", "abc") == 12
    assert parse_token("abc-x", "abc") is None
    assert parse_token("zzz-3", "abc") is None
    assert parse_token("", "abc") is None
    old = {"a/index.html": b"1", "s.css": b"1", "feed.xml": b"1", "gone/index.html": b"1"}
    new = {"a/index.html": b"2", "s.css": b"2", "feed.xml": b"2", "logo.png": b"1"}
    assert changed_files(old, new) == {
        "a/index.html",
        "s.css",
        "feed.xml",
        "gone/index.html",
        "logo.png",
    }
    change = classify(changed_files(old, new), "/blog/")
    assert change.pages == {"/blog/a/index.html", "/blog/gone/index.html"}
    assert change.css == {"/blog/s.css"} and change.assets and change.kind == "reload"
    assert classify({"s.css"}, "/").kind == "css"
    assert classify({"feed.xml", "sitemap.xml"}, "/").kind == "none"
    assert compare(None, new, "/", "/") == EVERYTHING
    assert compare(old, old, "/", "/blog/") == EVERYTHING


def test_heartbeats_keep_the_stream_alive(tmp_path: Path) -> None:
    hub = Hub(_state(1))
    server = PreviewServer(
        ("127.0.0.1", 0), hub, bound_host="127.0.0.1", heartbeat=0.05, log=io.StringIO()
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        stream = EventStream("127.0.0.1", server.server_address[1], "localhost", "abc123-1")
        assert stream.next().name == "hello"
        deadline = time.monotonic() + 30
        while len(stream.comments) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert stream.comments[:3] == [": ping"] * 3
        hub.advance(_state(2), Change(frozenset({"/x/index.html"})))
        event: Event = stream.next()
        assert event.name == "reload" and event.id == "abc123-2"
        hub.close()
        assert stream.closed()
    finally:
        server.shutdown()
        server.server_close()


def test_too_many_streams_get_a_503(tmp_path: Path) -> None:
    hub = Hub(_state(1), max_streams=2)
    server = PreviewServer(("127.0.0.1", 0), hub, bound_host="127.0.0.1", log=io.StringIO())
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        port = server.server_address[1]
        first = EventStream("127.0.0.1", port, "localhost", None)
        second = EventStream("127.0.0.1", port, "localhost", None)
        assert first.next().name == second.next().name == "hello"
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(b"GET /__reload HTTP/1.1\r\nHost: localhost\r\n\r\n")
            raw = b"".join(iter(lambda: sock.recv(65536), b""))
        assert parse_response(raw).status == 503
        hub.close()
    finally:
        server.shutdown()
        server.server_close()


def test_overlay_escapes_and_summarises() -> None:
    from site_builder.diagnostics.diagnostic import Diagnostic, Severity

    problems = [
        Diagnostic(
            "content/posts/<b>.md",
            3,
            7,
            Severity.ERROR,
            "FM003",
            'bad "<script>x</script>"',
            hint="<i>",
        ),
        Diagnostic("content/posts/a.md", 1, 1, Severity.WARNING, "FM009", "unknown key '&'"),
        Diagnostic("content/posts/a.md", 9, 1, Severity.INFO, "DF001", "expected"),
    ]
    failed = overlay_html(problems, ok=False)
    assert failed is not None and 'data-state="failed"' in failed
    assert "content/posts/&lt;b&gt;.md:3:7" in failed
    assert "&lt;script&gt;x&lt;/script&gt;" in failed and "<script>x" not in failed
    assert "hint: &lt;i&gt;" in failed and "&#x27;&amp;&#x27;" in failed
    assert "Build failed: 1 error, 1 warning." in failed and "DF001" not in failed
    warned = overlay_html(problems[1:], ok=True)
    assert warned is not None and 'data-state="warnings"' in warned and "1 warning" in warned
    assert overlay_html(problems[2:], ok=True) is None


# -- the build loop and the watcher -----------------------------------------------------------


def test_a_change_during_a_build_triggers_exactly_one_more_build() -> None:
    release = threading.Event()
    started = threading.Semaphore(0)
    calls: list[int] = []

    def slow_build() -> int:
        calls.append(len(calls) + 1)
        started.release()
        release.wait(30)
        return calls[-1]

    done: list[int] = []
    loop: BuildLoop[int] = BuildLoop(slow_build, done.append)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    loop.request()
    assert started.acquire(timeout=10)
    for _ in range(25):  # a burst of saves while the first build runs
        loop.request()
    release.set()
    assert started.acquire(timeout=10)  # the one follow-up build
    assert loop.wait_idle(30)
    assert calls == [1, 2] and done == [1, 2] and loop.builds == 2
    loop.request()
    assert started.acquire(timeout=10) and loop.wait_idle(30)
    assert calls == [1, 2, 3]
    loop.stop()
    thread.join(10)
    assert not thread.is_alive()


def test_the_loop_survives_a_failing_build() -> None:
    outcomes: list[str] = []
    attempts = iter([RuntimeError("boom"), "ok"])

    def build() -> str:
        item = next(attempts)
        if isinstance(item, Exception):
            raise item
        return item

    log = io.StringIO()
    loop: BuildLoop[str] = BuildLoop(build, outcomes.append, log)
    errors: list[BaseException] = []
    previous_hook = threading.excepthook
    threading.excepthook = lambda args: errors.append(args.exc_value)  # type: ignore[assignment,misc]
    try:
        thread = threading.Thread(target=loop.run, daemon=True)
        thread.start()
        loop.request()
        assert loop.wait_idle(10)
        loop.request()
        assert loop.wait_idle(10)
        loop.stop()
        thread.join(10)
    finally:
        threading.excepthook = previous_hook
    assert outcomes == ["ok"] and errors == []
    assert "RuntimeError: boom" in log.getvalue()


def test_watcher_filter(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    output = root / "public"
    watcher = Watcher(
        root, lambda: [output, root / ".site-cache"], lambda paths: None, io.StringIO()
    )
    yes = [
        "content/posts/a.md",
        "content/static/x.png",
        "content/posts/my-post/diagram.png",  # the files of a page bundle
        "content/posts/my-post/img/nested/a.png",
        "themes/t/templates/post.html",
        "site.toml",
        "examples/slim/Dockerfile",  # a post may include it
        "measurements.json",  # build-site measure wrote new sizes
    ]
    no = [
        "content/posts/.a.md.swp",
        "content/posts/a.md~",
        "content/posts/.#a.md",
        "content/posts/#a.md#",
        "content/posts/4913",
        "content/posts/a.md___jb_tmp___",
        "public/index.html",
        ".public.staging-abc/index.html",
        ".site-cache/cache.db",
        "content/.git/HEAD",
        "README.md",
        "site.toml.bak/x",
        "output/index.html",
        "examples/slim/.Dockerfile.swp",
        "measurements.json.tmp",
    ]
    assert [p for p in yes if not watcher.relevant(root / p)] == []
    assert [p for p in no if watcher.relevant(root / p)] == []
    assert not watcher.relevant(Path("/elsewhere/content/a.md"))


def _until(event: threading.Event, touch: Callable[[int], None], timeout: float = 30) -> bool:
    """Repeat `touch` until `event` is set: the watch starts asynchronously, so the first
    write may land before it is in place."""
    deadline = time.monotonic() + timeout
    attempt = 0
    while time.monotonic() < deadline:
        touch(attempt)
        attempt += 1
        if event.wait(0.5):
            return True
    return False


def test_watcher_sees_real_edits_and_skips_editor_noise(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    posts = root / "content" / "posts"
    posts.mkdir(parents=True)
    batches: list[list[str]] = []
    arrived = threading.Event()
    themed = threading.Event()

    def on_change(paths: list[str]) -> None:
        batches.append(paths)
        if "content/posts/real.md" in paths:
            arrived.set()
        if "themes/mine/templates/base.html" in paths:
            themed.set()

    watcher = Watcher(root, lambda: [root / "output"], on_change, io.StringIO())
    watcher.start()
    try:

        def noise_then_real(attempt: int) -> None:
            (posts / ".real.md.swp").write_text(f"swap {attempt}")
            (posts / "4913").write_text("")
            (root / "output").mkdir(exist_ok=True)
            (root / "output" / "index.html").write_text(f"x {attempt}")
            (posts / "real.md").write_text(f"real {attempt}")

        assert _until(arrived, noise_then_real)
        assert {p for batch in batches for p in batch} == {"content/posts/real.md"}
        templates = root / "themes" / "mine" / "templates"
        templates.mkdir(parents=True)  # a folder that did not exist when watching started
        assert _until(themed, lambda n: (templates / "base.html").write_text(f"<p>{n}</p>"))
    finally:
        watcher.stop()

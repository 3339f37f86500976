"""Building whole tiny sites: the atomic publish, output safety, themes, static files, sources."""

from __future__ import annotations

import io
import os
import stat

import pytest
from conftest import post, run_cli, snapshot, tree_hash

from site_builder.pipeline.phases import build, load
from site_builder.publish.swap import MARKER


def site_paths(root):
    """Every path of the site, except the build cache (which a failed build may update too)."""
    return {p for p in snapshot(root) if not p.startswith(".site-cache")}


def formatted(result):
    return [d.format() for d in result.diagnostics]


def test_a_site_builds_into_output(make_site):
    root = make_site({"content/posts/hello.md": post("Hello", tags="Docker, Open Source")})
    result = build(root)
    assert result.published, formatted(result)
    out = root / "output"
    files = sorted(
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and not p.relative_to(out).as_posix().startswith("pagefind/")
    )
    assert files == [
        MARKER,
        "404.html",
        "archive/index.html",
        "atom.xml",
        "feed.json",
        "index.html",
        "posts/hello/index.html",
        "robots.txt",
        "search/index.html",
        "sitemap.xml",
        "static/favicon.svg",
        "static/pygments.css",
        "static/site.js",
        "static/style.css",
        "tags/docker/atom.xml",
        "tags/docker/index.html",
        "tags/index.html",
        "tags/open-source/atom.xml",
        "tags/open-source/index.html",
    ]
    assert not list(root.glob(".output.*")), "no staging folder is left behind"


def test_failed_build_leaves_previous_output_byte_identical(make_site):
    root = make_site({"content/posts/hello.md": post("Hello")})
    assert build(root).published
    before_hash, before_paths = tree_hash(root / "output"), site_paths(root)
    (root / "content/posts/broken.md").write_text("---\ntitle: [\n---\n")
    before_paths.add("content/posts/broken.md")
    result = build(root)
    assert not result.published
    assert formatted(result)[0].startswith("content/posts/broken.md:3:1: error FM003:")
    assert tree_hash(root / "output") == before_hash
    assert site_paths(root) == before_paths


def test_warnings_fail_under_strict_and_output_is_kept(make_site):
    root = make_site({"content/posts/hello.md": post("Hello")})
    assert build(root).published
    before = tree_hash(root / "output")
    (root / "content/posts/w.md").write_text("---\ntitle: W\ndate: 2024-01-01\ntittle: x\n---\nx\n")
    from site_builder.pipeline.phases import BuildOptions

    assert not build(root, BuildOptions(strict=True)).published
    assert tree_hash(root / "output") == before
    assert build(root).published
    assert tree_hash(root / "output") != before


def test_foreign_output_folder_is_never_replaced(make_site):
    root = make_site({"content/posts/hello.md": post("Hello"), "output/precious.txt": "mine"})
    result = build(root)
    assert not result.published
    assert formatted(result)[-1].startswith("output:1:1: error PUB001: output folder is not empty")
    assert (root / "output/precious.txt").read_text() == "mine"


def test_leftover_staging_folders_are_cleaned(make_site):
    root = make_site({"content/posts/hello.md": post("Hello")})
    (root / ".output.staging-deadbeef/posts").mkdir(parents=True)
    assert build(root).published
    assert not (root / ".output.staging-deadbeef").exists()


def test_read_only_output_parent_is_a_clear_error(make_site):
    """Run as a user for whom permissions apply (as root: without the capabilities that let
    root ignore them), so this runs for real whoever runs the tests."""
    root = make_site(
        {"content/posts/hello.md": post("Hello"), "site.toml": 'output_dir = "ro/site"\n'}
    )
    (root / "ro").mkdir()
    (root / "ro").chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        done = run_cli("--root", root, cwd=root, as_user=True)
    finally:
        (root / "ro").chmod(stat.S_IRWXU)
    assert done.returncode == 1, done.stderr
    assert "ro/site:1:1: error IO001: cannot publish: Permission denied (EACCES)" in done.stderr
    assert not (root / "ro/site").exists()


def test_read_only_output_parent_as_root_uses_a_full_filesystem(make_site, tmp_path):
    """As root, permissions do not apply; a missing parent that cannot be created is the error."""
    root = make_site(
        {"content/posts/hello.md": post("Hello"), "site.toml": 'output_dir = "blocker/site"\n'}
    )
    (root / "blocker").write_text("a file where a folder should be")
    result = build(root)
    assert not result.published
    assert formatted(result)[-1].startswith("blocker/site:1:1: error IO001: cannot publish:")


def test_site_theme_overrides_one_template(make_site):
    root = make_site(
        {
            "content/posts/hello.md": post("Hello"),
            "themes/default/templates/404.html": "<!DOCTYPE html><title>Lost</title><p>custom 404 for {{ config.title }}</p>\n",
        }
    )
    result = load(root)
    assert (
        result.rendered.files["404.html"]
        .decode()
        .startswith("<!DOCTYPE html><title>Lost</title><p>custom 404")
    )
    assert b"post-body" in result.rendered.files["posts/hello/index.html"]


def test_template_errors_point_at_the_template(make_site):
    root = make_site(
        {
            "content/posts/hello.md": post("Hello"),
            "themes/mine/templates/post.html": "{% extends 'base.html' %}\n{% block content %}\n{{ post.titel }}\n{% endblock %}\n",
            "themes/mine/templates/tags.html": "{% if %}\n",
            "site.toml": 'theme = "mine"\n',
        }
    )
    result = load(root)
    assert result.rendered is None
    assert formatted(result) == [
        "themes/mine/templates/post.html:3:1: error TPL001: 'Post object' has no attribute 'titel'",
        "themes/mine/templates/tags.html:1:1: error TPL001: template syntax error: Expected an expression, got 'end of statement block'",
    ]


def test_a_missing_template_points_at_the_include_or_extends(make_site):
    root = make_site(
        {
            "content/posts/hello.md": post("Hello"),
            "themes/mine/templates/post.html": "{% extends 'base.html' %}\n{% block content %}\n<p>x</p>\n{% include 'partials/byline.html' %}\n{% endblock %}\n",
            "themes/mine/templates/tags.html": "{% extends 'layout.html' %}\n",
            "site.toml": 'theme = "mine"\n',
        }
    )
    assert formatted(load(root)) == [
        "themes/mine/templates/post.html:4:1: error TPL001: template not found: partials/byline.html",
        "themes/mine/templates/tags.html:1:1: error TPL001: template not found: layout.html",
    ]


def test_unknown_theme_is_an_error(make_site):
    root = make_site({"content/posts/hello.md": post("Hello"), "site.toml": 'theme = "nope"\n'})
    assert "site.toml:1:1: error CFG003: theme 'nope' not found under themes/" in formatted(
        load(root)
    )


def test_static_files_are_copied_and_collisions_reported(make_site):
    root = make_site(
        {
            "content/posts/hello.md": post("Hello"),
            "content/static/images/logo.svg": "<svg/>",
            "content/static/index.html": "clash",
        }
    )
    result = load(root)
    assert result.rendered is None or "images/logo.svg" in result.rendered.copies
    assert (
        "content/static/index.html:1:1: error URL001: /index.html is also generated by the site"
        in formatted(result)
    )
    (root / "content/static/index.html").unlink()
    assert build(root).published
    assert (root / "output/images/logo.svg").read_text() == "<svg/>"


def test_symlinks_are_refused_and_never_read(make_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    root = make_site({"content/posts/hello.md": post("Hello")})
    (root / "content/posts/leak.md").symlink_to(secret)
    (root / "content/static").mkdir()
    (root / "content/static/etc").symlink_to(tmp_path)
    result = build(root)
    assert not result.published
    assert formatted(result)[:2] == [
        "content/posts/leak.md:1:1: error SRC002: symlink not allowed",
        "content/static/etc:1:1: error SRC002: symlink not allowed",
    ]
    assert not (root / "output").exists()


def test_source_encodings(make_site):
    root = make_site(
        {
            "content/posts/bom.md": b"\xef\xbb\xbf" + post("Bom").encode(),
            "content/posts/crlf.md": post("Crlf").replace("\n", "\r\n").encode(),
            "content/posts/cr.md": post("Cr").replace("\n", "\r").encode(),
            "content/posts/nul.md": post("Nul").replace("Intro", "In\x00tro").encode(),
            "content/posts/latin1.md": post("Latin")
            .replace("Some text", "Caf\xe9 text")
            .encode("latin-1"),
            "content/posts/utf16.md": post("Wide").encode("utf-16"),
        }
    )
    result = load(root)
    assert formatted(result) == [
        "content/posts/cr.md:1:1: warning ENC002: old Mac line endings (lone CR) normalised to LF",
        "content/posts/latin1.md:12:4: error ENC001: not valid UTF-8 (byte 0xE9)",
        "content/posts/nul.md:8:3: warning ENC003: NUL character replaced with U+FFFD",
        "content/posts/utf16.md:1:1: error ENC001: file is UTF-16, not UTF-8",
    ]
    (root / "content/posts/latin1.md").unlink()
    (root / "content/posts/utf16.md").unlink()
    result = load(root)
    assert sorted(p.title for p in result.site.posts) == ["Bom", "Cr", "Crlf", "Nul"]


def test_oversized_file_is_refused_before_reading(make_site):
    root = make_site(
        {
            "content/posts/big.md": post("Big") + "x" * 2048,
            "site.toml": "[limits]\nmax_file_size = 1024\n",
        }
    )
    assert formatted(load(root)) == [
        "content/posts/big.md:1:1: error SRC001: file is 2.2 KB, over max_file_size (1.0 KB)"
    ]


def test_empty_content_warns_and_still_builds(make_site):
    root = make_site({"site.toml": 'title = "Empty"\n'})
    result = build(root)
    assert result.published
    assert formatted(result) == ["content/posts:1:1: warning SRC003: no posts"]
    assert "No posts yet." in (root / "output/index.html").read_text()


def test_base_path_prefixes_every_link(make_site):
    root = make_site(
        {
            "content/posts/hello.md": post("Hello"),
            "site.toml": 'base_url = "https://x.example/blog/"\n',
        }
    )
    page = load(root).rendered.files["posts/hello/index.html"].decode()
    assert 'href="/blog/static/style.css"' in page and 'href="/blog/tags/docker/"' in page
    assert '<link rel="canonical" href="https://x.example/blog/posts/hello/">' in page


def test_cli_build_and_check_exit_codes(make_site):
    root = make_site({"content/posts/hello.md": post("Hello")})
    ok = run_cli("--root", root)
    assert ok.returncode == 0, ok.stderr
    assert "published" in ok.stderr
    (root / "content/posts/bad.md").write_text("---\ntitle: x\ndate: 2024-02-30\n---\n")
    bad = run_cli("build", "--root", root)
    assert bad.returncode == 1
    assert (
        "content/posts/bad.md:3:7: error FM007: invalid date '2024-02-30': day is out of range for month"
        in bad.stderr
    )
    check = run_cli("check", "--root", root, "--format", "json")
    assert check.returncode == 1
    import json

    records = json.loads(check.stdout)
    assert {"path", "line", "column", "severity", "code", "message"} <= set(records[0])
    assert run_cli("--root", root / "missing").returncode == 2
    assert run_cli("build", "--bogus").returncode == 2


@pytest.mark.parametrize(
    ("content", "announced", "expected"),
    [
        (b"0123456789", 10, b"0123456789"),  # as announced
        (b"0123", 10, b"0123"),  # shrank since fstat
        (b"0123456789ABCDEF", 10, b"0123456789ABCDEF"),  # grew, still under the limit: read on
        (b"x" * 40, 10, b"x" * 33),  # grew past the limit: one byte over shows it
        (b"x" * 40, 40, b"x" * 33),  # over the limit as announced
    ],
)
def test_a_source_is_read_up_to_one_byte_over_the_limit(content, announced, expected):
    from site_builder.pipeline.processing import _read_capped

    assert _read_capped(io.BytesIO(content), announced, 32) == expected


def test_a_named_pipe_is_skipped_and_a_name_that_is_not_utf8_is_built_both_reported(make_site):
    root = make_site(
        {"content/posts/hello.md": post("Hello"), "themes/default/templates/x.txt": ""}
    )
    os.mkfifo(root / "content/posts/pipe.md")  # opening it would block the build forever
    os.mkfifo(root / "themes/default/templates/feed.html")
    bad_name = os.path.join(os.fsencode(root / "content/posts"), b"caf\xe9.md")
    with open(bad_name, "wb") as handle:
        handle.write(post("Cafe").encode())
    result = build(root)
    assert result.published
    assert [d for d in formatted(result) if " SRC00" in d] == [
        "content/posts/caf\\udce9.md:1:1: warning SRC005: name is not valid UTF-8: URLs made from"
        " it keep only its readable part, and reports show its other bytes escaped",
        "content/posts/pipe.md:1:1: warning SRC004: a named pipe, not a file; skipped (never opened)",
        "themes/default/templates/feed.html:1:1: warning SRC004: a named pipe, not a file; skipped (never opened)",
    ]
    assert sorted(p.name for p in (root / "output/posts").iterdir()) == ["caf", "hello"]


def test_jobs_are_capped_at_the_cores(make_site, monkeypatch) -> None:
    """`--jobs 5000` forked 5,000 workers; more than the cores cannot help."""
    from site_builder.cache import processed
    from site_builder.pipeline import processing, produce

    monkeypatch.setattr(processed, "default_workers", lambda: 2)
    assert [processed.worker_count(n) for n in (None, 1, 2, 3, 5000)] == [2, 1, 2, 2, 2]
    started: list[int] = []
    monkeypatch.setattr(processing, "PARALLEL_FROM", 2)
    monkeypatch.setattr(produce, "PARALLEL_FROM", 2)
    original = produce._in_workers

    def counting(plan, staging, site, todo, count, progress):
        started.append(count)
        return original(plan, staging, site, todo, count, progress)

    monkeypatch.setattr(produce, "_in_workers", counting)
    root = make_site({f"content/posts/p{i}.md": post(f"Post {i}") for i in range(4)})
    result = build(root, workers=5000)
    assert result.published
    assert started == [2]

"""The staging tree: paths that would leave it are refused, and what it records of each file
(inode, size, mtime) is what is on disk, whether the file went straight into a new staging
folder or through a temporary name into a reused spare."""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from site_builder.publish.staging import Staging
from site_builder.publish.swap import MARKER, target_path


@pytest.mark.parametrize(
    "rel",
    [
        "",
        "/etc/passwd",
        "../x.html",
        "a/../../x.html",
        "a/./b.html",
        "a//b.html",
        "a\\b.html",
        "posts/",
        "a\0b.html",
        "..",
    ],
)
def test_a_path_that_is_not_plain_and_relative_is_refused(tmp_path: Path, rel: str) -> None:
    made: set[str] = set()
    with pytest.raises(OSError) as caught:
        target_path(tmp_path / "stage", rel, made)
    assert caught.value.errno == errno.EINVAL
    assert not (tmp_path / "stage").exists()
    assert made == set()


def test_a_plain_path_gets_its_folders_once(tmp_path: Path) -> None:
    made: set[str] = set()
    target = target_path(tmp_path, "tags/open-source/index.html", made)
    assert target == tmp_path / "tags/open-source/index.html"
    assert (tmp_path / "tags/open-source").is_dir()
    assert made == {"tags/open-source"}
    assert target_path(tmp_path, "index.html", made) == tmp_path / "index.html"
    assert made == {"tags/open-source"}


def _stat(path: Path) -> tuple[int, int, int]:
    info = os.lstat(path)
    return (info.st_ino, info.st_size, info.st_mtime_ns)


def test_entries_match_the_files_in_a_new_folder_and_in_a_reused_spare(tmp_path: Path) -> None:
    output = tmp_path / "output"
    first = Staging(output, "output", None)
    first.write("index.html", b"<p>home</p>", "sig-home")
    first.write("posts/a/index.html", b"<p>a</p>", "sig-a")
    state = first.finish()
    for path, entry in state.live.files.items() if state.live else ():
        assert entry.stat == _stat(output / path), path

    second = Staging(output, "output", state)  # no spare yet: a new folder, files linked
    assert second.keep("index.html", "sig-home")
    second.write("posts/a/index.html", b"<p>a, edited</p>", "sig-a2")
    state = second.finish()
    assert state.spare is not None
    assert (output / "posts/a/index.html").read_bytes() == b"<p>a, edited</p>"

    third = Staging(output, "output", state)  # the spare is reused, written through temp names
    assert third.folder.name == ".output.spare"
    assert third.keep("index.html", "sig-home")
    third.write("posts/a/index.html", b"<p>a, again</p>", "sig-a3")
    state = third.finish()
    assert state.live is not None
    for path, entry in state.live.files.items():
        assert entry.stat == _stat(output / path), path
    assert (output / "posts/a/index.html").read_bytes() == b"<p>a, again</p>"
    # the previous build, now the spare, still holds its own bytes (never written in place)
    assert (tmp_path / ".output.spare/posts/a/index.html").read_bytes() == b"<p>a, edited</p>"


def _three_builds(output: Path) -> Staging:
    """Two finished builds of one file (so a spare links to it), and a third one started."""
    first = Staging(output, "output", None)
    first.write("index.html", b"<p>home</p>", "sig-home")
    second = Staging(output, "output", first.finish())
    assert second.keep("index.html", "sig-home")
    return Staging(output, "output", second.finish())


def test_a_published_file_changed_in_place_is_not_kept(tmp_path: Path) -> None:
    output = tmp_path / "output"
    third = _three_builds(output)
    time.sleep(0.01)
    (output / "index.html").write_bytes(b"<p>hand-edited</p>")  # one inode: the spare's too
    assert not third.keep("index.html", "sig-home")
    third.write("index.html", b"<p>home</p>", "sig-home")
    third.finish()
    assert (output / "index.html").read_bytes() == b"<p>home</p>"


def test_a_published_file_replaced_is_kept_from_the_spare_link(tmp_path: Path) -> None:
    output = tmp_path / "output"
    third = _three_builds(output)
    replaced = output / "index.html.new"
    replaced.write_bytes(b"<p>replaced</p>")
    os.replace(replaced, output / "index.html")  # a new inode; the spare keeps the old one
    assert third.keep("index.html", "sig-home")
    assert not third.keep("index.html", "another signature")
    third.finish()
    assert (output / "index.html").read_bytes() == b"<p>home</p>"


@contextlib.contextmanager
def file_size_limit(size: int) -> Iterator[None]:
    """Writes past `size` bytes fail with EFBIG (as a full disk fails them), in this process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, handler)


def test_a_write_into_the_reused_spare_is_not_seen_in_output_before_the_swap(
    tmp_path: Path,
) -> None:
    output = tmp_path / "output"
    third = _three_builds(output)  # its spare's index.html is the published file's inode
    third.write("index.html", b"<p>home, edited</p>", "sig-home-2")
    assert (output / "index.html").read_bytes() == b"<p>home</p>"
    third.finish()
    assert (output / "index.html").read_bytes() == b"<p>home, edited</p>"


def test_a_write_that_fails_half_way_leaves_the_published_file_whole(tmp_path: Path) -> None:
    output = tmp_path / "output"
    third = _three_builds(output)
    big = b"<p>" + b"x" * (256 * 1024) + b"</p>"
    with file_size_limit(64 * 1024), pytest.raises(OSError) as failed:
        third.write("index.html", big, "sig-home-2")
    assert failed.value.errno == errno.EFBIG
    assert (output / "index.html").read_bytes() == b"<p>home</p>"  # not truncated, not partial
    assert sorted(p.name for p in output.iterdir()) == sorted([MARKER, "index.html"])

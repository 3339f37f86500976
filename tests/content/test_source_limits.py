"""Inputs too big to read or too deep to write: refused by `stat` and by depth, each with a
diagnostic naming the file or folder, never a MemoryError or an internal error."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import post, run_cli

SITE = 'title = "T"\nbase_url = "https://example.com/"\n'
ERROR_RE = re.compile(r"^\S+:\d+:\d+: error [A-Z]+\d+: .*$", re.M)
GIB3 = 3 * 1024**3

pytestmark = pytest.mark.timeout(300)


def errors(result) -> list[str]:
    assert "internal error" not in result.stderr, result.stderr
    return ERROR_RE.findall(result.stdout + result.stderr)


def check_and_build(root: Path) -> tuple[list[str], list[str]]:
    checked, built = run_cli("check", "--root", root), run_cli("build", "--root", root)
    assert checked.returncode == 1 and built.returncode == 1
    return errors(checked), errors(built)


def sparse(path: Path, size: int) -> None:
    """A file of `size` bytes that takes no disk (a hole), as `truncate -s` makes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.truncate(size)


def test_a_3_gb_post_and_template_are_refused_by_size_before_reading(make_site):
    root = make_site({"site.toml": SITE, "content/posts/a.md": post()})
    sparse(root / "content/posts/big.md", GIB3)
    sparse(root / "themes/default/templates/base.html", GIB3)
    expected = [
        "content/posts/big.md:1:1: error SRC001: file is 3072.0 MB, over max_file_size (5.0 MB)",
        "themes/default/templates/base.html:1:1: error SRC001: file is 3072.0 MB,"
        " over max_file_size (5.0 MB)",
    ]
    checked, built = check_and_build(root)
    assert sorted(checked) == expected and sorted(built) == expected
    assert not (root / "output").exists()


def test_a_template_over_the_cap_says_what_to_do_with_a_template(make_site):
    root = make_site(
        {
            "site.toml": SITE + "[limits]\nmax_file_size = 4096\n",
            "content/posts/a.md": post(),
            "themes/default/templates/post.html": "{# big #}" + "x" * 5000,
        }
    )
    result = run_cli("build", "--root", root)
    assert errors(result) == [
        "themes/default/templates/post.html:1:1: error SRC001: file is 4.9 KB,"
        " over max_file_size (4.0 KB)"
    ]
    assert "a template is text: split it, or raise [limits] max_file_size" in result.stderr


def test_a_static_tree_deeper_than_path_max_is_named_not_a_crash(make_site):
    root = make_site({"site.toml": SITE, "content/posts/a.md": post()})
    name = "d" * 250
    fd = os.open(root, os.O_RDONLY)
    try:
        for part in ["content", "static", *[name] * 20]:  # 5,000 bytes: past PATH_MAX
            if part != "content":
                os.mkdir(part, dir_fd=fd)
            inner = os.open(part, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        os.close(os.open("f.png", os.O_WRONLY | os.O_CREAT, dir_fd=fd))
    finally:
        os.close(fd)
    folder = "content/static/" + "/".join([name] * 5)  # the first past 1,024 bytes
    expected = [
        f"{folder}:1:1: error SRC006: path is 1,269 bytes long, over 1,024; skipped, with all"
        " it holds"
    ]
    checked, built = check_and_build(root)
    assert checked == built == expected


def test_a_folder_nested_over_32_levels_is_named(make_site):
    root = make_site({"site.toml": SITE, "content/posts/a.md": post()})
    deep = root / "content/static" / "/".join(["d"] * 40)
    deep.mkdir(parents=True)
    (deep / "f.png").write_bytes(b"png")
    folder = "content/static/" + "/".join(["d"] * 31)
    expected = [
        f"{folder}:1:1: error SRC006: folder nested 33 levels deep, over 32; skipped, with all"
        " it holds"
    ]
    checked, built = check_and_build(root)
    assert checked == built == expected
    shallow = root / "content/static" / "/".join(["d"] * 30)
    (shallow / "d").rename(root / "gone")  # 32 levels: the limit itself builds
    (shallow / "f.png").write_bytes(b"png")
    assert run_cli("build", "--root", root).returncode == 0
    assert (root / "output" / "/".join(["d"] * 30) / "f.png").is_file()

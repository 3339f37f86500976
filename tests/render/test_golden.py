"""Golden output: the bundled site (the seed post, its six tags) rendered by the default theme.

The expected tree lives in `tests/golden/bundled/`. After an intended theme change, regenerate it
explicitly with `UPDATE_GOLDEN=1 pytest tests/render/test_golden.py` and review the diff; it is never
updated silently.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SEED_POST, copy_bundled_site, require_shared

from site_builder.markup import accelerator
from site_builder.pipeline.phases import BuildOptions, build

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "bundled"
TEXT_SUFFIXES = (".html", ".xml", ".txt", ".json", ".css")
SEED_URL = "posts/reduced-container-sizes-with-multi-stage-docker-builds/index.html"


def build_bundled(tmp_path: Path, accelerate: bool = True) -> Path:
    root = copy_bundled_site(tmp_path / "bundled")
    if not accelerate:
        with (root / "site.toml").open("a", encoding="utf-8") as config:
            config.write("\n[markdown]\naccelerate = false\n")
    result = build(root, BuildOptions())
    assert result.published, [d.format() for d in result.diagnostics]
    return root / "output"


def golden_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix in TEXT_SUFFIXES and "pagefind" not in p.relative_to(root).parts
    }


def test_bundled_content_is_the_seed_post_byte_for_byte():
    bundled = REPO / "content" / "posts" / SEED_POST.name
    assert bundled.read_bytes() == require_shared(SEED_POST).read_bytes()


# The tree is the same whichever parser makes markdown-it-py's tokens (markup/accelerator.py).
ENGINES = [
    pytest.param(False, id="markdown-it-py"),
    pytest.param(
        True,
        id="accelerated",
        marks=pytest.mark.skipif(not accelerator.available(), reason="no markdown-it-pyrs"),
    ),
]


@pytest.mark.parametrize("accelerate", ENGINES)
def test_bundled_site_matches_golden_tree(tmp_path, accelerate):
    output = build_bundled(tmp_path, accelerate)
    got = golden_files(output)
    if os.environ.get("UPDATE_GOLDEN") == "1" and not accelerate:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in got.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = golden_files(GOLDEN)
    assert sorted(got) == sorted(expected), "the set of output files changed"
    for rel in expected:
        assert got[rel].decode() == expected[rel].decode(), (
            f"{rel} differs from tests/golden/bundled/{rel}"
        )


def test_seed_post_page_links_all_six_tags(tmp_path):
    output = build_bundled(tmp_path)
    page = (output / SEED_URL).read_text()
    for slug, name in [
        ("open-source", "Open Source"),
        ("docker", "Docker"),
        ("devops", "DevOps"),
        ("nodejs", "NodeJS"),
        ("osd600", "OSD600"),
        ("optimizations", "Optimizations"),
    ]:
        assert f'<a class="tag" href="/tags/{slug}/">{name}</a>' in page
        assert (output / "tags" / slug / "index.html").is_file()
    assert 'id="resources"' in page and 'href="#resources"' in page
    assert (output / "tags" / "index.html").is_file() and (output / "index.html").is_file()

"""What the build cache reads back is verified: damage means CACHE001 and a rebuild of what the
damaged record held, never a failed build or a damaged page; a cache folder that is a symlink
(or holds one) is refused with CACHE002 and nothing is written through it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import post, tree_hash, write_site

from site_builder.cache.store import CACHE_DIR, BuildCache
from site_builder.config.load import load_config
from site_builder.pipeline.fingerprints import processing_key
from site_builder.pipeline.phases import build

FILES = {
    "site.toml": 'title = "Integrity"\n',
    "content/posts/alpha.md": post("Alpha", "2024-01-02"),
    "content/posts/bravo.md": post("Bravo", "2024-01-03"),
    "content/posts/charlie.md": post("Charlie", "2024-01-04"),
}


def clean_build(root: Path, scratch: Path) -> str:
    """The output hash of a build of `root`'s sources without any cache or earlier output."""
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("output", ".output.*", CACHE_DIR))
    result = build(scratch, use_cache=False, workers=1)
    assert result.published, [d.format() for d in result.diagnostics]
    return tree_hash(scratch / "output")


def only_pack(root: Path) -> Path:
    (pack,) = (root / CACHE_DIR).glob("bodies-*.pack")
    return pack


def retitle(root: Path, title: str) -> None:
    """A config edit that re-renders every page but reprocesses no source: every body is then
    read back from the cache's pack, late, while the pages are rendered."""
    (root / "site.toml").write_text(f'title = "{title}"\n')


def damage(pack: Path, old: bytes, new: bytes) -> None:
    data = pack.read_bytes()
    assert old in data and len(old) == len(new)
    pack.write_bytes(data.replace(old, new))


def cache_codes(result: object) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in result.diagnostics if d.code.startswith("CACHE")]  # type: ignore[attr-defined]


def test_a_damaged_pickle_frame_is_rebuilt_not_a_template_error(tmp_path):
    root = write_site(tmp_path / "site", FILES)
    assert build(root, workers=1).published
    pack = only_pack(root)
    data = bytearray(pack.read_bytes())
    start = data.index(b"Intro paragraph for Bravo") - 40  # inside Bravo's pickled frame
    data[start : start + 16] = b"\xff" * 16
    pack.write_bytes(bytes(data))
    retitle(root, "Renamed")
    result = build(root, workers=1)
    assert result.published, [d.format() for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code == "TPL001"]
    codes = cache_codes(result)
    assert [code for code, _ in codes] == ["CACHE001"], codes
    assert "damaged (1 of its 3 bodies); they are rebuilt" in codes[0][1]
    assert result.processed == 1  # Bravo, and only Bravo
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean")


def test_a_same_length_change_inside_a_pack_is_never_published(tmp_path):
    root = write_site(tmp_path / "site", FILES)
    assert build(root, workers=1).published
    damage(only_pack(root), b"Intro paragraph for Charlie", b"Intro paragraph for Mallory")
    retitle(root, "Renamed")
    result = build(root, workers=1)
    assert result.published
    assert [code for code, _ in cache_codes(result)] == ["CACHE001"]
    page = (root / "output/posts/charlie/index.html").read_bytes()
    assert b"Intro paragraph for Charlie" in page and b"Mallory" not in page
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean")
    retitle(root, "Renamed again")  # the rebuilt record was saved: nothing to warn about now
    third = build(root, workers=1)
    assert third.published and third.processed == 0 and not cache_codes(third)


def test_a_pack_that_was_only_touched_is_verified_once_and_kept(tmp_path):
    root = write_site(tmp_path / "site", FILES)
    assert build(root, workers=1).published
    os.utime(only_pack(root))  # its lstat key changes, its bytes do not
    retitle(root, "Renamed")
    result = build(root, workers=1)
    assert result.published and result.processed == 0 and not cache_codes(result)


def test_damage_found_late_fails_clearly_and_the_next_build_heals(tmp_path):
    # Damage the pack's lstat key cannot show (below the file system) is still caught by the
    # digest when the body is read during render; the pack is then touched, so the next build
    # verifies it whole and rebuilds the body.
    from site_builder.cache.packs import DamagedBody

    root = write_site(tmp_path / "site", FILES)
    assert build(root, workers=1).published
    config, _ = load_config(root)
    cache = BuildCache(root, processing_key(config))
    record = cache.documents.documents["content/posts/alpha.md"]
    assert record.body_ref is not None
    name, offset, length, _digest = record.body_ref
    html, _ = cache.body(record.body_ref)
    assert "Intro paragraph for Alpha" in html
    before = os.lstat(root / CACHE_DIR / name).st_ctime_ns
    with pytest.raises(DamagedBody, match="damaged"):
        cache.body((name, offset, length, bytes(16)))
    cache.close()
    assert os.lstat(root / CACHE_DIR / name).st_ctime_ns != before


@pytest.mark.parametrize("shape", ["symlink", "file", "inner symlink"])
def test_a_cache_folder_that_is_not_a_plain_folder_is_refused(tmp_path, shape):
    root = write_site(tmp_path / "site", FILES)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("not the cache's\n")
    if shape == "symlink":
        (root / CACHE_DIR).symlink_to(outside, target_is_directory=True)
    elif shape == "file":
        (root / CACHE_DIR).write_text("a file\n")
    else:
        assert build(root, workers=1).published
        (root / CACHE_DIR / "state.pickle").unlink()
        (root / CACHE_DIR / "state.pickle").symlink_to(outside / "state.pickle")
    before = tree_hash(outside)
    for title in ("One", "Two"):
        retitle(root, title)
        result = build(root, workers=1)
        assert result.published, [d.format() for d in result.diagnostics]
        (problem,) = [d for d in result.diagnostics if d.code.startswith("CACHE")]
        assert problem.code == "CACHE002" and problem.path == CACHE_DIR
        assert "the build cache is not used and nothing is written through it" in problem.message
        assert result.processed == 3
    assert tree_hash(outside) == before
    assert sorted(p.name for p in outside.iterdir()) == ["keep.txt"]
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean")


def test_damage_found_while_rendering_is_made_again_not_published_or_a_failure(tmp_path):
    # The index promises a digest the pack's bytes do not have, and the pack's lstat key is
    # unchanged: only the read during render can find it. That body is processed again there.
    from dataclasses import replace

    root = write_site(tmp_path / "site", FILES)
    assert build(root, workers=1).published
    config, _ = load_config(root)
    cache = BuildCache(root, processing_key(config))
    records = cache.documents.documents
    record = records["content/posts/alpha.md"]
    name, offset, length, _digest = record.body_ref
    records["content/posts/alpha.md"] = replace(record, body_ref=(name, offset, length, bytes(16)))
    cache.documents_changed()
    cache.save()
    cache.close()
    retitle(root, "Late")
    result = build(root, workers=1)
    assert result.published, [d.format() for d in result.diagnostics]
    assert not [d for d in result.diagnostics if d.code == "TPL001"]
    assert tree_hash(root / "output") == clean_build(root, tmp_path / "clean")

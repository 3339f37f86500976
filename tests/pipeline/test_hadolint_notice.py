"""Without hadolint, a warm build says so exactly as a cold build does: once, at the same place.

The notice (HDL001) is made by each build, not kept with a document's cached results, so an
incremental build that processes no Dockerfile block again (only a setting changed, or only a
post without one) must still give it. hadolint is made to look missing here, so these tests run
the same whether or not it is installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import write_site

from site_builder.cache.store import CACHE_DIR
from site_builder.dockerfile import hadolint
from site_builder.pipeline.phases import BuildOptions, build


def post(title: str, body: str) -> str:
    return (
        f"---\ntitle: {title}\ndate: 2024-01-02\ntags: [Docker]\n"
        "description: A short description of this post that is long enough to be useful.\n"
        f"---\n\nIntro of {title}.\n\n## Section\n\n{body}\n"
    )


BLOCK = "```dockerfile\nFROM alpine:3.19\nRUN echo hello\n```\n"
FILES = {
    "content/posts/a.md": post("First", "Some text before the block.\n\n" + BLOCK),
    "content/posts/b.md": post("Second", "A post without any Dockerfile block in it."),
    "content/posts/c.md": post("Third", BLOCK),
    "site.toml": 'title = "Notice"\n',
}
NOTICE = "content/posts/a.md:14:1: info HDL001: hadolint is not installed"


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    return change


EDITS: dict[str, Callable[[Path], None]] = {
    "nothing": lambda root: None,
    "a setting only": edit("site.toml", '"Notice"', '"Another title"'),
    "a post without a block": edit("content/posts/b.md", "without any", "with no"),
    "a post with a block": edit("content/posts/c.md", "Intro of", "The start of"),
    "the first post with a block": edit("content/posts/a.md", "Some text", "Other text"),
}


def diagnostics(root: Path, *, use_cache: bool) -> list[str]:
    result = build(root, BuildOptions(), workers=1, use_cache=use_cache)
    assert result.published, [d.format() for d in result.diagnostics]
    return [d.format() for d in result.diagnostics]


@pytest.fixture
def no_hadolint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hadolint, "find_hadolint", lambda: None)


@pytest.mark.usefixtures("no_hadolint")
@pytest.mark.parametrize("change", EDITS.values(), ids=EDITS.keys())
def test_a_warm_build_without_hadolint_gives_the_cold_builds_notice(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    root = write_site(tmp_path / "site", FILES)
    first = diagnostics(root, use_cache=True)
    notices = [line for line in first if " HDL001: " in line]
    assert len(notices) == 1 and notices[0].startswith(NOTICE), first
    assert (root / CACHE_DIR).is_dir()

    change(root)
    warm = diagnostics(root, use_cache=True)
    scratch = tmp_path / "cold"
    shutil.copytree(root, scratch, ignore=shutil.ignore_patterns("output", ".output.*", CACHE_DIR))
    assert warm == diagnostics(scratch, use_cache=False)
    assert [line for line in warm if " HDL001: " in line] == notices

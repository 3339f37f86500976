"""Both engines on the bench corpus: the same page, outline, counts and diagnostics per post.

The corpus is the one `bench/run.py` times (`../shared/bench/gen_corpus.py`, 300 posts here).
Each post is rendered by a `MarkdownRenderer` with `[markdown] accelerate` on and by one with it
off (markdown-it-py alone); every field of the two `RenderedBody`s must be equal, and the
accelerator must take nearly every post (else this would only test its declining).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SHARED, require_shared, skip_or_fail

from site_builder.config.schema import MarkdownConfig
from site_builder.content.front_matter.read import parse_source
from site_builder.markup import accelerator
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    if not accelerator.available():
        skip_or_fail("markdown-it-pyrs (the fast extra) is not installed", module=True)
    generator = require_shared(SHARED / "bench" / "gen_corpus.py", module=True)
    folder = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(generator), str(folder), "--posts", "300"], check=True)
    posts = sorted(folder.rglob("*.md"))
    assert len(posts) >= 300
    return posts


def test_both_engines_render_every_bench_post_alike(corpus: list[Path]) -> None:
    accelerated = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))
    reference = MarkdownRenderer(MarkdownConfig(accelerate=False), CodeRenderer(CodeOptions()))
    assert accelerated.accelerator is not None and reference.accelerator is None
    taken = 0
    for path in corpus:
        source = parse_source(str(path), path.read_text(encoding="utf-8"), None, require_date=False)
        title = source.front_matter.title if source.front_matter is not None else None
        args = (str(path), source.body, source.body_line_offset, title)
        ours, theirs = accelerated.render(*args), reference.render(*args)
        assert ours == theirs, path.name
        taken += accelerated.accelerator.tokens(source.body) is not None
    assert taken >= 0.95 * len(corpus), f"the accelerator took only {taken} of {len(corpus)}"

"""Whole builds fuzzed: random front matter, bodies, encodings, a second post, and a random (often
dangerous) `output_dir`, each built for real over a copy of a site that built once before.

Properties:
- `build()` returns; it never raises;
- a failed build writes nothing: every file outside `.site-cache/` is byte-identical afterwards
  (the last good output included) and no path appeared;
- a passed build changes nothing but the configured output folder (and its staging siblings and
  `.site-cache/`); the inputs are byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import post, run_cli, write_site
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from site_builder.pipeline.phases import build

GOOD = post("Good")
OUTPUT_DIRS = ["output", "public", "out/site", ".", "..", "content", "content/posts", "content/..",
               "themes", "site.toml", "/", "content/static/site", "../site", "../elsewhere",
               "output/..", "./output", "output/", "", " ", "out\x00put"]  # fmt: skip
FRONT = ["title: Post", "title: [a, b]", "title: ''", "date: 2024-01-02", "date: 2024-02-30",
         "date: 2024-01-02 10:00 +02:00", "tags: [Docker, docker, ' docker ']", "tags: [yes, '!!!']",
         "tags: docker, nodejs", "slug: good", "slug: '../x'", "slug: tags", "published: false",
         "description: d", "series: S", "series_order: 0", "tittle: x", "x: !!python/name:os.system",
         "a: &a [1]", "b: *a", "title: Post", "x: " + "[" * 60 + "]" * 60, "cover_image: /nope.png"]  # fmt: skip
BODIES = ["Text.", "[broken](/nowhere/)", "```dockerfile\nFORM alpine\n```", "```dockerfile\nFROM alpine\n```",
          "<script>alert(1)</script>", "## A\n\n## A", "TODO", "\x00", "{{ config }}", "```\nunclosed"]  # fmt: skip

front_matter = st.lists(st.sampled_from(FRONT), max_size=6)
encoding = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])
newline = st.sampled_from(["\n", "\r\n", "\r"])


VALID = ["title: Post", "date: 2024-01-02", "description: A description that is long enough here."]


@st.composite
def sites(draw: st.DrawFn) -> dict[str, bytes]:
    """A valid one-post site with up to two kinds of the mutations above applied."""
    mutations = draw(
        st.lists(
            st.sampled_from(["front", "body", "encoding", "output", "config", "second"]),
            max_size=2,
            unique=True,
        )
    )
    lines = VALID + (draw(front_matter) if "front" in mutations else [])
    closed = "front" not in mutations or draw(st.booleans())
    body = draw(st.lists(st.sampled_from(BODIES), max_size=3)) if "body" in mutations else ["Text."]
    text = "\n".join(["---", *lines, *(["---"] if closed else []), "", *body]) + "\n"
    if "encoding" in mutations:
        text = text.replace("\n", draw(newline)).encode(draw(encoding), errors="replace")
    files = {"content/posts/fuzz.md": text if isinstance(text, bytes) else text.encode()}
    if "second" in mutations:
        files["content/posts/second.md"] = post(
            "Second", tags=draw(st.sampled_from(["Docker", "docker", "Ops"]))
        ).encode()
    config = ""
    if "output" in mutations:
        config += f'output_dir = "{draw(st.sampled_from(OUTPUT_DIRS))}"\n'
    if "config" in mutations:
        config += draw(
            st.sampled_from(
                [
                    'title = "x"\n',
                    "titel = 1\n",
                    "[limits]\nmax_file_size = 10\n",
                    "posts_per_page = 0\n",
                    "= broken\n",
                    'theme = "../x"\n',
                ]
            )
        )
    files["site.toml"] = config.encode("utf-8", errors="replace")
    return files


@pytest.fixture(scope="module")
def last_good() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(Path(folder) / "site", {"content/posts/good.md": GOOD})
        assert run_cli("--root", root, "--quiet").returncode == 0
        yield root


def fingerprint(workspace: Path) -> dict[str, str]:
    """Path → content hash (or link target, or 'dir') of everything under `workspace`."""
    found: dict[str, str] = {}
    for base, dirs, names in os.walk(workspace):
        for name in dirs + names:
            path = Path(base) / name
            rel = path.relative_to(workspace).as_posix()
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[rel] = "dir"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def allowed(rel: str, output: Path, workspace: Path) -> bool:
    if rel == "site/.site-cache" or rel.startswith("site/.site-cache/"):
        return True
    path = workspace / rel
    if output.is_relative_to(path) and path.is_dir():
        return rel not in ("site", "site/content", "site/themes")  # a parent made for the output
    return (
        path == output
        or path.is_relative_to(output)
        or (path.parent == output.parent and path.name.startswith(f".{output.name}."))
        or any(
            p.parent == output.parent and p.name.startswith(f".{output.name}.")
            for p in path.parents
        )
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(sites())
def test_a_failed_build_writes_nothing_and_a_passed_one_only_its_output(
    last_good: Path, files: dict[str, bytes]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        root = workspace / "site"
        shutil.copytree(
            last_good,
            root,
            symlinks=True,
            ignore=shutil.ignore_patterns(".site-cache", ".output.*"),
        )
        (root / "content/posts/good.md").unlink()
        write_site(root, files)
        before = fingerprint(workspace)

        result = build(root)

        event("published" if result.published else "failed")
        after = fingerprint(workspace)
        changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
        if not result.published:
            assert {rel for rel in changed if not rel.startswith("site/.site-cache")} == set(), (
                sorted(changed),
                [d.format() for d in result.diagnostics],
            )
        else:
            output = result.config.output_path
            assert {rel for rel in changed if not allowed(rel, output, workspace)} == set(), sorted(
                changed
            )
            assert (output / ".site-builder-output").is_file()

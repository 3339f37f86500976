"""check compares each example's inputs with the ones it was measured with (no Docker): the
Dockerfile, context files after .dockerignore, and the build args from site.toml."""

from __future__ import annotations

from site_builder.config.load import load_config
from site_builder.content.examples import context_files, find_examples, ignored, inputs_hash
from site_builder.content.examples import read_dockerignore as _read
from site_builder.markup.measurements import Measurement, dump_measurements
from site_builder.pipeline.phases import load


def measured_site(make_site, files):
    root = make_site(files)
    config, _ = load_config(root)
    lock = {e.name: Measurement(size=1, inputs=inputs_hash(e)) for e in find_examples(config)}
    (root / "measurements.json").write_text(dump_measurements(lock))
    return root


def stale(root):
    return [d.code for d in load(root).diagnostics if d.code in ("EXA003", "EXA004")]


FILES = {
    "content/posts/p.md": "---\ntitle: P\ndate: 2024-01-02\n---\n\nText.\n",
    "examples/app/Dockerfile": "FROM local/busybox:base\nCOPY . /app\n",
    "examples/app/main.sh": "echo hi\n",
    "examples/app/notes/draft.txt": "not sent\n",
    "examples/app/.dockerignore": "# the writer's notes\nnotes\n*.log\n!keep.log\n",
}


def test_measured_example_is_quiet_until_an_input_changes(make_site):
    root = measured_site(make_site, FILES)
    assert stale(root) == []
    (root / "examples/app/notes/draft.txt").write_text("still not sent\n")
    (root / "examples/app/debug.log").write_text("ignored\n")
    assert stale(root) == []
    (root / "examples/app/main.sh").write_text("echo changed\n")
    assert stale(root) == ["EXA004"]


def test_build_args_are_inputs(make_site):
    root = measured_site(make_site, FILES)
    (root / "site.toml").write_text('[examples.app]\nbuild_args = { GREETING = "hi" }\n')
    assert stale(root) == ["EXA004"]


def test_dockerignore_as_docker_reads_it(tmp_path):
    (tmp_path / ".dockerignore").write_text("**/*.tmp\n/build\n!build/keep\ndocs/*.md\n")
    patterns = _read(tmp_path / ".dockerignore")
    assert ignored("a/b/c.tmp", patterns) and ignored("c.tmp", patterns)
    assert ignored("build/out.o", patterns) and not ignored("build/keep", patterns)
    assert ignored("docs/a.md", patterns) and not ignored("docs/sub/a.md", patterns)
    assert not ignored("src/main.go", patterns)
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "x.tmp").write_text("")
    assert [rel for rel, _ in context_files(tmp_path)] == [".dockerignore", "Dockerfile"]

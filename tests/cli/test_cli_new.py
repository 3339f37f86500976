"""`build-site new` scaffolds a draft post that builds cleanly."""

from __future__ import annotations

from conftest import run_cli

from site_builder.pipeline.phases import BuildOptions, load


def test_new_post_is_a_valid_draft(make_site):
    root = make_site({"site.toml": 'timezone = "Europe/Berlin"\n'})
    made = run_cli(
        "new", "Shrinking Node Images: Part 2", "--tags", "Docker, NodeJS", "--root", root
    )
    assert made.returncode == 0, made.stderr
    path = root / "content/posts/shrinking-node-images-part-2.md"
    assert f"created {path.relative_to(root)}" in made.stdout
    text = path.read_text()
    assert text.startswith("---\ntitle: 'Shrinking Node Images: Part 2'\ndate: ")
    assert "published: false" in text and "- Docker\n- NodeJS" in text
    result = load(root, BuildOptions(drafts=True))
    assert [d.code for d in result.diagnostics if d.severity.value == "error"] == []
    assert [p.title for p in result.site.posts] == ["Shrinking Node Images: Part 2"]
    again = run_cli("new", "Shrinking Node Images: Part 2", "--root", root)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert run_cli("new", "!!!", "--root", root).returncode == 2

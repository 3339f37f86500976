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


def test_new_series_post_takes_the_next_free_part(make_site):
    root = make_site(
        {
            "content/posts/one.md": (
                "---\ntitle: One\ndate: 2024-01-01\nseries: Smaller Images\nseries_order: 1\n"
                "description: Part one of the series about smaller images.\n---\nText.\n"
            ),
            "content/posts/two.md": (
                "---\ntitle: Two\ndate: 2024-01-02\nseries: smaller images\npart: 2\n"
                "description: Part two of the series about smaller images.\n---\nText.\n"
            ),
            "content/posts/other.md": (
                "---\ntitle: Other\ndate: 2024-01-03\nseries: Caching\nseries_order: 7\n"
                "description: A post of another series, whose parts do not count.\n---\nText.\n"
            ),
        }
    )
    result = run_cli("new", "Three", "--series", "Smaller Images", "--root", root)
    assert result.returncode == 0, result.stderr
    text = (root / "content/posts/three.md").read_text()
    assert "series: Smaller Images\nseries_order: 3\n" in text
    loaded = load(root, BuildOptions(drafts=True))
    assert [d.format() for d in loaded.diagnostics if d.severity.value == "error"] == []
    three = next(p for p in loaded.site.posts if p.title == "Three")
    place = loaded.site.series_place(three)
    assert place is not None and [p.title for p in place.series.posts] == ["One", "Two", "Three"]
    assert not [
        d for d in loaded.diagnostics if d.path.endswith("three.md") and d.code.startswith("SER")
    ]


def test_new_series_post_of_a_new_series_is_part_one(make_site):
    root = make_site({"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nText.\n"})
    assert run_cli("new", "First", "--series", "Fresh", "--root", root).returncode == 0
    text = (root / "content/posts/first.md").read_text()
    assert "series: Fresh\nseries_order: 1\n" in text
    assert run_cli("new", "Plain", "--root", root).returncode == 0
    assert "series" not in (root / "content/posts/plain.md").read_text()

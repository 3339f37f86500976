"""Page bundles: a post kept as a folder with index.md, its files published beside its page."""

from __future__ import annotations

import os

from conftest import post

from site_builder.content.bundles import is_bundle_index, source_stem
from site_builder.pipeline.phases import BuildOptions, BuildResult, build

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def bundle_post(title: str = "My Post", body: str = "") -> str:
    return post(title) + body


def formatted(result: BuildResult) -> list[str]:
    return [d.format() for d in result.diagnostics]


def test_the_slug_of_a_bundle_is_its_folder_and_only_subfolders_are_bundles():
    assert source_stem("content/posts/my-post/index.md") == "my-post"
    assert source_stem("content/posts/2024/my-post/index.markdown") == "my-post"
    assert source_stem("content/pages/about/index.md") == "about"
    assert source_stem("content/posts/index.md") == "index"  # the posts folder is no bundle
    assert source_stem("content/posts/my-post/notes.md") == "notes"
    assert not is_bundle_index("content/posts/index.md")
    assert not is_bundle_index("content/static/x/index.md")


def test_a_bundle_publishes_its_files_beside_its_page(make_site):
    root = make_site(
        {
            "content/posts/my-post/index.md": bundle_post(
                body="\n![A diagram](diagram.png) and [the script](files/run.sh).\n"
                "\n![The logo](./img/nested/logo.png)\n"
            ),
            "content/posts/my-post/diagram.png": PNG,
            "content/posts/my-post/files/run.sh": "echo hi\n",
            "content/posts/my-post/img/nested/logo.png": PNG,
            "content/posts/plain.md": post("Plain"),
            "content/posts/plain.png": PNG,  # beside a post that is not a bundle: not published
        }
    )
    result = build(root, BuildOptions())
    assert result.published, formatted(result)
    out = root / "output" / "posts"
    assert (out / "my-post" / "index.html").is_file()
    assert (out / "my-post" / "diagram.png").read_bytes() == PNG
    assert (out / "my-post" / "files" / "run.sh").read_text() == "echo hi\n"
    assert (out / "my-post" / "img" / "nested" / "logo.png").is_file()
    assert not (out / "my-post" / "index.md").exists()
    assert not any(p.name == "plain.png" for p in (root / "output").rglob("*"))
    page = (out / "my-post" / "index.html").read_text()
    assert '<img src="diagram.png" alt="A diagram"' in page


def test_a_missing_file_of_a_bundle_is_an_error_at_its_line(make_site):
    root = make_site(
        {
            "content/posts/my-post/index.md": bundle_post(
                body="\n![A diagram](diagram.png)\n\n![Gone](missing.png)\n"
            ),
            "content/posts/my-post/diagram.png": PNG,
        }
    )
    result = build(root, BuildOptions())
    assert not result.published
    errors = [d for d in result.diagnostics if d.code == "LNK001"]
    assert [e.format() for e in errors] == [
        "content/posts/my-post/index.md:16:9: error LNK001: image 'missing.png' goes to"
        " /posts/my-post/missing.png, which does not exist"
    ]


def test_a_draft_bundle_publishes_none_of_its_files(make_site):
    draft = bundle_post("Draft").replace("tags:", "published: false\ntags:", 1)
    root = make_site(
        {
            "content/posts/secret/index.md": draft + "\n![A diagram](diagram.png)\n",
            "content/posts/secret/diagram.png": PNG,
            "content/posts/other.md": post("Other"),
        }
    )
    result = build(root, BuildOptions())
    assert result.published, formatted(result)
    assert not (root / "output" / "posts" / "secret").exists()
    shown = build(root, BuildOptions(drafts=True))
    assert shown.published, formatted(shown)
    assert (root / "output" / "posts" / "secret" / "diagram.png").is_file()


def test_a_front_matter_slug_moves_the_files_with_the_page(make_site):
    text = bundle_post().replace("tags:", "slug: renamed\ntags:", 1)
    root = make_site(
        {
            "content/posts/my-post/index.md": text + "\n![A diagram](diagram.png)\n",
            "content/posts/my-post/diagram.png": PNG,
        }
    )
    result = build(root, BuildOptions())
    assert result.published, formatted(result)
    assert (root / "output" / "posts" / "renamed" / "diagram.png").is_file()


def test_a_bundle_and_a_file_claiming_one_slug_collide(make_site):
    root = make_site(
        {
            "content/posts/my-post/index.md": bundle_post("One"),
            "content/posts/my-post.md": post("Two"),
        }
    )
    result = build(root, BuildOptions())
    assert not result.published
    collisions = sorted(d.format() for d in result.diagnostics if d.code == "URL001")
    places = "content/posts/my-post.md:1, content/posts/my-post/index.md:1"
    assert collisions == [
        f"content/posts/my-post.md:1:1: error URL001: /posts/my-post/ produced by {places}",
        f"content/posts/my-post/index.md:1:1: error URL001: /posts/my-post/ produced by {places}",
    ]


def test_a_bundle_file_over_a_static_file_is_a_collision(make_site):
    root = make_site(
        {
            "content/posts/my-post/index.md": bundle_post(),
            "content/posts/my-post/a.png": PNG,
            "content/static/posts/my-post/a.png": PNG,
        }
    )
    result = build(root, BuildOptions())
    assert not result.published
    assert [d.format() for d in result.diagnostics if d.code == "URL001"] == [
        "content/posts/my-post/a.png:1:1: error URL001: /posts/my-post/a.png produced by"
        " content/static/posts/my-post/a.png, content/posts/my-post/a.png"
    ]


def test_markdown_beside_an_index_is_a_post_of_its_own_with_a_warning(make_site):
    root = make_site(
        {
            "content/posts/my-post/index.md": bundle_post(),
            "content/posts/my-post/notes.md": post("Notes"),
            "content/posts/my-post/part-two/index.md": post("Part two"),  # a bundle of its own
            "content/posts/my-post/part-two/b.png": PNG,
        }
    )
    result = build(root, BuildOptions())
    assert result.published, formatted(result)
    assert [d.format() for d in result.diagnostics if d.code == "SRC007"] == [
        "content/posts/my-post/notes.md:1:1: warning SRC007: Markdown file inside the page"
        " bundle content/posts/my-post/ is built as a page of its own, not published as a file"
        " of the bundle"
    ]
    out = root / "output" / "posts"
    assert (out / "notes" / "index.html").is_file()
    assert (out / "part-two" / "b.png").is_file()
    assert not (out / "my-post" / "part-two").exists()


def test_a_symlink_inside_a_bundle_is_refused_as_in_all_content(make_site, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not for the site")
    root = make_site({"content/posts/my-post/index.md": bundle_post()})
    os.symlink(outside, root / "content/posts/my-post/leak.txt")
    result = build(root, BuildOptions())
    assert not result.published
    assert "content/posts/my-post/leak.txt:1:1: error SRC002: symlink not allowed" in formatted(
        result
    )
    assert not (root / "output").exists()


def test_an_incremental_build_sees_a_bundle_file_change_and_go(make_site):
    root = make_site(
        {
            "content/posts/my-post/index.md": bundle_post(body="\n![A diagram](diagram.png)\n"),
            "content/posts/my-post/diagram.png": PNG,
            "content/posts/my-post/extra.txt": "one\n",
        }
    )
    out = root / "output" / "posts" / "my-post"
    assert build(root, BuildOptions()).published
    extra = root / "content/posts/my-post/extra.txt"
    extra.write_text("two, longer\n")
    changed = build(root, BuildOptions())
    assert changed.published and not changed.unchanged
    assert (out / "extra.txt").read_text() == "two, longer\n"
    extra.unlink()
    removed = build(root, BuildOptions())
    assert removed.published and not removed.unchanged
    assert not (out / "extra.txt").exists()
    (root / "content/posts/my-post/diagram.png").unlink()
    broken = build(root, BuildOptions())
    assert not broken.published
    assert [d.code for d in broken.diagnostics if d.severity.name == "ERROR"] == ["LNK001"]
    assert (out / "diagram.png").is_file()  # a failed build leaves the last output as it was


def test_a_bundle_summary_on_a_list_page_points_at_the_files_beside_the_post(make_site):
    no_description = post().split("description:")[0] + "---\n"
    root = make_site(
        {
            "content/posts/my-post/index.md": no_description
            + "\n![A diagram](diagram.png) first words.\n",
            "content/posts/my-post/diagram.png": PNG,
        }
    )
    result = build(root, BuildOptions())
    assert result.published, formatted(result)
    home = (root / "output" / "index.html").read_text()
    assert '<img src="/posts/my-post/diagram.png" alt="A diagram"' in home


def test_a_dated_bundle_folder_gives_the_date_and_drops_it_from_the_slug(make_site):
    """Jekyll and Docusaurus name a post's folder `2016-03-07-slim-images/` as they name its
    file: the date comes from the folder when the front matter has none."""
    root = make_site(
        {
            "content/posts/2016-03-07-slim-images/index.md": (
                "---\ntitle: Slim images\ntags: [Docker]\n---\n![The graph](graph.png)\n"
            ),
            "content/posts/2016-03-07-slim-images/graph.png": PNG,
        }
    )
    result = build(root, BuildOptions())
    assert result.published, formatted(result)
    page = (root / "output/posts/slim-images/index.html").read_text(encoding="utf-8")
    assert 'datetime="2016-03-07' in page
    assert (root / "output/posts/slim-images/graph.png").read_bytes() == PNG

"""Included code blocks: a file of the site, a region or lines of it, checked at that file's lines;
problems at the block's line in the post; includes stay inside the site; an edited file
re-renders the post."""

from __future__ import annotations

import os

import pytest

from site_builder.markup.includes import read_include
from site_builder.pipeline.phases import build, load

FRONT = "---\ntitle: Included\ndate: 2024-01-02\ndescription: A post that shows the Dockerfile of an example, included from its folder.\n---\n\n"
DOCKERFILE = """\
FROM local/busybox:base
# region deps
RUN echo one > /one
run echo two > /two
# endregion
COPY . /app
"""


def site(body: str, **files: str) -> dict[str, str]:
    return {
        "content/posts/p.md": FRONT + body,
        "site.toml": '[dockerfile]\nhadolint = "off"\n',
        "examples/slim/Dockerfile": DOCKERFILE,
        **files,
    }


def codes(result, prefix=("DF", "DH", "MD", "EXA00", "Consistent")):
    return [d.format() for d in result.diagnostics if d.code.startswith(prefix)]


def test_whole_file_is_shown_with_its_path_as_title_and_checked_at_its_own_lines(make_site):
    root = make_site(site('```dockerfile {include="examples/slim/Dockerfile"}\n```\n'))
    result = load(root)
    assert codes(result, ("Consistent",)) == [
        "examples/slim/Dockerfile:4:1: warning ConsistentInstructionCasing: Command 'run' "
        "should match the case of the command majority (uppercase)"
    ]
    html = result.rendered.files["posts/p/index.html"].decode()
    assert '<span class="code-caption">examples/slim/Dockerfile</span>' in html
    assert "/one" in html and "/app" in html


def test_region_keeps_the_file_line_numbers(make_site):
    body = '```dockerfile {include="examples/slim/Dockerfile" region="deps" title="deps"}\n```\n'
    result = load(make_site(site(body)))
    found = [d for d in result.diagnostics if d.code == "ConsistentInstructionCasing"]
    assert [(d.path, d.line) for d in found] == [("examples/slim/Dockerfile", 4)]
    html = result.rendered.files["posts/p/index.html"].decode()
    assert "/one" in html and "/app" not in html and "region deps" not in html
    assert '<span class="code-caption">deps</span><span class="code-lang">Dockerfile</span>' in html


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            'include="examples/none/Dockerfile"',
            "included file 'examples/none/Dockerfile' not found",
        ),
        (
            'include="examples/slim/Dockerfile" region="nope"',
            "no region 'nope' in 'examples/slim/Dockerfile' (mark it with '# region nope' ... '# endregion')",
        ),
        (
            'include="examples/slim/Dockerfile" lines="5-40"',
            "lines=\"5-40\" is outside 'examples/slim/Dockerfile', which has 6 lines",
        ),
        (
            'include="../secret.txt"',
            "include '../secret.txt' leaves the site: name a file under the site root, such as 'examples/slim/Dockerfile'",
        ),
        (
            'include="/etc/passwd"',
            "include '/etc/passwd' leaves the site: name a file under the site root, such as 'examples/slim/Dockerfile'",
        ),
    ],
)
def test_a_missing_file_region_or_range_is_an_error_at_the_block_line(make_site, options, message):
    result = build(make_site(site(f"Text.\n\n```text {{{options}}}\n```\n")))
    assert not result.published
    assert codes(result, ("EXA001",)) == [f"content/posts/p.md:9:1: error EXA001: {message}"]


def test_a_symlink_out_of_the_site_is_never_followed(make_site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n")
    root = make_site(site('```text {include="examples/leak.txt"}\n```\n'))
    os.symlink(secret, root / "examples" / "leak.txt")
    result = load(root)
    assert codes(result, ("EXA001",)) == [
        "content/posts/p.md:7:1: error EXA001: included file 'examples/leak.txt' goes through "
        "a symlink ('examples/leak.txt'): never followed"
    ]
    assert result.rendered is None


def test_lines_and_regions_in_other_comment_styles(tmp_path):
    (tmp_path / "a.js").write_text("x\n// #region main\nconst a = 1;\n// #endregion\ny\n")
    found = read_include(tmp_path, "a.js", "main", "", 1000)
    assert not isinstance(found, str) and (found.text, found.first_line) == ("const a = 1;\n", 3)
    found = read_include(tmp_path, "a.js", "", "5", 1000)
    assert not isinstance(found, str) and (found.text, found.first_line) == ("y\n", 5)
    assert read_include(tmp_path, "a.js", "", "2-x", 1000) == (
        'lines takes a line or a range such as "3-9" or "12-"; got \'2-x\''
    )


def test_editing_an_included_file_re_renders_the_post(make_site):
    root = make_site(site('```dockerfile {include="examples/slim/Dockerfile"}\n```\n'))
    assert build(root).published
    unchanged = build(root)
    assert unchanged.unchanged
    path = root / "examples" / "slim" / "Dockerfile"
    path.write_text(DOCKERFILE + "RUN echo three > /three\n")
    edited = build(root)
    assert edited.published and edited.processed == 1 and not edited.unchanged
    assert "/three" in (root / "output" / "posts" / "p" / "index.html").read_text()


def test_editing_an_included_file_outside_examples_re_renders_the_post(make_site):
    files = site('```sh {include="snippets/run.sh"}\n```\n', **{"snippets/run.sh": "echo one\n"})
    root = make_site(files)
    assert build(root).published
    assert build(root).unchanged
    (root / "snippets" / "run.sh").write_text("echo two, a longer line\n")
    edited = build(root)
    assert not edited.unchanged and edited.processed == 1
    assert "longer" in (root / "output" / "posts" / "p" / "index.html").read_text()

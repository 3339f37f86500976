"""Pathological sizes: every one finishes (under pytest-timeout, with generous bounds) with a
published site or a clear diagnostic, and the limits that guard against blow-ups are
configurable in `[limits]`.

Measured on the 2-core CI machine (build through the CLI): a 5 MB post ~15 s; 20,000 nested
brackets, 5,000 `>` or 20,000 `*a` under 2 s; 10,000 tags over 500 posts ~12 s; a 1,000-line
Dockerfile ~4 s (most of it hadolint, when installed); a 100,000-line post ~4 s. Without
`max_tags_per_post`, one post with 2,000 tags took 265 s (each tag page lists the post with all
its tags: n² work), so 10,000 tags on one post is refused with TAG004 at once.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli, write_site

DESCRIPTION = "A description long enough to be useful for search results and feeds here."
HEAD = (
    "---\ntitle: {title}\ndate: 2024-01-02\ndescription: "
    + DESCRIPTION
    + "\ntags: [{tags}]\n---\n\n"
)
PARAGRAPH = "Some words about Docker images and layers, with `code` and *emphasis* in them.\n\n"
DIAGNOSTIC = re.compile(r"^\S.*?:\d+:\d+: (error|warning|info) [A-Za-z0-9]+: ")


def head(title: str = "Big", tags: str = "Docker") -> str:
    return HEAD.format(title=title, tags=tags)


def build(root: Path, *args: str, timeout: float = 600) -> tuple[int, list[str], str]:
    result = run_cli("--root", root, *args, timeout=timeout)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if DIAGNOSTIC.match(line)]
    return result.returncode, lines, result.stderr


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error " in line]


def exactly(size: int, start: str) -> str:
    """ASCII Markdown of exactly `size` bytes: `start`, then paragraphs, padded with spaces."""
    count = (size - len(start) - 1) // len(PARAGRAPH)
    text = start + PARAGRAPH * count
    return text + " " * (size - len(text) - 1) + "\n"


# -- file size -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_post_of_exactly_max_file_size_builds(tmp_path: Path) -> None:
    limit = 5 * 1024 * 1024
    root = write_site(tmp_path / "site", {"content/posts/big.md": exactly(limit, head()).encode()})
    assert (root / "content/posts/big.md").stat().st_size == limit
    code, _lines, stderr = build(root)
    assert code == 0, stderr
    page = (root / "output/posts/big/index.html").read_text()
    assert page.count("<code>code</code>") >= 60000


def test_one_byte_over_max_file_size_is_src001_without_reading_it(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site", {"content/posts/good.md": head("Good") + PARAGRAPH})
    with open(root / "content/posts/big.md", "wb") as handle:
        handle.truncate(5 * 1024 * 1024 + 1)  # sparse zeros: reading it would be ENC003 noise
    code, lines, _stderr = build(root)
    assert code == 1
    assert errors(lines) == [
        "content/posts/big.md:1:1: error SRC001: file is 5,242,881 bytes, over max_file_size "
        "(5,242,880 bytes)"
    ]
    assert not (root / "output").exists()


def test_max_file_size_is_configurable(tmp_path: Path) -> None:
    post = head("Small") + PARAGRAPH
    root = write_site(
        tmp_path / "site",
        {
            "content/posts/small.md": post,
            "site.toml": f"[limits]\nmax_file_size = {len(post) - 1}\n",
        },
    )
    code, lines, _ = build(root)
    assert code == 1
    assert errors(lines) == [
        f"content/posts/small.md:1:1: error SRC001: file is {len(post)} bytes, over "
        f"max_file_size ({len(post) - 1} bytes)"
    ]
    write_site(root, {"site.toml": f"[limits]\nmax_file_size = {len(post)}\n"})
    assert build(root)[0] == 0


# -- nesting (attack suite case 31) ----------------------------------------------------------


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("name", "body", "shown"),
    [
        ("brackets", "[" * 20000 + "\n", "[" * 100),
        ("closed-brackets", "[" * 20000 + "x" + "]" * 20000 + "\n", "[" * 100),
        ("emphasis", "*a " * 20000 + "\n", "*a *a *a"),
        ("backticks", "`a``" * 20000 + "\n", "<code>"),
        ("emphasis-run", "*" * 20000 + "a" + "*" * 20000 + "\n", "a"),
    ],
)
def test_deep_nesting_finishes_and_renders(
    tmp_path: Path, name: str, body: str, shown: str
) -> None:
    root = write_site(tmp_path / "site", {"content/posts/deep.md": head("Deep") + body})
    code, _lines, stderr = build(root)
    assert code == 0, stderr
    assert shown in (root / "output/posts/deep/index.html").read_text()


@pytest.mark.timeout(120)
def test_5000_nested_quotes_finish_with_md004_at_the_line(tmp_path: Path) -> None:
    # markdown-it stopped at 20 levels and dropped the text; now the post says where.
    root = write_site(
        tmp_path / "site", {"content/posts/deep.md": head("Deep") + ">" * 5000 + " deep\n"}
    )
    code, lines, _ = build(root)
    assert code == 1
    assert [line for line in errors(lines) if "MD004" in line] == [
        "content/posts/deep.md:8:1: error MD004: lists and quotes nested deeper than 40 levels: "
        "shown as plain text from here"
    ]


@pytest.mark.timeout(120)
def test_a_100000_line_post_builds(tmp_path: Path) -> None:
    body = "".join(
        f"Line {i} of a very long post.\n" + ("\n" if i % 10 == 9 else "") for i in range(100000)
    )
    root = write_site(tmp_path / "site", {"content/posts/long.md": head("Long") + body})
    assert body.count("\n") > 100000
    code, _lines, stderr = build(root)
    assert code == 0, stderr
    assert "Line 99999 of a very long post." in (root / "output/posts/long/index.html").read_text()


@pytest.mark.timeout(120)
def test_a_single_4_mb_line_builds_and_its_report_shows_only_the_part_that_matters(
    tmp_path: Path,
) -> None:
    line = "word " * 800000 + "TODO\n"
    root = write_site(
        tmp_path / "site",
        {
            "site.toml": 'base_url = "https://example.com/"\n',
            "content/posts/line.md": head("Line") + line,
        },
    )
    code, lines, stderr = build(root)
    assert code == 0, stderr
    assert lines == [
        "content/posts/line.md:8:4000001: warning TXT001: placeholder 'TODO' left in the text: \"word word TODO\""
    ]
    snippet = next(text for text in stderr.splitlines() if text.startswith("8 | "))
    assert snippet.startswith("8 | …") and snippet.endswith("word word TODO")
    assert len(snippet) < 200


@pytest.mark.timeout(60)
def test_a_100_kb_title_builds_escaped(tmp_path: Path) -> None:
    title = "<b>Docker</b> & " * (100 * 1024 // 16)
    root = write_site(tmp_path / "site", {"content/posts/title.md": head(f"'{title}'") + PARAGRAPH})
    code, _lines, stderr = build(root)
    assert code == 0, stderr
    page = (root / "output/posts/title/index.html").read_text()
    assert "&lt;b&gt;Docker&lt;/b&gt; &amp; " * 100 in page and "<b>Docker</b>" not in page


# -- tags ----------------------------------------------------------------------------------


@pytest.mark.timeout(60)
def test_10000_tags_on_one_post_is_tag004_at_once(tmp_path: Path) -> None:
    tags = ", ".join(f"tag{i}" for i in range(10000))
    root = write_site(tmp_path / "site", {"content/posts/tags.md": head("Tags", tags) + PARAGRAPH})
    code, lines, stderr = build(root)
    assert code == 1
    column = len("tags: [") + len(", ".join(f"tag{i}" for i in range(50))) + len(", ") + 1
    assert errors(lines) == [
        f"content/posts/tags.md:5:{column}: error TAG004: 10000 tags, over max_tags_per_post (50)"
    ]
    assert (
        "hint: keep the few tags readers browse by, or raise [limits] max_tags_per_post" in stderr
    )


def test_max_tags_per_post_is_configurable(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "site",
        {
            "content/posts/a.md": head("A", "one, two, three") + PARAGRAPH,
            "site.toml": "[limits]\nmax_tags_per_post = 2\n",
        },
    )
    code, lines, _ = build(root)
    assert code == 1
    assert errors(lines) == [
        "content/posts/a.md:5:18: error TAG004: 3 tags, over max_tags_per_post (2)"
    ]
    write_site(root, {"site.toml": "[limits]\nmax_tags_per_post = 3\n"})
    assert build(root)[0] == 0


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_10000_tags_across_500_posts_build(tmp_path: Path) -> None:
    files = {
        f"content/posts/p{i:03}.md": head(
            f"Post {i}", ", ".join(f"t{i * 20 + j}" for j in range(20))
        )
        + PARAGRAPH
        for i in range(500)
    }
    root = write_site(tmp_path / "site", files)
    code, _lines, stderr = build(root)
    assert code == 0, stderr
    tags = [p for p in (root / "output/tags").iterdir() if p.is_dir()]
    assert len(tags) == 10000


# -- Dockerfiles and YAML --------------------------------------------------------------------


@pytest.mark.timeout(300)
def test_a_1000_line_dockerfile_is_checked_at_the_right_lines(tmp_path: Path) -> None:
    steps = "".join(f"RUN echo step {i} && \\\n    true\n" for i in range(499))
    block = "```dockerfile\nFROM alpine:3.19\n" + steps + "FORM alpine\n```\n"
    text = head("Dockerfile") + block
    root = write_site(tmp_path / "site", {"content/posts/df.md": text})
    assert block.count("\n") >= 1000
    code, lines, _stderr = build(root)
    assert code == 1
    typo = text.split("\n").index("FORM alpine") + 1
    assert errors(lines) == [
        f"content/posts/df.md:{typo}:1: error DF001: unknown instruction: FORM (did you mean FROM?)"
    ]


@pytest.mark.timeout(60)
def test_a_ten_level_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    """Ten levels of nine aliases each would expand to 9^10 (3.4 billion) leaves."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 11)]
    text = "---\ntitle: Bomb\ndate: 2024-01-02\n" + "\n".join(levels) + "\n---\n\nText.\n"
    root = write_site(tmp_path / "site", {"content/posts/bomb.md": text})
    code, lines, _ = build(root)
    assert code == 1
    assert (
        errors(lines)[0]
        == "content/posts/bomb.md:4:5: error FM006: YAML anchors/aliases not allowed"
    )


@pytest.mark.timeout(60)
def test_100000_nested_yaml_lists_are_fm003(tmp_path: Path) -> None:
    text = "---\ntitle: Deep\ndate: 2024-01-02\nx: " + "[" * 100000 + "]" * 100000 + "\n---\n"
    root = write_site(tmp_path / "site", {"content/posts/deep.md": text})
    code, lines, _ = build(root)
    assert code == 1
    assert errors(lines) == [
        "content/posts/deep.md:4:53: error FM003: YAML nested more than 50 levels deep"
    ]

"""Content checks against fixture posts: every check has good and bad cases.

Each case in `tests/fixtures/checks/*.txt` is a whole post (front matter and body) followed by
the diagnostics it must produce, one per line: `line:column severity CODE`, optionally
`~ words the message contains`. An empty expectation means the post must be clean. The post is
built into a small site that also has another post, a draft, a post dated in the future, an
About page and a static image, so links to each of them can be tested.
"""

from __future__ import annotations

import re

import pytest
from fixture_cases import read_cases

from site_builder.pipeline.phases import BuildOptions, load

CASE_PATH = "content/posts/case.md"
COMPANIONS: dict[str, str | bytes] = {
    "content/posts/other-post.md": """\
        ---
        title: Caching Docker Layers the Right Way
        date: 2024-01-05
        tags: [Docker]
        description: How to order Dockerfile instructions so that BuildKit reuses cached layers.
        ---

        Layer caching decides how long a rebuild takes.

        ## Setup

        Install Docker 27 and enable BuildKit before you start.

        ## Multi-stage builds

        A second stage copies only the compiled artefacts from the first one.
        """,
    "content/posts/draft-post.md": """\
        ---
        title: Distroless Images
        date: 2024-01-06
        published: false
        description: Running Node.js services on distroless base images, and what breaks.
        ---

        Not finished yet.
        """,
    "content/posts/future-post.md": """\
        ---
        title: BuildKit Secrets
        date: 2999-01-01
        description: Passing credentials to a build without leaving them in an image layer.
        ---

        Coming later.
        """,
    "content/pages/about.md": """\
        ---
        title: About
        ---

        This blog is about smaller, faster Docker images.

        ## Contact

        Write to the author by e-mail.
        """,
    "content/static/img/diagram.png": b"\x89PNG\r\n\x1a\n",
}
FAMILIES = ("LNK", "TXT", "FMQ", "TAG", "MD001", "FM009")
EXPECT_RE = re.compile(r"(\d+):(\d+) (error|warning|info) ([A-Z]+\d+)(?: ~ (.*))?")

CASES = [
    (name, case)
    for name in ("links.txt", "writing.txt", "front_matter.txt")
    for case in read_cases(f"checks/{name}")
]


@pytest.mark.parametrize(
    ("name", "case"), CASES, ids=[f"{name}:{case.line}:{case.title}" for name, case in CASES]
)
def test_fixture(make_site, name, case):
    root = make_site({**COMPANIONS, CASE_PATH: case.input})
    result = load(root, BuildOptions())
    got = [d for d in result.diagnostics if d.path == CASE_PATH and d.code.startswith(FAMILIES)]
    expected = [
        EXPECT_RE.fullmatch(line.strip()) for line in case.expected.splitlines() if line.strip()
    ]
    assert all(expected), f"{name}:{case.line}: malformed expectation"
    shown = "\n".join(f"{d.line}:{d.column} {d.severity} {d.code} ~ {d.message}" for d in got)
    assert [(int(m[1]), int(m[2]), m[3], m[4]) for m in expected] == [
        (d.line, d.column, d.severity.value, d.code) for d in got
    ], f"{name}:{case.line} {case.title}: got\n{shown}"
    for match, diagnostic in zip(expected, got, strict=True):
        if match[5]:
            assert match[5] in diagnostic.message, shown
        assert diagnostic.hint, f"{diagnostic.code} must carry a hint"


def test_every_fixture_file_has_good_and_bad_cases():
    for name in ("links.txt", "writing.txt", "front_matter.txt"):
        cases = read_cases(f"checks/{name}")
        assert any(not c.expected.strip() for c in cases), f"{name} needs a clean case"
        assert any(c.expected.strip() for c in cases), f"{name} needs a failing case"

"""Dockerfile blocks inside posts: diagnostics at the .md line and column, the opt-outs, the note
under each block, and the optional hadolint pass."""

from __future__ import annotations

import pytest

from site_builder.dockerfile import hadolint
from site_builder.pipeline.phases import build, load

FRONT = "---\ntitle: Multi-stage builds\ndate: 2024-01-02\ndescription: How a multi-stage build keeps compilers out of the final image.\n---\n\n"


def post(body: str) -> dict[str, str]:
    return {"content/posts/p.md": FRONT + body, "site.toml": '[dockerfile]\nhadolint = "off"\n'}


def lines(result, prefix=("DF", "DH", "MD", "DL", "HDL", "JSON", "Stage")):
    return [d.format() for d in result.diagnostics if d.code.startswith(prefix)]


def test_syntax_error_is_reported_at_the_markdown_line_and_fails_the_build(make_site):
    root = make_site(
        post("Text.\n\n```dockerfile\nFROM alpine:3.19\nRUN echo hi\nFORM alpine\n```\n")
    )
    result = build(root)
    assert not result.published
    assert lines(result) == [
        "content/posts/p.md:12:1: error DF001: unknown instruction: FORM (did you mean FROM?)"
    ]


def test_indented_block_in_a_list_keeps_the_column(make_site):
    root = make_site(
        post("1. Step one:\n\n   ```dockerfile\n   FROM alpine:3.19\n   COPY app\n   ```\n")
    )
    (diagnostic,) = [d for d in load(root).diagnostics if d.code.startswith("DF")]
    assert (diagnostic.line, diagnostic.column, diagnostic.code) == (
        11,
        9,
        "DF016",
    )  # 'app', indented 3


def test_hints_are_warnings_and_the_note_lists_them(make_site):
    body = "```Dockerfile\nFROM node\nRUN npm install\nCMD node app.js\n```\n"
    result = load(make_site(post(body)))
    codes = [
        (d.line, d.code, d.severity.value)
        for d in result.diagnostics
        if d.code.startswith(("DH", "JSON"))
    ]
    assert codes == [
        (8, "DH010", "warning"),
        (9, "DH009", "warning"),
        (9, "DH005", "warning"),
        (10, "JSONArgsRecommended", "warning"),
    ]
    page = result.rendered.files["posts/p/index.html"].decode()
    assert (
        '<details class="code-check ok"><summary>Dockerfile checked: builds &#183; 4 hints</summary>'
        in page
    )
    link = '<a class="code-check-line" href="#code-7-L2">line 2 of the block</a>'
    assert "<code>DH005</code>" in page and link in page
    assert '<span class="line flag-hint" id="code-7-L2">' in page  # the cited line is marked


def test_a_clean_block_says_it_builds(make_site):
    body = '```containerfile\nFROM alpine:3.19\nCMD ["echo", "hi"]\n```\n'
    page = load(make_site(post(body))).rendered.files["posts/p/index.html"].decode()
    assert '<p class="code-check ok" role="note">Dockerfile checked: builds</p>' in page


def test_check_false_opts_out(make_site):
    body = "```dockerfile {check=false}\nFORM alpine\n```\n"
    result = build(make_site(post(body)))
    assert result.published and lines(result) == []
    page = (result.config.output_path / "posts/p/index.html").read_text()
    assert "Dockerfile checked" not in page


def test_expect_error_turns_the_expected_error_into_info(make_site):
    body = '```dockerfile {expect-error="DF001"}\nFROM alpine:3.19\nFORM alpine\n```\n'
    result = build(make_site(post(body)))
    assert result.published
    assert lines(result) == [
        "content/posts/p.md:9:1: info DF001: unknown instruction: FORM (did you mean FROM?)"
    ]
    page = (result.config.output_path / "posts/p/index.html").read_text()
    assert "Dockerfile checked: fails as intended (DF001)" in page


def test_expect_error_that_does_not_occur_fails(make_site):
    body = '```dockerfile {expect-error="DF001"}\nFROM alpine:3.19\n```\n'
    result = build(make_site(post(body)))
    assert not result.published
    assert lines(result) == [
        "content/posts/p.md:7:1: error MD003: expected Dockerfile problem DF001 did not occur"
    ]


def test_config_switches(make_site):
    body = "```dockerfile\nFROM node\nFORM x\n```\n"
    files = post(body)
    files["site.toml"] = '[dockerfile]\nhints = false\nnote = false\nhadolint = "off"\n'
    result = load(make_site(files))
    assert [d.code for d in result.diagnostics if d.code.startswith(("DF", "DH"))] == ["DF001"]
    assert "Dockerfile checked" not in str(result.diagnostics)
    files["site.toml"] = "[dockerfile]\ncheck = false\n"
    result = load(make_site(files))
    assert [d.code for d in result.diagnostics if d.code.startswith(("DF", "DH", "HDL"))] == []


def test_without_hadolint_there_is_one_info_line(make_site, monkeypatch):
    monkeypatch.setattr(hadolint, "find_hadolint", lambda: None)
    files = post("```dockerfile\nFROM alpine:3.19\n```\n\n```dockerfile\nFROM alpine:3.20\n```\n")
    files["site.toml"] = ""
    result = load(make_site(files))
    notes = [d.format() for d in result.diagnostics if d.code == "HDL001"]
    assert len(notes) == 1 and notes[0].startswith(
        "content/posts/p.md:7:1: info HDL001: hadolint is not installed"
    )


@pytest.mark.usefixtures("hadolint_installed")  # skipped without hadolint; fails in CI
def test_hadolint_findings_are_info_at_markdown_lines_without_duplicates(make_site):
    body = (
        "```dockerfile\nFROM debian:12\nRUN apt-get update && apt-get install -y curl\n"
        "RUN useradd -u 123456789 app\n```\n\n```dockerfile\nFORM broken\n```\n"
    )
    files = post(body)
    files["site.toml"] = ""
    result = load(make_site(files))
    found = {
        (d.line, d.code, d.severity.value)
        for d in result.diagnostics
        if d.code.startswith(("DH", "DL"))
    }
    # our hints stay (same rule on the same line: hadolint's copy is dropped) ...
    assert {(9, "DH001", "warning"), (9, "DH002", "warning")} <= found
    assert not {(9, "DL3009", "info"), (9, "DL3015", "info")} & found
    # ... and hadolint adds what we do not check, as info, at the .md line
    assert (10, "DL3046", "info") in found
    # the block our parser rejected is not given to hadolint
    assert not any(line >= 12 for line, code, _ in found if code.startswith("DL"))

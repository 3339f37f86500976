"""Markdown bodies and Dockerfile blocks fuzzed through the whole of phase 1 (read, parse,
render every page in memory) of a real one-post site.

Properties:
- only diagnostics come out, never an exception;
- with raw HTML sanitized (the default), no rendered page contains anything that can run script
  other than what the theme ships (checked by parsing each page, see `html_audit`), and no feed
  or data file contains a raw `<script`;
- a Dockerfile problem on line k of a block is reported on line fence + k of the post, with
  the column the checker gives for the block alone.

Content checks are lowered to `info` for these sites (`[checks] levels`), so a random broken
link does not stop the render the property needs; hadolint is off to keep each example fast.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from conftest import write_site
from html_audit import audit
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from site_builder.dockerfile.codes import CODES
from site_builder.dockerfile.roles import check_block
from site_builder.pipeline.phases import load

CONFIG = 'base_url = "https://example.com/"\n[dockerfile]\nhadolint = "off"\n[checks]\nlevels = { "*" = "info" }\n'
HEAD = "---\ntitle: Fuzz\ndate: 2024-01-02\ntags: [Docker]\ndescription: A description long enough for search results.\n---\n\n"
ATTACKS = [
    "<script>", "</script>", "<script>alert(1)</script>", "<script src=//evil.example/x.js>",
    "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">', "<svg onload=alert(1)>",
    "<iframe src=//evil.example>", "<style>", "<!--", "-->", "<![CDATA[", "]]>", "<?php ?>",
    "<base href=//evil.example>", '<meta http-equiv="refresh" content="0;url=//x">',
    "&lt;", "&#60;script&#62;", "&#x3C;", "&", '"', "'", "`", "``", "[", "]", "(", ")", "![", "](",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)", "java\tscript:", "&#106;avascript:", "&#x6A;avascript:", " onmouseover=",
    '" onmouseover="alert(1)', "' onfocus='alert(1)", "{", "}", "{{ 7*7 }}", "{% raw %}", "{#id}",
    '{#x" onclick="y}', "{.c}", "```", "~~~", '```dockerfile" onmouseover="alert(1)', "```html",
    "```js {hl_lines=\"1\"}", '```python {title="</script><script>alert(1)</script>"}',
    "<!-- more -->", "# ", "## ", "\n", "\n\n", "> ", "- ", "1. ", "|a|b|\n|-|-|\n", "[^1]",
    "[^1]: ", "<http://example.com>", "<mailto:a@b.c>", "<javascript:alert(1)>", "\\", "*", "_",
    "x", " ", "\t", "é", "\u202e", "\x00", "\ufeff", "[t]: javascript:alert(1)\n", "[t]", "www.",
    "http://a.b/<script>", "https://example.com/a?b=<x>&c=\"d\"", "![i](x.png \"t\\\" onload=\\\"x\")",
    '[l](/ "t\\" onmouseover=\\"x")', "<!DOCTYPE html>", "</article>", "</body>",
]  # fmt: skip
body = st.one_of(
    st.lists(st.sampled_from(ATTACKS), max_size=40).map("".join),
    st.text(max_size=300),
)
DOCKER = [
    "FROM ", "RUN ", "COPY ", "ADD ", "CMD ", "ENTRYPOINT ", "ENV ", "ARG ", "LABEL ", "HEALTHCHECK ",
    "ONBUILD ", "SHELL ", "USER ", "WORKDIR ", "EXPOSE ", "VOLUME ", "FORM ", "AS ", "alpine",
    "alpine:3.19", "scratch", "--from=", "--mount=type=cache,target=/x", "\\", "`", "<<EOF", "EOF",
    "'", '"', "[", "]", "$", "${", ":-", "#", "# syntax=x", "# escape=`", "=", " ", "\t", "\n",
    "\n", "\r", "é", "<script>", "\" onmouseover=\"", "&&", "apk add x", "apt-get install -y y",
]  # fmt: skip
dockerfile = st.lists(st.sampled_from(DOCKER), max_size=50).map("".join)


def load_post(text: str) -> tuple[object, dict[str, bytes] | None]:
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(
            Path(folder) / "site",
            {
                "content/posts/post.md": text.encode("utf-8", "surrogatepass"),
                "site.toml": CONFIG,
            },
        )
        result = load(root)
        for diagnostic in result.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1, diagnostic
        files = dict(result.rendered.files) if result.rendered is not None else None
        return result, files


def assert_no_live_content(files: dict[str, bytes]) -> None:
    for name, data in files.items():
        text = data.decode("utf-8")
        if name.endswith(".html"):
            assert audit(text) == [], (name, audit(text))
        elif name.endswith((".xml", ".json", ".txt")):
            assert "<script" not in text.lower(), name


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body)
@example("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n")
@example("[x](javascript:alert(1)) <javascript:alert(1)> [y](&#106;avascript:alert(1))\n")
@example('```dockerfile" onmouseover="alert(1)\nFROM alpine\n```\n')
@example('## x" onclick="alert(1)\n\n[t](/ "a\\" onmouseover=\\"b")\n')
def test_a_body_never_puts_live_script_in_a_page(text: str) -> None:
    result, files = load_post(HEAD + text)
    assert files is not None, [d.format() for d in result.diagnostics]  # type: ignore[attr-defined]
    assert_no_live_content(files)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body, dockerfile, body)
@example("", "\r\rFROM ", "")  # a lone CR ends a line, for CommonMark and YAML alike
@example("Intro.", "FORM alpine\nFROM alpine AS Build\nRUN apt-get install -y curl\n", "")
def test_a_dockerfile_problem_is_reported_at_its_own_line(
    before: str, text: str, after: str
) -> None:
    """A problem on line k of the block is on line `fence + k` of the post: the same problems,
    at the same places, as the checker finds in the block's text alone."""
    before = before.replace("```", "").replace("~~~", "")  # keep the fence the one we place
    fence_body = text.replace("```", "'''")
    post = f"{HEAD}{before}\n\n```dockerfile\n{fence_body}\n```\n\n{after.replace('```', '')}\n"
    lines = re.split(r"\r\n|\r|\n", post)  # CommonMark's line endings
    opening = next(i for i, line in enumerate(lines, 1) if line == "```dockerfile")
    closing = next(i for i, line in enumerate(lines, 1) if i > opening and line == "```")
    block = "".join(line + "\n" for line in lines[opening : closing - 1])
    alone = check_block([block], hints=True).parts[0]
    expected = {(d.code, opening + d.line, d.column) for d in alone}
    result, files = load_post(post)
    if files is not None:
        assert_no_live_content(files)
    found = {
        (d.code, d.line, d.column)
        for d in result.diagnostics  # type: ignore[attr-defined]
        if d.code in CODES  # the checker's own codes (DF, DH, the build checks)
    }
    for diagnostic in result.diagnostics:  # type: ignore[attr-defined]
        if (diagnostic.code, diagnostic.line, diagnostic.column) in found:
            assert diagnostic.path == "content/posts/post.md"
    assert found <= expected, (sorted(found - expected), opening)
    checked = files is not None and any(b'class="code-check' in data for data in files.values())
    if checked or found:  # the block was read as ours (not swallowed by a container before it)
        assert found == expected, (sorted(expected - found), opening)


def test_the_audit_sees_raw_html_when_the_config_allows_it() -> None:
    """The counter-check: with `allow_html = true` (post authors trusted) the same body does put
    script in the page, and the audit reports it; so the property above can fail."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_site(
            Path(folder) / "site",
            {
                "content/posts/post.md": HEAD
                + "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n",
                "site.toml": CONFIG.replace(
                    "[dockerfile]", "[markdown]\nallow_html = true\n[dockerfile]"
                ),
            },
        )
        result = load(root)
        assert result.rendered is not None
        page = result.rendered.files["posts/post/index.html"].decode()
        assert audit(page) == ["<script> 'alert(1)'", "<img onerror='alert(2)'>"]

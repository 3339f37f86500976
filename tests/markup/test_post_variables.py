"""`${NAME}` in a post's Dockerfile is a placeholder when the post tells the reader to set NAME."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from site_builder.config.schema import MarkdownConfig
from site_builder.markup.code_blocks import CodeOptions, CodeRenderer
from site_builder.markup.convert import MarkdownRenderer
from site_builder.markup.post_variables import placeholder_patterns

DOCKERFILE = """\
```dockerfile
FROM ${REGISTRY}/node:22-alpine
WORKDIR /app
COPY . .
CMD ["node", "server.js"]
```
"""


def render(body: str):
    renderer = MarkdownRenderer(MarkdownConfig(), CodeRenderer(CodeOptions()))
    return renderer.render("content/posts/p.md", body, 0)


def codes(body: str) -> list[str]:
    return [f"{d.line}:{d.column}: {d.severity} {d.code}" for d in render(body).diagnostics]


@pytest.mark.parametrize(
    "says",
    [
        "```sh\nexport REGISTRY=ghcr.io/you\ndocker build -t app .\n```\n",
        "```console\n$ REGISTRY=ghcr.io/you envsubst < Dockerfile.in > Dockerfile\n```\n",
        "```bash\nexport DEBUG=1 REGISTRY\n```\n",
        "Set `REGISTRY` to the registry you push to.\n",
        "Replace `${REGISTRY}` with your own registry.\n",
        "- `$REGISTRY`: your registry, such as `ghcr.io/you`\n",
    ],
)
def test_a_variable_the_post_says_to_set_is_a_placeholder(says):
    body = says + "\n" + DOCKERFILE
    assert codes(body) == []
    assert '<span class="placeholder">${REGISTRY}</span>' in render(body).html


def test_without_such_a_statement_it_is_the_error_docker_build_gives():
    found = codes("Build it:\n\n" + DOCKERFILE)
    assert "4:6: error DF045" in found  # FROM "/node:22-alpine": invalid reference format


def test_a_build_arg_without_arg_in_the_dockerfile_stays_an_error():
    """`--build-arg REGISTRY=…` does nothing without `ARG REGISTRY`: a real mistake."""
    body = "```sh\ndocker build --build-arg REGISTRY=ghcr.io/you .\n```\n\n" + DOCKERFILE
    assert "6:6: error DF045" in codes(body)


def test_a_declared_variable_is_checked_as_the_variable_it_is():
    body = "Set `REGISTRY` to your registry.\n\n" + DOCKERFILE.replace(
        "FROM ${REGISTRY}", "ARG REGISTRY=docker.io\nFROM ${REGISTRY}"
    )
    rendered = render(body)
    assert [d.code for d in rendered.diagnostics] == []
    assert "placeholder" not in rendered.html


def test_a_heading_or_lower_case_name_does_not_count():
    body = "## Set `REGISTRY` first\n\nSet `path` to your folder.\n\n" + DOCKERFILE
    assert any("DF045" in line for line in codes(body))


_names = st.from_regex(r"[A-Z][A-Z0-9_]{1,8}", fullmatch=True)


@given(st.sets(_names, min_size=1, max_size=5), _names)
def test_the_pattern_matches_exactly_the_named_references(names, other):
    import re

    (pattern,) = placeholder_patterns(names)
    compiled = re.compile(pattern)
    for name in names:
        assert compiled.fullmatch("${" + name + "}")
        assert compiled.fullmatch("$" + name)
        assert not compiled.fullmatch("$" + name + "X_")  # a longer name is another variable
    if other not in names:
        assert not compiled.fullmatch("${" + other + "}")

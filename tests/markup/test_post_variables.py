"""`${NAME}` in a post's Dockerfile is a placeholder when the post tells the reader to set NAME."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
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


def _asked_in_prose(tokens) -> set[str]:
    """What the prose asks to set, read as the rule says, in its order: an inline token (not a
    heading's) whose text has an asking word, then each of its inline-code names."""
    import re

    from site_builder.markup.post_variables import _ASKS, _CODE_NAME, _looks_like_variable

    names = set()
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children or not _ASKS.search(token.content):
            continue
        if index and tokens[index - 1].type == "heading_open":
            continue
        for child in token.children:
            match = re.match(_CODE_NAME, child.content.strip())
            if child.type == "code_inline" and match and _looks_like_variable(match.group(1)):
                names.add(match.group(1))
    return names


_PROSE = st.sampled_from(
    [
        "Set",
        "set",
        "replace",
        "your",
        "Yours",
        "upset",
        "fill in",
        "the",
        "`REGISTRY`",
        "`${TAG}`",
        "`$NODE_VERSION`",
        "`path`",
        "`X`",
        "`A B`",
        "**`PORT`**",
        "[`HOST`](x)",
        "`` `T` ``",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["", "## ", "- ", "> ", "1. "]), st.lists(_PROSE, max_size=8)),
        max_size=6,
    )
)
def test_the_names_the_prose_asks_for_are_those_the_rule_gives(paragraphs):
    """The name test runs before the costly asking-word test: the same names as in the rule's
    own order, for every mix of headings, lists, quotes, asking words and code names."""
    from markdown_it import MarkdownIt

    from site_builder.markup.post_variables import variables_to_set

    body = "\n\n".join(start + " ".join(words) for start, words in paragraphs) + "\n"
    tokens = MarkdownIt("commonmark").parse(body)
    assert variables_to_set(tokens, ()) == _asked_in_prose(tokens)
